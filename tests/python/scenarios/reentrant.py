"""stop()/close() from finished_callback, from inside the callback, from another thread,
twice, and after close: each returns promptly with its documented result."""

from __future__ import annotations

import threading
import time
from typing import Any

import pyrtaudionet as prtn

PROMPT = 1.0


def wait_for(event: threading.Event, what: str) -> None:
    assert event.wait(5), what


def counting(calls: list[int], stop_at: int = -1) -> Any:
    def callback(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        calls[0] += 1
        if calls[0] == stop_at:
            raise prtn.CallbackStop

    return callback


def timed(call: Any) -> float:
    started = time.monotonic()
    call()
    return time.monotonic() - started


# 1. finished_callback closes the stream after a CallbackStop (it runs on a helper thread).
calls = [0]
done = threading.Event()
finished = []


def close_when_finished() -> None:
    finished.append(1)
    stream.close()
    done.set()


stream = prtn.OutputStream(channels=2, callback=counting(calls, stop_at=10), finished_callback=close_when_finished, api="jack")
stream.start()
wait_for(done, "finished_callback ran and closed the stream")
assert stream.closed and finished == [1], finished
print("close from finished_callback after CallbackStop: ok")

# 2. finished_callback stops and closes while the owner is inside stop() (same thread).
calls = [0]
finished = []


def stop_and_close() -> None:
    finished.append(1)
    stream.stop()
    stream.close()


stream = prtn.OutputStream(channels=2, callback=counting(calls), finished_callback=stop_and_close, api="jack")
stream.start()
time.sleep(0.1)
assert timed(stream.stop) < PROMPT
assert stream.closed and finished == [1], finished
print("stop + close from finished_callback inside stop(): ok")

# 3. stop() and close() from inside the callback: refused (they would wait for the callback
#    itself); the refusal aborts the stream and the next stop() re-raises it.
for method in ("stop", "close"):
    seen: list[BaseException] = []
    ran = threading.Event()
    tried = threading.Event()
    started = threading.Event()

    def calls_itself(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        if started.is_set() and not ran.is_set():
            ran.set()
            try:
                getattr(stream, method)()
            except prtn.RtAudioError as error:
                seen.append(error)
                raise
            finally:
                tried.set()

    stream = prtn.OutputStream(channels=2, callback=calls_itself, api="jack")
    # The callback tries once start() has returned, and this thread leaves the stream alone until
    # it has: a call of this thread in between (start() itself runs on while the first periods
    # play) holds the object's lock, and the callback's call is then refused for that instead.
    stream.start()
    started.set()
    wait_for(tried, "the callback tried")
    deadline = time.monotonic() + PROMPT
    while stream.active and time.monotonic() < deadline:
        time.sleep(0.005)
    assert not stream.active, "the refusal aborted the stream"
    assert seen and seen[0].error_type == "InvalidUse" and "audio callback" in str(seen[0]), seen
    try:
        stream.stop()
        raise AssertionError("stop() re-raises the callback's error")
    except prtn.RtAudioError as error:
        assert error is seen[0] or str(error) == str(seen[0]), (error, seen)
    stream.close()
    print(f"{method}() inside the callback: refused with {seen[0].error_type}, re-raised by stop(): ok")

# 4. close() from another thread while running, then twice more, then stop() after close.
calls = [0]
stream = prtn.OutputStream(channels=2, callback=counting(calls), api="jack")
stream.start()
time.sleep(0.1)
closer = threading.Thread(target=stream.close)
started = time.monotonic()
closer.start()
closer.join(5)
assert not closer.is_alive() and time.monotonic() - started < PROMPT, "close from another thread is prompt"
assert timed(stream.close) < PROMPT and timed(stream.close) < PROMPT, "close is idempotent"
stream.stop()  # sounddevice's ignore_errors=True: nothing to stop
try:
    stream.stop(ignore_errors=False)
    raise AssertionError("stop(ignore_errors=False) after close raises")
except prtn.RtAudioError as error:
    assert error.error_type == "InvalidUse" and "closed" in str(error), error
print("close from another thread, twice, stop after close: ok")

# 5. stop() twice and abort() after stop() are no-ops.
stream = prtn.OutputStream(channels=2, callback=counting([0]), api="jack")
stream.start()
time.sleep(0.05)
assert timed(stream.stop) < PROMPT and timed(stream.stop) < PROMPT and timed(stream.abort) < PROMPT
stream.close()
print("stop twice, abort after stop: ok")
