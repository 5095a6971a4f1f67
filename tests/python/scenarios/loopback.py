"""Duplex self-loopback through jack_connect: the input records exactly what the Python callback wrote."""
import os
import subprocess
import threading

import numpy as np

from _common import PERIOD, SAMPLE_RATE, PythonStreams, RtAudio, RtAudioApi, RtAudioFormat, StreamFlags, StreamOptions, StreamParameters, wait_until

CHANNELS = 2
FRAMES = SAMPLE_RATE // 2
recorded = np.zeros((FRAMES, CHANNELS), dtype=np.float32)
state = {"armed": False, "played": 0, "recorded": 0}
done = threading.Event()


def signal(start: int, count: int) -> np.ndarray:
    frames = (np.arange(start, start + count) % 4096 + 1).astype(np.float32) / 8192
    return np.stack([frames, -frames], axis=1)


def callback(outdata, indata, frames, stream_time, status):
    if not state["armed"]:
        return 0
    out = np.asarray(outdata)
    out[:] = signal(state["played"], frames)
    state["played"] += frames
    take = min(frames, FRAMES - state["recorded"])
    recorded[state["recorded"]:state["recorded"] + take] = np.asarray(indata)[:take]
    state["recorded"] += take
    return 0 if state["recorded"] < FRAMES else 1


name = f"pyloop{os.getpid()}"
audio = RtAudio(RtAudioApi.UnixJack)
device = audio.GetDefaultOutputDevice()
options = StreamOptions()
options.StreamName = name
options.Flags = StreamFlags.JackDontConnect
PythonStreams.OpenStream(audio, StreamParameters(device, CHANNELS, 0), StreamParameters(device, CHANNELS, 0),
                         RtAudioFormat.Float32, SAMPLE_RATE, PERIOD, callback, options)
audio.StartStream()
for c in range(CHANNELS):
    subprocess.run(["jack_connect", f"{name}:outport {c}", f"{name}:inport {c}"], check=True)
state["armed"] = True
assert wait_until(lambda: not audio.IsStreamRunning(), 10), "the stream stopped itself"
audio.CloseStream()

first = int(np.argmax(np.any(recorded != 0, axis=1)))
print("first signal frame:", first)
assert first == PERIOD, first
expected = signal(0, FRAMES - first)
mismatches = int(np.count_nonzero(recorded[first:] != expected))
assert mismatches == 0, f"{mismatches} samples differ"
