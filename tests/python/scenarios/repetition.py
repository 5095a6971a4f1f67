"""Repetition: after a warm-up, one scenario runs N times, then on to 10·N in all, and what the
process holds must not grow from the N-th to the 10·N-th iteration: a leak grows with the
iterations, whereas what the first ones leave in caches (type caches, free lists, allocator
pools, the .NET thread pool and JIT) does not. argv: the scenario (a name in SCENARIOS), N.

Measured at each checkpoint, once both collectors, pythonnet's queue of Python objects released
by .NET finalizers and the closes of dropped streams have run:
- counts that must come back exactly: open file descriptors, OS threads (the .NET thread pool's
  own excluded: the pool grows and retires them by its own policy), the native bridge's live
  RtAudio instances, the JACK ports of the process's clients (jack_lsp, on the server the
  scenario uses; each client registers its ports);
- amounts that move a little with nothing kept, each with a bound (GROWTH_BOUNDS) far below
  what leaking one object, or one stream's native memory, per iteration would add over 9·N
  iterations: the reference total (debug builds), the interpreter's allocated blocks, the .NET
  managed heap after full collections, and RSS.

The reference total is not judged where numpy arrays are made: Debian's numpy is built for the
release ABI, whose inline Py_INCREF/Py_DECREF do not count in the debug build's total (it moves
by about one per array operation with nothing kept); allocated blocks count numpy's objects too."""

from __future__ import annotations

import ctypes
import gc
import os
import subprocess
import sys
from typing import Any, Callable

import numpy as np

import pyrtaudionet as prtn
from _common import (PERIOD, PythonStreams, RtAudio, RtAudioApi, RtAudioException, RtAudioFormat, StreamParameters,
                     open_output, start_jackd, stop_jackd, wait_until)
from Python.Runtime import Finalizer  # type: ignore  # (importable once _common loaded the CLR)
from System import GC, GCCollectionMode, GCKind, TimeSpan  # type: ignore

# .NET's tiered JIT recompiles a method after its 30th call, and the optimized code loads what it
# references (System.Console.dll, two descriptors, once): the warm-up outlasts that.
WARM_UP = 40
calls = [0]


def counting(*_: Any) -> None:
    calls[0] += 1


def run_until_called(stream: Any) -> None:
    calls[0] = 0
    stream.start()
    assert wait_until(lambda: calls[0] > 2, 5), "the stream runs"


def raw() -> None:
    """The .NET objects through pythonnet: RtAudio, PythonStreams.OpenStream, stop, close, Dispose."""
    calls[0] = 0
    audio = open_output(counting)
    audio.StartStream()
    assert wait_until(lambda: calls[0] > 2, 5), "the stream runs"
    audio.StopStream()
    audio.CloseStream()
    audio.Dispose()


def memoryview_callback() -> None:
    with prtn.RawOutputStream(channels=2, dtype="float32", callback=counting, api="jack", blocksize=PERIOD) as stream:
        run_until_called(stream)


def numpy_callback() -> None:
    with prtn.OutputStream(channels=2, callback=counting, api="jack", blocksize=PERIOD) as stream:
        run_until_called(stream)


def dropped() -> None:
    """Opened, started and dropped without close(): closed once unreachable."""
    stream = prtn.OutputStream(channels=2, callback=counting, api="jack", blocksize=PERIOD)
    run_until_called(stream)
    del stream


def raises() -> None:
    """The callback raises; stop() re-raises it, close() closes."""
    def callback(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        raise ValueError("raised by the callback")

    stream = prtn.OutputStream(channels=2, callback=callback, api="jack", blocksize=PERIOD)
    stream.start()
    assert wait_until(lambda: not stream.active, 5), "the raise aborted the stream"
    try:
        stream.stop()
    except ValueError:
        pass
    else:
        raise AssertionError("stop() re-raises what the callback raised")
    stream.close()


BLOCK = np.zeros((PERIOD, 2), dtype=np.float32)


def blocking() -> None:
    with prtn.Stream(channels=2, dtype="float32", api="jack", blocksize=PERIOD) as stream:
        for _ in range(4):
            stream.write(BLOCK)
            data, _overflowed = stream.read(PERIOD)
            assert data.shape == (PERIOD, 2)


TONE = np.zeros((480, 2), dtype=np.float32)


def transfers() -> None:
    """play, rec and playrec of 10 ms each, waited for."""
    prtn.play(TONE, samplerate=48000, blocking=True, api="jack")
    assert prtn.rec(480, samplerate=48000, channels=2, blocking=True, api="jack").shape == (480, 2)
    assert prtn.playrec(TONE, samplerate=48000, blocking=True, api="jack").shape == (480, 2)


def queries() -> None:
    assert len(prtn.query_devices(api="jack")) > 0
    assert prtn.query_devices(kind="output", api="jack")["max_output_channels"] > 0
    assert prtn.query_apis("jack")["name"]
    prtn.check_output_settings(channels=2, samplerate=48000, api="jack")


def refused(call: Callable[[], Any], error: type[BaseException]) -> None:
    """Calls ``call``, which must raise ``error``."""
    try:
        call()
    except error:
        return
    raise AssertionError(f"{call} did not raise {error.__name__}")


def low_level_refusals() -> None:
    """Opens RtAudio refuses: three channels of a two-channel JACK device (callback and blocking),
    and device 0 of ALSA and PulseAudio, which list none here."""
    jack = RtAudio(RtAudioApi.UnixJack)
    try:
        too_many = StreamParameters(jack.GetDefaultOutputDevice(), 3, 0)
        refused(lambda: PythonStreams.OpenStream(jack, too_many, None, RtAudioFormat.Float32, 48000, PERIOD, counting, None),
                RtAudioException)
        refused(lambda: jack.OpenBlockingStream(too_many, None, RtAudioFormat.Float32, 48000, PERIOD, None, None),
                RtAudioException)
    finally:
        jack.Dispose()
    for api in (RtAudioApi.LinuxAlsa, RtAudioApi.LinuxPulse):
        audio = RtAudio(api)
        audio.ShowWarnings(False)  # RtAudio's (and libasound's) complaints about no card and no server
        try:
            refused(lambda: audio.OpenBlockingStream(StreamParameters(0, 2, 0), None, RtAudioFormat.Float32, 48000, PERIOD, None, None),
                    RtAudioException)
        finally:
            audio.Dispose()


def refusals() -> None:
    """Refused opens through each layer and API (the tests run it with no PulseAudio server)."""
    low_level_refusals()
    refused(lambda: prtn.OutputStream(channels=2, samplerate=44100, callback=counting, api="jack"), prtn.RtAudioError)
    refused(lambda: prtn.OutputStream(channels=3, callback=counting, api="jack"), ValueError)
    refused(lambda: prtn.OutputStream(device=99, channels=2, api="jack"), ValueError)
    refused(lambda: prtn.InputStream(channels=2, api="alsa"), prtn.RtAudioError)
    refused(lambda: prtn.OutputStream(channels=2, callback=counting, api="pulse"), prtn.RtAudioError)


LOSS_SERVER = f"repetition-loss-{os.getpid()}"


def server_loss() -> None:
    """A running callback stream whose JACK server is killed (SIGKILL); then closed."""
    finished = [False]
    server = start_jackd(LOSS_SERVER)
    try:
        stream = prtn.OutputStream(channels=2, callback=counting, api="jack", blocksize=PERIOD,
                                   finished_callback=lambda: finished.__setitem__(0, True))
        run_until_called(stream)
    finally:
        stop_jackd(server, kill=True)
    assert wait_until(lambda: finished[0], 5), "the loss was reported"
    refused(stream.close, prtn.RtAudioError)  # closes, and reports the loss
    assert stream.closed


SCENARIOS: dict[str, Callable[[], None]] = {
    "raw": raw, "memoryview_callback": memoryview_callback, "numpy_callback": numpy_callback, "dropped": dropped,
    "raises": raises, "blocking": blocking, "transfers": transfers, "queries": queries, "refusals": refusals,
    "server_loss": server_loss,
}
USES_NUMPY = {"numpy_callback", "dropped", "raises", "blocking", "transfers", "server_loss"}

NAME = sys.argv[1]
N = int(sys.argv[2])
scenario = SCENARIOS[NAME]
if NAME == "server_loss":
    os.environ["JACK_DEFAULT_SERVER"] = LOSS_SERVER


def settle() -> None:
    for _ in range(2):
        gc.collect()
        assert PythonStreams.WaitForDroppedCloses(TimeSpan.FromSeconds(10)), "dropped streams closed"
        GC.Collect()
        GC.WaitForPendingFinalizers()
        Finalizer.Instance.Collect()
    gc.collect()


def own_threads() -> int:
    """The process's threads but the .NET thread pool's workers (named ".NET TP Worker")."""
    names = []
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/comm", "rb") as comm:
                names.append(comm.read().strip())
        except FileNotFoundError:  # ended meanwhile
            pass
    return sum(1 for name in names if name != b".NET TP Worker")


def bridge() -> ctypes.CDLL:
    """The native bridge .NET loaded (the same library: dlopen hands out the loaded copy)."""
    with open("/proc/self/maps") as maps:
        path = next(line.split()[-1] for line in maps if line.rstrip().endswith("libpyrtaudionet_native.so"))
    return ctypes.CDLL(path)


def jack_ports() -> int | None:
    """Ports of every client but the server's own ("system:"); None with no server running."""
    listing = subprocess.run(["jack_lsp"], env=dict(os.environ, JACK_NO_START_SERVER="1"), capture_output=True).stdout
    if b"system:" not in listing:
        return None
    return sum(1 for line in listing.splitlines() if line.strip() and not line.startswith(b"system:"))


def live_bytes() -> int:
    """What a full, blocking, compacting collection found alive on the .NET heap."""
    GC.Collect(2, GCCollectionMode.Forced, True, True)
    return GC.GetGCMemoryInfo(GCKind.FullBlocking).PromotedBytes


def rss_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


BRIDGE = bridge()


def measure() -> dict[str, int | None]:
    settle()
    return {
        "file descriptors": len(os.listdir("/proc/self/fd")),
        "threads": own_threads(),
        "native instances": BRIDGE.prtn_live_instances(),
        "JACK ports": jack_ports(),
        "reference total": sys.gettotalrefcount() if hasattr(sys, "gettotalrefcount") and NAME not in USES_NUMPY else None,
        "allocated blocks": sys.getallocatedblocks(),
        ".NET live bytes": live_bytes(),
        "RSS KiB": rss_kib(),
    }


EXACT = ("file descriptors", "threads", "native instances", "JACK ports")
# Allowed growth from N to 10·N iterations: above what runs with nothing kept showed (allocated
# blocks: up to 67, the reference total: 10, .NET live bytes: 13 KB, RSS: 5.6 MB with a shorter
# warm-up), below what a leak adds over 9·N iterations once N >= MIN_N: one block or reference
# per iteration, a disposed RtAudio (0.7 KB) per iteration on the .NET heap. RSS is the coarse
# net for native memory (a blocking stream's rings are 38 KB at the default latency); the native
# suite's LeakSanitizer sees finer native leaks.
GROWTH_BOUNDS = {"reference total": 100, "allocated blocks": 100, ".NET live bytes": 32 * 1024, "RSS KiB": 8 * 1024}
MIN_N = 12
assert N >= MIN_N, f"N={N}: below {MIN_N}, a leak of one block per iteration stays within the bound"

def iteration() -> None:
    """One run of the scenario, then a .NET collection and pythonnet's release of the Python
    objects its finalizers queued. pythonnet queues them in a ConcurrentQueue, which keeps its
    largest segment: a burst larger than any before (many iterations' objects finalized by one
    late collection) grows the heap once by up to tens of KB with nothing leaked. Collected after
    each iteration, every burst is one iteration's objects, and the warm-up sees the largest."""
    scenario()
    GC.Collect()
    GC.WaitForPendingFinalizers()
    Finalizer.Instance.Collect()


try:
    for _ in range(WARM_UP):
        iteration()
    baseline = measure()
    for _ in range(N):
        iteration()
    at_n = measure()
    for _ in range(9 * N):
        iteration()
    at_10n = measure()
finally:
    if NAME == "server_loss":  # the killed server's registry slot (see stop_jackd)
        stop_jackd(start_jackd(LOSS_SERVER))

failures = []
for key, start in baseline.items():
    first, last = at_n[key], at_10n[key]
    if start is None or first is None or last is None:
        print(f"{key}: not measured")
        continue
    print(f"{key}: {start} after the warm-up, {first - start:+d} after {N}, {last - start:+d} after {10 * N}")
    if key in EXACT:
        if last > start:
            failures.append(f"{key} grew from {start} to {last}")
    elif last - first > GROWTH_BOUNDS[key]:
        failures.append(f"{key} grew by {last - first} from {N} to {10 * N} iterations (bound {GROWTH_BOUNDS[key]})")
assert not failures, "; ".join(failures)
print(f"{NAME}: nothing grew over {10 * N} iterations")
