"""Stop from another thread while the callback sleeps 5 ms per call, and stop from inside the callback: each returns within 1 s."""
import threading
import time

from _common import RtAudioException, open_output, wait_until

calls = 0


def slow(outdata, indata, frames, stream_time, status):
    global calls
    calls += 1
    time.sleep(0.005)


audio = open_output(slow)
audio.StartStream()
assert wait_until(lambda: calls > 5, 5)
took = {}


def stop() -> None:
    start = time.monotonic()
    audio.StopStream()
    took["stop"] = time.monotonic() - start


stopper = threading.Thread(target=stop)
stopper.start()
stopper.join(5)
assert not stopper.is_alive(), "StopStream from another thread hung"
assert took["stop"] < 1.0, took
audio.CloseStream()

seen = []


def stops_itself(outdata, indata, frames, stream_time, status):
    if not seen:
        start = time.monotonic()
        try:
            me.StopStream()
            seen.append(("returned", time.monotonic() - start))
        except RtAudioException as e:
            seen.append((str(e.Message), time.monotonic() - start))


me = open_output(stops_itself)
me.StartStream()
assert wait_until(lambda: bool(seen), 5), "the callback ran"
me.StopStream()
me.CloseStream()
message, duration = seen[0]
print("stop inside the callback:", message, f"{duration:.3f}s")
assert duration < 1.0
assert "audio callback" in message, message
