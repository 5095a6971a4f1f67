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
//
// The other APIs lose a stream when its I/O fails for good under it (the PulseAudio server
// went, or ALSA's device failed: tested with ALSA's pulse plugin, see docs/threading.md).
// RtAudio's backends then only warn and go on to the next period at once, which fails too: a
// spin calling the owner's callback a million times a second, or
// draining a blocking stream's ring into nothing. The bridge takes that warning as the same loss
// (the same error and event, on a thread of its own); the audio thread no longer serves periods
// and waits a period's time in each, and the close is RtAudio's own, its backend being intact.
#pragma once

#include <RtAudio.h>

#include <string>

struct prtn_instance;

namespace prtn {

// Owner's thread, right after a JACK stream opened (its client is not active yet).
void watch_server(prtn_instance* instance, RtAudio& rt);

// The audio thread of `instance`, from a warning RtAudio gave (its stream lock may be held):
// whether `message` says that the stream's I/O failed for good; if so, the stream is lost, as
// above, and the warning is that loss's message.
bool take_io_failure(prtn_instance* instance, const std::string& message);

// The audio thread, in a period of a lost stream (only an API that failed its I/O still calls):
// silent output and a period's sleep, so that the backend's loop does not spin.
void idle_lost_period(const prtn_instance* instance, void* output, unsigned int frames);

// Owner's thread, for the close of a lost stream: waits until the loss's report and the audio
// thread are done with the instance; then, on JACK, replaces instance->rt (see above), and
// elsewhere closes the stream. Throws RtAudioError if the new RtAudio cannot be created (the
// stream then stays open).
void close_lost_stream(prtn_instance* instance);

}  // namespace prtn
