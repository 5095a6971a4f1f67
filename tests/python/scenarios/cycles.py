"""Create/open/start/stop/close cycles: the interpreter's allocated blocks, the reference total
(debug builds) and RSS drift stay small, and open file descriptors and threads come back to
their baseline. argv: cycles, then "raw" (the .NET objects through pythonnet), "api"
(pyrtaudionet.RawOutputStream: memoryviews) or "numpy" (pyrtaudionet.OutputStream: numpy arrays,
the default path).

The reference total is not judged in "numpy" mode: Debian's numpy is built for the release ABI,
whose inline Py_INCREF/Py_DECREF do not count in the debug build's total (it moves by about
one per array operation with nothing kept). Allocated blocks (sys.getallocatedblocks(), on
release builds too) count every object the interpreter's allocator still holds, numpy's
included."""
import gc
import os
import sys

import pyrtaudionet
from _common import open_output, wait_until
from Python.Runtime import Finalizer  # type: ignore  # (importable once _common loaded the CLR)
from System import GC  # type: ignore

CYCLES = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
MODE = sys.argv[2] if len(sys.argv) > 2 else "raw"
calls = 0


def callback(outdata, indata, frames, stream_time, status):
    global calls
    calls += 1


def api_callback(outdata, frames, time, status):
    global calls
    calls += 1


def cycle() -> None:
    global calls
    calls = 0
    if MODE in ("api", "numpy"):
        kind = pyrtaudionet.RawOutputStream if MODE == "api" else pyrtaudionet.OutputStream
        with kind(channels=2, callback=api_callback, api="jack", blocksize=64):
            assert wait_until(lambda: calls > 0, 5)
        return
    audio = open_output(callback)
    audio.StartStream()
    assert wait_until(lambda: calls > 0, 5)
    audio.StopStream()
    audio.CloseStream()
    audio.Dispose()


def settle() -> None:
    """Runs both collectors and pythonnet's queue of Python objects released by .NET
    finalizers (drained in batches otherwise), so that what is measured is what is kept."""
    for _ in range(2):
        gc.collect()
        GC.Collect()
        GC.WaitForPendingFinalizers()
        Finalizer.Instance.Collect()
    gc.collect()


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def refs() -> int | None:
    return sys.gettotalrefcount() if hasattr(sys, "gettotalrefcount") and MODE != "numpy" else None


def measure() -> tuple[int, int | None, int]:
    settle()
    return sys.getallocatedblocks(), refs(), rss_kib()


def descriptors_and_threads() -> tuple[int, int]:
    return len(os.listdir("/proc/self/fd")), len(os.listdir("/proc/self/task"))


for _ in range(50):  # warm-up: caches, JIT, allocator pools, free lists
    cycle()
before = measure()
fds_before, threads_before = descriptors_and_threads()


def drift(now: tuple[int, int | None, int]) -> str:
    blocks, refs_now, rss = (a - b if a is not None and b is not None else None for a, b in zip(now, before))
    return f"blocks {blocks:+d}, refs {'not measured' if refs_now is None else f'{refs_now:+d}'}, rss {rss:+d} KiB"


for i in range(CYCLES):
    cycle()
    if i % 100 == 99:
        print(f"{i + 1} cycles: {drift(measure())}", flush=True)
after = measure()
fds_after, threads_after = descriptors_and_threads()
print(f"file descriptors {fds_before} -> {fds_after}, threads {threads_before} -> {threads_after}")
assert fds_after <= fds_before, (fds_before, fds_after)
assert threads_after <= threads_before, (threads_before, threads_after)
print(f"drift over {CYCLES} cycles: {drift(after)}")
# A leak grows; fewer blocks than after the warm-up is what it left in caches, freed since.
assert after[0] - before[0] < 100, "allocated blocks"
if after[1] is not None and before[1] is not None:
    assert after[1] - before[1] < 100, "reference total"
assert after[2] - before[2] < 5 * 1024, "RSS"
