// devices.hpp — device-id validation shared by device queries and stream opening.
#pragma once

#include <RtAudio.h>

#include <cstdint>

struct prtn_instance;

namespace prtn {
// Throws Failure(INVALID_DEVICE) naming the id and the valid ids unless id exists
// (NO_DEVICES_FOUND naming the API and what to start if there are none).
void require_device(RtAudio& rt, uint32_t id, const char* role);

// After an RtAudio call failed for device `id`: throws as require_device() does if the id is
// unknown, else leaves the call's own error. Listing devices costs JACK a client connection
// (~30 ms), so it is done only once something failed.
void name_unknown_device(prtn_instance* instance, uint32_t id, const char* role);
}  // namespace prtn
