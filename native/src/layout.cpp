// The layout of the C ABI's structs, for the .NET side's check that its mirrors of them match
// (tests/PyRtAudioNet.Tests/StructLayoutTests): every struct's size and every field's offset.
#include <cstddef>
#include <cstring>

#include "prtn.h"

namespace {

struct Entry {
    const char* type;
    const char* field;  // nullptr: the struct's size
    size_t value;
};

#define PRTN_SIZE(type) {#type, nullptr, sizeof(type)}
#define PRTN_FIELD(type, field) {#type, #field, offsetof(type, field)}

const Entry kLayout[] = {
    PRTN_SIZE(prtn_device_info),
    PRTN_FIELD(prtn_device_info, id),
    PRTN_FIELD(prtn_device_info, output_channels),
    PRTN_FIELD(prtn_device_info, input_channels),
    PRTN_FIELD(prtn_device_info, duplex_channels),
    PRTN_FIELD(prtn_device_info, is_default_output),
    PRTN_FIELD(prtn_device_info, is_default_input),
    PRTN_FIELD(prtn_device_info, native_formats),
    PRTN_FIELD(prtn_device_info, preferred_sample_rate),
    PRTN_FIELD(prtn_device_info, sample_rate_count),
    PRTN_FIELD(prtn_device_info, sample_rates),
    PRTN_FIELD(prtn_device_info, name),
    PRTN_SIZE(prtn_stream_parameters),
    PRTN_FIELD(prtn_stream_parameters, device_id),
    PRTN_FIELD(prtn_stream_parameters, channels),
    PRTN_FIELD(prtn_stream_parameters, first_channel),
    PRTN_SIZE(prtn_stream_options),
    PRTN_FIELD(prtn_stream_options, flags),
    PRTN_FIELD(prtn_stream_options, number_of_buffers),
    PRTN_FIELD(prtn_stream_options, priority),
    PRTN_FIELD(prtn_stream_options, fixed_block),
    PRTN_FIELD(prtn_stream_options, prime_output),
    PRTN_SIZE(prtn_stream_stats),
    PRTN_FIELD(prtn_stream_stats, callbacks),
    PRTN_FIELD(prtn_stream_stats, frames),
    PRTN_FIELD(prtn_stream_stats, output_underflows),
    PRTN_FIELD(prtn_stream_stats, input_overflows),
    PRTN_FIELD(prtn_stream_stats, silenced),
    PRTN_FIELD(prtn_stream_stats, ring_underflows),
    PRTN_FIELD(prtn_stream_stats, ring_overflows),
    PRTN_FIELD(prtn_stream_stats, frames_written),
    PRTN_FIELD(prtn_stream_stats, frames_read),
    PRTN_SIZE(prtn_duration_summary),
    PRTN_FIELD(prtn_duration_summary, count),
    PRTN_FIELD(prtn_duration_summary, p50_us),
    PRTN_FIELD(prtn_duration_summary, p99_us),
    PRTN_FIELD(prtn_duration_summary, p999_us),
    PRTN_FIELD(prtn_duration_summary, max_us),
    PRTN_FIELD(prtn_duration_summary, recent_us),
    PRTN_SIZE(prtn_blocking_options),
    PRTN_FIELD(prtn_blocking_options, ring_frames),
    PRTN_FIELD(prtn_blocking_options, underflow_mode),
    PRTN_SIZE(prtn_transfer),
    PRTN_FIELD(prtn_transfer, output),
    PRTN_FIELD(prtn_transfer, input),
    PRTN_FIELD(prtn_transfer, frames),
    PRTN_FIELD(prtn_transfer, output_columns),
    PRTN_FIELD(prtn_transfer, input_columns),
    PRTN_FIELD(prtn_transfer, output_map),
    PRTN_FIELD(prtn_transfer, input_map),
    PRTN_FIELD(prtn_transfer, loop),
    PRTN_FIELD(prtn_transfer, reserved),
};

#undef PRTN_SIZE
#undef PRTN_FIELD

}  // namespace

size_t prtn_layout(const char* type, const char* field) {
    if (type == nullptr) return static_cast<size_t>(-1);
    for (const Entry& entry : kLayout) {
        bool same_field = field == nullptr ? entry.field == nullptr
                                           : entry.field != nullptr && std::strcmp(entry.field, field) == 0;
        if (std::strcmp(entry.type, type) == 0 && same_field) return entry.value;
    }
    return static_cast<size_t>(-1);
}
