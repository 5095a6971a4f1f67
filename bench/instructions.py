"""make bench's instruction counts: what one period costs the audio thread, counted by callgrind
inside RtAudio's JACK callback (RtApiJack::callbackEvent), for the C and Python floors and the bridge's
callback cases, and where the Python callback's share goes. Instructions are not time (a cold
cache costs more than its instructions), but unlike this VM's CPU clocks they do not move from
run to run, so they show what each layer adds.

Each case runs under valgrind on the same JACK server; once its client's ports appear it gets
WARM seconds (JIT, first periods) whose counts are dropped, then WINDOW seconds are counted."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
WARM = 10.0
WINDOW = 10.0
START_BOUND = 180.0  # seconds for a case to open its stream under valgrind (.NET and Python start slowly there)

# Each case's callback function: the bridge's, the C floor's, the Python floor's (which calls the C floor's).
CALLBACKS = ["trampoline", "rtaudio_callback", "rtaudio_python_callback"]
# What the Python rows are split into: (part, the functions whose inclusive counts make it up).
PYTHON_PARTS = [
    ("the Python function called", ["PyObject_Vectorcall"]),
    ("the GIL", ["PyGILState_Ensure", "PyGILState_Release"]),
]


def inclusive_counts(profile: Path) -> tuple[dict[str, int], int]:
    """Each function's inclusive instruction count, by bare name (the largest entry of that
    name), and how many periods ran (the calls of RtApi::tickStreamTime, once per callbackEvent)."""
    flat = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", str(profile)],
                          capture_output=True, text=True, check=True).stdout
    counts: dict[str, int] = {}
    for match in re.finditer(r"^\s*([\d,]+) \([^)]*\)\s+[^:\s]*:(.*)$", flat, re.MULTILINE):
        signature = match.group(2).split(" [", 1)[0].replace("(anonymous namespace)::", "")
        name = re.sub(r"'\d+$", "", signature.split("(", 1)[0])
        counts[name] = max(counts.get(name, 0), int(match.group(1).replace(",", "")))
    tree = subprocess.run(["callgrind_annotate", "--tree=calling", "--threshold=100", str(profile)],
                          capture_output=True, text=True, check=True).stdout
    periods = re.search(r"RtApi::tickStreamTime\(\) \(([\d,]+)x\)", tree)
    return counts, int(periods.group(1).replace(",", "")) if periods else 0


def profile_case(command: list[str], period: int, server: str, env: dict[str, str]) -> dict:
    """The case's per-period instruction counts: {"periods", "total", "callback", parts...}."""
    with tempfile.TemporaryDirectory() as work:
        out = Path(work) / "callgrind.out"
        case_env = dict(env, JACK_DEFAULT_SERVER=server, BENCH_WARMUP=str(START_BOUND + WARM + WINDOW + 60))
        process = subprocess.Popen(["valgrind", "--tool=callgrind", "--collect-atstart=no",
                                    "--toggle-collect=RtApiJack::callbackEvent*", f"--callgrind-out-file={out}",
                                    *command, "1", str(period)],
                                   env=case_env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + START_BOUND
            while not client_ports(case_env):
                if time.monotonic() > deadline or process.poll() is not None:
                    return {"error": "the case opened no stream under valgrind"}
                time.sleep(1)
            time.sleep(WARM)
            subprocess.run(["callgrind_control", "--dump", str(process.pid)], capture_output=True, check=True)
            time.sleep(WINDOW)
            subprocess.run(["callgrind_control", "--dump", str(process.pid)], capture_output=True, check=True)
        finally:
            process.kill()
            process.wait()
        counts, periods = inclusive_counts(Path(f"{out}.2"))
    if not periods:
        return {"error": "no period was counted"}
    result = {"periods": periods, "total": counts.get("RtApiJack::callbackEvent", 0) / periods,
              "callback": max(counts.get(name, 0) for name in CALLBACKS) / periods}
    for part, functions in PYTHON_PARTS:
        result[part] = sum(counts.get(function, 0) for function in functions) / periods
    return result


def client_ports(env: dict[str, str]) -> bool:
    ports = subprocess.run(["jack_lsp"], env=env, capture_output=True, text=True).stdout.split()
    return any(not port.startswith("system:") for port in ports)


def instruction_lines(cases: list[tuple[str, list[str]]], period: int, server: str) -> list[str]:
    """The table for make bench: each case's instructions per period, against the C floor's."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "python"))
    results = {}
    for label, command in cases:
        print(f"instructions at {period} frames: {label} ...", flush=True)
        results[label] = profile_case(command, period, server, env)
    floor = results[cases[0][0]].get("total")
    lines = [f"Instructions per period on the audio thread at {period} frames, counted by callgrind inside RtAudio's "
             f"JACK callback ({WINDOW:g} s after {WARM:g} s of warm-up; bench/instructions.py). \"In the callback\" is "
             "the floors' callback function, or the bridge's whole share of the period (its trampoline, the .NET and "
             "Python code under it included); the Python rows also show the Python function called and the GIL within it.",
             "", "| case | periods | in RtAudio's callback | × C floor | in the callback | "
             + " | ".join(part for part, _ in PYTHON_PARTS) + " |",
             "| --- | --- | --- | --- | --- | " + " | ".join("---" for _ in PYTHON_PARTS) + " |"]
    for label, _ in cases:
        r = results[label]
        if "error" in r:
            lines.append(f"| {label} | error: {r['error']} | | | | " + " | ".join("" for _ in PYTHON_PARTS) + " |")
            continue
        parts = " | ".join(f"{r[part]:.0f}" if r[part] else "" for part, _ in PYTHON_PARTS)
        ratio = f"{r['total'] / floor:.2f}×" if floor else ""
        lines.append(f"| {label} | {r['periods']} | {r['total']:.0f} | {ratio} | {r['callback']:.0f} | {parts} |")
    return lines
