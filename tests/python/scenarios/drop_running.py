"""Drop a running stream's object without closing it, collect, then exit."""
import gc

from _common import open_output, wait_until

calls = 0


def callback(outdata, indata, frames, stream_time, status):
    global calls
    calls += 1


audio = open_output(callback)
audio.StartStream()
assert wait_until(lambda: calls > 20, 5)
del audio
gc.collect()
