// durations.cpp — see durations.hpp.
#include "durations.hpp"

namespace prtn {
namespace {

uint32_t bucket_of(uint64_t microseconds) {
    if (microseconds < DurationHistogram::kLinear) return static_cast<uint32_t>(microseconds);
    uint32_t log2 = 63 - static_cast<uint32_t>(__builtin_clzll(microseconds));  // >= 10
    uint32_t bucket = DurationHistogram::kLinear + (log2 - 10);
    return bucket < DurationHistogram::kBuckets ? bucket : DurationHistogram::kBuckets - 1;
}

// The largest duration a bucket holds, in µs (what a percentile reports: an upper bound).
double upper_us(uint32_t bucket) {
    if (bucket < DurationHistogram::kLinear) return bucket + 1.0;
    return static_cast<double>(uint64_t{1} << (bucket - DurationHistogram::kLinear + 11));
}

}  // namespace

void DurationHistogram::record(uint64_t nanoseconds) {
    buckets_[bucket_of(nanoseconds / 1000)].fetch_add(1, std::memory_order_relaxed);
    uint64_t recent = recent_ns_.load(std::memory_order_relaxed);
    recent_ns_.store(recent - recent / 8 + nanoseconds / 8, std::memory_order_relaxed);
    uint64_t seen = max_ns_.load(std::memory_order_relaxed);
    while (nanoseconds > seen && !max_ns_.compare_exchange_weak(seen, nanoseconds, std::memory_order_relaxed)) {
    }
}

void DurationHistogram::reset() {
    for (auto& bucket : buckets_) bucket.store(0, std::memory_order_relaxed);
    max_ns_.store(0, std::memory_order_relaxed);
    recent_ns_.store(0, std::memory_order_relaxed);
}

double DurationHistogram::quantile_us(double quantile, uint64_t count) const {
    auto rank = static_cast<uint64_t>(quantile * static_cast<double>(count));
    uint64_t seen = 0;
    for (uint32_t bucket = 0; bucket < kBuckets; ++bucket) {
        seen += buckets_[bucket].load(std::memory_order_relaxed);
        if (seen > rank) return upper_us(bucket);
    }
    return upper_us(kBuckets - 1);
}

void DurationHistogram::summarize(prtn_duration_summary& summary) const {
    uint64_t count = 0;
    for (const auto& bucket : buckets_) count += bucket.load(std::memory_order_relaxed);
    summary.count = count;
    bool any = count > 0;
    summary.p50_us = any ? quantile_us(0.50, count) : 0;
    summary.p99_us = any ? quantile_us(0.99, count) : 0;
    summary.p999_us = any ? quantile_us(0.999, count) : 0;
    summary.max_us = static_cast<double>(max_ns_.load(std::memory_order_relaxed)) / 1000.0;
    summary.recent_us = static_cast<double>(recent_ns_.load(std::memory_order_relaxed)) / 1000.0;
}

}  // namespace prtn
