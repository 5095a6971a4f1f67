// server_loss.hpp — notices that the JACK server went away under an open stream.
//
// RtAudio 5.2 answers a JACK server shutdown by closing a running stream itself, from a
// detached thread, and tells nobody. That thread's jack_client_close cancels libjack's
// notification thread (asynchronously) while it may still be in RtAudio's handler, printing:
// the process then aborts ("terminate called without an active exception"), or stderr's lock
// stays taken and the next print hangs forever. So the bridge takes the report over: on the
// open stream's own JACK client its handler replaces RtAudio's. It marks the instance, queues a
// DEVICE_DISCONNECT stream error, wakes blocked readers and writers and calls the instance's
// stream-event callback, on libjack's thread; RtAudio's stream stays open until its owner
// closes it, which joins that thread.
#pragma once

#include <RtAudio.h>

struct prtn_instance;

namespace prtn {

// Owner's thread, right after a JACK stream opened (its client is not active yet).
void watch_server(prtn_instance* instance, RtAudio& rt);

}  // namespace prtn
