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
    // puts `input` into the input ring (dropping what does not fit). Never blocks.
    void serve(void* output, const void* input, uint32_t frames, RingCounters& counters);

    // Audio thread, after serve: whether to wake waiting readers and writers. Always with input
    // (each period brings some); output only, once the ring is at most half full, as ALSA's
    // avail_min does: a writer then moves half a ring per wake-up, not a period, and the other
    // half still plays meanwhile.
    bool worth_waking() const;

    FrameRing* output() { return output_ring_.get(); }
    FrameRing* input() { return input_ring_.get(); }

private:
    std::unique_ptr<FrameRing> output_ring_;
    std::unique_ptr<FrameRing> input_ring_;
    uint32_t underflow_mode_;
};

}  // namespace prtn
