"""The peer: PyAudio (Debian python3-pyaudio, PortAudio's JACK host API) on the same server:
MODE SECONDS PERIOD, MODE one of empty, sine, duplex. Prints one JSON line (see run.py)."""

from __future__ import annotations

import json
import os
import resource
import sys
import time

import numpy as np
import pyaudio

mode, seconds, period = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
rate = 48000
calls = [0]
xruns = [0]
phase = [0]
silence = bytes(period * 2 * 4)
audio = pyaudio.PyAudio()
jack = audio.get_host_api_info_by_type(pyaudio.paJACK)
device = jack["defaultOutputDevice"]


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def callback(in_data, frames, time_info, status):  # type: ignore[no-untyped-def]
    calls[0] += 1
    if status:
        xruns[0] += 1
    if mode == "empty":
        return silence, pyaudio.paContinue
    if mode == "sine":
        t = (phase[0] + np.arange(frames)) * (2 * np.pi * 440 / rate)
        phase[0] += frames
        return np.repeat((0.2 * np.sin(t)).astype(np.float32), 2).tobytes(), pyaudio.paContinue
    return in_data, pyaudio.paContinue


stream = audio.open(format=pyaudio.paFloat32, channels=2, rate=rate, output=True, input=mode == "duplex",
                    frames_per_buffer=period, stream_callback=callback, output_device_index=device,
                    input_device_index=jack["defaultInputDevice"] if mode == "duplex" else None)
stream.start_stream()
time.sleep(float(os.environ.get("BENCH_WARMUP", "4")))  # warm-up, as every case
before_calls, before_cpu, before_xruns = calls[0], cpu(), xruns[0]
time.sleep(seconds)
result = {"callbacks": calls[0] - before_calls, "cpu_seconds": cpu() - before_cpu, "xruns": xruns[0] - before_xruns,
          "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
stream.stop_stream()
stream.close()
audio.terminate()
print(json.dumps(result))
