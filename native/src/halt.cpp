// halt.cpp — see halt.hpp.
#include "halt.hpp"

#include <chrono>
#include <optional>
#include <thread>

#include "rtaudio_compat.hpp"
#include "server_loss.hpp"

namespace prtn {
namespace {

// Sets `quiet` for the scope of a stop. With `wait`, returns once the audio thread has served a
// period quietly: the period in flight when the flag rose, which may still be calling back, has
// then ended (one thread serves the periods in turn). Or after a second: a callback slower than
// that is still safe, its cancellation being deferred (stream.cpp), just later.
class QuietAudioThread {
public:
    QuietAudioThread(prtn_instance* instance, bool wait) : instance_(instance) {
        uint64_t before = instance->quiet_periods.load(std::memory_order_acquire);
        instance->quiet.store(true, std::memory_order_release);
        if (!wait) return;
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1);
        while (instance->quiet_periods.load(std::memory_order_acquire) == before &&
               std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    ~QuietAudioThread() { instance_->quiet.store(false, std::memory_order_release); }
    QuietAudioThread(const QuietAudioThread&) = delete;
    QuietAudioThread& operator=(const QuietAudioThread&) = delete;

private:
    prtn_instance* instance_;
};

}  // namespace

void halt_stream(prtn_instance* instance, RtAudio& rt, bool drop) {
    bool cancels = compat::deactivation_cancels_audio_thread(rt) && rt.isStreamRunning();
    std::optional<QuietAudioThread> quiet;  // a plain stop elsewhere lets the last periods play
    if (drop || cancels) quiet.emplace(instance, cancels);
    compat::stop_stream(rt, drop, cancels);
}

void close_open_stream(prtn_instance* instance) {
    RtAudio& rt = *instance->rt;
    if (!rt.isStreamOpen()) return;
    if (instance->server_gone.load(std::memory_order_acquire)) return retire_lost_stream(instance);
    if (rt.isStreamRunning()) halt_stream(instance, rt, true);
    rt.closeStream();
}

}  // namespace prtn
