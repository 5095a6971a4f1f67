// server_watch.hpp — notices that the JACK server went away under an open stream.
//
// RtAudio 5.2 answers a JACK server shutdown by closing a running stream itself, from a
// detached thread of its own, and tells nobody. The bridge therefore watches the server with
// a JACK client of its own (no ports, never activated): when the server goes, the watch
// marks the instance, queues a DEVICE_DISCONNECT stream error, wakes blocked readers and
// writers and calls the instance's stream-event callback — all on the watch's JACK thread.
#pragma once

#include <jack/jack.h>

#include <memory>

struct prtn_instance;

namespace prtn {

class ServerWatch {
public:
    // Watches the server the instance's JACK stream runs on; null if no client could be opened
    // (the stream then still works, only server loss is noticed later, by the next call).
    static std::unique_ptr<ServerWatch> start(prtn_instance* instance);
    // Closes the watch client: after it returns the shutdown handler is not running and never runs.
    ~ServerWatch();
    ServerWatch(const ServerWatch&) = delete;
    ServerWatch& operator=(const ServerWatch&) = delete;

private:
    explicit ServerWatch(jack_client_t* client) : client_(client) {}
    jack_client_t* client_;
};

// The owner's thread, before touching RtAudio after the server went: waits (up to 1 s) for
// RtAudio's own closing thread to finish, so that the two never use the RtAudio object at once.
void settle_after_server_loss(prtn_instance* instance);

}  // namespace prtn
