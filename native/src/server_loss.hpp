// server_loss.hpp — notices that the JACK server went away under an open stream.
//
// RtAudio 5.2 answers a JACK server shutdown by closing a running stream itself, from a
// detached thread, and tells nobody. That thread's jack_client_close cancels libjack's
// notification thread (asynchronously) while it may still be in RtAudio's handler, printing:
// the process then aborts ("terminate called without an active exception"), or stderr's lock
// stays taken and the next print hangs forever. So the bridge takes the report over: on the
// open stream's own JACK client its handler replaces RtAudio's. It marks the instance, queues a
// DEVICE_DISCONNECT stream error, wakes blocked readers and writers and calls the instance's
// stream-event callback, on libjack's thread; the stream stays open until its owner closes it.
//
// That close must not reach the stream's JACK client: at the process's first client open after
// a client saw its server go (any client, on any server: a query, a hold, another stream),
// libjack closes and deletes every client of the process, and RtAudio's closeStream would then
// deactivate and close freed memory. So the close retires the RtAudio object that owns the
// stream: it is kept, never closed nor destroyed, and the instance goes on with a new one for the
// same API. Left open: a client libjack deleted before its own handler ran (a concurrent open
// right at the loss, or a loss on another server of the process) is still closed as usual.
#pragma once

#include <RtAudio.h>

struct prtn_instance;

namespace prtn {

// Owner's thread, right after a JACK stream opened (its client is not active yet).
void watch_server(prtn_instance* instance, RtAudio& rt);

// Owner's thread, for the close of a stream whose server went: waits until the handler and the
// audio thread are done with the instance, then replaces instance->rt (see above). Throws
// RtAudioError if the new RtAudio cannot be created (the stream then stays open).
void retire_lost_stream(prtn_instance* instance);

}  // namespace prtn
