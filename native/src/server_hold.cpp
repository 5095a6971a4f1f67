// server_hold.cpp — see server_hold.hpp.
#include "server_hold.hpp"

#include "instance.hpp"

#include <chrono>
#include <thread>

namespace prtn {

void ServerHold::acquire(RtAudio& rt) {
    if (depth_++ > 0 || rt.getCurrentApi() != RtAudio::UNIX_JACK) return;
    // RtAudio's JACK backend has already turned libjack's error printing off: a missing server
    // prints nothing here.
    client_ = jack_client_open("pyrtaudionet-queries", JackNoStartServer, nullptr);
    if (client_ == nullptr) return;
    server_gone_.store(false, std::memory_order_relaxed);
    jack_on_info_shutdown(client_, &ServerHold::on_shutdown, this);
}

bool ServerHold::release() {
    if (depth_ == 0) return false;
    if (--depth_ == 0) close();
    return true;
}

void ServerHold::close() {
    depth_ = 0;
    jack_client_t* client = client_;
    client_ = nullptr;
    if (client == nullptr || server_gone_.load(std::memory_order_acquire)) return;
    // libjack cancels a closing client's notification thread even mid-notification, leaving its
    // channel mutex locked, and the close then waits on it forever (jack2 issue 395). The clients
    // opened and closed under the hold notify it just before this close: let that settle first.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    jack_client_close(client);
}

void ServerHold::on_shutdown(jack_status_t, const char*, void* self) {
    static_cast<ServerHold*>(self)->server_gone_.store(true, std::memory_order_release);
}

}  // namespace prtn

extern "C" {

int32_t prtn_hold_server(prtn_instance* instance) {
    return prtn::guarded(instance, [&] { instance->server_hold.acquire(*instance->rt); });
}

int32_t prtn_release_server(prtn_instance* instance) {
    return prtn::guarded(instance, [&] {
        if (!instance->server_hold.release())
            throw prtn::Failure(PRTN_ERROR_INVALID_USE, "release_server: no server hold is taken");
    });
}

}  // extern "C"
