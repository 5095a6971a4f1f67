// client_changes.hpp — one JACK client opened or closed at a time in this process.
#pragma once

#include <mutex>
#include <string>

namespace prtn {

// Held around every call that may open or close a JACK client (device queries, stream opens and
// closes, server holds), on any instance. libjack cancels a closing client's notification thread
// even while it handles another client's arrival or departure, inside a process-wide mutex that
// then stays locked, and every later open or close of the process waits on it forever (jack2
// issue 395): a dropped stream closed on the .NET thread pool while the main
// thread queried devices hung that way. So no client of this process comes or goes during a
// close, and a close (`closing`) first lets the notifications of the changes before it settle.
// Recursive: an open makes queries inside.
class ClientChanges {
public:
    explicit ClientChanges(bool closing = false);
    ~ClientChanges() = default;
    ClientChanges(const ClientChanges&) = delete;
    ClientChanges& operator=(const ClientChanges&) = delete;

private:
    std::unique_lock<std::recursive_mutex> lock_;
};

// Throws Failure(INVALID_USE) on an audio thread, for the calls that take ClientChanges: its holder
// may be waiting for that thread's period to end (a client's close waits for the graph's cycle).
void refuse_client_changes_on_audio_thread(const char* operation);

}  // namespace prtn
