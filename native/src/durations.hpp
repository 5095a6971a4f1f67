// durations.hpp — how long the audio thread spends in the bridge per period (trampoline entry
// to exit: the user's callback or the ring copy included), as a lock-free histogram the audio
// thread fills with relaxed atomics and any thread reads.
#pragma once

#include <atomic>
#include <cstdint>

#include "prtn.h"

namespace prtn {

class DurationHistogram {
public:
    static constexpr uint32_t kLinear = 1024;            // 1 µs buckets below 1024 µs,
    static constexpr uint32_t kBuckets = kLinear + 22;   // then one per power of two (to ~4 s)

    void record(uint64_t nanoseconds);                   // audio thread
    void reset();                                        // any thread
    void summarize(prtn_duration_summary& summary) const;  // any thread

private:
    double quantile_us(double quantile, uint64_t count) const;
    std::atomic<uint64_t> buckets_[kBuckets] = {};
    std::atomic<uint64_t> max_ns_{0};
    std::atomic<uint64_t> recent_ns_{0};  // moving average over about 8 periods (audio thread writes)
};

}  // namespace prtn
