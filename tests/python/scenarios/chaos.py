"""Eight threads call start/stop/abort/close/time/latency/read/write (and more) at random on
one stream for argv[2] seconds (default 10); a watchdog fails the run if any thread is stuck.
Every operation must succeed at times, and each refusal must be the one documented for the
stream's state: before close(), only read/write may be refused, because the stream is stopped
("not running") or by their timeout; from close() on, any call may say "the stream is closed".
argv[1]: "blocking" (read/write) or "callback"."""

from __future__ import annotations

import collections
import faulthandler
import os
import random
import sys
import threading
import time
from typing import Any, Callable

import numpy as np

import pyrtaudionet as prtn

MODE = sys.argv[1]
SECONDS = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
THREADS = 8

calls = [0]


def callback(indata: Any, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
    calls[0] += 1
    outdata[:] = indata


if MODE == "blocking":
    stream = prtn.Stream(channels=2, dtype="float32", api="jack")
else:
    stream = prtn.Stream(channels=2, dtype="float32", callback=callback, api="jack")
block = np.zeros((64, 2), dtype=np.float32)
operations: dict[str, Callable[[], Any]] = {
    "start": stream.start,
    "stop": stream.stop,
    "abort": stream.abort,
    "time": lambda: stream.time,
    "latency": lambda: stream.latency,
    "active": lambda: stream.active,
    "cpu_load": lambda: stream.cpu_load,
    "underflows": lambda: stream.output_underflows,
}
if MODE == "blocking":
    operations.update({
        "read": lambda: stream.read(64, timeout=0.05),
        "write": lambda: stream.write(block, timeout=0.05),
        "read_available": lambda: stream.read_available,
        "write_available": lambda: stream.write_available,
    })
names = list(operations)
counts: collections.Counter[str] = collections.Counter()
failures: list[str] = []
lock = threading.Lock()
closing = threading.Event()  # set before the first close() call
deadline = time.monotonic() + SECONDS
close_after = time.monotonic() + 0.9 * SECONDS  # close races the others only at the end


def refusal_is_documented(name: str, error: BaseException) -> bool:
    """Judged after the call: a close() may have begun while it ran."""
    if isinstance(error, prtn.RtAudioError) and "the stream is closed" in str(error):
        return closing.is_set()
    return name in ("read", "write") and (isinstance(error, TimeoutError)
                                          or isinstance(error, prtn.RtAudioError) and "is not running" in str(error))


def worker(seed: int) -> None:
    chooser = random.Random(seed)
    while time.monotonic() < deadline:
        name = "close" if time.monotonic() > close_after and chooser.random() < 0.002 else chooser.choice(names)
        if name == "close":
            closing.set()
        try:
            (stream.close if name == "close" else operations[name])()
            outcome = f"{name}: ok"
        except BaseException as error:
            outcome = f"{name}: {type(error).__name__}"
            if not refusal_is_documented(name, error):
                with lock:
                    failures.append(f"{name}: {type(error).__name__}: {error}")
                outcome += " UNDOCUMENTED"
        with lock:
            counts[outcome] += 1


# A hard watchdog too, in C: it dumps every thread's stack and exits even if the GIL is stuck.
faulthandler.dump_traceback_later(SECONDS + 30, exit=True)
threads = [threading.Thread(target=worker, args=(seed,), name=f"chaos-{seed}") for seed in range(THREADS)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join(max(0.0, deadline - time.monotonic()) + 15)
stuck = [thread.name for thread in threads if thread.is_alive()]
if stuck:
    print(f"watchdog: {stuck} still running 15 s after the end", flush=True)
    faulthandler.dump_traceback(all_threads=True)
    os._exit(3)
try:
    stream.close()
except prtn.RtAudioError as error:  # a callback error kept for the caller: documented
    print("final close re-raised:", error)
for outcome, count in sorted(counts.items()):
    print(f"{outcome:28} {count}")
print(f"{sum(counts.values())} calls from {THREADS} threads in {SECONDS:g} s, callbacks {calls[0]}")
assert not failures, failures[:10]
never = [name for name in names if counts[f"{name}: ok"] == 0]
assert not never, f"never succeeded: {never}"
assert MODE == "blocking" or calls[0] > 0, "the callback ran"
print("ok")
