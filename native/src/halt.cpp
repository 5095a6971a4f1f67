// halt.cpp — see halt.hpp.
#include "halt.hpp"

#include <chrono>
#include <optional>
#include <thread>

#include "client_changes.hpp"
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

bool server_gone(const prtn_instance* instance) { return instance->server_gone.load(std::memory_order_acquire); }

// A running blocking stream's output ring, played out: returns once the audio thread has taken
// every frame written before and then begun another period (so the one that took the last
// frames has handed them to the device; where the bridge re-blocks, the last block plays over up
// to a block more), or when the server went, or after as long as the ring held plus a second (a
// writer on another thread may keep filling it meanwhile).
void drain_output(prtn_instance* instance) {
    FrameRing* ring = instance->rings ? instance->rings->output() : nullptr;
    if (ring == nullptr || instance->sample_rate == 0) return;
    instance->draining.store(true, std::memory_order_release);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(1) +
                    std::chrono::microseconds(uint64_t{ring->readable_frames()} * 1000000u / instance->sample_rate);
    auto waiting = [&] { return !server_gone(instance) && std::chrono::steady_clock::now() < deadline; };
    while (ring->readable_frames() > 0 && waiting()) std::this_thread::sleep_for(std::chrono::microseconds(500));
    uint64_t last_block_played = instance->frames.load(std::memory_order_acquire) +
                                 (instance->reblocker ? instance->reblocker->block() : 0);
    while (instance->frames.load(std::memory_order_acquire) < last_block_played && waiting())
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    uint64_t periods = instance->callbacks.load(std::memory_order_acquire);
    while (instance->callbacks.load(std::memory_order_acquire) == periods && waiting())
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    instance->draining.store(false, std::memory_order_release);
}

}  // namespace

void halt_stream(prtn_instance* instance, RtAudio& rt, bool drop) {
    if (!drop && rt.isStreamRunning()) drain_output(instance);
    bool cancels = compat::deactivation_cancels_audio_thread(rt) && rt.isStreamRunning();
    std::optional<QuietAudioThread> quiet;  // a plain stop elsewhere lets the last periods play
    if (drop || cancels) quiet.emplace(instance, cancels);
    compat::stop_stream(rt, drop, cancels);
    // No audio thread reads the ring now: this thread drops what an abort (or a drain that gave
    // up) left, so a later start plays only what is written after the stop.
    if (instance->rings && instance->rings->output()) instance->rings->output()->discard();
}

void close_open_stream(prtn_instance* instance) {
    RtAudio& rt = *instance->rt;
    if (!rt.isStreamOpen()) return;
    if (instance->server_gone.load(std::memory_order_acquire)) return close_lost_stream(instance);
    if (rt.isStreamRunning()) halt_stream(instance, rt, true);
    ClientChanges closing(true);
    rt.closeStream();
}

}  // namespace prtn
