// reblock.hpp — callback blocks of a fixed size over whatever periods the API runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "prtn.h"

namespace prtn {

// Cuts the API's periods (of any size, changing or not) into blocks of exactly `block` frames for
// the callback, as PortAudio's buffer processor does for sounddevice's blocksize. A block's input
// is gathered while the previous block's output plays: a block's output plays `block` frames after
// it was made, an input frame reaches the callback up to a block after it arrived, and a round
// trip through both is `block` frames longer (what prtn_get_stream_latency adds). Primed, the
// first block's output is the callback's, made before the first block with silent input.
//
// Threading: built, reset and destroyed while no audio runs; serve() on the audio thread only.
class Reblocker {
public:
    Reblocker(uint32_t block, size_t sample_bytes, uint32_t output_channels, uint32_t input_channels,
              bool interleaved, bool prime);

    uint32_t block() const { return block_; }

    // Forgets gathered input and pending output: a restart begins with a silent block, or a
    // primed one.
    void reset();

    // Audio thread: serves one API period of `frames` frames starting at `stream_time`, calling
    // `callback` for each block completed in it (at the stream time of the block's first frame,
    // with the status flags of the periods it spans), after the priming call where one is due.
    // The output arrives silent. Returns 0 to go on; 1 once the block the callback stopped with
    // has played, by the end of this period; 2 when the callback aborted (the period's output is
    // to be dropped).
    int32_t serve(void* output, const void* input, uint32_t frames, double stream_time,
                  uint32_t sample_rate, uint32_t status, prtn_callback callback, void* user_data);

private:
    // One direction's buffer layout: interleaved frames are one plane, non-interleaved
    // channels one plane each.
    struct Side {
        uint32_t planes = 0;
        size_t frame_bytes = 0;  // per plane
        std::vector<char> block;
    };
    static Side side(uint32_t channels, size_t sample_bytes, bool interleaved, uint32_t block);
    // Copies `count` frames between a buffer of `from_frames` and one of `to_frames` (per plane).
    static void copy(const Side& side, char* to, uint32_t to_frames, uint32_t to_at, const char* from,
                     uint32_t from_frames, uint32_t from_at, uint32_t count);

    uint32_t block_;
    Side output_;
    Side input_;
    uint32_t filled_ = 0;         // frames of the current block gathered (and of the previous one played)
    double block_time_ = 0.0;     // stream time of the current block's first frame
    uint32_t status_ = 0;         // flags of the periods the current block spans
    bool stopping_ = false;       // the callback stopped: the last block plays out, none is asked
    bool prime_;
    bool primed_;                 // the first block's output is made (or silent: not primed)
};

}  // namespace prtn
