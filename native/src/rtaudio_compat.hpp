// rtaudio_compat.hpp — every difference between RtAudio 5.x and 6.x lives here.
//
// 5.x (Debian 12 ships 5.2.0): devices are indices 0..count-1, failures are
// thrown as RtAudioError, the error callback is a plain function pointer
// passed to openStream, and warnings before the first open only reach errorText_.
// 6.x (Debian 13 ships 6.0.1): devices have ids, nothing is thrown: every error and
// warning goes to the std::function given to RtAudio's constructor, and the
// calls that can fail return an RtAudioErrorType.
// Each function below has one body, or one per version where they differ.
#pragma once

#include <RtAudio.h>
#include <jack/jack.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "prtn.h"

namespace prtn {
// Routes an RtAudio error or warning to the instance the current thread works for.
void report_error(int32_t type, const std::string& message);
}  // namespace prtn

namespace prtn::compat {

#if defined(RTAUDIO_VERSION_MAJOR) && RTAUDIO_VERSION_MAJOR >= 6
#define PRTN_RTAUDIO6 1
static_assert(RTAUDIO_VERSION_MAJOR == 6, "this compat layer implements RtAudio 5.x and 6.x");
#else
#define PRTN_RTAUDIO6 0
static_assert(RTAUDIO_VERSION[0] == '5', "this compat layer implements RtAudio 5.x and 6.x");
#endif

// prtn.h passes RtAudio's own bit values through.
static_assert(PRTN_FORMAT_SINT8 == RTAUDIO_SINT8 && PRTN_FORMAT_SINT16 == RTAUDIO_SINT16 &&
              PRTN_FORMAT_SINT24 == RTAUDIO_SINT24 && PRTN_FORMAT_SINT32 == RTAUDIO_SINT32 &&
              PRTN_FORMAT_FLOAT32 == RTAUDIO_FLOAT32 && PRTN_FORMAT_FLOAT64 == RTAUDIO_FLOAT64);
static_assert(PRTN_FLAG_NONINTERLEAVED == RTAUDIO_NONINTERLEAVED && PRTN_FLAG_MINIMIZE_LATENCY == RTAUDIO_MINIMIZE_LATENCY &&
              PRTN_FLAG_HOG_DEVICE == RTAUDIO_HOG_DEVICE && PRTN_FLAG_SCHEDULE_REALTIME == RTAUDIO_SCHEDULE_REALTIME &&
              PRTN_FLAG_ALSA_USE_DEFAULT == RTAUDIO_ALSA_USE_DEFAULT && PRTN_FLAG_JACK_DONT_CONNECT == RTAUDIO_JACK_DONT_CONNECT);
static_assert(PRTN_STATUS_INPUT_OVERFLOW == RTAUDIO_INPUT_OVERFLOW && PRTN_STATUS_OUTPUT_UNDERFLOW == RTAUDIO_OUTPUT_UNDERFLOW);

inline RtAudio::Api to_native_api(int32_t api) {
    switch (api) {
        case PRTN_API_LINUX_ALSA: return RtAudio::LINUX_ALSA;
        case PRTN_API_LINUX_PULSE: return RtAudio::LINUX_PULSE;
        case PRTN_API_LINUX_OSS: return RtAudio::LINUX_OSS;
        case PRTN_API_UNIX_JACK: return RtAudio::UNIX_JACK;
        case PRTN_API_MACOSX_CORE: return RtAudio::MACOSX_CORE;
        case PRTN_API_WINDOWS_WASAPI: return RtAudio::WINDOWS_WASAPI;
        case PRTN_API_WINDOWS_ASIO: return RtAudio::WINDOWS_ASIO;
        case PRTN_API_WINDOWS_DS: return RtAudio::WINDOWS_DS;
        case PRTN_API_DUMMY: return RtAudio::RTAUDIO_DUMMY;
        default: return RtAudio::UNSPECIFIED;
    }
}

inline int32_t from_native_api(RtAudio::Api api) {
    switch (api) {
        case RtAudio::LINUX_ALSA: return PRTN_API_LINUX_ALSA;
        case RtAudio::LINUX_PULSE: return PRTN_API_LINUX_PULSE;
        case RtAudio::LINUX_OSS: return PRTN_API_LINUX_OSS;
        case RtAudio::UNIX_JACK: return PRTN_API_UNIX_JACK;
        case RtAudio::MACOSX_CORE: return PRTN_API_MACOSX_CORE;
        case RtAudio::WINDOWS_WASAPI: return PRTN_API_WINDOWS_WASAPI;
        case RtAudio::WINDOWS_ASIO: return PRTN_API_WINDOWS_ASIO;
        case RtAudio::WINDOWS_DS: return PRTN_API_WINDOWS_DS;
        case RtAudio::RTAUDIO_DUMMY: return PRTN_API_DUMMY;
        default: return PRTN_API_UNSPECIFIED;
    }
}

#if PRTN_RTAUDIO6
inline int32_t from_native_error(RtAudioErrorType type) {
    switch (type) {
        case RTAUDIO_WARNING: return PRTN_ERROR_WARNING;
        case RTAUDIO_NO_DEVICES_FOUND: return PRTN_ERROR_NO_DEVICES_FOUND;
        case RTAUDIO_INVALID_DEVICE: return PRTN_ERROR_INVALID_DEVICE;
        case RTAUDIO_DEVICE_DISCONNECT: return PRTN_ERROR_DEVICE_DISCONNECT;
        case RTAUDIO_MEMORY_ERROR: return PRTN_ERROR_MEMORY_ERROR;
        case RTAUDIO_INVALID_PARAMETER: return PRTN_ERROR_INVALID_PARAMETER;
        case RTAUDIO_INVALID_USE: return PRTN_ERROR_INVALID_USE;
        case RTAUDIO_DRIVER_ERROR: return PRTN_ERROR_DRIVER_ERROR;
        case RTAUDIO_SYSTEM_ERROR: return PRTN_ERROR_SYSTEM_ERROR;
        case RTAUDIO_THREAD_ERROR: return PRTN_ERROR_THREAD_ERROR;
        default: return PRTN_ERROR_UNSPECIFIED;
    }
}

#else
inline int32_t from_native_error(RtAudioError::Type type) {
    switch (type) {
        case RtAudioError::WARNING: return PRTN_ERROR_WARNING;
        case RtAudioError::DEBUG_WARNING: return PRTN_ERROR_DEBUG_WARNING;
        case RtAudioError::NO_DEVICES_FOUND: return PRTN_ERROR_NO_DEVICES_FOUND;
        case RtAudioError::INVALID_DEVICE: return PRTN_ERROR_INVALID_DEVICE;
        case RtAudioError::MEMORY_ERROR: return PRTN_ERROR_MEMORY_ERROR;
        case RtAudioError::INVALID_PARAMETER: return PRTN_ERROR_INVALID_PARAMETER;
        case RtAudioError::INVALID_USE: return PRTN_ERROR_INVALID_USE;
        case RtAudioError::DRIVER_ERROR: return PRTN_ERROR_DRIVER_ERROR;
        case RtAudioError::SYSTEM_ERROR: return PRTN_ERROR_SYSTEM_ERROR;
        case RtAudioError::THREAD_ERROR: return PRTN_ERROR_THREAD_ERROR;
        default: return PRTN_ERROR_UNSPECIFIED;
    }
}
#endif

inline std::string version() { return RtAudio::getVersion(); }

// RtAudio keeps some state private that the bridge needs: the JACK client of the open stream
// (RtApi::stream_.apiHandle points to its JackHandle, whose first member is the client, in 5.x
// and 6.x alike), the latency of each direction (stream_.latency, in 5.x and 6.x) and the text
// of the last error or warning. A pointer to a protected
// member, formed in a class derived from the member's class, reads it.
struct RtAudioAccess : RtAudio {
    static RtApi* api(RtAudio& rt) { return rt.*(&RtAudioAccess::rtapi_); }
};
struct RtApiAccess : RtApi {
    static void* stream_handle(RtApi& api) { return (api.*(&RtApiAccess::stream_)).apiHandle; }
#if !PRTN_RTAUDIO6
    static std::string& error_text(RtApi& api) { return api.*(&RtApiAccess::errorText_); }
    static bool has_error_callback(RtApi& api) { return (api.*(&RtApiAccess::stream_)).callbackInfo.errorCallback != nullptr; }
#endif
    static long latency(RtApi& api, int direction) { return (api.*(&RtApiAccess::stream_)).latency[direction]; }
};

// Whether what RtAudio and libasound report on this thread is dropped: around probes whose
// failures are expected (an API without a server while picking one, an id that may be unknown).
inline thread_local bool tl_quiet = false;

struct Quiet {
    Quiet() : previous_(tl_quiet) { tl_quiet = true; }
    ~Quiet() { tl_quiet = previous_; }
    Quiet(const Quiet&) = delete;
    Quiet& operator=(const Quiet&) = delete;

private:
    bool previous_;
};

#if PRTN_RTAUDIO6

// Every instance's RtAudio reports its errors and warnings here (make_rtaudio), on the thread
// that made the call, or on the audio thread for a failure while the stream runs.
inline void on_native_error(RtAudioErrorType type, const std::string& message) {
    if (!tl_quiet) report_error(from_native_error(type), message);
}

// Runs one RtAudio call. 6.x throws nothing: its failures reach on_native_error.
template <class F>
void invoke(F&& call) {
    call();
}

template <class F>
void invoke(RtAudio&, F&& call) {
    call();
}

// A new RtAudio for `api` whose errors and warnings reach report_error (6.x drops warnings it is
// told not to show, so they stay on and go to the callback).
inline std::unique_ptr<RtAudio> new_rtaudio(RtAudio::Api api) {
    return std::make_unique<RtAudio>(api, RtAudioErrorCallback(&on_native_error));
}

// Current device ids in enumeration order: RtAudio's ids, kept while a device stays listed. 6.x's
// JACK probe lists the ports through a new client, and like 5.2's it now and then sees none while
// other clients come and go: it then forgets every device (which comes back under a new id). So
// an empty list is asked again a few times, quietly, before it is believed.
inline std::vector<uint32_t> device_ids(RtAudio& rt) {
    std::vector<unsigned int> ids;
    for (int retry = 0; retry < 3 && rt.getCurrentApi() == RtAudio::UNIX_JACK; ++retry) {
        {
            Quiet quiet;
            ids = rt.getDeviceIds();
        }
        if (!ids.empty()) return {ids.begin(), ids.end()};
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ids = rt.getDeviceIds();
    return {ids.begin(), ids.end()};
}

inline unsigned int device_count(RtAudio& rt) { return static_cast<unsigned int>(device_ids(rt).size()); }

// Probes a device. An unknown id: RtAudio reports INVALID_PARAMETER and gives an empty info.
inline bool device_info(RtAudio& rt, uint32_t id, RtAudio::DeviceInfo& info) {
    info = rt.getDeviceInfo(id);
    return info.ID == id && !info.name.empty();
}

// device_info for an id that may be unknown: false for it, with no error recorded.
inline bool known_device_info(RtAudio& rt, uint32_t id, RtAudio::DeviceInfo& info) {
    Quiet quiet;
    return device_info(rt, id, info);
}

// 6.x lists only the devices it could probe.
inline bool probed(const RtAudio::DeviceInfo&) { return true; }

// The default device of a direction and its info; returns whether the API lists any device
// (false: id 0). Where RtAudio names no default of the direction, the first device is it (as 5.x).
inline bool default_device(RtAudio& rt, bool input, uint32_t& id, RtAudio::DeviceInfo& info) {
    std::vector<uint32_t> ids = device_ids(rt);
    id = 0;
    if (ids.empty()) return false;
    id = input ? rt.getDefaultInputDevice() : rt.getDefaultOutputDevice();
    if (std::find(ids.begin(), ids.end(), id) == ids.end()) id = ids.front();
    device_info(rt, id, info);
    return true;
}

// Runs `open(...)`, RtAudio's openStream given the arguments that follow its options in this
// version (6.x: none; its failures reach on_native_error).
template <class Open>
void open_stream_as_version(RtAudio&, Open&& open) {
    open();
}

#else
// Runs one RtAudio call; a failure is reported, never propagated.
template <class F>
void invoke(F&& call) {
    try {
        call();
    } catch (const RtAudioError& e) {
        report_error(from_native_error(e.getType()), e.getMessage());
    }
}

// Each instance's RtAudio prints nothing (make_rtaudio): its warnings reach report_error. 5.x
// calls the error callback only from the first stream open on (openStream sets it); before, it
// sets errorText_ and prints it or not. So around a call before that errorText_ is cleared, and
// what it holds after a call that threw nothing is the last warning.
template <class F>
void invoke(RtAudio& rt, F&& call) {
    RtApi& api = *RtAudioAccess::api(rt);
    if (RtApiAccess::has_error_callback(api)) return invoke(call);
    std::string& text = RtApiAccess::error_text(api);
    text.clear();
    bool threw = false;
    invoke([&] {
        try {
            call();
        } catch (const RtAudioError&) {
            threw = true;
            throw;
        }
    });
    if (!threw && !text.empty()) report_error(PRTN_ERROR_WARNING, text);
}

// A new RtAudio for `api` that prints nothing: its warnings reach report_error (invoke(rt, call)).
inline std::unique_ptr<RtAudio> new_rtaudio(RtAudio::Api api) {
    auto rt = std::make_unique<RtAudio>(api);
    rt->showWarnings(false);
    return rt;
}

// Within invoke(rt, call): the warning so far is not the call's (a retried or expected failure).
inline void forget_warning(RtAudio& rt) { RtApiAccess::error_text(*RtAudioAccess::api(rt)).clear(); }

// 5.2's JACK device count opens a probe client and lists ports; while other clients come and
// go it now and then sees no ports and reports 0 devices. A zero is therefore re-read a few
// times before it is believed (a server that is really gone costs those few probes more).
inline unsigned int device_count(RtAudio& rt) {
    unsigned int count = rt.getDeviceCount();
    for (int retry = 0; count == 0 && retry < 3 && rt.getCurrentApi() == RtAudio::UNIX_JACK; ++retry) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        count = rt.getDeviceCount();
    }
    return count;
}

// Current device ids in enumeration order (5.x: the indices).
inline std::vector<uint32_t> device_ids(RtAudio& rt) {
    std::vector<uint32_t> ids(device_count(rt));
    for (uint32_t i = 0; i < ids.size(); ++i) ids[i] = i;
    return ids;
}

// Probes a device; false if RtAudio could not (5.x: DeviceInfo::probed, after the same
// transient JACK connection failures as in device_count(), which are retried).
inline bool device_info(RtAudio& rt, uint32_t id, RtAudio::DeviceInfo& info) {
    info = rt.getDeviceInfo(id);
    for (int retry = 0; !info.probed && retry < 3; ++retry) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        forget_warning(rt);
        info = rt.getDeviceInfo(id);
    }
    return info.probed;
}

// device_info for an id that may be unknown: false for it, with no error recorded.
inline bool known_device_info(RtAudio& rt, uint32_t id, RtAudio::DeviceInfo& info) {
    try {
        return device_info(rt, id, info);
    } catch (const RtAudioError&) {
        return false;
    }
}

inline bool probed(const RtAudio::DeviceInfo& info) { return info.probed; }

// Device 0's info, probed once, if it is the default of the direction; false otherwise (info
// then unspecified). For the default scan below: 5.x's JACK and PulseAudio always flag device 0
// when it has channels of the direction, so this one probe usually answers alone. Its failures
// stay silent (the scan that follows reports them): a missing server is a warning, and no
// device 0 an error RtAudio throws.
inline bool first_device_is_default(RtAudio& rt, bool input, RtAudio::DeviceInfo& info) {
    try {
        info = rt.getDeviceInfo(0);
    } catch (const RtAudioError&) {
        return false;
    }
    forget_warning(rt);
    return info.probed && (input ? info.isDefaultInput : info.isDefaultOutput);
}

// The default device of a direction and its info (info.probed false if it could not be probed);
// returns whether the API lists any device (false: id 0). 5.x's getDefaultOutputDevice scans the
// devices too, but returns 0 also for "no devices"; a scan of our own tells the two apart and
// keeps the info. Each device query is a JACK client connection (server_hold.hpp), so device 0 is
// asked first, alone; only if it is not the default does the full scan (a count, then each
// device) run. With a stream open that shortcut is not taken: RtAudio would route its silent
// failures to the stream (a warning, or an abort of the running stream). Unflagged, the default
// is device 0 (as 5.x).
inline bool default_device(RtAudio& rt, bool input, uint32_t& id, RtAudio::DeviceInfo& info) {
    id = 0;
    if (!rt.isStreamOpen() && first_device_is_default(rt, input, info)) return true;
    unsigned int count = device_count(rt);
    for (id = 0; id < count; ++id)
        if (device_info(rt, id, info) && (input ? info.isDefaultInput : info.isDefaultOutput)) return true;
    id = 0;
    if (count > 1) device_info(rt, 0, info);  // with one device, info is already device 0's
    return count > 0;
}

inline void on_native_error(RtAudioError::Type type, const std::string& message) {
    report_error(from_native_error(type), message);
}

// Runs `open(...)`, RtAudio's openStream given the arguments that follow its options in this
// version. 5.x: the error callback, so that errors on the audio thread are reported instead of
// thrown (an uncaught throw there would end the process). openStream checks the device ids
// against its own device count: the same transient zero as in device_count() makes it reject a
// valid id, so that one refusal is retried.
template <class Open>
void open_stream_as_version(RtAudio& rt, Open&& open) {
    for (int attempt = 0;; ++attempt) {
        try {
            open(&on_native_error);
            return;
        } catch (const RtAudioError& e) {
            bool transient = e.getType() == RtAudioError::INVALID_USE &&
                             e.getMessage().find("device parameter value is invalid") !=
                                 std::string::npos;
            if (!transient || attempt == 3) throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
            forget_warning(rt);
        }
    }
}
#endif

// Whether a new RtAudio's API lists a device, asked quietly: a missing server is expected here
// (what RtAudio and libasound say is dropped).
inline bool lists_devices(RtAudio& rt) {
    Quiet quiet;
    return rt.getDeviceCount() > 0;
}

// A new RtAudio for `api` (new_rtaudio). With no API named it picks as RtAudio's constructor does
// (the first compiled API that lists a device, else the last one), but through such instances:
// RtAudio's own pick prints what probing a missing server says (PulseAudio's "Connection refused").
inline std::unique_ptr<RtAudio> make_rtaudio(RtAudio::Api api) {
    if (api == RtAudio::UNSPECIFIED) {
        std::vector<RtAudio::Api> apis;
        RtAudio::getCompiledApi(apis);
        std::unique_ptr<RtAudio> rt;
        for (RtAudio::Api each : apis) {
            rt = new_rtaudio(each);
            if (lists_devices(*rt)) break;
        }
        if (rt != nullptr) return rt;
    }
    return new_rtaudio(api);
}

inline void open_stream(RtAudio& rt, RtAudio::StreamParameters* output,
                        RtAudio::StreamParameters* input, RtAudioFormat format,
                        unsigned int sample_rate, unsigned int* buffer_frames,
                        RtAudioCallback callback, void* user_data,
                        RtAudio::StreamOptions* options) {
    // Asked for "the smallest" (0), the PulseAudio backend grants 0 frames and the ALSA one the
    // device's smallest period (16 frames through ALSA's pulse plugin): on these APIs, which run
    // no period of their own, 0 asks for 512.
    const RtAudio::Api api = rt.getCurrentApi();
    if (*buffer_frames == 0 && (api == RtAudio::LINUX_PULSE || api == RtAudio::LINUX_ALSA)) *buffer_frames = 512;
    open_stream_as_version(rt, [&](auto... after_options) {
        rt.openStream(output, input, format, sample_rate, buffer_frames, callback, user_data, options, after_options...);
    });
}

// RtAudio's latency of the open stream's output (false) or input (true) direction, in frames (0
// for a direction it lacks: RtAudio clears both at every open and close and sets the ones it
// opens): getStreamLatency gives only their sum. Stream open.
inline int64_t direction_latency(RtAudio& rt, bool input) {
    rt.getStreamLatency();  // RtAudio's own check that a stream is open (and its error if not)
    return RtApiAccess::latency(*RtAudioAccess::api(rt), input ? 1 : 0);
}

// Whether a warning RtAudio gave on a stream's audio thread says that the period's device I/O
// failed for good (a dead PulseAudio connection; ALSA's pulse plugin once its server went, and by
// RtAudio's source an unplugged card, untested): RtAudio's PulseAudio and
// ALSA backends then only warn and go on to the next period at once, which fails again. An ALSA
// xrun that RtAudio recovered from is not one. The texts are the same in 5.2 and 6.0.1.
inline bool is_lasting_io_failure(const std::string& message) {
    for (const char* prefix : {"RtApiPulse::callbackEvent: audio write error", "RtApiPulse::callbackEvent: audio read error",
                               "RtApiAlsa::callbackEvent: audio write error", "RtApiAlsa::callbackEvent: audio read error",
                               "RtApiAlsa::callbackEvent: error preparing device", "RtApiAlsa::callbackEvent: error, current state"}) {
        if (message.rfind(prefix, 0) == 0) return message != "RtApiAlsa::callbackEvent: audio write error, underrun.";
    }
    return false;
}

// The open JACK stream's client; null for another API or with no stream open.
inline jack_client_t* jack_client(RtAudio& rt) {
    if (rt.getCurrentApi() != RtAudio::UNIX_JACK || !rt.isStreamOpen()) return nullptr;
    void* handle = RtApiAccess::stream_handle(*RtAudioAccess::api(rt));
    return handle != nullptr ? *static_cast<jack_client_t**>(handle) : nullptr;
}

// Stopping a running stream. On JACK, RtAudio deactivates the client, and libjack then cancels
// (pthread_cancel, then join) its process thread wherever it is. 5.2's JACK stopStream first
// asks the process thread for a drain and only then waits on a condition, without the lock the
// signal needs: a stopper descheduled for two periods in between misses the one signal and waits
// forever (native test CallbackStream.AStopOrCloseDelayedBeforeItsWaitStillReturns). Its
// abortStream and closeStream deactivate at once. So the caller first quiets the audio thread
// (halt.cpp), and on JACK both stop and abort are abortStream.
inline bool deactivation_cancels_audio_thread(RtAudio& rt) { return rt.getCurrentApi() == RtAudio::UNIX_JACK; }

// Stops the stream; `drop` discards pending output. `quieted`: a running JACK stream whose audio
// thread the caller quieted (halt.cpp), which must not be drained. (A stopped stream gets the
// call asked for, and RtAudio's warning that it is already stopped.)
inline void stop_stream(RtAudio& rt, bool drop, bool quieted) {
    if (drop || quieted)
        rt.abortStream();
    else
        rt.stopStream();
}

}  // namespace prtn::compat
