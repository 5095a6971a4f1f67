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
// unknown, else leaves the call's own error. Listing devices costs JACK a client connection, so
// it is done only once something failed.
void name_unknown_device(prtn_instance* instance, uint32_t id, const char* role);

// Before a JACK stream open: throws Failure(INVALID_PARAMETER) naming the device and its channel
// count if `params` asks for more channels (from its first channel) than the device has.
// RtAudio's JACK backend (5.2 and 6.0.1 alike) refuses such an open only after opening its client,
// and then never closes it: each refusal would leak a thread and three descriptors. Ports that are
// not connected (RTAUDIO_JACK_DONT_CONNECT) are not counted against the device, so then nothing is
// checked; nor on other APIs, which close what they opened. An unknown or unprobed device is left
// to RtAudio.
void require_jack_channels(RtAudio& rt, const RtAudio::StreamParameters& params, bool input,
                           RtAudioStreamFlags flags);
}  // namespace prtn
