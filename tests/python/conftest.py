"""pytest fixtures: a private JACK dummy server (48 kHz, 64 frames) for the whole session, and
a runner for scenario scripts, each in its own interpreter so that exit is part of the test."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import pytest

REPO = Path(__file__).resolve().parents[2]
SCENARIOS = Path(__file__).resolve().parent / "scenarios"
FORBIDDEN = ("Fatal Python error", "Debug memory block", "bad trailing pad byte", "Traceback", "Unhandled exception",
             "AddressSanitizer", "runtime error:")


def stop_server(process: subprocess.Popen[bytes], log: Any) -> None:
    """SIGTERM (SIGKILL after 5 s) for a server a fixture started, then its log file."""
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    log.close()


def wait_for(condition: Any, timeout: float) -> bool:
    """Polls ``condition`` until it holds; its last value after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return bool(condition())


@pytest.fixture(scope="session")
def jack_server() -> Iterator[str]:
    name = f"pytest-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    log = tempfile.TemporaryFile()  # a file, not a pipe: jackd must never block on its output
    # -t: a generous client timeout, so that clients register on a loaded machine too.
    process = subprocess.Popen(["jackd", "-n", name, "--no-realtime", "-t", "10000", "-d", "dummy", "-r", "48000", "-p", "64"],
                               stdout=log, stderr=subprocess.STDOUT)
    env = dict(os.environ, JACK_DEFAULT_SERVER=name, JACK_NO_START_SERVER="1")
    deadline = time.monotonic() + 15
    while True:
        ports = subprocess.run(["jack_lsp"], env=env, capture_output=True, text=True)
        if "system:playback_1" in ports.stdout:
            break
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.seek(0)
            raise RuntimeError(f"jackd '{name}' did not start: {log.read().decode(errors='replace')}")
        time.sleep(0.05)
    os.environ["JACK_DEFAULT_SERVER"] = name
    try:
        yield name
    finally:
        stop_server(process, log)


@pytest.fixture(scope="session")
def pulse_server() -> Iterator[str]:
    """A private PulseAudio daemon with one null sink (48 kHz), reached through PULSE_SERVER."""
    runtime = Path(tempfile.mkdtemp(prefix="prtn-pulse-"))
    socket = runtime / "native"
    log = tempfile.TemporaryFile()
    env = dict(os.environ, XDG_RUNTIME_DIR=str(runtime), HOME=str(runtime))
    process = subprocess.Popen(["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
                                "-L", "module-null-sink sink_name=prtn_null rate=48000",
                                "-L", f"module-native-protocol-unix auth-anonymous=1 socket={socket}"],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    server = f"unix:{socket}"
    deadline = time.monotonic() + 15
    while subprocess.run(["pactl", "--server", server, "info"], capture_output=True).returncode != 0:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            log.seek(0)
            raise RuntimeError(f"pulseaudio did not start: {log.read().decode(errors='replace')}")
        time.sleep(0.05)
    previous = os.environ.get("PULSE_SERVER")
    os.environ["PULSE_SERVER"] = server
    try:
        yield server
    finally:
        if previous is None:
            del os.environ["PULSE_SERVER"]
        else:
            os.environ["PULSE_SERVER"] = previous
        stop_server(process, log)


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def run_scenario(name: str, *args: str, timeout: float = 120, env: dict[str, str] | None = None) -> Outcome:
    """Runs scenarios/NAME.py in a fresh interpreter (this one's: release or debug, with its
    PYTHONMALLOC settings; ``env`` added) and fails unless it exits 0 with a clean stderr."""
    env = dict(os.environ, **(env or {}), PYTHONPATH=os.pathsep.join([str(REPO / "python"), str(SCENARIOS)]))
    result = subprocess.run([sys.executable, "-X", "dev", str(SCENARIOS / f"{name}.py"), *args],
                            env=env, capture_output=True, text=True, timeout=timeout)
    outcome = Outcome(result.returncode, result.stdout, result.stderr)
    problems = [marker for marker in FORBIDDEN if marker in result.stderr]
    assert result.returncode == 0 and not problems, (
        f"scenario {name} exited {result.returncode}; stderr has {problems}\n"
        f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}")
    return outcome
