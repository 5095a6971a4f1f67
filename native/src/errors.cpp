// errors.cpp — how RtAudio's errors and warnings reach the right instance.
#include <cstdio>
#include <cstring>

#include "instance.hpp"
#include "server_loss.hpp"

namespace prtn {
namespace {
thread_local prtn_instance* tl_instance = nullptr;
thread_local bool tl_in_call = false;
thread_local const prtn_instance* tl_audio_instance = nullptr;
constexpr size_t kMaxQueuedWarnings = 64;

bool is_warning(int32_t type) {
    return type == PRTN_ERROR_WARNING || type == PRTN_ERROR_DEBUG_WARNING;
}
}  // namespace

ThreadScope::ThreadScope(prtn_instance* instance, bool in_call)
    : previous_instance_(tl_instance), previous_in_call_(tl_in_call) {
    tl_instance = instance;
    tl_in_call = in_call;
}

ThreadScope::~ThreadScope() {
    tl_instance = previous_instance_;
    tl_in_call = previous_in_call_;
}

void bind_audio_thread(prtn_instance* instance) {
    tl_instance = instance;
    tl_in_call = false;
    tl_audio_instance = instance;
}

bool on_an_audio_thread() { return tl_audio_instance != nullptr; }

bool working_for_an_instance() { return tl_instance != nullptr; }

bool on_audio_thread_of(const prtn_instance* instance) { return tl_audio_instance == instance; }

void forbid_on_audio_thread(const prtn_instance* instance, const char* operation) {
    if (on_audio_thread_of(instance))
        throw Failure(PRTN_ERROR_INVALID_USE,
                      std::string(operation) +
                          " was called from the stream's own audio callback, where it would "
                          "wait for itself; return 1 (stop) or 2 (abort) from the callback instead");
}

void record_failure(prtn_instance* instance, int32_t type, const std::string& message) {
    // The first failure of a call is its cause; later ones are consequences.
    if (instance->error_type != PRTN_OK) return;
    instance->error_type = type;
    instance->error_message = message;
}

void report_error(int32_t type, const std::string& message) {
    prtn_instance* instance = tl_instance;
    if (instance == nullptr) {
        // A thread that never worked for an instance (a driver thread): nobody to tell.
        std::fprintf(stderr, "pyrtaudionet: RtAudio reported on an unknown thread: %s\n",
                     message.c_str());
        return;
    }
    if (is_warning(type)) {
        if (on_audio_thread_of(instance) && take_io_failure(instance, message)) return;
        std::lock_guard<std::mutex> lock(instance->mutex);
        if (instance->warnings.size() < kMaxQueuedWarnings)
            instance->warnings.push_back(message);
        else
            ++instance->dropped_warnings;
        return;
    }
    if (tl_in_call) {
        record_failure(instance, type, message);
        return;
    }
    std::lock_guard<std::mutex> lock(instance->mutex);
    if (instance->stream_error_type == PRTN_OK) {
        instance->stream_error_type = type;
        instance->stream_error_message = message;
    }
}

}  // namespace prtn

extern "C" {

int32_t prtn_last_error_type(const prtn_instance* instance) {
    return instance == nullptr ? PRTN_ERROR_INVALID_USE : instance->error_type;
}

const char* prtn_last_error_message(const prtn_instance* instance) {
    return instance == nullptr ? "null instance" : instance->error_message.c_str();
}

int32_t prtn_take_warnings(prtn_instance* instance, char* buffer, int32_t buffer_size) {
    if (instance == nullptr) return 0;
    std::string joined;
    int32_t count = 0;
    {
        std::lock_guard<std::mutex> lock(instance->mutex);
        for (const auto& warning : instance->warnings) {
            if (!joined.empty()) joined += '\n';
            joined += warning;
        }
        if (instance->dropped_warnings > 0) {
            if (!joined.empty()) joined += '\n';
            joined += std::to_string(instance->dropped_warnings) + " more warnings were dropped";
        }
        count = static_cast<int32_t>(instance->warnings.size() + instance->dropped_warnings);
        instance->warnings.clear();
        instance->dropped_warnings = 0;
    }
    if (buffer != nullptr && buffer_size > 0) {
        size_t n = std::min(joined.size(), static_cast<size_t>(buffer_size - 1));
        std::memcpy(buffer, joined.data(), n);
        buffer[n] = '\0';
    }
    return count;
}

int32_t prtn_take_stream_error(prtn_instance* instance) {
    return prtn::guarded(instance, [&] {
        std::lock_guard<std::mutex> lock(instance->mutex);
        instance->error_type = instance->stream_error_type;
        instance->error_message = std::move(instance->stream_error_message);
        instance->stream_error_type = PRTN_OK;
        instance->stream_error_message.clear();
    });
}

}  // extern "C"
