// rings_test.cpp — FrameRing and BlockingRings: capacity, whole frames, wrap-around, the two
// underflow modes, counters, a producer/consumer pair moving a counter without loss, and
// writes seen whole by the other thread.
#include <gtest/gtest.h>

#include <atomic>
#include <numeric>
#include <thread>
#include <vector>

#include "prtn.h"
#include "durations.hpp"
#include "rings.hpp"

namespace {

std::vector<int32_t> counting(int32_t first, size_t count) {
    std::vector<int32_t> values(count);
    std::iota(values.begin(), values.end(), first);
    return values;
}

TEST(FrameRing, HoldsExactlyItsCapacityInWholeFrames) {
    prtn::FrameRing ring(2 * sizeof(int32_t), 100);  // stereo int32: 8-byte frames
    EXPECT_EQ(ring.writable_frames(), 100u);
    EXPECT_EQ(ring.readable_frames(), 0u);
    auto data = counting(0, 2 * 150);
    EXPECT_EQ(ring.write(data.data(), 150), 100u) << "never more than the capacity";
    EXPECT_EQ(ring.writable_frames(), 0u);
    EXPECT_EQ(ring.readable_frames(), 100u);
    std::vector<int32_t> out(2 * 100);
    EXPECT_EQ(ring.read(out.data(), 1000), 100u);
    EXPECT_EQ(out, std::vector<int32_t>(data.begin(), data.begin() + 200));
    EXPECT_EQ(ring.read(out.data(), 1), 0u) << "empty";
}

TEST(FrameRing, WrapsAroundWithoutReorderingFrames) {
    prtn::FrameRing ring(3, 7);  // odd frame size and capacity: frames straddle the wrap point
    std::vector<uint8_t> written;
    std::vector<uint8_t> read;
    uint8_t next = 0;
    for (int round = 0; round < 200; ++round) {
        std::vector<uint8_t> chunk(3 * (1 + round % 5));
        for (auto& byte : chunk) byte = next++;
        uint32_t put = ring.write(chunk.data(), static_cast<uint32_t>(chunk.size() / 3));
        written.insert(written.end(), chunk.begin(), chunk.begin() + 3 * put);
        next = static_cast<uint8_t>(next - (chunk.size() - 3 * put));  // what did not fit comes again
        std::vector<uint8_t> out(3 * (1 + round % 3));
        uint32_t got = ring.read(out.data(), static_cast<uint32_t>(out.size() / 3));
        read.insert(read.end(), out.begin(), out.begin() + 3 * got);
    }
    std::vector<uint8_t> rest(3 * 7);
    uint32_t got = ring.read(rest.data(), 7);
    read.insert(read.end(), rest.begin(), rest.begin() + 3 * got);
    EXPECT_EQ(read, written);
}

TEST(FrameRing, ProducerAndConsumerThreadsLoseNothing) {
    constexpr int32_t kFrames = 2'000'000;
    prtn::FrameRing ring(sizeof(int32_t), 512);
    std::thread producer([&] {
        int32_t next = 0;
        while (next < kFrames) {
            int32_t block[97];
            uint32_t count = static_cast<uint32_t>(std::min<int32_t>(97, kFrames - next));
            for (uint32_t i = 0; i < count; ++i) block[i] = next + static_cast<int32_t>(i);
            uint32_t put = ring.write(block, count);
            next += static_cast<int32_t>(put);
            if (put == 0) std::this_thread::yield();
        }
    });
    int32_t expected = 0;
    int32_t mismatches = 0;
    while (expected < kFrames) {
        int32_t block[61];
        uint32_t got = ring.read(block, 61);
        for (uint32_t i = 0; i < got; ++i) mismatches += block[i] != expected++;
        if (got == 0) std::this_thread::yield();
    }
    producer.join();
    EXPECT_EQ(mismatches, 0);
}

// A reader waiting for whole blocks never sees part of one, also where a block wraps around the
// ring's end (blocks of 100 four-byte frames in a ring of 2048 bytes).
TEST(FrameRing, AWriteIsSeenWholeOrNotAtAll) {
    constexpr uint32_t kBlock = 100;
    constexpr int kBlocks = 200'000;
    prtn::FrameRing ring(sizeof(int32_t), 5 * kBlock);
    std::atomic<bool> done{false};
    std::thread producer([&] {
        int32_t block[kBlock] = {};
        for (int written = 0; written < kBlocks;) {
            if (ring.writable_frames() < kBlock) {
                std::this_thread::yield();
                continue;
            }
            ring.write(block, kBlock);
            ++written;
        }
        done = true;
    });
    int partial = 0;
    int32_t block[kBlock];
    while (!done || ring.readable_frames() > 0) {
        uint32_t readable = ring.readable_frames();
        partial += readable % kBlock != 0;
        if (readable >= kBlock) ring.read(block, kBlock);
    }
    producer.join();
    EXPECT_EQ(partial, 0) << "times the reader saw part of a block";
}

// An output-only float ring of 64 frames holding the ten frames 1..10, served 16-frame periods.
struct TenFramesWritten {
    explicit TenFramesWritten(int mode) : rings(sizeof(float), 0, 64, mode) { rings.output()->write(samples, 10); }
    void serve(bool draining) { rings.serve(period.data(), nullptr, 16, counters, draining); }
    std::vector<float> first(size_t frames) const { return {period.begin(), period.begin() + frames}; }

    float samples[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    prtn::BlockingRings rings;
    prtn::RingCounters counters;
    std::vector<float> period = std::vector<float>(16, 0.0f);  // the trampoline hands over a zeroed period
};

TEST(BlockingRings, PadModePlaysWhatThereIsThenSilenceAndCountsTheUnderflow) {
    TenFramesWritten t(PRTN_UNDERFLOW_PAD);
    EXPECT_EQ(t.rings.input(), nullptr);
    t.serve(false);
    EXPECT_EQ(t.first(10), std::vector<float>(t.samples, t.samples + 10));
    EXPECT_EQ(std::vector<float>(t.period.begin() + 10, t.period.end()), std::vector<float>(6, 0.0f));
    EXPECT_EQ(t.counters.underflows.load(), 1u);
    EXPECT_EQ(t.counters.frames_written.load(), 10u);
}

TEST(BlockingRings, WholePeriodModeKeepsAPartialPeriodForLater) {
    TenFramesWritten t(PRTN_UNDERFLOW_WHOLE_PERIOD);
    t.serve(false);
    EXPECT_EQ(t.period, std::vector<float>(16, 0.0f)) << "silence, not a fragment";
    EXPECT_EQ(t.rings.output()->readable_frames(), 10u) << "the fragment waits for the rest";
    EXPECT_EQ(t.counters.underflows.load(), 1u);
    t.rings.output()->write(t.samples, 6);
    t.serve(false);
    EXPECT_EQ(t.period[0], 1.0f);
    EXPECT_EQ(t.period[15], 6.0f);
    EXPECT_EQ(t.counters.underflows.load(), 1u);
    EXPECT_EQ(t.counters.frames_written.load(), 16u);
}

TEST(BlockingRings, ADrainPlaysThePartialLastPeriodInAnyModeAndCountsNoUnderflow) {
    TenFramesWritten t(PRTN_UNDERFLOW_WHOLE_PERIOD);
    t.serve(true);
    EXPECT_EQ(t.first(10), std::vector<float>(t.samples, t.samples + 10));
    EXPECT_EQ(t.rings.output()->readable_frames(), 0u);
    t.serve(true);
    EXPECT_EQ(t.counters.underflows.load(), 0u);
    EXPECT_EQ(t.counters.frames_written.load(), 10u);
}

TEST(FrameRing, DiscardDropsEveryReadableFrameAndTheRingGoesOn) {
    prtn::FrameRing ring(sizeof(float), 8);
    float samples[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    ring.write(samples, 5);
    ring.discard();
    EXPECT_EQ(ring.readable_frames(), 0u);
    EXPECT_EQ(ring.writable_frames(), 8u);
    ring.write(samples + 5, 3);
    float read[3] = {};
    EXPECT_EQ(ring.read(read, 3), 3u);
    EXPECT_EQ(read[0], 6.0f);
}

TEST(BlockingRings, InputThatDoesNotFitIsDroppedAndCounted) {
    prtn::BlockingRings rings(0, sizeof(int16_t), 20, PRTN_UNDERFLOW_PAD);
    EXPECT_EQ(rings.output(), nullptr);
    std::vector<int16_t> period(16, 7);
    prtn::RingCounters counters;
    rings.serve(nullptr, period.data(), 16, counters, false);
    rings.serve(nullptr, period.data(), 16, counters, false);
    EXPECT_EQ(rings.input()->readable_frames(), 20u);
    EXPECT_EQ(counters.overflows.load(), 1u);
    EXPECT_EQ(counters.frames_read.load(), 20u);
}

TEST(BlockingRings, OutputOnlyWritersSleepUntilTheRingIsHalfEmptyReadersAreWokenEveryPeriod) {
    prtn::BlockingRings output_only(sizeof(float), 0, 64, PRTN_UNDERFLOW_PAD);
    std::vector<float> samples(64, 1.0f);
    std::vector<float> period(16, 0.0f);
    prtn::RingCounters counters;
    EXPECT_FALSE(output_only.wakes_waiters());
    output_only.output()->write(samples.data(), 64);
    // 32 frames to drain at 48 kHz: 666,667 ns, rounded up.
    EXPECT_EQ(output_only.writer_sleep_ns(48000), 666667u) << "full";
    output_only.serve(period.data(), nullptr, 16, counters, false);
    EXPECT_EQ(output_only.writer_sleep_ns(48000), 333334u) << "48 of 64 frames queued";
    output_only.serve(period.data(), nullptr, 16, counters, false);
    EXPECT_EQ(output_only.writer_sleep_ns(48000), 0u) << "32 of 64 frames queued";
    output_only.serve(period.data(), nullptr, 16, counters, false);
    EXPECT_EQ(output_only.writer_sleep_ns(48000), 0u) << "16 of 64 frames queued";
    prtn::BlockingRings duplex(sizeof(float), sizeof(float), 64, PRTN_UNDERFLOW_PAD);
    duplex.output()->write(samples.data(), 64);
    EXPECT_TRUE(duplex.wakes_waiters()) << "each period brings input for a reader";
    EXPECT_EQ(duplex.writer_sleep_ns(48000), 0u) << "its writer is woken with the readers";
}

TEST(DurationHistogram, PercentilesAreUpperBoundsAndTheMaximumIsExact) {
    prtn::DurationHistogram histogram;
    for (int i = 0; i < 1000; ++i) histogram.record(100'500);  // 100.5 µs
    for (int i = 0; i < 9; ++i) histogram.record(300'000);     // 300 µs
    histogram.record(5'000'000);                                // 5 ms: log bucket up to 8192 µs
    prtn_duration_summary summary{};
    histogram.summarize(summary);
    EXPECT_EQ(summary.count, 1010u);
    EXPECT_EQ(summary.p50_us, 101.0);
    EXPECT_EQ(summary.p99_us, 101.0);
    EXPECT_EQ(summary.p999_us, 301.0);
    EXPECT_EQ(summary.max_us, 5000.0);
    histogram.record(20'000'000'000);  // 20 s: the last bucket
    histogram.summarize(summary);
    EXPECT_EQ(summary.max_us, 20'000'000.0);
    histogram.reset();
    histogram.summarize(summary);
    EXPECT_EQ(summary.count, 0u);
    EXPECT_EQ(summary.p50_us, 0.0);
}

}  // namespace
