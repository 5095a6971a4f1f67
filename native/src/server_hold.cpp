// server_hold.cpp — see server_hold.hpp.
#include "server_hold.hpp"

#include "client_changes.hpp"
#include "instance.hpp"

namespace prtn {

void ServerHold::acquire(RtAudio& rt) {
    if (depth_++ > 0 || rt.getCurrentApi() != RtAudio::UNIX_JACK) return;
    ClientChanges opening;
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
    ClientChanges closing(true);
    jack_client_close(client);
}

void ServerHold::on_shutdown(jack_status_t, const char*, void* self) {
    static_cast<ServerHold*>(self)->server_gone_.store(true, std::memory_order_release);
}

}  // namespace prtn

extern "C" {

int32_t prtn_hold_server(prtn_instance* instance) {
    return prtn::guarded(instance, [&] {
        prtn::refuse_client_changes_on_audio_thread("hold_server");
        instance->server_hold.acquire(*instance->rt);
    });
}

int32_t prtn_release_server(prtn_instance* instance) {
    return prtn::guarded(instance, [&] {
        prtn::refuse_client_changes_on_audio_thread("release_server");
        if (!instance->server_hold.release())
            throw prtn::Failure(PRTN_ERROR_INVALID_USE, "release_server: no server hold is taken");
    });
}

}  // extern "C"
