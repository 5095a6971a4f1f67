"""A Python callback stream for 2 s: count the callbacks and check stream time."""
import time

from _common import PERIOD, SAMPLE_RATE, open_output

calls = 0


def callback(outdata, indata, frames, stream_time, status):
    global calls
    calls += 1
    assert indata is None and frames == PERIOD
    assert outdata.shape == (PERIOD, 2) and outdata.format == "f"
    outdata[0, 0] = 0.25
    return None


audio = open_output(callback)
start = time.monotonic()
audio.StartStream()
time.sleep(2.0)
audio.StopStream()
elapsed = time.monotonic() - start
expected = elapsed * SAMPLE_RATE / PERIOD
print(f"calls={calls} expected={expected:.0f} elapsed={elapsed:.3f}")
assert 1500 * 0.95 <= calls <= 1500 * 1.05, calls
assert abs(audio.GetStreamTime() - elapsed) <= 0.05 * elapsed
audio.CloseStream()
