"""The fuzzer: random hostile use of the public API (scenarios/fuzz_case.py), each case in a
fresh interpreter on the suite's JACK server, two at a time. A case passes when it exits 0 with
nothing on stderr but the library's documented report of a failed callback nobody asked about,
and printed no DEFECT line. Everything else is classified and fails the test: a crash (a
signal, a non-zero exit, a fatal error), a hang (no exit within the timeout; reported with
every Python thread's stack), stderr output (on python3.11d: a warning, the debug
allocator), a .NET exception that leaked, nonsense accepted.

``make test`` runs PRTN_FUZZ_CASES (default below) with a fixed seed on both interpreters;
``make fuzz`` runs thousands, with a seed of its own. A failure prints each failed case's
command line, which reruns exactly that case.

The two cases that run at once use two servers: a case is one process, and another process's
JACK clients coming and going while this one closes a client can hang libjack, whatever the
library does (docs/threading.md, "JACK clients come and go one at a time")."""

from __future__ import annotations

import collections
import os
import queue
import re
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from conftest import DEBUG_RUN, REPO, SCENARIOS, jackd

CASES = int(os.environ.get("PRTN_FUZZ_CASES", "200"))
SEED = int(os.environ.get("PRTN_FUZZ_SEED", "20261204"))
# A case takes well under a second on python3.11 and a few on python3.11d.
TIMEOUT = 120 if DEBUG_RUN else 60
# What the library reports on stderr by design: the error of a callback whose stream was
# dropped or closed at exit, never stopped or closed by the program (docs/threading.md).
DOCUMENTED_STDERR = re.compile(r"pyrtaudionet: a stream (dropped without close\(\)|closed at exit) had failed: .*")


def run_case(index: int, server: str) -> tuple[int, str, str]:
    """(index, class, evidence) of one case on ``server``; class "clean" when it passed."""
    command = [sys.executable, "-X", "dev", str(SCENARIOS / "fuzz_case.py"), str(SEED), str(index)]
    env = dict(os.environ, JACK_DEFAULT_SERVER=server, PYTHONPATH=os.pathsep.join([str(REPO / "python"), str(SCENARIOS)]))
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as case:
        try:
            stdout, stderr = case.communicate(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            # -X dev enables faulthandler: SIGABRT makes it print every Python thread's stack.
            case.send_signal(signal.SIGABRT)
            try:
                stdout, stderr = case.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                case.kill()
                stdout, stderr = case.communicate()
            return index, "hang", f"{_tail(stdout)}\n{stderr[-6000:]}"
    result = subprocess.CompletedProcess(command, case.returncode, stdout, stderr)
    stderr = [line for line in result.stderr.splitlines() if not DOCUMENTED_STDERR.fullmatch(line)]
    defects = [line for line in result.stdout.splitlines() if "DEFECT" in line]
    if result.returncode != 0 or "Fatal Python error" in result.stderr:
        return index, "crash", f"exit {result.returncode}\n{_tail(result.stdout)}\n{result.stderr[-3000:]}"
    if "case done" not in result.stdout.splitlines():
        return index, "crash", f"ended before its last step\n{_tail(result.stdout)}"
    if stderr:
        return index, "stderr", "\n".join(stderr[:30])
    if defects:
        return index, "leak" if any("DEFECT leak" in line for line in defects) else "accepted", "\n".join(defects)
    return index, "clean", ""


def _tail(output: str) -> str:
    return "\n".join(output.splitlines()[-12:])


def test_random_hostile_use_neither_crashes_hangs_leaks_nor_accepts_nonsense(jack_server: str) -> None:
    classes: collections.Counter[str] = collections.Counter()
    failed: list[tuple[int, str, str]] = []
    with jackd(64, "fuzz") as second_server, ThreadPoolExecutor(2) as pool:
        idle: queue.Queue[str] = queue.Queue()  # a server no case runs on now, for each worker
        for server in (jack_server, second_server):
            idle.put(server)

        def run_alone(index: int) -> tuple[int, str, str]:
            server = idle.get()
            try:
                return run_case(index, server)
            finally:
                idle.put(server)

        for done, (index, outcome, evidence) in enumerate(pool.map(run_alone, range(CASES)), 1):
            classes[outcome] += 1
            if outcome != "clean":
                failed.append((index, outcome, evidence))
            if done % 25 == 0 or done == CASES:
                print(f"fuzz seed {SEED}: {done}/{CASES} cases, {dict(classes)}", flush=True)
    report = "\n\n".join(f"[{outcome}] PYTHONPATH=python:{SCENARIOS.relative_to(REPO)} {Path(sys.executable).name} -X dev "
                         f"{(SCENARIOS / 'fuzz_case.py').relative_to(REPO)} {SEED} {index}\n{evidence}"
                         for index, outcome, evidence in failed)
    assert not failed, f"{len(failed)} of {CASES} cases failed: {dict(classes)}\n\n{report}"
