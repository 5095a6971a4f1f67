// library.cpp — library-wide queries and the instance life cycle.
#include <algorithm>
#include <array>
#include <cstring>

#include "alsa_messages.hpp"
#include "halt.hpp"
#include "instance.hpp"
#include "rtaudio_compat.hpp"

namespace {
std::atomic<int32_t> g_live_instances{0};

struct ApiNames {
    std::array<std::string, PRTN_API_COUNT> name;
    std::array<std::string, PRTN_API_COUNT> display_name;
};

const ApiNames& api_names() {
    static const ApiNames names = [] {
        ApiNames n;
        for (int32_t api = 0; api < PRTN_API_COUNT; ++api) {
            auto native = prtn::compat::to_native_api(api);
            n.name[api] = RtAudio::getApiName(native);
            n.display_name[api] = RtAudio::getApiDisplayName(native);
        }
        return n;
    }();
    return names;
}

std::vector<int32_t> compiled_apis() {
    std::vector<RtAudio::Api> native;
    RtAudio::getCompiledApi(native);
    std::vector<int32_t> apis;
    for (auto api : native) apis.push_back(prtn::compat::from_native_api(api));
    return apis;
}

void copy_message(const std::string& message, char* buffer, int32_t size) {
    if (buffer == nullptr || size <= 0) return;
    size_t n = std::min(message.size(), static_cast<size_t>(size - 1));
    std::memcpy(buffer, message.data(), n);
    buffer[n] = '\0';
}

std::string compiled_api_list() {
    std::string list;
    for (int32_t api : compiled_apis()) {
        if (!list.empty()) list += ", ";
        list += api_names().name[api];
    }
    return list;
}
}  // namespace

extern "C" {

const char* prtn_version(void) {
    static const std::string version = prtn::compat::version();
    return version.c_str();
}

int32_t prtn_compiled_api_count(void) { return static_cast<int32_t>(compiled_apis().size()); }

int32_t prtn_compiled_api(int32_t index) {
    auto apis = compiled_apis();
    if (index < 0 || static_cast<size_t>(index) >= apis.size()) return -1;
    return apis[index];
}

const char* prtn_api_name(int32_t api) {
    return api >= 0 && api < PRTN_API_COUNT ? api_names().name[api].c_str() : "";
}

// Out of range, RtAudio names an API as it names UNSPECIFIED: "Unknown" (its short name is "").
const char* prtn_api_display_name(int32_t api) {
    return api_names().display_name[api >= 0 && api < PRTN_API_COUNT ? api : PRTN_API_UNSPECIFIED].c_str();
}

int32_t prtn_live_instances(void) { return g_live_instances.load(); }

int32_t prtn_create(int32_t api, prtn_instance** out, char* error_message,
                    int32_t error_message_size) {
    if (out == nullptr) return PRTN_ERROR_INVALID_PARAMETER;
    *out = nullptr;
    prtn::route_alsa_messages();
    // A scratch instance collects what RtAudio reports while constructing.
    auto instance = std::make_unique<prtn_instance>();
    int32_t result = prtn::guarded(instance.get(), [&] {
        if (api < 0 || api >= PRTN_API_COUNT)
            throw prtn::Failure(PRTN_ERROR_INVALID_PARAMETER,
                                "unknown API number " + std::to_string(api));
        auto apis = compiled_apis();
        if (api != PRTN_API_UNSPECIFIED && std::find(apis.begin(), apis.end(), api) == apis.end())
            // RtAudio 5 would silently fall back to another API.
            throw prtn::Failure(PRTN_ERROR_INVALID_PARAMETER,
                                "API '" + api_names().name[api] +
                                    "' is not compiled into this RtAudio (compiled: " +
                                    compiled_api_list() + ")");
        prtn::compat::invoke(
            [&] { instance->rt = prtn::compat::make_rtaudio(prtn::compat::to_native_api(api)); });
        if (instance->rt == nullptr && instance->error_type == PRTN_OK)
            throw prtn::Failure(PRTN_ERROR_UNSPECIFIED, "RtAudio could not be created");
    });
    if (result != PRTN_OK) {
        copy_message(instance->error_message, error_message, error_message_size);
        return result;
    }
    g_live_instances.fetch_add(1);
    *out = instance.release();
    return PRTN_OK;
}

void prtn_destroy(prtn_instance* instance) {
    if (instance == nullptr) return;
    instance->callback_enabled.store(false, std::memory_order_release);
    prtn::guarded(instance, [&] {
        prtn::compat::invoke([&] {
            if (instance->rt != nullptr) prtn::close_open_stream(instance);
        });
        instance->rt.reset();
    });
    delete instance;
    g_live_instances.fetch_sub(1);
}

int32_t prtn_set_stream_event_callback(prtn_instance* instance, prtn_stream_event_callback callback,
                                       void* user_data) {
    return prtn::guarded(instance, [&] {
        if (instance->rt->isStreamOpen())
            throw prtn::Failure(PRTN_ERROR_INVALID_USE, "set the stream-event callback before opening a stream");
        instance->event_callback = callback;
        instance->event_user_data = user_data;
    });
}

int32_t prtn_current_api(prtn_instance* instance, int32_t* api) {
    return prtn::guarded(instance, [&] {
        *api = prtn::compat::from_native_api(instance->rt->getCurrentApi());
    });
}

}  // extern "C"
