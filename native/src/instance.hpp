// instance.hpp — the state behind one prtn_instance and the guarded-call helper.
#pragma once

#include <RtAudio.h>
#include <semaphore.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "prtn.h"
#include "durations.hpp"
#include "reblock.hpp"
#include "rings.hpp"
#include "server_hold.hpp"
#include "transfer.hpp"

// Threading: the owner serializes calls (one calling thread at a time);
// the audio thread touches only the atomics and, under `mutex`, the
// asynchronous error and warning queue.
struct prtn_instance {
    prtn_instance() { sem_init(&wakeup, 0, 0); }
    ~prtn_instance() { sem_destroy(&wakeup); }
    prtn_instance(const prtn_instance&) = delete;
    prtn_instance& operator=(const prtn_instance&) = delete;

    std::unique_ptr<RtAudio> rt;
    // The owner's holds on the JACK server (prtn_hold_server), and open_stream's own.
    prtn::ServerHold server_hold;

    // Result of the current call (calling thread only).
    int32_t error_type = PRTN_OK;
    std::string error_message;

    // Reports from other threads (audio thread, driver threads).
    std::mutex mutex;
    int32_t stream_error_type = PRTN_OK;
    std::string stream_error_message;
    std::vector<std::string> warnings;
    uint32_t dropped_warnings = 0;

    // The open stream's callback.
    prtn_callback callback = nullptr;
    void* user_data = nullptr;
    size_t output_bytes = 0;  // bytes per frame across all output channels
    std::atomic<bool> callback_enabled{false};
    // 1 (stop) or 2 (abort) once the callback asked for it; 0 otherwise. The bridge stops the
    // stream itself (see stream.cpp) instead of letting RtAudio 5.2 do it from a detached thread.
    std::atomic<int32_t> callback_stop{0};
    // The stream time once the callback asked to stop: the end of its last period. Reported while
    // the stream stays stopped so, and kept by the next stop, abort or start (RtAudio's contract),
    // though the JACK client goes on serving silent periods until then.
    std::atomic<double> stopped_time{0.0};
    // Set while the owner stops the stream (halt.cpp): the audio thread leaves the output silent,
    // calls nothing and counts the periods it served so.
    std::atomic<bool> quiet{false};
    std::atomic<uint64_t> quiet_periods{0};
    // Set while a stop plays out a blocking stream's output ring (halt.cpp).
    std::atomic<bool> draining{false};

    std::atomic<uint64_t> callbacks{0};
    std::atomic<uint64_t> frames{0};
    std::atomic<uint64_t> output_underflows{0};
    std::atomic<uint64_t> input_overflows{0};
    std::atomic<uint64_t> silenced{0};
    prtn::DurationHistogram durations;

    // A blocking stream's rings (null for callback streams), set while no audio runs.
    std::unique_ptr<prtn::BlockingRings> rings;
    prtn::RingCounters ring_counters;
    // A transfer stream's data (null otherwise), set while no audio runs.
    std::unique_ptr<prtn::Transfer> transfer;
    // A callback stream's fixed blocks when the API runs other periods (null otherwise), set
    // while no audio runs.
    std::unique_ptr<prtn::Reblocker> reblocker;
    uint32_t sample_rate = 0;  // of the open stream
    uint32_t api_period = 0;   // the open stream's period as the API granted it
    // Wakes threads waiting in prtn_stream_wait: posted by the audio thread after serving rings
    // with input, or when the stream stops itself, while someone waits; and by stop, close and
    // server loss. Lives as long as the instance.
    sem_t wakeup;
    std::atomic<int32_t> waiters{0};
    // Output-only blocking streams: when (CLOCK_MONOTONIC ns) the last write's writer may
    // write again (BlockingRings::writer_sleep_ns); 0 otherwise. Set by prtn_stream_write.
    std::atomic<uint64_t> writer_wake_ns{0};

    // Stream loss (see server_loss.hpp): set when the open JACK stream's server went or the
    // stream's I/O failed for good, with its message (under `mutex`); cleared when the owner
    // closes the stream.
    std::atomic<bool> server_gone{false};
    std::string server_lost_message;
    // Set once the loss's report no longer uses the instance (server_loss.cpp).
    std::atomic<bool> loss_handled{false};
    // Set while the audio thread serves a period in the bridge (stream.cpp's trampoline): the
    // close of a lost stream waits for a period in flight (server_loss.cpp).
    std::atomic<bool> in_period{false};
    // Told, on libjack's thread or one of the bridge's, when the open stream is lost.
    prtn_stream_event_callback event_callback = nullptr;
    void* event_user_data = nullptr;
};

namespace prtn {

// A failure detected by the bridge itself (bad id, bad argument).
struct Failure : std::runtime_error {
    Failure(int32_t type, const std::string& message) : std::runtime_error(message), type(type) {}
    int32_t type;
};

// Marks the current thread as working for `instance` so that RtAudio's error
// callback (which carries no user data in 5.x) can find it.
class ThreadScope {
public:
    ThreadScope(prtn_instance* instance, bool in_call);
    ~ThreadScope();
    ThreadScope(const ThreadScope&) = delete;
    ThreadScope& operator=(const ThreadScope&) = delete;

private:
    prtn_instance* previous_instance_;
    bool previous_in_call_;
};

// Marks the audio thread as working for `instance` until the thread ends.
void bind_audio_thread(prtn_instance* instance);

// Whether the calling thread is some stream's audio thread.
bool on_an_audio_thread();
// Whether what RtAudio or libasound reports on the calling thread has an instance to go to.
bool working_for_an_instance();
// Whether the calling thread is the audio thread of `instance`'s stream.
bool on_audio_thread_of(const prtn_instance* instance);

// Throws Failure(INVALID_USE) on the audio thread of `instance`: an operation
// that waits for the audio thread would wait for itself there.
void forbid_on_audio_thread(const prtn_instance* instance, const char* operation);

void record_failure(prtn_instance* instance, int32_t type, const std::string& message);

// Runs body as one call on `instance`: resets the call's error, turns every
// C++ exception into an error code, returns that code.
template <class F>
int32_t guarded(prtn_instance* instance, F&& body) {
    if (instance == nullptr) return PRTN_ERROR_INVALID_USE;
    ThreadScope scope(instance, true);
    instance->error_type = PRTN_OK;
    instance->error_message.clear();
    try {
        body();
    } catch (const Failure& e) {
        record_failure(instance, e.type, e.what());
    } catch (const std::bad_alloc&) {
        record_failure(instance, PRTN_ERROR_MEMORY_ERROR, "out of memory");
    } catch (const std::exception& e) {
        record_failure(instance, PRTN_ERROR_UNSPECIFIED, e.what());
    } catch (...) {
        record_failure(instance, PRTN_ERROR_UNSPECIFIED, "unknown C++ exception");
    }
    return instance->error_type;
}

}  // namespace prtn
