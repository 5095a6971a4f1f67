// reblock_test.cpp — Reblocker: fixed blocks over periods of other and changing sizes, both
// layouts, a block's latency exactly, status and time per block, stop and abort, reset, priming.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "reblock.hpp"

namespace {

// A callback that echoes its input block to its output and records what it was given; a
// priming call (silent input) makes an output of -1s instead.
struct Echo {
    uint32_t channels = 2;
    bool interleaved = true;
    std::vector<uint32_t> frames;
    std::vector<double> times;
    std::vector<uint32_t> statuses;
    int32_t answer_at = -1;  // the call (0-based) that returns `answer`
    int32_t answer = 0;
    bool primed_from_silence = false;

    static int32_t call(void* output, void* input, uint32_t frames, double time, uint32_t status, void* self) {
        auto& echo = *static_cast<Echo*>(self);
        std::copy_n(static_cast<int32_t*>(input), frames * echo.channels, static_cast<int32_t*>(output));
        if (status & PRTN_STATUS_PRIMING_OUTPUT) {
            echo.primed_from_silence = std::all_of(static_cast<int32_t*>(input), static_cast<int32_t*>(input) + frames * echo.channels,
                                                   [](int32_t v) { return v == 0; });
            std::fill_n(static_cast<int32_t*>(output), frames * echo.channels, -1);
        }
        echo.frames.push_back(frames);
        echo.times.push_back(time);
        echo.statuses.push_back(status);
        return static_cast<int32_t>(echo.frames.size()) - 1 == echo.answer_at ? echo.answer : 0;
    }
};

constexpr uint32_t kRate = 1000;

// Frame f of a counter signal, channel c (layout-independent value).
int32_t sample(uint32_t frame, uint32_t channel) { return static_cast<int32_t>(frame * 10 + channel + 1); }

// Runs periods of the given sizes (cycled) through `reblocker` until `total` frames passed;
// returns the output as frame-major values and the last serve() result.
std::vector<int32_t> run(prtn::Reblocker& reblocker, Echo& echo, const std::vector<uint32_t>& periods, uint32_t total,
                         int32_t* last_result = nullptr, uint32_t* stopped_after = nullptr) {
    std::vector<int32_t> heard;
    uint32_t at = 0;
    for (size_t i = 0; at < total; ++i) {
        uint32_t n = periods[i % periods.size()];
        std::vector<int32_t> in(n * echo.channels);
        std::vector<int32_t> out(n * echo.channels, 0);
        for (uint32_t f = 0; f < n; ++f)
            for (uint32_t c = 0; c < echo.channels; ++c)
                in[echo.interleaved ? f * echo.channels + c : c * n + f] = sample(at + f, c);
        int32_t result = reblocker.serve(out.data(), in.data(), n, static_cast<double>(at) / kRate, kRate,
                                         i == 3 ? 1u : 0u, &Echo::call, &echo);
        for (uint32_t f = 0; f < n; ++f)
            for (uint32_t c = 0; c < echo.channels; ++c)
                heard.push_back(out[echo.interleaved ? f * echo.channels + c : c * n + f]);
        at += n;
        if (last_result != nullptr) *last_result = result;
        if (result != 0) {
            if (stopped_after != nullptr) *stopped_after = at;
            break;
        }
    }
    return heard;
}

void expect_echo_one_block_late(const std::vector<int32_t>& heard, uint32_t block, uint32_t channels, uint32_t frames) {
    for (uint32_t f = 0; f < frames; ++f) {
        for (uint32_t c = 0; c < channels; ++c) {
            int32_t expected = f < block ? 0 : sample(f - block, c);
            ASSERT_EQ(heard[f * channels + c], expected) << "frame " << f << " channel " << c;
        }
    }
}

class Layouts : public testing::TestWithParam<bool> {};

TEST_P(Layouts, EveryBlockHasTheAskedSizeAndComesBackExactlyOneBlockLate) {
    for (uint32_t block : {100u, 256u, 1000u, 1024u, 2400u}) {
        for (const std::vector<uint32_t>& periods : {std::vector<uint32_t>{64}, {256}, {300, 7, 1024}}) {
            Echo echo;
            echo.interleaved = GetParam();
            prtn::Reblocker reblocker(block, sizeof(int32_t), 2, 2, echo.interleaved, false);
            std::vector<int32_t> heard = run(reblocker, echo, periods, 20 * block);
            EXPECT_EQ(echo.frames, std::vector<uint32_t>(echo.frames.size(), block));
            EXPECT_GE(echo.frames.size(), 19u);
            for (size_t i = 0; i < echo.times.size(); ++i)
                EXPECT_DOUBLE_EQ(echo.times[i], static_cast<double>(i * block) / kRate) << "block " << i;
            expect_echo_one_block_late(heard, block, 2, static_cast<uint32_t>(heard.size() / 2));
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Reblocker, Layouts, testing::Values(true, false),
                         [](const testing::TestParamInfo<bool>& info) { return info.param ? "Interleaved" : "NonInterleaved"; });

TEST(Reblocker, APeriodsStatusReachesTheBlockItFallsIn) {
    Echo echo;
    prtn::Reblocker reblocker(100, sizeof(int32_t), 2, 2, true, false);
    run(reblocker, echo, {64}, 1000);  // period 3 (frames 192..255) is flagged: block 1 spans it, and block 2
    ASSERT_GE(echo.statuses.size(), 4u);
    EXPECT_EQ(echo.statuses[0], 0u);
    EXPECT_EQ(echo.statuses[1], 1u);
    EXPECT_EQ(echo.statuses[2], 1u) << "frames 200..255 of the flagged period belong to block 2";
    EXPECT_EQ(echo.statuses[3], 0u);
}

// What happens when the callback answers `answer` to its third block (frames 200..299), with
// 64-frame periods.
struct Ending {
    Echo echo;
    int32_t result = 0;
    uint32_t stopped_after = 0;
    std::vector<int32_t> heard;

    explicit Ending(int32_t answer) {
        echo.answer_at = 2;
        echo.answer = answer;
        prtn::Reblocker reblocker(100, sizeof(int32_t), 2, 2, true, false);
        heard = run(reblocker, echo, {64}, 10000, &result, &stopped_after);
    }
};

TEST(Reblocker, StopPlaysTheStoppedBlockThenEndsThePeriod) {
    Ending stop(1);
    EXPECT_EQ(stop.result, 1);
    EXPECT_EQ(stop.echo.frames.size(), 3u) << "no block after the stopped one";
    // Block 2 plays during frames 300..399: the period ending at 448.
    EXPECT_EQ(stop.stopped_after, 448u);
    expect_echo_one_block_late(stop.heard, 100, 2, 400);
    for (uint32_t f = 400; f < 448; ++f) EXPECT_EQ(stop.heard[f * 2], 0) << "silence after the stopped block, frame " << f;
}

TEST(Reblocker, AbortEndsAtTheBlockThatAborted) {
    Ending abort(2);
    EXPECT_EQ(abort.result, 2);
    EXPECT_EQ(abort.stopped_after, 320u) << "the period in which block 2 completed (frame 300)";
}

TEST(Reblocker, ResetStartsAgainWithASilentBlock) {
    Echo echo;
    prtn::Reblocker reblocker(100, sizeof(int32_t), 2, 2, true, false);
    run(reblocker, echo, {64}, 250);  // stops mid-block, with a block's output pending
    reblocker.reset();
    echo.times.clear();
    std::vector<int32_t> heard = run(reblocker, echo, {64}, 500);
    expect_echo_one_block_late(heard, 100, 2, 500);
    EXPECT_DOUBLE_EQ(echo.times.at(0), 0.0);
}

TEST(Reblocker, PrimedTheFirstBlockIsTheCallbacksAndAResetPrimesAgain) {
    Echo echo;
    prtn::Reblocker reblocker(100, sizeof(int32_t), 2, 2, true, true);
    for (int round = 0; round < 2; ++round) {
        echo = Echo{};
        std::vector<int32_t> heard = run(reblocker, echo, {64}, 500);
        ASSERT_GE(echo.statuses.size(), 5u);
        EXPECT_EQ(echo.statuses[0], uint32_t{PRTN_STATUS_PRIMING_OUTPUT | PRTN_STATUS_INPUT_UNDERFLOW});
        EXPECT_TRUE(echo.primed_from_silence) << "the priming call's input is silence";
        EXPECT_DOUBLE_EQ(echo.times[0], 0.0);
        EXPECT_EQ(echo.frames[0], 100u);
        for (size_t i = 1; i < echo.times.size(); ++i) {
            EXPECT_EQ(echo.statuses[i] & PRTN_STATUS_PRIMING_OUTPUT, 0u) << "block " << i;
            EXPECT_DOUBLE_EQ(echo.times[i], static_cast<double>((i - 1) * 100) / kRate) << "block " << i;
        }
        for (uint32_t f = 0; f < 100; ++f) ASSERT_EQ(heard[f * 2], -1) << "the primed block plays first, frame " << f;
        for (uint32_t f = 100; f < heard.size() / 2; ++f)
            ASSERT_EQ(heard[f * 2 + 1], sample(f - 100, 1)) << "then the echo, a block late, frame " << f;
        reblocker.reset();
    }
}

TEST(Reblocker, OneDirectionAlone) {
    for (bool output_only : {true, false}) {
        int calls = 0;
        prtn::Reblocker reblocker(100, sizeof(float), output_only ? 1 : 0, output_only ? 0 : 1, true, false);
        auto count = [](void* output, void* input, uint32_t frames, double, uint32_t, void* self) -> int32_t {
            EXPECT_EQ(frames, 100u);
            EXPECT_EQ(output == nullptr, input != nullptr) << "only the stream's direction has a buffer";
            ++*static_cast<int*>(self);
            return 0;
        };
        std::vector<float> buffer(64);
        for (int period = 0; period < 25; ++period)  // 1600 frames: 16 blocks
            reblocker.serve(output_only ? buffer.data() : nullptr, output_only ? nullptr : buffer.data(), 64, 0.0, kRate, 0,
                            count, &calls);
        EXPECT_EQ(calls, 16);
    }
}

}  // namespace
