"""Create/open/start/stop/close cycles: reference-count and RSS drift stay small, and open
file descriptors and threads come back to their baseline. argv: cycles, then "raw" (the .NET
objects through pythonnet) or "api" (pyrtaudionet.RawOutputStream)."""
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
    if MODE == "api":
        # RawOutputStream: numpy on Debian's debug interpreter moves sys.gettotalrefcount() by
        # about one per array operation without leaking anything (object refcounts and RSS stay
        # flat), which would hide a real drift; the numpy path is the same stream plus one array.
        with pyrtaudionet.RawOutputStream(channels=2, callback=api_callback, api="jack", blocksize=64):
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


def refs() -> int:
    return sys.gettotalrefcount() if hasattr(sys, "gettotalrefcount") else 0


def measure() -> tuple[int, int]:
    settle()
    return refs(), rss_kib()


def descriptors_and_threads() -> tuple[int, int]:
    return len(os.listdir("/proc/self/fd")), len(os.listdir("/proc/self/task"))


for _ in range(50):  # warm-up: caches, JIT, allocator pools
    cycle()
refs_before, rss_before = measure()
fds_before, threads_before = descriptors_and_threads()
for i in range(CYCLES):
    cycle()
    if i % 100 == 99:
        refs_now, rss_now = measure()
        print(f"{i + 1} cycles: refs {refs_now - refs_before:+d}, rss {rss_now - rss_before:+d} KiB", flush=True)
refs_after, rss_after = measure()
fds_after, threads_after = descriptors_and_threads()
print(f"file descriptors {fds_before} -> {fds_after}, threads {threads_before} -> {threads_after}")
assert fds_after <= fds_before, (fds_before, fds_after)
assert threads_after <= threads_before, (threads_before, threads_after)
ref_drift, rss_drift = refs_after - refs_before, rss_after - rss_before
print(f"drift over {CYCLES} cycles: refs {ref_drift:+d}, rss {rss_drift:+d} KiB")
assert abs(ref_drift) < 100, ref_drift
assert rss_drift < 5 * 1024, rss_drift
