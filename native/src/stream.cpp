// stream.cpp — opening, running and closing a stream; the audio-thread trampoline.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <pthread.h>

#include "client_changes.hpp"
#include "devices.hpp"
#include "halt.hpp"
#include "instance.hpp"
#include "rtaudio_compat.hpp"
#include "server_loss.hpp"

namespace {

// prtn.h's limits, for callers that did not check them first (the bindings do).
void check_limits(const prtn_stream_parameters* output, const prtn_stream_parameters* input, uint32_t sample_rate,
                  uint32_t buffer_frames, const prtn_blocking_options* blocking, const char* stream_name) {
    auto check = [](const char* what, uint64_t value, uint64_t limit) {
        if (value > limit)
            throw prtn::Failure(PRTN_ERROR_INVALID_PARAMETER,
                                std::string(what) + " " + std::to_string(value) + " is more than " + std::to_string(limit));
    };
    for (const prtn_stream_parameters* side : {output, input}) {
        if (side == nullptr) continue;
        check("channels", side->channels, PRTN_MAX_CHANNELS);
        check("first_channel", side->first_channel, PRTN_MAX_CHANNELS);
    }
    check("sample_rate", sample_rate, PRTN_MAX_SAMPLE_RATE);
    check("buffer_frames", buffer_frames, PRTN_MAX_BLOCK_FRAMES);
    if (blocking != nullptr) check("ring_frames", blocking->ring_frames, PRTN_MAX_RING_FRAMES);
    if (stream_name != nullptr) check("stream_name's UTF-8 bytes", std::strlen(stream_name), PRTN_MAX_STREAM_NAME_BYTES);
}

// Audio thread. Counts, then either calls the owner's callback or, while the
// callback is disabled (teardown, interpreter exit) or after it asked to stop, leaves the
// output silent.
//
// The callback's 1 (stop) / 2 (abort) is never passed on: RtAudio 5.2 answers it by stopping
// the stream from a detached thread that can still be running — on freed memory — after the
// owner closed and destroyed the stream. The bridge records the request instead: the stream
// reports itself stopped at once, the callback is not called again, and the next
// stop/abort/start/close does the real stop on the caller's thread.
int serve_period(prtn_instance* instance, void* output, void* input, unsigned int frames,
                 double stream_time, RtAudioStreamStatus status);

// Audio thread, a blocking stream's period (or block, where the bridge re-blocks): moves it
// between the device and the rings. Never stops the stream.
int32_t serve_rings(void* output, void* input, uint32_t frames, double, uint32_t, void* user_data) {
    auto* instance = static_cast<prtn_instance*>(user_data);
    instance->rings->serve(output, input, frames, instance->ring_counters,
                           instance->draining.load(std::memory_order_acquire));
    return 0;
}

// Audio thread: the stream stops itself (1: this period plays, 2: dropped) at the end of the
// period that began at `stream_time`; whoever waits in prtn_stream_wait learns it now.
void stop_by_itself(prtn_instance* instance, int32_t how, double stream_time, unsigned int frames) {
    instance->stopped_time.store(stream_time + static_cast<double>(frames) / instance->sample_rate,
                                 std::memory_order_relaxed);
    instance->callback_stop.store(how, std::memory_order_release);
    if (instance->waiters.load() > 0) sem_post(&instance->wakeup);
}

uint64_t monotonic_ns() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<uint64_t>(now.tv_sec) * 1000000000u + static_cast<uint64_t>(now.tv_nsec);
}

// RtAudio's callback: times serve_period (the bridge's whole share of the period).
int trampoline(void* output, void* input, unsigned int frames, double stream_time,
               RtAudioStreamStatus status, void* user_data) {
    auto* instance = static_cast<prtn_instance*>(user_data);
    instance->in_period.store(true, std::memory_order_release);
    uint64_t started = monotonic_ns();
    int result = serve_period(instance, output, input, frames, stream_time, status);
    instance->durations.record(monotonic_ns() - started);
    instance->in_period.store(false, std::memory_order_release);
    return result;
}

int serve_period(prtn_instance* instance, void* output, void* input, unsigned int frames,
                 double stream_time, RtAudioStreamStatus status) {
    prtn::bind_audio_thread(instance);
    if (instance->server_gone.load(std::memory_order_acquire)) {
        prtn::idle_lost_period(instance, output, frames);  // an API that failed its I/O (server_loss.hpp)
        return 0;
    }
    instance->callbacks.fetch_add(1, std::memory_order_relaxed);
    instance->frames.fetch_add(frames, std::memory_order_relaxed);
    if (status & RTAUDIO_OUTPUT_UNDERFLOW)
        instance->output_underflows.fetch_add(1, std::memory_order_relaxed);
    if (status & RTAUDIO_INPUT_OVERFLOW)
        instance->input_overflows.fetch_add(1, std::memory_order_relaxed);
    // Output starts as silence: a callback that writes nothing (or is gone) plays none of
    // the previous period again.
    if (output != nullptr) std::memset(output, 0, frames * instance->output_bytes);
    if (instance->quiet.load(std::memory_order_acquire)) {
        instance->quiet_periods.fetch_add(1, std::memory_order_release);
        return 0;
    }
    if (instance->rings) {
        if (instance->reblocker)
            instance->reblocker->serve(output, input, frames, stream_time, instance->sample_rate,
                                       static_cast<uint32_t>(status), &serve_rings, instance);
        else
            serve_rings(output, input, frames, stream_time, static_cast<uint32_t>(status), instance);
        if (instance->rings->wakes_waiters() && instance->waiters.load() > 0) sem_post(&instance->wakeup);
        return 0;
    }
    if (instance->callback_stop.load(std::memory_order_acquire) != 0 ||
        (instance->transfer == nullptr && !instance->callback_enabled.load(std::memory_order_acquire))) {
        instance->silenced.fetch_add(1, std::memory_order_relaxed);
        return 0;
    }
    if (instance->transfer) {
        if (instance->transfer->serve(output, input, frames)) stop_by_itself(instance, 1, stream_time, frames);
        return 0;
    }
    // libjack cancels the process thread when its client is deactivated (halt.cpp),
    // also by RtAudio's own thread when the server goes; a cancellation inside the callback would
    // unwind through .NET and CPython frames. Deferred: it happens once the callback returned.
    int cancel_state = 0;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel_state);
    int32_t result = instance->reblocker
                         ? instance->reblocker->serve(output, input, frames, stream_time, instance->sample_rate,
                                                      static_cast<uint32_t>(status), instance->callback,
                                                      instance->user_data)
                         : instance->callback(output, input, frames, stream_time,
                                              static_cast<uint32_t>(status), instance->user_data);
    pthread_setcancelstate(cancel_state, nullptr);
    if (result == 1 || result == 2) {
        if (result == 2 && output != nullptr) std::memset(output, 0, frames * instance->output_bytes);
        stop_by_itself(instance, result, stream_time, frames);
    }
    return 0;
}

// A ring of 8 periods, and of at least 40 ms: a blocking writer is woken once per half ring,
// and a wake-up of a sleeping thread costs more CPU than a small period's whole work
// (docs/benchmarks.md); 20 ms between wake-ups makes it noise.
uint32_t default_ring_frames(uint32_t period, uint32_t sample_rate) {
    uint32_t periods = std::max<uint32_t>(8, static_cast<uint32_t>((uint64_t{sample_rate} * 40 / 1000 + period - 1) / period));
    return periods * period;
}

RtAudio::StreamParameters to_native(const prtn_stream_parameters& p) {
    RtAudio::StreamParameters native;
    native.deviceId = p.device_id;
    native.nChannels = p.channels;
    native.firstChannel = p.first_channel;
    return native;
}

void reset_stream_state(prtn_instance* instance) {
    instance->callback_stop = 0;
    instance->server_gone = false;
    instance->loss_handled = false;
    instance->ring_counters.underflows = 0;
    instance->ring_counters.overflows = 0;
    instance->ring_counters.frames_written = 0;
    instance->ring_counters.frames_read = 0;
    instance->callbacks = 0;
    instance->frames = 0;
    instance->output_underflows = 0;
    instance->input_overflows = 0;
    instance->silenced = 0;
    instance->writer_wake_ns = 0;
    instance->durations.reset();
    std::lock_guard<std::mutex> lock(instance->mutex);
    instance->stream_error_type = PRTN_OK;
    instance->stream_error_message.clear();
}

// After close (no audio thread runs): drops the callback and the rings, wakes every waiter.
void forget_callback(prtn_instance* instance) {
    instance->server_gone.store(false, std::memory_order_release);
    instance->loss_handled.store(false, std::memory_order_release);
    instance->callback_enabled.store(false, std::memory_order_release);
    instance->callback = nullptr;
    instance->user_data = nullptr;
    instance->rings.reset();
    instance->transfer.reset();
    instance->reblocker.reset();
    instance->writer_wake_ns = 0;
    for (int32_t i = instance->waiters.load(); i > 0; --i) sem_post(&instance->wakeup);
}

// After the server went, every stream call but close reports the loss (and so consumes the
// queued stream error: it has been reported).
void require_server(prtn_instance* instance, const char* operation) {
    if (!instance->server_gone.load(std::memory_order_acquire)) return;
    std::lock_guard<std::mutex> lock(instance->mutex);
    instance->stream_error_type = PRTN_OK;
    instance->stream_error_message.clear();
    throw prtn::Failure(PRTN_ERROR_DEVICE_DISCONNECT, std::string(operation) + ": " + instance->server_lost_message);
}

prtn::BlockingRings& require_rings(prtn_instance* instance, const char* operation) {
    require_server(instance, operation);
    if (!instance->rings)
        throw prtn::Failure(PRTN_ERROR_INVALID_USE, "no blocking stream is open (open one without a callback)");
    return *instance->rings;
}

prtn::FrameRing& require_ring(prtn::FrameRing* ring, const char* direction) {
    if (ring == nullptr)
        throw prtn::Failure(PRTN_ERROR_INVALID_USE, std::string("the stream has no ") + direction);
    return *ring;
}

// RtAudio 5.2 dereferences a null stream handle (SIGSEGV) when a stream call is made
// on a closed stream after an earlier stream had an error callback, so the bridge
// refuses such calls itself.
void require_open_stream(prtn_instance* instance, const char* operation) {
    require_server(instance, operation);
    if (!instance->rt->isStreamOpen())
        throw prtn::Failure(PRTN_ERROR_INVALID_USE, std::string(operation) + ": no stream is open");
}

// Runs one RtAudio call on the open stream under the guarded-call rules.
template <class F>
int32_t stream_call(prtn_instance* instance, const char* operation, F&& call) {
    return prtn::guarded(instance, [&] {
        require_open_stream(instance, operation);
        prtn::compat::invoke(*instance->rt, [&] { call(*instance->rt); });
    });
}

// The same for a call that waits for the audio thread.
template <class F>
int32_t waiting_stream_call(prtn_instance* instance, const char* operation, F&& call) {
    return prtn::guarded(instance, [&] {
        prtn::forbid_on_audio_thread(instance, operation);
        require_open_stream(instance, operation);
        prtn::compat::invoke(*instance->rt, [&] { call(*instance->rt); });
    });
}

// What feeds a stream: a callback, a blocking stream's rings or a transfer (exactly one).
struct StreamSource {
    prtn_callback callback = nullptr;
    void* user_data = nullptr;
    const prtn_blocking_options* blocking = nullptr;
    const prtn_transfer* transfer = nullptr;
};

// Opens a stream fed by `source`. Runs inside guarded().
void open_stream(prtn_instance* instance, const prtn_stream_parameters* output,
                 const prtn_stream_parameters* input, uint32_t format, uint32_t sample_rate,
                 uint32_t* buffer_frames, const StreamSource& source,
                 prtn_stream_options* options, const char* stream_name) {
    const prtn_blocking_options* blocking = source.blocking;
    using prtn::Failure;
    if (buffer_frames == nullptr) throw Failure(PRTN_ERROR_INVALID_PARAMETER, "buffer_frames is null");
    if (output == nullptr && input == nullptr)
        throw Failure(PRTN_ERROR_INVALID_PARAMETER,
                      "a stream needs output parameters, input parameters or both");
    size_t sample = prtn_sample_bytes(format);
    if (sample == 0)
        throw Failure(PRTN_ERROR_INVALID_PARAMETER, "unknown sample format " + std::to_string(format));
    check_limits(output, input, sample_rate, *buffer_frames, blocking, stream_name);
    if (options != nullptr && options->fixed_block > 1)
        throw Failure(PRTN_ERROR_INVALID_PARAMETER, "fixed_block must be 0 or 1, not " + std::to_string(options->fixed_block));
    if (options != nullptr && options->prime_output > 1)
        throw Failure(PRTN_ERROR_INVALID_PARAMETER, "prime_output must be 0 or 1, not " + std::to_string(options->prime_output));
    bool prime = options != nullptr && options->prime_output == 1;
    if (prime && (source.callback == nullptr || output == nullptr))
        throw Failure(PRTN_ERROR_INVALID_PARAMETER, "prime_output needs a callback stream with output: only a callback can prime it");
    if (blocking != nullptr && blocking->underflow_mode > PRTN_UNDERFLOW_WHOLE_PERIOD)
        throw Failure(PRTN_ERROR_INVALID_PARAMETER,
                      "unknown underflow mode " + std::to_string(blocking->underflow_mode));
    RtAudio& rt = *instance->rt;
    if (rt.isStreamOpen())
        throw Failure(PRTN_ERROR_INVALID_USE, "a stream is already open on this instance");
    // Checked before anything native is touched; kept once the stream is open.
    std::unique_ptr<prtn::Transfer> transfer;
    if (source.transfer != nullptr)
        transfer = std::make_unique<prtn::Transfer>(*source.transfer, sample, output != nullptr ? output->channels : 0,
                                                    input != nullptr ? input->channels : 0);

    RtAudio::StreamParameters native_output;
    RtAudio::StreamParameters native_input;
    if (output != nullptr) native_output = to_native(*output);
    if (input != nullptr) native_input = to_native(*input);
    RtAudio::StreamOptions native_options;
    if (options != nullptr) {
        native_options.flags = options->flags;
        native_options.numberOfBuffers = options->number_of_buffers;
        native_options.priority = options->priority;
    }
    if (stream_name != nullptr) native_options.streamName = stream_name;

    // The channel checks' device queries, RtAudio's device-count client and the stream's own then
    // share one mapping of the server.
    prtn::refuse_client_changes_on_audio_thread("opening a stream");
    prtn::ClientChanges changes;
    prtn::ServerHold::Scope hold(instance->server_hold, rt);
    if (output != nullptr) prtn::require_jack_channels(rt, native_output, false, native_options.flags);
    if (input != nullptr) prtn::require_jack_channels(rt, native_input, true, native_options.flags);

    reset_stream_state(instance);
    instance->callback = source.callback;
    instance->user_data = source.user_data;
    instance->output_bytes = output != nullptr ? output->channels * sample : 0;
    instance->sample_rate = sample_rate;
    instance->callback_enabled.store(source.callback != nullptr, std::memory_order_release);

    unsigned int frames = *buffer_frames;
    prtn::compat::invoke(rt, [&] {
        prtn::compat::open_stream(rt, output ? &native_output : nullptr,
                                  input ? &native_input : nullptr, format, sample_rate, &frames,
                                  &trampoline, instance, &native_options);
    });
    if (instance->error_type != PRTN_OK || !rt.isStreamOpen()) {
        forget_callback(instance);
        if (output != nullptr) prtn::name_unknown_device(instance, output->device_id, "output");
        if (input != nullptr) prtn::name_unknown_device(instance, input->device_id, "input");
        if (instance->error_type == PRTN_OK)
            throw Failure(PRTN_ERROR_UNSPECIFIED, "RtAudio did not open the stream");
        return;
    }
    if (frames == 0) {
        prtn::compat::invoke(rt, [&] { rt.closeStream(); });
        forget_callback(instance);
        throw Failure(PRTN_ERROR_DRIVER_ERROR, "the API granted a period of 0 frames; ask for a size (e.g. 256)");
    }
    // The stream is open but not started: no audio thread reads `rings`, `transfer` or
    // `reblocker` yet.
    instance->transfer = std::move(transfer);
    instance->api_period = frames;
    uint32_t asked = *buffer_frames;
    bool has_blocks = source.callback != nullptr || blocking != nullptr;  // a transfer's blocks are nobody's
    bool fixed = has_blocks && options != nullptr && options->fixed_block != 0 && asked != 0;
    if ((fixed && asked != frames) || prime) {
        if (fixed) frames = asked;
        bool interleaved = (native_options.flags & RTAUDIO_NONINTERLEAVED) == 0;
        instance->reblocker = std::make_unique<prtn::Reblocker>(frames, sample, output ? output->channels : 0,
                                                                input ? input->channels : 0, interleaved, prime);
    }
    if (blocking != nullptr) {
        uint32_t capacity = blocking->ring_frames != 0 ? blocking->ring_frames : default_ring_frames(frames, sample_rate);
        instance->rings = std::make_unique<prtn::BlockingRings>(
            instance->output_bytes, input != nullptr ? input->channels * sample : 0,
            std::max(capacity, frames), blocking->underflow_mode);
    }
    prtn::watch_server(instance, rt);
    *buffer_frames = frames;
    if (options != nullptr) options->number_of_buffers = native_options.numberOfBuffers;
}

// Stops the stream at RtAudio's level (see halt.hpp), and forgets a stop the callback asked for.
void stop_running(prtn_instance* instance, RtAudio& rt, bool drop) {
    bool by_callback = instance->callback_stop.load() != 0;
    if (!by_callback || rt.isStreamRunning()) prtn::halt_stream(instance, rt, drop);
    // The silent periods served since the callback's stop do not count: the time stays, and a
    // restart resumes it, where the callback stopped it.
    if (by_callback) rt.setStreamTime(instance->stopped_time.load(std::memory_order_relaxed));
    instance->callback_stop.store(0);
    for (int32_t i = instance->waiters.load(); i > 0; --i) sem_post(&instance->wakeup);
}

// stopStream/abortStream as asked by the user. A stream its callback stopped is stopped in
// RtAudio's contract, so RtAudio's own warning that it is already stopped follows the stop.
void stop_asked(prtn_instance* instance, RtAudio& rt, bool drop) {
    bool by_callback = instance->callback_stop.load() != 0;
    stop_running(instance, rt, drop);
    if (by_callback) prtn::compat::stop_stream(rt, drop, false);
}

}  // namespace

extern "C" {

int32_t prtn_open_stream(prtn_instance* instance, const prtn_stream_parameters* output,
                         const prtn_stream_parameters* input, uint32_t format,
                         uint32_t sample_rate, uint32_t* buffer_frames, prtn_callback callback,
                         void* user_data, prtn_stream_options* options,
                         const char* stream_name) {
    return prtn::guarded(instance, [&] {
        if (callback == nullptr)
            throw prtn::Failure(PRTN_ERROR_INVALID_PARAMETER, "callback is null");
        StreamSource source;
        source.callback = callback;
        source.user_data = user_data;
        open_stream(instance, output, input, format, sample_rate, buffer_frames, source, options, stream_name);
    });
}

int32_t prtn_open_transfer_stream(prtn_instance* instance, const prtn_stream_parameters* output,
                                  const prtn_stream_parameters* input, uint32_t format,
                                  uint32_t sample_rate, uint32_t* buffer_frames,
                                  prtn_stream_options* options, const char* stream_name,
                                  const prtn_transfer* transfer) {
    return prtn::guarded(instance, [&] {
        if (transfer == nullptr) throw prtn::Failure(PRTN_ERROR_INVALID_PARAMETER, "transfer is null");
        StreamSource source;
        source.transfer = transfer;
        open_stream(instance, output, input, format, sample_rate, buffer_frames, source, options, stream_name);
    });
}

int32_t prtn_open_blocking_stream(prtn_instance* instance, const prtn_stream_parameters* output,
                                  const prtn_stream_parameters* input, uint32_t format,
                                  uint32_t sample_rate, uint32_t* buffer_frames,
                                  prtn_stream_options* options, const char* stream_name,
                                  const prtn_blocking_options* blocking) {
    prtn_blocking_options defaults{};
    return prtn::guarded(instance, [&] {
        StreamSource source;
        source.blocking = blocking != nullptr ? blocking : &defaults;
        open_stream(instance, output, input, format, sample_rate, buffer_frames, source, options, stream_name);
    });
}

int32_t prtn_stream_write(prtn_instance* instance, const void* data, uint32_t frames,
                          uint32_t* written) {
    return prtn::guarded(instance, [&] {
        prtn::BlockingRings& rings = require_rings(instance, "write");
        *written = require_ring(rings.output(), "output").write(data, frames);
        if (!rings.wakes_waiters()) {
            uint64_t sleep = *written < frames ? rings.writer_sleep_ns(instance->sample_rate) : 0;
            instance->writer_wake_ns.store(monotonic_ns() + sleep, std::memory_order_relaxed);
        }
    });
}

int32_t prtn_stream_read(prtn_instance* instance, void* data, uint32_t frames, uint32_t* read) {
    return prtn::guarded(instance, [&] {
        *read = require_ring(require_rings(instance, "read").input(), "input").read(data, frames);
    });
}

int32_t prtn_stream_write_available(prtn_instance* instance, uint32_t* frames) {
    return prtn::guarded(instance, [&] {
        *frames = require_ring(require_rings(instance, "write_available").output(), "output").writable_frames();
    });
}

int32_t prtn_stream_read_available(prtn_instance* instance, uint32_t* frames) {
    return prtn::guarded(instance, [&] {
        *frames = require_ring(require_rings(instance, "read_available").input(), "input").readable_frames();
    });
}

void prtn_stream_wait(prtn_instance* instance, int32_t timeout_ms) {
    if (instance == nullptr || timeout_ms <= 0) return;
    uint64_t deadline = monotonic_ns() + static_cast<uint64_t>(timeout_ms) * 1000000u;
    uint64_t writer_wake = instance->writer_wake_ns.load(std::memory_order_relaxed);
    if (writer_wake != 0) deadline = std::min(deadline, writer_wake);
    timespec until{static_cast<time_t>(deadline / 1000000000u), static_cast<long>(deadline % 1000000000u)};
    instance->waiters.fetch_add(1);
    while (sem_clockwait(&instance->wakeup, CLOCK_MONOTONIC, &until) != 0 && errno == EINTR) {
    }
    instance->waiters.fetch_sub(1);
}

int32_t prtn_start_stream(prtn_instance* instance) {
    return waiting_stream_call(instance, "startStream", [&](RtAudio& rt) {
        // Stopped by its callback, the stream still runs at RtAudio's level: stop it first.
        if (instance->callback_stop.load() != 0) stop_running(instance, rt, true);
        if (instance->reblocker && !rt.isStreamRunning()) instance->reblocker->reset();
        rt.startStream();
    });
}

int32_t prtn_stop_stream(prtn_instance* instance) {
    return waiting_stream_call(instance, "stopStream", [&](RtAudio& rt) { stop_asked(instance, rt, false); });
}

int32_t prtn_abort_stream(prtn_instance* instance) {
    return waiting_stream_call(instance, "abortStream", [&](RtAudio& rt) { stop_asked(instance, rt, true); });
}

int32_t prtn_close_stream(prtn_instance* instance) {
    int32_t result = prtn::guarded(instance, [&] {
        prtn::forbid_on_audio_thread(instance, "closeStream");
        prtn::refuse_client_changes_on_audio_thread("closeStream");
        prtn::compat::invoke(*instance->rt, [&] {
            // With no stream open, RtAudio's own close gives its warning (the destructor's does not).
            if (!instance->rt->isStreamOpen() && !instance->server_gone.load())
                instance->rt->closeStream();
            else
                prtn::close_open_stream(instance);
        });
    });
    if (instance != nullptr && !instance->rt->isStreamOpen()) forget_callback(instance);
    return result;
}

int32_t prtn_is_stream_open(prtn_instance* instance, int32_t* open) {
    // A stream the server took away stays open for the bridge until its owner closes it.
    return prtn::guarded(instance, [&] {
        *open = instance->rt->isStreamOpen() || instance->server_gone.load() ? 1 : 0;
    });
}

int32_t prtn_is_stream_running(prtn_instance* instance, int32_t* running) {
    return prtn::guarded(instance, [&] {
        *running = !instance->server_gone.load() && instance->rt->isStreamRunning() &&
                           instance->callback_stop.load() == 0
                       ? 1
                       : 0;
    });
}

int32_t prtn_on_audio_thread_of(const prtn_instance* instance) {
    return instance != nullptr && prtn::on_audio_thread_of(instance) ? 1 : 0;
}

int32_t prtn_get_stream_time(prtn_instance* instance, double* time) {
    return stream_call(instance, "getStreamTime", [&](RtAudio& rt) {
        *time = instance->callback_stop.load(std::memory_order_acquire) != 0
                    ? instance->stopped_time.load(std::memory_order_relaxed)
                    : rt.getStreamTime();
    });
}

int32_t prtn_set_stream_time(prtn_instance* instance, double time) {
    return stream_call(instance, "setStreamTime", [&](RtAudio& rt) { rt.setStreamTime(time); });
}

int32_t prtn_get_stream_latency(prtn_instance* instance, int64_t* frames) {
    return stream_call(instance, "getStreamLatency",
                       [&](RtAudio& rt) {
                           *frames = rt.getStreamLatency() + (instance->reblocker ? instance->reblocker->block() : 0);
                       });
}

int32_t prtn_get_stream_latencies(prtn_instance* instance, int64_t* output, int64_t* input) {
    return stream_call(instance, "getStreamLatency", [&](RtAudio& rt) {
        *output = prtn::compat::direction_latency(rt, false);
        *input = prtn::compat::direction_latency(rt, true);
        if (instance->reblocker == nullptr) return;
        *(instance->output_bytes > 0 ? output : input) += instance->reblocker->block();
    });
}

int32_t prtn_get_stream_period(prtn_instance* instance, uint32_t* frames) {
    return stream_call(instance, "getStreamPeriod", [&](RtAudio&) { *frames = instance->api_period; });
}

int32_t prtn_get_stream_sample_rate(prtn_instance* instance, uint32_t* rate) {
    return stream_call(instance, "getStreamSampleRate",
                       [&](RtAudio& rt) { *rate = rt.getStreamSampleRate(); });
}

void prtn_stream_stats_get(const prtn_instance* instance, prtn_stream_stats* stats) {
    if (instance == nullptr || stats == nullptr) return;
    stats->callbacks = instance->callbacks.load(std::memory_order_relaxed);
    stats->frames = instance->frames.load(std::memory_order_relaxed);
    stats->output_underflows = instance->output_underflows.load(std::memory_order_relaxed);
    stats->input_overflows = instance->input_overflows.load(std::memory_order_relaxed);
    stats->silenced = instance->silenced.load(std::memory_order_relaxed);
    stats->ring_underflows = instance->ring_counters.underflows.load(std::memory_order_relaxed);
    stats->ring_overflows = instance->ring_counters.overflows.load(std::memory_order_relaxed);
    stats->frames_written = instance->ring_counters.frames_written.load(std::memory_order_relaxed);
    stats->frames_read = instance->ring_counters.frames_read.load(std::memory_order_relaxed);
}

void prtn_stream_durations_get(const prtn_instance* instance, prtn_duration_summary* summary) {
    if (instance == nullptr || summary == nullptr) return;
    instance->durations.summarize(*summary);
}

void prtn_stream_durations_reset(prtn_instance* instance) {
    if (instance != nullptr) instance->durations.reset();
}

}  // extern "C"
