// rings.cpp — frame rings over jack_ringbuffer, and the audio-thread side of blocking streams.
#include "rings.hpp"

#include <algorithm>
#include <cstring>
#include <new>

#include "prtn.h"

namespace prtn {

FrameRing::FrameRing(size_t bytes_per_frame, uint32_t capacity_frames)
    : ring_(jack_ringbuffer_create(bytes_per_frame * capacity_frames + 1)),
      bytes_per_frame_(bytes_per_frame),
      capacity_frames_(capacity_frames) {
    if (ring_ == nullptr) throw std::bad_alloc();
    jack_ringbuffer_mlock(ring_);  // best effort: no page faults on the audio thread
}

FrameRing::~FrameRing() { jack_ringbuffer_free(ring_); }

uint32_t FrameRing::readable_frames() const {
    return static_cast<uint32_t>(jack_ringbuffer_read_space(ring_) / bytes_per_frame_);
}

uint32_t FrameRing::writable_frames() const {
    // The ring may be larger than asked (a power of two): never hold more than the capacity.
    auto space = static_cast<uint32_t>(jack_ringbuffer_write_space(ring_) / bytes_per_frame_);
    uint32_t used = readable_frames();
    return std::min(space, capacity_frames_ > used ? capacity_frames_ - used : 0);
}

// Both halves of a wrapped copy are published by one advance: the other side never sees
// part of a write (a reader waiting for a whole block, the audio thread for a whole period).
uint32_t FrameRing::write(const void* data, uint32_t frames) {
    uint32_t count = std::min(frames, writable_frames());
    jack_ringbuffer_data_t parts[2];
    jack_ringbuffer_get_write_vector(ring_, parts);
    size_t bytes = count * bytes_per_frame_;
    size_t first = std::min(bytes, parts[0].len);  // the rest goes after the wrap
    std::memcpy(parts[0].buf, data, first);
    if (bytes > first) std::memcpy(parts[1].buf, static_cast<const char*>(data) + first, bytes - first);
    jack_ringbuffer_write_advance(ring_, bytes);
    return count;
}

uint32_t FrameRing::read(void* data, uint32_t frames) {
    uint32_t count = std::min(frames, readable_frames());
    jack_ringbuffer_data_t parts[2];
    jack_ringbuffer_get_read_vector(ring_, parts);
    size_t bytes = count * bytes_per_frame_;
    size_t first = std::min(bytes, parts[0].len);
    std::memcpy(data, parts[0].buf, first);
    if (bytes > first) std::memcpy(static_cast<char*>(data) + first, parts[1].buf, bytes - first);
    jack_ringbuffer_read_advance(ring_, bytes);
    return count;
}

void FrameRing::discard() { jack_ringbuffer_read_advance(ring_, readable_frames() * bytes_per_frame_); }

BlockingRings::BlockingRings(size_t output_bytes_per_frame, size_t input_bytes_per_frame,
                             uint32_t capacity_frames, uint32_t underflow_mode)
    : underflow_mode_(underflow_mode) {
    if (output_bytes_per_frame > 0)
        output_ring_ = std::make_unique<FrameRing>(output_bytes_per_frame, capacity_frames);
    if (input_bytes_per_frame > 0)
        input_ring_ = std::make_unique<FrameRing>(input_bytes_per_frame, capacity_frames);
}

void BlockingRings::serve(void* output, const void* input, uint32_t frames, RingCounters& counters,
                          bool draining) {
    if (output != nullptr && output_ring_) {
        uint32_t available = output_ring_->readable_frames();
        bool whole_only = underflow_mode_ == PRTN_UNDERFLOW_WHOLE_PERIOD && !draining;
        uint32_t take = available >= frames ? frames : (whole_only ? 0 : available);
        output_ring_->read(output, take);  // the rest was zeroed by the trampoline
        if (take < frames && !draining) counters.underflows.fetch_add(1, std::memory_order_relaxed);
        counters.frames_written.fetch_add(take, std::memory_order_relaxed);
    }
    if (input != nullptr && input_ring_) {
        uint32_t put = input_ring_->write(input, frames);
        if (put < frames) counters.overflows.fetch_add(1, std::memory_order_relaxed);
        counters.frames_read.fetch_add(put, std::memory_order_relaxed);
    }
}

uint64_t BlockingRings::writer_sleep_ns(uint32_t sample_rate) const {
    if (wakes_waiters() || !output_ring_ || sample_rate == 0) return 0;
    uint32_t queued = output_ring_->readable_frames();
    uint32_t half = output_ring_->capacity_frames() / 2;
    return queued > half ? (uint64_t{queued - half} * 1000000000u + sample_rate - 1) / sample_rate : 0;
}

}  // namespace prtn
