// halt.hpp — stopping and closing a running stream with no callback in flight.
#pragma once

#include "instance.hpp"

namespace prtn {

// Stops the running stream at RtAudio's level; `drop` discards pending output (an abort).
// Without `drop`, a blocking stream's output ring plays out first. The audio thread is then made
// quiet: silent output, no callback, no ring; on JACK the stop waits (at most a second) until it
// has served a period that way, so no callback is running when libjack cancels the thread. What
// the output ring still holds afterwards is dropped. Owner's thread, never the audio thread.
void halt_stream(prtn_instance* instance, RtAudio& rt, bool drop);

// Closes the instance's open stream, halted first if it runs. A lost stream is closed as
// server_loss.hpp says, unhalted: no period comes to serve a halt, and its client may be gone.
// Owner's thread, or prtn_destroy.
void close_open_stream(prtn_instance* instance);

}  // namespace prtn
