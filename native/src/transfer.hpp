// transfer.hpp — a transfer stream's data: what play/rec/playrec hand over whole, so that the
// audio thread copies each period with no call out (no .NET, no Python, no lock).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "prtn.h"

namespace prtn {

class Transfer {
public:
    // Checks `transfer` against the stream's channels (0 = no such direction) and copies its
    // maps; throws Failure(INVALID_PARAMETER) naming what does not fit. The data stays the caller's.
    Transfer(const prtn_transfer& transfer, size_t sample_bytes, uint32_t output_channels, uint32_t input_channels);

    // Audio thread: plays the next `frames` frames into `output` (already silent) and records
    // `input`; returns true once the last frame has been played and recorded.
    bool serve(void* output, const void* input, uint32_t frames);

private:
    // Copies `frames` frames starting at frame `from` of the data for one direction.
    void play(uint8_t* output, uint64_t from, uint32_t frames) const;
    void record(const uint8_t* input, uint64_t from, uint32_t frames) const;

    const uint8_t* output_;
    uint8_t* input_;
    uint64_t frames_;
    bool loop_;
    size_t sample_bytes_;
    uint32_t output_channels_;
    uint32_t input_channels_;
    std::vector<uint32_t> output_map_;  // per data column: its stream channel
    std::vector<uint32_t> input_map_;
    uint64_t position_ = 0;             // audio thread only, once started
};

}  // namespace prtn
