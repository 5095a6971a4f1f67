// transfer.cpp — checks a transfer stream's data at open; copies it on the audio thread.
#include "transfer.hpp"

#include <algorithm>
#include <cstring>
#include <string>

#include "instance.hpp"

namespace prtn {

namespace {

// The map of one direction: `columns` entries, each a distinct channel below `channels`;
// empty for the identity (no map given, as many columns as channels).
std::vector<uint32_t> checked_map(const uint32_t* map, uint32_t columns, uint32_t channels, const char* direction) {
    std::string side(direction);
    if (columns == 0 || columns > channels)
        throw Failure(PRTN_ERROR_INVALID_PARAMETER, side + " data has " + std::to_string(columns) + " columns; the stream has " +
                                                        std::to_string(channels) + " " + side + " channels");
    if (map == nullptr) {
        if (columns == channels) return {};
        std::vector<uint32_t> identity(columns);
        for (uint32_t column = 0; column < columns; ++column) identity[column] = column;
        return identity;
    }
    std::vector<uint32_t> copy(map, map + columns);
    std::vector<bool> taken(channels, false);
    for (uint32_t channel : copy) {
        if (channel >= channels)
            throw Failure(PRTN_ERROR_INVALID_PARAMETER, side + " map names channel " + std::to_string(channel) + " (0-based) of " +
                                                            std::to_string(channels));
        if (taken[channel])
            throw Failure(PRTN_ERROR_INVALID_PARAMETER, side + " map names channel " + std::to_string(channel) + " twice");
        taken[channel] = true;
    }
    return copy;
}

}  // namespace

Transfer::Transfer(const prtn_transfer& transfer, size_t sample_bytes, uint32_t output_channels, uint32_t input_channels)
    : output_(static_cast<const uint8_t*>(transfer.output)),
      input_(static_cast<uint8_t*>(transfer.input)),
      frames_(transfer.frames),
      loop_(transfer.loop != 0),
      sample_bytes_(sample_bytes),
      output_channels_(output_channels),
      input_channels_(input_channels) {
    if (frames_ == 0) throw Failure(PRTN_ERROR_INVALID_PARAMETER, "a transfer needs at least 1 frame");
    if ((output_ == nullptr) != (output_channels == 0))
        throw Failure(PRTN_ERROR_INVALID_PARAMETER, output_ == nullptr ? "the stream has output but the transfer no output data"
                                                                       : "the transfer has output data but the stream no output");
    if ((input_ == nullptr) != (input_channels == 0))
        throw Failure(PRTN_ERROR_INVALID_PARAMETER, input_ == nullptr ? "the stream has input but the transfer no input buffer"
                                                                      : "the transfer has an input buffer but the stream no input");
    if (transfer.loop > 1) throw Failure(PRTN_ERROR_INVALID_PARAMETER, "loop must be 0 or 1, not " + std::to_string(transfer.loop));
    if (loop_ && input_ != nullptr)
        throw Failure(PRTN_ERROR_INVALID_PARAMETER, "loop repeats output only: a recording ends with its buffer");
    if (output_ != nullptr) output_map_ = checked_map(transfer.output_map, transfer.output_columns, output_channels, "output");
    if (input_ != nullptr) input_map_ = checked_map(transfer.input_map, transfer.input_columns, input_channels, "input");
}

void Transfer::play(uint8_t* output, uint64_t from, uint32_t frames) const {
    if (output_map_.empty()) {
        size_t frame_bytes = output_channels_ * sample_bytes_;
        std::memcpy(output, output_ + from * frame_bytes, frames * frame_bytes);
        return;
    }
    size_t columns = output_map_.size();
    for (uint32_t frame = 0; frame < frames; ++frame) {
        const uint8_t* source = output_ + (from + frame) * columns * sample_bytes_;
        uint8_t* target = output + static_cast<size_t>(frame) * output_channels_ * sample_bytes_;
        for (size_t column = 0; column < columns; ++column)
            std::memcpy(target + output_map_[column] * sample_bytes_, source + column * sample_bytes_, sample_bytes_);
    }
}

void Transfer::record(const uint8_t* input, uint64_t from, uint32_t frames) const {
    if (input_map_.empty()) {
        size_t frame_bytes = input_channels_ * sample_bytes_;
        std::memcpy(input_ + from * frame_bytes, input, frames * frame_bytes);
        return;
    }
    size_t columns = input_map_.size();
    for (uint32_t frame = 0; frame < frames; ++frame) {
        uint8_t* target = input_ + (from + frame) * columns * sample_bytes_;
        const uint8_t* source = input + static_cast<size_t>(frame) * input_channels_ * sample_bytes_;
        for (size_t column = 0; column < columns; ++column)
            std::memcpy(target + column * sample_bytes_, source + input_map_[column] * sample_bytes_, sample_bytes_);
    }
}

bool Transfer::serve(void* output, const void* input, uint32_t frames) {
    auto* out = static_cast<uint8_t*>(output);
    if (loop_) {
        size_t frame_bytes = output_channels_ * sample_bytes_;
        for (uint32_t done = 0; done < frames;) {
            uint32_t chunk = static_cast<uint32_t>(std::min<uint64_t>(frames - done, frames_ - position_));
            play(out + done * frame_bytes, position_, chunk);
            done += chunk;
            position_ = (position_ + chunk) % frames_;
        }
        return false;
    }
    uint32_t chunk = static_cast<uint32_t>(std::min<uint64_t>(frames, frames_ - position_));
    if (out != nullptr) play(out, position_, chunk);
    if (input != nullptr) record(static_cast<const uint8_t*>(input), position_, chunk);
    position_ += chunk;
    return position_ == frames_;
}

}  // namespace prtn
