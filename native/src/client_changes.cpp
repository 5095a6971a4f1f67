// client_changes.cpp — see client_changes.hpp.
#include "client_changes.hpp"

#include <chrono>
#include <thread>

#include "instance.hpp"

namespace prtn {
namespace {

std::recursive_mutex g_changes;
// How long a close waits, the lock held, for the notifications of the changes before it (RtAudio
// opens and closes clients inside its calls, unseen): without a wait a hold's close right after its
// queries hangs now and then (docs/threading.md has the runs that showed it).
constexpr std::chrono::milliseconds kSettle{5};

}  // namespace

ClientChanges::ClientChanges(bool closing) : lock_(g_changes) {
    if (closing) std::this_thread::sleep_for(kSettle);
}

void refuse_client_changes_on_audio_thread(const char* operation) {
    if (on_an_audio_thread())
        throw Failure(PRTN_ERROR_INVALID_USE,
                      std::string(operation) + " is refused on an audio thread: it waits for other threads' JACK "
                      "client changes, which may wait for this period to end");
}

}  // namespace prtn
