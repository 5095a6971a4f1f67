// limits.cpp — prtn.h's argument limits and sample sizes, for the bindings to read.
#include <cstring>

#include "prtn.h"

namespace {

struct Limit {
    const char* name;
    uint32_t value;
};

constexpr Limit kLimits[] = {
    {"SAMPLE_RATE", PRTN_MAX_SAMPLE_RATE},   {"BLOCK_FRAMES", PRTN_MAX_BLOCK_FRAMES},
    {"CHANNELS", PRTN_MAX_CHANNELS},         {"RING_FRAMES", PRTN_MAX_RING_FRAMES},
    {"STREAM_NAME_BYTES", PRTN_MAX_STREAM_NAME_BYTES},
};

}  // namespace

uint32_t prtn_limit(const char* name) {
    if (name == nullptr) return 0;
    for (const Limit& limit : kLimits)
        if (std::strcmp(limit.name, name) == 0) return limit.value;
    return 0;
}

uint32_t prtn_sample_bytes(uint32_t format) {
    switch (format) {
        case PRTN_FORMAT_SINT8: return 1;
        case PRTN_FORMAT_SINT16: return 2;
        case PRTN_FORMAT_SINT24: return 3;
        case PRTN_FORMAT_SINT32: return 4;
        case PRTN_FORMAT_FLOAT32: return 4;
        case PRTN_FORMAT_FLOAT64: return 8;
        default: return 0;
    }
}
