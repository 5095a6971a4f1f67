// devices.cpp — device enumeration and device info.
#include <algorithm>
#include <cstring>

#include "client_changes.hpp"
#include "devices.hpp"
#include "instance.hpp"
#include "rtaudio_compat.hpp"

namespace prtn {

// Names the API and what to start.
std::string no_devices_message(RtAudio& rt) {
    auto api = rt.getCurrentApi();
    std::string what = RtAudio::getApiDisplayName(api) + " lists no devices: ";
    switch (api) {
        case RtAudio::UNIX_JACK:
            return what + "no JACK server is running (start one, e.g. `jackd -d dummy`; a named one is picked with JACK_DEFAULT_SERVER)";
        case RtAudio::LINUX_PULSE:
            return what + "no PulseAudio server is reachable (start one, e.g. `pulseaudio --start`)";
        default:
            return what + "no sound card or server is available (start an audio server, e.g. `jackd -d dummy`)";
    }
}

void require_device(RtAudio& rt, uint32_t id, const char* role) {
    auto ids = compat::device_ids(rt);
    if (std::find(ids.begin(), ids.end(), id) != ids.end()) return;
    if (ids.empty())
        throw Failure(PRTN_ERROR_NO_DEVICES_FOUND, no_devices_message(rt));
    std::string known;
    for (auto known_id : ids) known += (known.empty() ? "" : ", ") + std::to_string(known_id);
    throw Failure(PRTN_ERROR_INVALID_DEVICE,
                  std::string(role) + " device id " + std::to_string(id) +
                      " does not exist (device ids: " + (known.empty() ? "none" : known) + ")");
}

void name_unknown_device(prtn_instance* instance, uint32_t id, const char* role) {
    int32_t type = instance->error_type;
    std::string message = std::move(instance->error_message);
    instance->error_type = PRTN_OK;
    require_device(*instance->rt, id, role);  // throws: guarded() records the better message
    instance->error_type = type;
    instance->error_message = std::move(message);
}

void require_jack_channels(RtAudio& rt, const RtAudio::StreamParameters& params, bool input,
                           RtAudioStreamFlags flags) {
    if (rt.getCurrentApi() != RtAudio::UNIX_JACK || (flags & RTAUDIO_JACK_DONT_CONNECT) != 0) return;
    RtAudio::DeviceInfo info;
    // An unknown id or a failed probe: openStream refuses the id before opening a client.
    if (!compat::known_device_info(rt, params.deviceId, info)) return;
    unsigned int has = input ? info.inputChannels : info.outputChannels;
    if (uint64_t{params.nChannels} + params.firstChannel <= has) return;
    const char* role = input ? "input" : "output";
    throw Failure(PRTN_ERROR_INVALID_PARAMETER,
                  std::string(role) + " channels " + std::to_string(params.nChannels) + " from channel " +
                      std::to_string(params.firstChannel) + " do not fit device " +
                      std::to_string(params.deviceId) + " (" + info.name + "), which has " +
                      std::to_string(has) + " " + role + " channels");
}

}  // namespace prtn

namespace {

[[noreturn]] void unprobed(uint32_t id) {
    throw prtn::Failure(PRTN_ERROR_DRIVER_ERROR, "device id " + std::to_string(id) +
                                                     " could not be probed: the audio server did not answer");
}

// The default device of a direction, probed (one scan: see compat::default_device).
uint32_t require_default(prtn_instance* instance, bool input, RtAudio::DeviceInfo& native) {
    uint32_t id = 0;
    bool any = false;
    prtn::compat::invoke(*instance->rt, [&] { any = prtn::compat::default_device(*instance->rt, input, id, native); });
    if (instance->error_type != PRTN_OK) throw prtn::Failure(instance->error_type, instance->error_message);
    const char* role = input ? "input" : "output";
    if (!any)
        throw prtn::Failure(PRTN_ERROR_NO_DEVICES_FOUND,
                            std::string("no ") + role + " device: " + prtn::no_devices_message(*instance->rt));
    if (!prtn::compat::probed(native)) unprobed(id);
    return id;
}

void fill_info(uint32_t id, const RtAudio::DeviceInfo& native, prtn_device_info* info) {
    std::memset(info, 0, sizeof *info);
    info->id = id;
    info->output_channels = native.outputChannels;
    info->input_channels = native.inputChannels;
    info->duplex_channels = native.duplexChannels;
    info->is_default_output = native.isDefaultOutput ? 1 : 0;
    info->is_default_input = native.isDefaultInput ? 1 : 0;
    info->native_formats = static_cast<uint32_t>(native.nativeFormats);
    info->preferred_sample_rate = native.preferredSampleRate;
    info->sample_rate_count = static_cast<uint32_t>(std::min<size_t>(native.sampleRates.size(), PRTN_MAX_SAMPLE_RATES));
    std::copy_n(native.sampleRates.begin(), info->sample_rate_count, info->sample_rates);
    std::strncpy(info->name, native.name.c_str(), PRTN_MAX_NAME - 1);
}

}  // namespace

extern "C" {

int32_t prtn_device_count(prtn_instance* instance, uint32_t* count) {
    return prtn::guarded(instance, [&] {
        prtn::refuse_client_changes_on_audio_thread("a device query");
        prtn::ClientChanges changes;
        *count = static_cast<uint32_t>(prtn::compat::device_ids(*instance->rt).size());
    });
}

int32_t prtn_device_ids(prtn_instance* instance, uint32_t* ids, uint32_t capacity,
                        uint32_t* count) {
    return prtn::guarded(instance, [&] {
        prtn::refuse_client_changes_on_audio_thread("a device query");
        prtn::ClientChanges changes;
        auto all = prtn::compat::device_ids(*instance->rt);
        *count = static_cast<uint32_t>(all.size());
        std::copy_n(all.begin(), std::min<size_t>(capacity, all.size()), ids);
    });
}

int32_t prtn_get_device_info(prtn_instance* instance, uint32_t id, prtn_device_info* info) {
    return prtn::guarded(instance, [&] {
        prtn::refuse_client_changes_on_audio_thread("a device query");
        prtn::ClientChanges changes;
        RtAudio::DeviceInfo native;
        bool probed = false;
        prtn::compat::invoke(*instance->rt, [&] { probed = prtn::compat::device_info(*instance->rt, id, native); });
        if (!probed) {
            prtn::name_unknown_device(instance, id, "queried");
            if (instance->error_type != PRTN_OK) return;
            unprobed(id);
        }
        fill_info(id, native, info);
    });
}

int32_t prtn_default_output_device(prtn_instance* instance, uint32_t* id) {
    return prtn::guarded(instance, [&] {
        prtn::refuse_client_changes_on_audio_thread("a device query");
        prtn::ClientChanges changes;
        RtAudio::DeviceInfo native;
        *id = require_default(instance, false, native);
    });
}

int32_t prtn_default_input_device(prtn_instance* instance, uint32_t* id) {
    return prtn::guarded(instance, [&] {
        prtn::refuse_client_changes_on_audio_thread("a device query");
        prtn::ClientChanges changes;
        RtAudio::DeviceInfo native;
        *id = require_default(instance, true, native);
    });
}

int32_t prtn_get_default_device_info(prtn_instance* instance, int32_t input, prtn_device_info* info) {
    return prtn::guarded(instance, [&] {
        prtn::refuse_client_changes_on_audio_thread("a device query");
        prtn::ClientChanges changes;
        if (info == nullptr) throw prtn::Failure(PRTN_ERROR_INVALID_PARAMETER, "info is null");
        RtAudio::DeviceInfo native;
        uint32_t id = require_default(instance, input != 0, native);
        fill_info(id, native, info);
    });
}

}  // extern "C"
