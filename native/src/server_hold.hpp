// server_hold.hpp — one JACK client kept open around a burst of device queries and a stream open.
//
// RtAudio 5.2 opens a JACK client for every device query, and two for a stream open (its device
// count's and the stream's own). libjack maps the server's shared memory when the process's first
// client opens and unmaps it when its last one closes: each of those clients maps, locks (mlock)
// and first touches the server's port graph again (over 100 MB with jackd's default port limit),
// which costs each query several times what it costs while another client of the process keeps
// the graph mapped and touched. A hold is that other client, taken by the owner around the calls
// that open such clients.
//
// libjack closes and deletes every client of a process at the first client open after one of them
// saw its server go. A hold whose server went is therefore never closed by the bridge (libjack
// deletes it, or it is left to the process's end); that hold learns of the loss on libjack's
// thread, which in principle could come after the deleting open if that thread were starved.
// So holds stay short: the span of one burst of calls, not a lifetime.
//
// Threading: the owner's thread only (the instance's calls are serialized), never the audio
// thread; the shutdown handler runs on libjack's thread and only sets a flag.
#pragma once

#include <RtAudio.h>
#include <jack/jack.h>

#include <atomic>
#include <cstdint>

namespace prtn {

class ServerHold {
public:
    ServerHold() = default;
    ~ServerHold() { close(); }
    ServerHold(const ServerHold&) = delete;
    ServerHold& operator=(const ServerHold&) = delete;

    // Holds nest; the outermost one opens the client, on a JACK instance only. Without a server
    // nothing is held (the queries that follow report that themselves).
    void acquire(RtAudio& rt);
    // Ends one hold; false if none was held. The outermost one closes the client.
    bool release();

    // One hold for a scope.
    class Scope {
    public:
        Scope(ServerHold& hold, RtAudio& rt) : hold_(hold) { hold_.acquire(rt); }
        ~Scope() { hold_.release(); }
        Scope(const Scope&) = delete;
        Scope& operator=(const Scope&) = delete;

    private:
        ServerHold& hold_;
    };

private:
    void close();
    static void on_shutdown(jack_status_t code, const char* reason, void* self);

    uint32_t depth_ = 0;
    jack_client_t* client_ = nullptr;
    std::atomic<bool> server_gone_{false};
};

}  // namespace prtn
