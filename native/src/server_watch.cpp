// server_watch.cpp — see server_watch.hpp.
#include "server_watch.hpp"

#include <chrono>
#include <cstdlib>
#include <string>
#include <thread>

#include "instance.hpp"

namespace prtn {
namespace {

std::string server_name() {
    const char* name = std::getenv("JACK_DEFAULT_SERVER");
    return name != nullptr && *name != '\0' ? name : "default";
}

// The watch's JACK thread: must return promptly and must not call into the instance's RtAudio.
void on_server_shutdown(jack_status_t, const char* reason, void* arg) {
    auto* instance = static_cast<prtn_instance*>(arg);
    std::string message = "the JACK server '" + server_name() + "' shut down" +
                          (reason != nullptr && *reason != '\0' ? " (" + std::string(reason) + ")" : "") +
                          " while the stream was open; RtAudio closed the stream. Close it, and "
                          "open a new one once a JACK server runs again (e.g. jackd -d dummy)";
    {
        std::lock_guard<std::mutex> lock(instance->mutex);
        instance->server_lost_message = message;
        if (instance->stream_error_type == PRTN_OK) {
            instance->stream_error_type = PRTN_ERROR_DEVICE_DISCONNECT;
            instance->stream_error_message = message;
        }
    }
    instance->server_gone.store(true, std::memory_order_release);
    for (int32_t i = instance->waiters.load(); i > 0; --i) sem_post(&instance->wakeup);
    if (instance->event_callback != nullptr)
        instance->event_callback(PRTN_ERROR_DEVICE_DISCONNECT, message.c_str(), instance->event_user_data);
}

}  // namespace

std::unique_ptr<ServerWatch> ServerWatch::start(prtn_instance* instance) {
    jack_status_t status{};
    jack_client_t* client =
        jack_client_open("pyrtaudionet-watch", static_cast<jack_options_t>(JackNoStartServer), &status);
    if (client == nullptr) return nullptr;
    jack_on_info_shutdown(client, &on_server_shutdown, instance);
    return std::unique_ptr<ServerWatch>(new ServerWatch(client));
}

ServerWatch::~ServerWatch() { jack_client_close(client_); }

void settle_after_server_loss(prtn_instance* instance) {
    if (!instance->server_gone.load(std::memory_order_acquire)) return;
    // RtAudio reads its stream state without a lock; so, unavoidably, does this poll.
    for (int i = 0; i < 200 && instance->rt->isStreamRunning(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
}

}  // namespace prtn
