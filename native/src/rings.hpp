// rings.hpp — the two rings of a blocking stream. The audio thread only moves samples
// between the device buffers and the rings (jack_ringbuffer: lock-free, single producer,
// single consumer); the owner's thread writes output and reads input.
#pragma once

#include <jack/ringbuffer.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

namespace prtn {

// One direction: a ring of whole frames.
class FrameRing {
public:
    FrameRing(size_t bytes_per_frame, uint32_t capacity_frames);
    ~FrameRing();
    FrameRing(const FrameRing&) = delete;
    FrameRing& operator=(const FrameRing&) = delete;

    uint32_t readable_frames() const;
    uint32_t writable_frames() const;
    uint32_t write(const void* data, uint32_t frames);  // producer; returns frames written
    uint32_t read(void* data, uint32_t frames);         // consumer; returns frames read
    void discard();                                     // consumer; drops every readable frame
    size_t bytes_per_frame() const { return bytes_per_frame_; }
    uint32_t capacity_frames() const { return capacity_frames_; }

private:
    jack_ringbuffer_t* ring_;
    size_t bytes_per_frame_;
    uint32_t capacity_frames_;
};

// What the audio thread counts for a blocking stream.
struct RingCounters {
    std::atomic<uint64_t> underflows{0};
    std::atomic<uint64_t> overflows{0};
    std::atomic<uint64_t> frames_written{0};
    std::atomic<uint64_t> frames_read{0};
};

class BlockingRings {
public:
    // bytes_per_frame 0 = no such direction.
    BlockingRings(size_t output_bytes_per_frame, size_t input_bytes_per_frame,
                  uint32_t capacity_frames, uint32_t underflow_mode);

    // Audio thread: fills `output` from the output ring (silence where it runs short) and
    // puts `input` into the input ring (dropping what does not fit). Never blocks. `draining`:
    // a stop is playing out the output ring, whose last frames may fill part of a period
    // (whatever the underflow mode), and running short is no underflow.
    void serve(void* output, const void* input, uint32_t frames, RingCounters& counters, bool draining);

    // Audio thread, after serve: whether to wake waiting readers and writers. Only with input,
    // which each period brings. An output-only stream's writer is never woken by the audio
    // thread (a futex wake of a sleeping thread costs it several times its whole period's work
    // at small periods, docs/benchmarks.md): it sleeps writer_sleep_ns() instead.
    bool wakes_waiters() const { return input_ring_ != nullptr; }

    // Owner, after a write the output ring could not take whole: how long until the audio
    // thread, draining `sample_rate` frames a second, has left the ring at most half full (as
    // ALSA's avail_min: a writer then moves half a ring per wake-up, not a period, while the
    // other half plays). 0 when the audio thread wakes waiters itself (wakes_waiters()).
    uint64_t writer_sleep_ns(uint32_t sample_rate) const;

    FrameRing* output() { return output_ring_.get(); }
    FrameRing* input() { return input_ring_.get(); }

private:
    std::unique_ptr<FrameRing> output_ring_;
    std::unique_ptr<FrameRing> input_ring_;
    uint32_t underflow_mode_;
};

}  // namespace prtn
