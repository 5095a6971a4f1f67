"""Benchmark cases through pyrtaudionet: MODE SECONDS PERIOD, MODE one of empty, sine, duplex,
blocking (one period per write), blocking-20ms (20 ms per write), startup, and the busy-program
cases (see run.py's BUSY_CASES): busy (an empty callback while the main thread computes),
busy-blocking (one-period read/write while another thread computes), gil-play (play() while the
main thread holds the GIL in a C call). Prints one JSON line (see run.py)."""

from __future__ import annotations

import json
import os
import resource
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "tools"))
started = time.perf_counter()
import numpy as np  # noqa: E402

numpy_imported = time.perf_counter()
import pyrtaudionet as sd  # noqa: E402
from busy import ComputingThread, compute_until, hold_the_gil  # noqa: E402  # tools/busy.py

package_imported = time.perf_counter()

mode, seconds, period = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
calls = [0]
first_call = threading.Event()
first_at = [0.0]
phase = [0]
rate = 48000


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def empty(outdata, frames, time_info, status):  # type: ignore[no-untyped-def]
    calls[0] += 1  # counting, as the C floor and PyAudio's callback do


def first(outdata, frames, time_info, status):  # type: ignore[no-untyped-def]
    if not first_call.is_set():
        first_at[0] = time.perf_counter()
        first_call.set()


def sine(outdata, frames, time_info, status):  # type: ignore[no-untyped-def]
    calls[0] += 1
    t = (phase[0] + np.arange(frames)) * (2 * np.pi * 440 / rate)
    outdata[:] = (0.2 * np.sin(t))[:, None]
    phase[0] += frames


def duplex(indata, outdata, frames, time_info, status):  # type: ignore[no-untyped-def]
    calls[0] += 1
    outdata[:] = indata


def xruns(stream) -> int:  # type: ignore[no-untyped-def]
    """Periods the server flagged (JACK flags both directions of a duplex stream at once), plus
    periods a blocking stream's rings ran short or over: as run.py counts them everywhere."""
    stats = stream._statistics()
    return (max(int(stats.OutputUnderflows), int(stats.InputOverflows))
            + int(stats.RingUnderflows) + int(stats.RingOverflows))


def measure(stream, counter) -> dict:  # type: ignore[no-untyped-def]
    def snapshot() -> tuple[int, float, int]:
        stream._audio.ResetCallbackDurations()  # the bridge's own per-period timing, from here
        return counter(), cpu(), xruns(stream)

    # Every measuring call runs once in the warm-up too: its one-off .NET JIT stays out of the window.
    snapshot()
    stream._audio.GetCallbackDurations()
    time.sleep(float(os.environ.get("BENCH_WARMUP", "4")))  # warm-up: .NET tiered compilation settles
    before_calls, before_cpu, before_xruns = snapshot()
    time.sleep(seconds)
    durations = stream._audio.GetCallbackDurations()
    return {"callbacks": counter() - before_calls, "cpu_seconds": cpu() - before_cpu,
            "xruns": xruns(stream) - before_xruns,
            "rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            "p50_us": durations.P50Microseconds, "p99_us": durations.P99Microseconds,
            "p999_us": durations.P999Microseconds, "max_us": durations.MaxMicroseconds}

if mode == "busy":
    with sd.OutputStream(channels=2, blocksize=period, api="jack", callback=empty) as stream:
        time.sleep(float(os.environ.get("BENCH_WARMUP", "4")))
        before_calls, before_flagged = calls[0], stream.output_underflows
        compute_until(time.perf_counter() + seconds)
        result = {"callbacks": calls[0] - before_calls, "flagged": stream.output_underflows - before_flagged}
elif mode == "busy-blocking":
    stream = sd.Stream(channels=1, blocksize=period, api="jack", ringsize=rate)
    stream.start()
    stream.read(stream.read_available)
    stream.write(np.zeros((stream.write_available // 2, 1), np.float32))  # half the ring queued, as a program keeps its latency
    block = np.zeros((period, 1), np.float32)
    calls_made = flagged_calls = 0
    with ComputingThread():
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            _, overflowed = stream.read(period)
            underflowed = stream.write(block)
            calls_made += 1
            flagged_calls += overflowed or underflowed
    stream.abort()
    stream.close()
    result = {"callbacks": calls_made, "flagged": flagged_calls}
elif mode == "gil-play":
    data = np.zeros((3 * rate, 2), np.float32)
    began = time.perf_counter()
    sd.play(data, rate, blocksize=period, api="jack")
    hold_the_gil(1.0)
    sd.wait()
    took = time.perf_counter() - began
    statistics = sd.get_stream()._statistics()
    result = {"callbacks": int(statistics.Callbacks), "flagged": int(statistics.OutputUnderflows), "seconds": took}
elif mode in ("blocking", "blocking-20ms"):
    stream = sd.OutputStream(channels=2, blocksize=period, api="jack")  # the default ring (latency="high")
    block = np.zeros((period if mode == "blocking" else rate // 50, 2), np.float32)
    stop = threading.Event()

    def feed() -> None:
        try:
            while not stop.is_set():
                stream.write(block)
        except sd.RtAudioError:
            pass

    feeder = threading.Thread(target=feed)
    stream.start()
    feeder.start()
    result = measure(stream, lambda: int(stream._statistics().Callbacks))
    stop.set()
    stream.abort()
    feeder.join()
    stream.close()
elif mode == "startup":
    stream = sd.OutputStream(channels=2, blocksize=period, api="jack", callback=first)
    opened = time.perf_counter()
    with stream:
        first_call.wait(10)
    marks = [started, numpy_imported, package_imported, opened, first_at[0]]
    result = {"import_to_first_callback_ms": 1000 * (first_at[0] - started),
              "phases_ms": [1000 * (b - a) for a, b in zip(marks, marks[1:])]}
else:
    kind = {"empty": sd.OutputStream, "sine": sd.OutputStream, "duplex": sd.Stream}[mode]
    callback = {"empty": empty, "sine": sine, "duplex": duplex}[mode]
    with kind(channels=2, blocksize=period, api="jack", callback=callback) as stream:
        result = measure(stream, lambda: calls[0])
print(json.dumps(result))
