"""Create/open/start/stop/close cycles: reference-count and RSS drift stay small."""
import gc
import sys

from _common import open_output, wait_until
from System import GC  # type: ignore  # (importable once _common loaded the CLR)

CYCLES = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
calls = 0


def callback(outdata, indata, frames, stream_time, status):
    global calls
    calls += 1


def cycle() -> None:
    global calls
    calls = 0
    audio = open_output(callback)
    audio.StartStream()
    assert wait_until(lambda: calls > 0, 5)
    audio.StopStream()
    audio.CloseStream()
    audio.Dispose()


def rss_kib() -> int:
    """Resident memory after both collectors ran: what is kept, not garbage awaiting a GC."""
    gc.collect()
    GC.Collect()
    GC.WaitForPendingFinalizers()
    GC.Collect()
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


def refs() -> int:
    gc.collect()
    return sys.gettotalrefcount() if hasattr(sys, "gettotalrefcount") else 0


for _ in range(50):  # warm-up: caches, JIT, allocator pools
    cycle()
refs_before, rss_before = refs(), rss_kib()
for i in range(CYCLES):
    cycle()
    if i % 100 == 99:
        print(f"{i + 1} cycles: refs {refs() - refs_before:+d}, rss {rss_kib() - rss_before:+d} KiB", flush=True)
ref_drift, rss_drift = refs() - refs_before, rss_kib() - rss_before
print(f"drift over {CYCLES} cycles: refs {ref_drift:+d}, rss {rss_drift:+d} KiB")
assert abs(ref_drift) < 100, ref_drift
assert rss_drift < 5 * 1024, rss_drift
