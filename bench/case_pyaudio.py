"""The peer: PyAudio (Debian python3-pyaudio, PortAudio's JACK host API) on the same server:
MODE SECONDS PERIOD, MODE one of empty, sine, duplex, and the busy-program cases as in
case_python.py: busy, busy-blocking, gil-play. Prints one JSON line (see run.py)."""

from __future__ import annotations

import json
import os
import resource
import sys
import time

import numpy as np
import pyaudio

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools"))
from busy import ComputingThread, compute_until, hold_the_gil  # noqa: E402  # tools/busy.py

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
    if mode in ("empty", "busy"):
        return silence, pyaudio.paContinue
    if mode == "sine":
        t = (phase[0] + np.arange(frames)) * (2 * np.pi * 440 / rate)
        phase[0] += frames
        return np.repeat((0.2 * np.sin(t)).astype(np.float32), 2).tobytes(), pyaudio.paContinue
    return in_data, pyaudio.paContinue


if mode == "busy-blocking":
    stream = audio.open(format=pyaudio.paFloat32, channels=1, rate=rate, output=True, input=True, frames_per_buffer=period,
                        output_device_index=device, input_device_index=jack["defaultInputDevice"])
    stream.write(bytes(rate // 2 * 4))  # half a second queued, as case_python.py's
    block = bytes(period * 4)
    calls_made = flagged_calls = 0
    with ComputingThread():
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            flagged = False
            try:
                stream.read(period, exception_on_overflow=True)
            except OSError:
                flagged = True
            try:
                stream.write(block, exception_on_underflow=True)
            except OSError:
                flagged = True
            calls_made += 1
            flagged_calls += flagged
    stream.close()
    audio.terminate()
    print(json.dumps({"callbacks": calls_made, "flagged": flagged_calls}))
    sys.exit(0)

if mode == "gil-play":
    data = np.zeros(3 * rate * 2, np.float32)
    position = [0]

    def play(in_data, frames, time_info, status):  # type: ignore[no-untyped-def]
        calls[0] += 1
        xruns[0] += bool(status)
        chunk = data[position[0]:position[0] + frames * 2]
        position[0] += frames * 2
        done = position[0] >= len(data)
        return np.pad(chunk, (0, frames * 2 - len(chunk))).tobytes(), pyaudio.paComplete if done else pyaudio.paContinue

    began = time.perf_counter()
    stream = audio.open(format=pyaudio.paFloat32, channels=2, rate=rate, output=True, frames_per_buffer=period,
                        stream_callback=play, output_device_index=device)
    stream.start_stream()
    hold_the_gil(1.0)
    while stream.is_active():
        time.sleep(0.005)
    took = time.perf_counter() - began
    stream.close()
    audio.terminate()
    print(json.dumps({"callbacks": calls[0], "flagged": xruns[0], "seconds": took}))
    sys.exit(0)

stream = audio.open(format=pyaudio.paFloat32, channels=2, rate=rate, output=True, input=mode == "duplex",
                    frames_per_buffer=period, stream_callback=callback, output_device_index=device,
                    input_device_index=jack["defaultInputDevice"] if mode == "duplex" else None)
stream.start_stream()
time.sleep(float(os.environ.get("BENCH_WARMUP", "4")))  # warm-up, as every case
before_calls, before_cpu, before_xruns = calls[0], cpu(), xruns[0]
if mode == "busy":  # the main thread computes meanwhile
    compute_until(time.perf_counter() + seconds)
    result = {"callbacks": calls[0] - before_calls, "flagged": xruns[0] - before_xruns}
else:
    time.sleep(seconds)
    result = {"callbacks": calls[0] - before_calls, "cpu_seconds": cpu() - before_cpu, "xruns": xruns[0] - before_xruns,
              "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
stream.stop_stream()
stream.close()
audio.terminate()
print(json.dumps(result))
