// alsa_messages.hpp — libasound's own error messages, routed like RtAudio's warnings.
#pragma once

namespace prtn {

// From the first call on (idempotent, any thread), libasound's messages ("ALSA lib conf.c:...")
// printed on a thread that works for an instance become that instance's warnings instead of
// stderr lines: a machine without a sound card prints several per ALSA device query,
// which the caller (the Python package: nowhere) decides where to show. Elsewhere they keep
// libasound's format on stderr. Within compat::Quiet they are dropped.
void route_alsa_messages();

}  // namespace prtn
