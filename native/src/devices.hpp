// devices.hpp — device-id validation shared by device queries and stream opening.
#pragma once

#include <RtAudio.h>

#include <cstdint>

namespace prtn {
// Throws Failure(INVALID_DEVICE) naming the id and the valid ids unless id exists.
void require_device(RtAudio& rt, uint32_t id, const char* role);
}  // namespace prtn
