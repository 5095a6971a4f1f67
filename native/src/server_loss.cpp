// server_loss.cpp — see server_loss.hpp.
#include "server_loss.hpp"

#include <jack/jack.h>
#include <pthread.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "instance.hpp"
#include "rtaudio_compat.hpp"

namespace prtn {
namespace {

std::string server_name() {
    const char* name = std::getenv("JACK_DEFAULT_SERVER");
    return name != nullptr && *name != '\0' ? name : "default";
}

// Marks the instance's stream lost with `message`: its stream error, every later stream call's,
// and blocked readers and writers woken. Then tells the owner and lets go of the instance.
void mark_lost(prtn_instance* instance, const std::string& message) {
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
}

void tell_owner(prtn_instance* instance, const std::string& message) {
    if (instance->event_callback != nullptr)
        instance->event_callback(PRTN_ERROR_DEVICE_DISCONNECT, message.c_str(), instance->event_user_data);
    instance->loss_handled.store(true, std::memory_order_release);  // the report's last use of the instance
}

// libjack's thread of the stream's client: must return promptly and must not call RtAudio.
// The owner's close cancels this thread and joins it; cancelled asynchronously in here, it would
// unwind through the event callback or die holding `mutex`. So the cancellation waits: for the
// end of this handler, then for a cancellation point of libjack's (a socket read or write).
void on_server_shutdown(jack_status_t, const char* reason, void* arg) {
    int cancel_state = 0;
    pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &cancel_state);
    pthread_setcanceltype(PTHREAD_CANCEL_DEFERRED, nullptr);
    auto* instance = static_cast<prtn_instance*>(arg);
    std::string message = "the JACK server '" + server_name() + "' shut down" +
                          (reason != nullptr && *reason != '\0' ? " (" + std::string(reason) + ")" : "") +
                          " while the stream was open; the stream has stopped. Close it, and "
                          "open a new one once a JACK server runs again (e.g. jackd -d dummy)";
    mark_lost(instance, message);
    tell_owner(instance, message);
    pthread_setcancelstate(cancel_state, nullptr);
}

// Waits (at most `limit`) until `busy` is false.
void await_idle(const std::atomic<bool>& busy, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    while (busy.load(std::memory_order_acquire) && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::microseconds(500));
}

}  // namespace

void watch_server(prtn_instance* instance, RtAudio& rt) {
    jack_client_t* client = compat::jack_client(rt);
    if (client == nullptr) return;
    // libjack calls the info handler instead of the plain one; RtAudio's plain one is removed
    // too, so that no later report (a second one comes if the process thread fails) runs it.
    jack_on_shutdown(client, nullptr, nullptr);
    jack_on_info_shutdown(client, &on_server_shutdown, instance);
}

bool take_io_failure(prtn_instance* instance, const std::string& message) {
    if (!compat::is_lasting_io_failure(message)) return false;
    if (instance->server_gone.load(std::memory_order_acquire)) return true;  // reported already
    std::string lost = "the stream's " + RtAudio::getApiDisplayName(instance->rt->getCurrentApi()) +
                       " I/O failed while it ran (" + message +
                       "); the stream has stopped. Close it, and open a new one once its server or device is back";
    mark_lost(instance, lost);
    // The owner's event may run managed code: not on the audio thread, which may hold RtAudio's lock.
    try {
        std::thread(tell_owner, instance, std::move(lost)).detach();
    } catch (const std::system_error&) {
        // No thread to be had: the owner learns of the loss from its next call instead.
        instance->loss_handled.store(true, std::memory_order_release);
    }
    return true;
}

void idle_lost_period(const prtn_instance* instance, void* output, unsigned int frames) {
    if (output != nullptr) std::memset(output, 0, frames * instance->output_bytes);
    std::this_thread::sleep_for(std::chrono::microseconds(uint64_t{frames} * 1000000u / std::max(instance->sample_rate, 1u)));
}

void close_lost_stream(prtn_instance* instance) {
    // The report returns promptly (the event callback only queues).
    while (!instance->loss_handled.load(std::memory_order_acquire))
        std::this_thread::sleep_for(std::chrono::microseconds(500));
    if (instance->rt->getCurrentApi() != RtAudio::UNIX_JACK) return instance->rt->closeStream();
    // A period in flight when the server went finishes on the audio thread (its cancellation
    // was deferred, stream.cpp); none starts after it: no server runs the next cycle.
    await_idle(instance->in_period, std::chrono::seconds(1));
    auto fresh = compat::make_rtaudio(instance->rt->getCurrentApi());
    // Never destroyed (RtAudio's destructor closes its stream), and reachable, so not a leak.
    static std::mutex mutex;
    static auto* retired = new std::vector<std::unique_ptr<RtAudio>>();
    std::lock_guard<std::mutex> lock(mutex);
    retired->push_back(std::move(instance->rt));
    instance->rt = std::move(fresh);
}

}  // namespace prtn
