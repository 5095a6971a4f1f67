"""make bench: every case side by side on one private JACK dummy server per period, as ratios.

Each case runs in its own process (see floor.cpp, PyRtAudioNet.Bench, case_python.py,
case_pyaudio.py), warms up BENCH_WARMUP s (default 4: .NET's tiered compilation must settle, or its
one-off background JIT, about 60 ms of CPU, lands in the window), then measures BENCH_SECONDS (default 10): callbacks, process
CPU time and xruns in that window. The cases run BENCH_ROUNDS times (default 3), interleaved,
and each reports its median round (CPU per callback): one round's ratios move by 20% or more on
this noisy machine. Then every case runs once more, BENCH_XRUN_SECONDS (default 60) at 64 frames
on a realtime server (SCHED_FIFO, where permitted), for the xrun count and what jackd logged. Results go to
docs/benchmarks.md with the command line.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from instructions import instruction_lines

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))
import jack_dummy_server  # noqa: E402  # every suite's JACK server launcher
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "4"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
XRUN_SECONDS = float(os.environ.get("BENCH_XRUN_SECONDS", "60"))
STARTUPS_PER_ROUND = 3
XRUN_PERIOD = 64
PERIODS = [int(p) for p in os.environ.get("BENCH_PERIODS", "32 64 256").split()]
PYTHON = os.environ.get("PYTHON", "/usr/bin/python3.11")
FLOOR = str(REPO / "artifacts" / "native" / "prtn_bench_floor")
DOTNET_BENCH = ["dotnet", str(REPO / "src" / "PyRtAudioNet.Bench" / "bin" / "Release" / "net10.0" / "PyRtAudioNet.Bench.dll")]

CASES = [
    ("C floor: RtAudio, empty callback", [FLOOR, "rtaudio"]),
    ("Python floor: the C floor calling an empty Python function", [FLOOR, "rtaudio-python"]),
    ("native bridge, empty callback", [FLOOR, "bridge"]),
    (".NET callback, empty", DOTNET_BENCH + ["empty"]),
    (".NET callback, sine", DOTNET_BENCH + ["sine"]),
    ("native bridge, blocking write", [FLOOR, "bridge-blocking"]),
    (".NET blocking write", DOTNET_BENCH + ["blocking"]),
    (".NET blocking write, 8-period ring", DOTNET_BENCH + ["blocking-8"]),
    ("Python callback, empty", [PYTHON, "bench/case_python.py", "empty"]),
    ("Python callback, numpy sine", [PYTHON, "bench/case_python.py", "sine"]),
    ("Python callback, duplex copy", [PYTHON, "bench/case_python.py", "duplex"]),
    ("Python blocking write", [PYTHON, "bench/case_python.py", "blocking"]),
    ("Python blocking write, 20 ms chunks", [PYTHON, "bench/case_python.py", "blocking-20ms"]),
    ("PyAudio, empty", [PYTHON, "bench/case_pyaudio.py", "empty"]),
    ("PyAudio, sine", [PYTHON, "bench/case_pyaudio.py", "sine"]),
    ("PyAudio, duplex copy", [PYTHON, "bench/case_pyaudio.py", "duplex"]),
]
# What a busy program costs the audio, pyrtaudionet against PyAudio on the same server (the
# first table's --no-realtime one), one run each: (period, situation, case mode).
BUSY_CASES = [
    (64, "callback stream, empty callback, the main thread computing: periods flagged", "busy"),
    (256, "callback stream, empty callback, the main thread computing: periods flagged", "busy"),
    (64, "duplex `read(64)`/`write(64)` in turn, another thread computing: calls flagged", "busy-blocking"),
    (256, "`play()` of 3 s, the main thread in a C call holding the GIL for 1 s: `play()` to the end, periods flagged", "gil-play"),
]
PEERS = {"Python callback, empty": "PyAudio, empty", "Python callback, numpy sine": "PyAudio, sine",
         "Python callback, duplex copy": "PyAudio, duplex copy"}


def realtime_allowed() -> bool:
    """Whether a process started here may run threads SCHED_FIFO (root, or an RLIMIT_RTPRIO)."""
    probe = [sys.executable, "-c", "import os; os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(10))"]
    return subprocess.run(probe, capture_output=True).returncode == 0


def start_jack(period: int, realtime: bool = False, log: Path | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """A private JACK dummy server, its messages in `log` (default: discarded); realtime:
    SCHED_FIFO priority 70 (its clients' process threads get realtime priority too), as audio
    runs in practice."""
    name = f"bench-{uuid.uuid4().hex[:8]}"
    output = open(log, "wb") if log else subprocess.DEVNULL  # noqa: SIM115  # jackd keeps its own copy
    try:
        server = jack_dummy_server.start(name, 48000, period, realtime=realtime, output=output)
    finally:
        if log:
            output.close()  # type: ignore[union-attr]
    time.sleep(1)  # a client opened at once has once seen no device
    return server, name


def run_case(command: list[str], period: int, server: str, seconds: float = SECONDS, retry: bool = True) -> dict:
    """One case in its own process: its JSON result, or {"error": ...} after a second failure
    (a retried result says why in "retried")."""
    env = dict(os.environ, JACK_DEFAULT_SERVER=server, PYTHONPATH=str(REPO / "python"))
    result = subprocess.run(command + [str(seconds), str(period)], env=env, cwd=REPO, capture_output=True, text=True,
                            timeout=seconds * 4 + WARMUP + 60)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        error = (result.stderr.strip().splitlines() or ["no output"])[-1]
        if retry:
            print(f"  failed ({error}); once more", flush=True)
            return dict(run_case(command, period, server, seconds, retry=False), retried=error)
        return {"error": error}
    return json.loads(lines[-1])


def case_label(label: str, result: dict) -> str:
    """The row's label; a case that needed a second try says why the first failed."""
    return f"{label} (second try; the first: {result['retried']})" if "retried" in result else label


def cpu_us(result: dict) -> float:
    return 1e6 * result["cpu_seconds"] / max(result["callbacks"], 1)


# Where the startup goes, found by profiling apart from this run (one process pinned to one core);
# the run's own phases are given before it.
STARTUP_FLOOR = (
    "Most of the import is pythonnet's start, which this project does not control: the .NET runtime's "
    "start, loading Python.Runtime, pythonnet's Loader.Initialize and the first .NET type pythonnet wraps "
    "for Python. Opening the stream on JACK opens four JACK clients: RtAudio 5.2 opens one for each device "
    "query (one to find the default device, device 0 asked alone first, and one inside openStream for its "
    "device count check), then the stream's own; the fourth is the bridge's hold, kept open meanwhile so "
    "that the others find the server's shared memory (its port graph) already mapped, locked and touched, "
    "which each query client would otherwise do again."
)


def median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2] if values else float("nan")


def median_round(runs: list[dict]) -> dict:
    """The round with the median CPU per callback, with the spread of all rounds."""
    good = sorted((r for r in runs if "callbacks" in r), key=cpu_us)
    if not good:
        return runs[-1]
    return dict(good[len(good) // 2], spread=(cpu_us(good[0]), cpu_us(good[-1])))


def main() -> int:
    rows: list[str] = []
    startups: list[dict] = []
    goals: dict[str, float] = {}
    for period in PERIODS:
        server, name = start_jack(period)
        try:
            runs: dict[str, list[dict]] = {label: [] for label, _ in CASES}
            for round_number in range(1, ROUNDS + 1):
                for label, command in CASES:
                    print(f"period {period}, round {round_number}/{ROUNDS}: {label} ...", flush=True)
                    runs[label].append(run_case(command, period, name))
                if period == 64:
                    for _ in range(STARTUPS_PER_ROUND):
                        startup = run_case([PYTHON, "bench/case_python.py", "startup"], period, name)
                        startups += [startup] if "import_to_first_callback_ms" in startup else []
        finally:
            server.terminate()
            server.wait()
        results = {label: median_round(r) for label, r in runs.items()}
        floor = results[CASES[0][0]]
        floor_us = cpu_us(floor) if "callbacks" in floor else None
        for label, _ in CASES:
            r = results[label]
            if "error" in r:
                rows.append(f"| {period} | {label} | error: {r['error']} | | | | | | | |")
                continue
            us = cpu_us(r)
            peer = results.get(PEERS.get(label, ""), {})
            peer_ratio = us / cpu_us(peer) if "callbacks" in peer else None
            floor_ratio = us / floor_us if floor_us else None
            rss = f"{r['rss_kib'] / 1024:.0f}" if "rss_kib" in r else ""
            period_us = 1e6 * period / 48000
            durations = (f"{r['p50_us']:.0f} / {r['p99_us']:.0f} / {r['p999_us']:.0f} / {r['max_us']:.0f}"
                         f" | {100 * r['p999_us'] / period_us:.0f}%") if "p999_us" in r else "n/a | n/a"
            low, high = r["spread"]
            rows.append(f"| {period} | {case_label(label, r)} | {r['callbacks']} | {us:.1f} ({low:.1f}–{high:.1f}) | "
                        f"{f'{floor_ratio:.2f}×' if floor_ratio else ''} | {f'{peer_ratio:.2f}×' if peer_ratio else ''} | "
                        f"{durations} | {r['xruns']} | {rss} |")
            if period == 64:
                goals[label] = peer_ratio if label in PEERS else floor_ratio or float("nan")
                goals[f"{label} × C floor"] = floor_ratio or float("nan")
                if "p999_us" in r:
                    goals["p99.9 / period"] = max(goals.get("p99.9 / period", 0.0), r["p999_us"] / period_us)
    busy_lines = busy_phase()
    instruction_lines = instruction_phase()
    xrun_lines, most_xruns = xrun_phase()
    goals["xruns"] = most_xruns
    startup_ms = median([s["import_to_first_callback_ms"] for s in startups])
    phases = [median(list(phase)) for phase in zip(*(s["phases_ms"] for s in startups))] or [float("nan")] * 4
    command = "make bench" + (f" (BENCH_SECONDS={os.environ['BENCH_SECONDS']})" if "BENCH_SECONDS" in os.environ else "")
    text = "\n".join([
        "# Benchmarks",
        "",
        f"Produced by `{command}` on {time.strftime('%Y-%m-%d')} ({platform.machine()}, {os.cpu_count()} cores), "
        f"JACK dummy driver at 48 kHz, 2 channels float32, {SECONDS:g} s per case after a {WARMUP:g} s warm-up, "
        f"{ROUNDS} interleaved rounds; each row is the case's median round, with the CPU of all rounds in brackets. "
        "CPU time is the whole process's (all threads) divided by the callbacks in the window; "
        "ratios compare with the C floor and with PyAudio's equivalent case in the same run.",
        "",
        "| period | case | callbacks | CPU µs / callback (all rounds) | × C floor | × PyAudio | µs in the bridge per period: p50 / p99 / p99.9 / max | p99.9 / period | xruns | max RSS MiB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *rows,
        "",
        f"Import of `pyrtaudionet` to the first Python callback (numpy's import included), median of {len(startups)}: "
        f"{startup_ms:.0f} ms. The medians of its phases: numpy's import {phases[0]:.0f} ms, pyrtaudionet's {phases[1]:.0f} ms, "
        f"`OutputStream(...)` {phases[2]:.0f} ms, `start()` to the first callback {phases[3]:.0f} ms. " + STARTUP_FLOOR,
        "",
        *busy_lines,
        "",
        *instruction_lines,
        "",
        *xrun_lines,
        "",
        *goal_lines(goals, startup_ms),
        "",
        "Blocking writes cost their writer's wake-ups: an output-only stream's writer sleeps until the "
        "ring is predicted half empty (the audio thread wakes nobody: the bridge's share of its period makes no system call), then "
        "moves half a ring; the native blocking row shows that cost without .NET. A wake-up of a sleeping thread costs "
        "several times a whole period of the C floor at 32 or 64 frames on this VM, so the bridge's default ring (.NET's) "
        "is large enough that a writer wakes at most every 20 ms; the 8-period rows show what a small ring (less latency) "
        "costs. From Python every write is one call into .NET through ctypes with the GIL kept (released only to "
        "wait), with Python code around it; a Python blocking stream's default ring (latency='high') is larger still, "
        "so its writer wakes less often.",
        "",
        "The Python floor is the least any Python callback costs: the C floor's callback also takes the GIL "
        "and calls an empty Python function with no arguments (CPython embedded in the same program, the audio "
        "thread's Python thread state kept from its first period on, as the bridge keeps it); the Python "
        "callback rows pay that and, on top, the bridge's arguments and layers. So it is in instructions per period "
        "(callgrind's table); in CPU time, which moves with when this VM wakes the audio thread and jackd, a Python "
        "callback row can come out below the Python floor at some periods.",
        "",
        "xruns count the periods the server flagged (once per period, both directions of a duplex stream "
        "together) plus, for blocking streams, periods the ring could not fill. In the first table the "
        "dummy driver runs `--no-realtime` on 2 shared cores, so a late server cycle is an xrun for every "
        "client, the C floor included; that table keeps the non-realtime server because there each wake-up "
        "costs least, which makes the ratios strictest. The xrun goal is measured on the realtime server.",
        "",
        "The per-period times are measured by the native bridge around its whole share of each period "
        "(the callback, or a blocking stream's ring copy, included): upper bounds at 1 µs resolution "
        "below 1024 µs, exact maximum. They do not exist for the C floor and PyAudio, which do not run "
        "through the bridge (n/a).",
        "",
    ])
    (REPO / "docs" / "benchmarks.md").write_text(text)
    print(text)
    return 0


# The cases whose instructions per period bench/instructions.py counts (the C floor first).
INSTRUCTION_CASES = ["C floor: RtAudio, empty callback", "Python floor: the C floor calling an empty Python function",
                     "native bridge, empty callback", ".NET callback, empty", "Python callback, empty"]


def instruction_phase() -> list[str]:
    """INSTRUCTION_CASES under callgrind at XRUN_PERIOD frames, on a server of their own: a table."""
    server, name = start_jack(XRUN_PERIOD)
    try:
        commands = dict(CASES)
        return instruction_lines([(label, commands[label]) for label in INSTRUCTION_CASES], XRUN_PERIOD, name)
    finally:
        server.terminate()
        server.wait()


def busy_phase() -> list[str]:
    """BUSY_CASES, each through pyrtaudionet and PyAudio in turn: a table."""
    rows = []
    for period in sorted({case_period for case_period, _, _ in BUSY_CASES}):
        server, name = start_jack(period)
        try:
            for case_period, situation, mode in BUSY_CASES:
                if case_period != period:
                    continue
                print(f"busy program, period {period}: {situation} ...", flush=True)
                ours = run_case([PYTHON, "bench/case_python.py", mode], period, name)
                peer = run_case([PYTHON, "bench/case_pyaudio.py", mode], period, name)
                rows.append(f"| {period} | {situation} | {busy_cell(ours)} | {busy_cell(peer)} |")
        finally:
            server.terminate()
            server.wait()
    return [f"A busy program, one run each ({SECONDS:g} s of computing; `play()` as long as it takes), on the "
            "`--no-realtime` server of the first table: what the server or the library flagged (an underflow, "
            "an overflow, a late period) among the periods or calls of the window.", "",
            "| period | situation | pyrtaudionet | PyAudio |", "| --- | --- | --- | --- |", *rows]


def busy_cell(result: dict) -> str:
    if "error" in result:
        return f"error: {result['error']}"
    took = f"{result['seconds']:.2f} s, " if "seconds" in result else ""
    share = 100 * result["flagged"] / max(result["callbacks"], 1)
    return f"{took}{result['flagged']} of {result['callbacks']} flagged ({share:.1f}%)"


def xrun_phase() -> tuple[list[str], float]:
    """Every case once for XRUN_SECONDS at XRUN_PERIOD frames on a realtime server: a table (and
    what the C floor's own xruns say), and the most xruns any case had."""
    realtime = realtime_allowed()
    log = Path(tempfile.mkdtemp()) / "jackd.log"
    server, name = start_jack(XRUN_PERIOD, realtime, log)
    try:
        results = {}
        for label, command in CASES:
            print(f"xruns, {XRUN_SECONDS:g} s at {XRUN_PERIOD} frames: {label} ...", flush=True)
            seen = log.stat().st_size
            results[label] = run_case(command, XRUN_PERIOD, name, XRUN_SECONDS)
            results[label]["server"] = server_xruns(log.read_bytes()[seen:].decode(errors="replace"))
    finally:
        server.terminate()
        server.wait()
        log.unlink()
        log.parent.rmdir()
    floor = results[CASES[0][0]]
    how = "a realtime server (`jackd -R -P 70`: SCHED_FIFO)" if realtime else \
        "a `--no-realtime` server (this user may not use SCHED_FIFO)"
    lines = [f"xruns over {XRUN_SECONDS:g} s per case at {XRUN_PERIOD} frames, one run each on {how}, "
             "with what the case costs there, and what jackd itself logged while the case ran (its whole run, "
             "start and stop included): cycles its driver thread began after their deadline (`JackTimedDriver::Process "
             "XRun`: the server itself was not run in time), and cycles a client had not finished (`was not finished`):", "",
             "| case | callbacks | xruns | CPU µs / callback | × C floor | jackd: late cycles | jackd: client not finished |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    most = 0.0
    for label, _ in CASES:
        r = results[label]
        if "error" in r:
            lines.append(f"| {label} | error: {r['error']} | | | | | |")
            most = float("inf")
            continue
        ratio = f"{cpu_us(r) / cpu_us(floor):.2f}×" if "callbacks" in floor else ""
        late, unfinished = r["server"]
        lines.append(f"| {case_label(label, r)} | {r['callbacks']} | {r['xruns']} | {cpu_us(r):.1f} | {ratio} | {late} | {unfinished} |")
        most = max(most, float(r["xruns"]))
    if floor.get("xruns"):
        late, unfinished = floor["server"]
        lines += ["", f"The C floor, an empty RtAudio callback, had {floor['xruns']} xruns here itself, and while it ran "
                  f"jackd logged {late} cycles it began late and {unfinished} a client had not finished: this machine gives "
                  "an empty callback xruns at this period, so no case can show zero here."]
    return lines, most


def server_xruns(log: str) -> tuple[int, int]:
    """What jackd logged: cycles its dummy driver began late, and cycles a client had not finished."""
    return log.count("JackTimedDriver::Process XRun"), log.count("was not finished")


# The goals of issues #7 and #18 at 64 frames: (key in `goals`, limit, what it is, decimals shown).
GOALS = [
    ("Python callback, empty", 0.7, "× PyAudio", 2),
    ("Python callback, empty × C floor", 1.25, "× C floor", 2),
    ("Python callback, numpy sine", 1.0, "× PyAudio", 2),
    ("Python callback, duplex copy", 1.0, "× PyAudio", 2),
    (".NET callback, empty", 1.2, "× C floor", 2),
    (".NET blocking write", 1.5, "× C floor", 2),
    ("Python blocking write", 1.5, "× C floor", 2),
    ("Python blocking write, 20 ms chunks", 1.5, "× C floor", 2),
    ("p99.9 / period", 0.25, "of the period, worst case", 2),
    ("xruns", 0, f"in {XRUN_SECONDS:g} s on the realtime server, worst case", 0),
]


def goal_lines(goals: dict[str, float], startup_ms: float) -> list[str]:
    lines = ["Goals at 64 frames:", "", "| goal | measured | limit | met |", "| --- | --- | --- | --- |"]
    for label, limit, unit, decimals in GOALS:
        value = goals.get(label, float("nan"))
        lines.append(f"| {label} | {value:.{decimals}f} {unit} | {limit:g} | {'yes' if value <= limit else 'no'} |")
    lines.append(f"| import to first callback | {startup_ms:.0f} ms | 400 ms | {'yes' if startup_ms <= 400 else 'no'} |")
    return lines


if __name__ == "__main__":
    sys.exit(main())
