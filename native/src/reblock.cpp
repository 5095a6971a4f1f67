// reblock.cpp — see reblock.hpp.
#include "reblock.hpp"

#include <algorithm>
#include <cstring>

namespace prtn {

Reblocker::Reblocker(uint32_t block, size_t sample_bytes, uint32_t output_channels, uint32_t input_channels,
                     bool interleaved, bool prime)
    : block_(block),
      output_(side(output_channels, sample_bytes, interleaved, block)),
      input_(side(input_channels, sample_bytes, interleaved, block)),
      prime_(prime),
      primed_(!prime) {}

Reblocker::Side Reblocker::side(uint32_t channels, size_t sample_bytes, bool interleaved, uint32_t block) {
    Side result;
    if (channels == 0) return result;
    result.planes = interleaved ? 1 : channels;
    result.frame_bytes = interleaved ? channels * sample_bytes : sample_bytes;
    result.block.assign(result.planes * result.frame_bytes * block, 0);
    return result;
}

void Reblocker::copy(const Side& side, char* to, uint32_t to_frames, uint32_t to_at, const char* from,
                     uint32_t from_frames, uint32_t from_at, uint32_t count) {
    for (uint32_t plane = 0; plane < side.planes; ++plane)
        std::memcpy(to + (plane * size_t{to_frames} + to_at) * side.frame_bytes,
                    from + (plane * size_t{from_frames} + from_at) * side.frame_bytes, count * side.frame_bytes);
}

void Reblocker::reset() {
    std::fill(output_.block.begin(), output_.block.end(), 0);
    filled_ = 0;
    status_ = 0;
    stopping_ = false;
    primed_ = !prime_;
}

int32_t Reblocker::serve(void* output, const void* input, uint32_t frames, double stream_time,
                         uint32_t sample_rate, uint32_t status, prtn_callback callback, void* user_data) {
    if (!primed_) {
        primed_ = true;
        std::fill(input_.block.begin(), input_.block.end(), 0);
        uint32_t flags = PRTN_STATUS_PRIMING_OUTPUT | (input_.block.empty() ? 0u : uint32_t{PRTN_STATUS_INPUT_UNDERFLOW});
        int32_t result = callback(output_.block.empty() ? nullptr : output_.block.data(),
                                  input_.block.empty() ? nullptr : input_.block.data(), block_, stream_time, flags,
                                  user_data);
        if (result == 2) return 2;
        if (result == 1) stopping_ = true;
    }
    status_ |= status;
    auto* out = static_cast<char*>(output);
    const auto* in = static_cast<const char*>(input);
    uint32_t done = 0;
    while (done < frames) {
        if (filled_ == 0) block_time_ = stream_time + static_cast<double>(done) / sample_rate;
        uint32_t count = std::min(frames - done, block_ - filled_);
        if (out != nullptr) copy(output_, out, frames, done, output_.block.data(), block_, filled_, count);
        if (in != nullptr && !stopping_) copy(input_, input_.block.data(), block_, filled_, in, frames, done, count);
        filled_ += count;
        done += count;
        if (filled_ < block_) continue;
        filled_ = 0;
        if (stopping_) return 1;  // the stopped block has played; the rest of the period stays silent
        std::fill(output_.block.begin(), output_.block.end(), 0);
        int32_t result = callback(output_.block.empty() ? nullptr : output_.block.data(),
                                  input_.block.empty() ? nullptr : input_.block.data(), block_, block_time_,
                                  status_, user_data);
        status_ = done < frames ? status : 0;  // the period's rest belongs to the next block
        if (result == 2) return 2;
        if (result == 1) stopping_ = true;
    }
    return 0;
}

}  // namespace prtn
