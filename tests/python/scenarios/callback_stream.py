"""A Python callback stream for 2 s: count the callbacks and check stream time.

A busy machine makes JACK's dummy driver skip periods it began late, and the server reports each
such cycle as an xrun: a shortfall beyond 5% (up to 20%) is accepted only with one."""
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
elapsed = time.monotonic() - start
stream_time = audio.GetStreamTime()
audio.StopStream()
statistics = audio.GetStreamStatistics()
xruns = int(statistics.OutputUnderflows)
expected = elapsed * SAMPLE_RATE / PERIOD
shortfall = 0.20 if xruns else 0.05
print(f"calls={calls} expected={expected:.0f} elapsed={elapsed:.3f} xruns={xruns}")
assert expected * (1 - shortfall) <= calls <= expected * 1.05, calls
assert elapsed * (1 - shortfall) <= stream_time <= elapsed * 1.05, (stream_time, elapsed)
assert int(statistics.Callbacks) >= calls
# RtAudio's stream time also counts the few silent periods that drain the output at the stop.
drained = audio.GetStreamTime() * SAMPLE_RATE / PERIOD - int(statistics.Callbacks)
assert -1e-6 < drained < 4, f"stream time counts the periods, and {drained:.3f} more"
audio.CloseStream()
