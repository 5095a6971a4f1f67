"""make bench: every case side by side on one private JACK dummy server per period, as ratios.

Each case runs in its own process (see floor.cpp, PyRtAudioNet.Bench, case_python.py,
case_pyaudio.py), warms up BENCH_WARMUP s (default 4: .NET's tiered compilation must settle, or its
one-off background JIT, about 60 ms of CPU, lands in the window), then measures BENCH_SECONDS (default 10): callbacks, process
CPU time and xruns in that window. Results go to docs/benchmarks.md with the command line.
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

REPO = Path(__file__).resolve().parents[1]
SECONDS = float(os.environ.get("BENCH_SECONDS", "10"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "4"))
PERIODS = [int(p) for p in os.environ.get("BENCH_PERIODS", "32 64 256").split()]
PYTHON = os.environ.get("PYTHON", "/usr/bin/python3.11")
FLOOR = str(REPO / "artifacts" / "native" / "prtn_bench_floor")
DOTNET_BENCH = ["dotnet", str(REPO / "src" / "PyRtAudioNet.Bench" / "bin" / "Release" / "net10.0" / "PyRtAudioNet.Bench.dll")]

CASES = [
    ("C floor: RtAudio, empty callback", [FLOOR, "rtaudio"]),
    ("native bridge, empty callback", [FLOOR, "bridge"]),
    (".NET callback, empty", DOTNET_BENCH + ["empty"]),
    (".NET callback, sine", DOTNET_BENCH + ["sine"]),
    (".NET blocking write", DOTNET_BENCH + ["blocking"]),
    ("Python callback, empty", [PYTHON, "bench/case_python.py", "empty"]),
    ("Python callback, numpy sine", [PYTHON, "bench/case_python.py", "sine"]),
    ("Python callback, duplex copy", [PYTHON, "bench/case_python.py", "duplex"]),
    ("Python blocking write", [PYTHON, "bench/case_python.py", "blocking"]),
    ("PyAudio, empty", [PYTHON, "bench/case_pyaudio.py", "empty"]),
    ("PyAudio, sine", [PYTHON, "bench/case_pyaudio.py", "sine"]),
    ("PyAudio, duplex copy", [PYTHON, "bench/case_pyaudio.py", "duplex"]),
]
PEERS = {"Python callback, empty": "PyAudio, empty", "Python callback, numpy sine": "PyAudio, sine",
         "Python callback, duplex copy": "PyAudio, duplex copy"}


def start_jack(period: int) -> tuple[subprocess.Popen[bytes], str]:
    name = f"bench-{uuid.uuid4().hex[:8]}"
    server = subprocess.Popen(["jackd", "-n", name, "--no-realtime", "-t", "10000", "-d", "dummy", "-r", "48000", "-p", str(period)],
                              stdout=tempfile.TemporaryFile(), stderr=subprocess.STDOUT)
    env = dict(os.environ, JACK_DEFAULT_SERVER=name)
    for _ in range(300):
        if "system:playback_1" in subprocess.run(["jack_lsp"], env=env, capture_output=True, text=True).stdout:
            return server, name
        time.sleep(0.05)
    server.kill()
    raise RuntimeError(f"jackd did not start for period {period}")


def run_case(command: list[str], period: int, server: str) -> dict:
    env = dict(os.environ, JACK_DEFAULT_SERVER=server, PYTHONPATH=str(REPO / "python"))
    result = subprocess.run(command + [str(SECONDS), str(period)], env=env, cwd=REPO, capture_output=True, text=True,
                            timeout=SECONDS * 4 + WARMUP + 60)
    lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
    if result.returncode != 0 or not lines:
        return {"error": (result.stderr.strip().splitlines() or ["no output"])[-1]}
    return json.loads(lines[-1])


def main() -> int:
    rows: list[str] = []
    startup: dict = {}
    for period in PERIODS:
        server, name = start_jack(period)
        try:
            results = {}
            for label, command in CASES:
                print(f"period {period}: {label} ...", flush=True)
                results[label] = run_case(command, period, name)
            if period == 64:
                startup = run_case([PYTHON, "bench/case_python.py", "startup"], period, name)
        finally:
            server.terminate()
            server.wait()
        floor = results[CASES[0][0]]
        floor_us = 1e6 * floor["cpu_seconds"] / floor["callbacks"] if "callbacks" in floor else None
        for label, _ in CASES:
            r = results[label]
            if "error" in r:
                rows.append(f"| {period} | {label} | error: {r['error']} | | | | | | | |")
                continue
            us = 1e6 * r["cpu_seconds"] / max(r["callbacks"], 1)
            peer = results.get(PEERS.get(label, ""), {})
            peer_ratio = f"{us / (1e6 * peer['cpu_seconds'] / peer['callbacks']):.2f}×" if "callbacks" in peer else ""
            floor_ratio = f"{us / floor_us:.2f}×" if floor_us else ""
            rss = f"{r['rss_kib'] / 1024:.0f}" if "rss_kib" in r else ""
            period_us = 1e6 * period / 48000
            durations = (f"{r['p50_us']:.0f} / {r['p99_us']:.0f} / {r['p999_us']:.0f} / {r['max_us']:.0f}"
                         f" | {100 * r['p999_us'] / period_us:.0f}%") if "p999_us" in r else "n/a | n/a"
            rows.append(f"| {period} | {label} | {r['callbacks']} | {us:.1f} | {floor_ratio} | {peer_ratio} | {durations} | {r['xruns']} | {rss} |")
    command = "make bench" + (f" (BENCH_SECONDS={os.environ['BENCH_SECONDS']})" if "BENCH_SECONDS" in os.environ else "")
    text = "\n".join([
        "# Benchmarks",
        "",
        f"Produced by `{command}` on {time.strftime('%Y-%m-%d')} ({platform.machine()}, {os.cpu_count()} cores), "
        f"JACK dummy driver at 48 kHz, 2 channels float32, {SECONDS:g} s per case after a {WARMUP:g} s warm-up. "
        "CPU time is the whole process's (all threads) divided by the callbacks in the window; "
        "ratios compare with the C floor and with PyAudio's equivalent case in the same run.",
        "",
        "| period | case | callbacks | CPU µs / callback | × C floor | × PyAudio | µs in the bridge per period: p50 / p99 / p99.9 / max | p99.9 / period | xruns | max RSS MiB |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
        *rows,
        "",
        f"Import of `pyrtaudionet` to the first Python callback: {startup.get('import_to_first_callback_ms', float('nan')):.0f} ms.",
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


if __name__ == "__main__":
    sys.exit(main())
