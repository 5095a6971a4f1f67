"""Ctrl+C works wherever Python waits on audio: SIGINT ends a blocking read() or write(), wait()
after play(), sleep() with a stream running, and the CLI's tone, each of which would last 10 s,
with a KeyboardInterrupt at once; the process then exits cleanly (status 0 for the scenarios,
130 for the CLI, nothing unexpected on stderr)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import IO

import pytest

from conftest import REPO, SCENARIOS

pytestmark = pytest.mark.usefixtures("jack_server")

# The calls last 10 s; before the fix, the interrupt came when they ended (9+ s after SIGINT).
PROMPT = 1.0


def read_until(pipe: IO[bytes], marker: bytes) -> bytes:
    """What ``pipe`` gives up to and including ``marker`` (all it gave, if it ends first)."""
    seen = b""
    while marker not in seen:
        byte = pipe.read(1)
        if not byte:
            break
        seen += byte
    return seen


def interrupted_after(command: list[str], ready: bytes, done_on_stderr: bool) -> tuple[float, str, str, int]:
    """Starts ``command``; once its stdout shows ``ready`` and 0.3 s more have passed (the call
    is waiting by then), sends SIGINT. Returns the seconds until it reports the interruption
    ("interrupted" on stdout, or on stderr if ``done_on_stderr``), its stdout, its stderr and its
    exit status."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "python"), str(SCENARIOS)]))
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    before = read_until(process.stdout, ready)
    assert ready in before, f"exited before it was ready: {before!r} {process.stderr.read()!r}"
    time.sleep(0.3)
    sent = time.monotonic()
    process.send_signal(signal.SIGINT)
    reported = read_until(process.stderr if done_on_stderr else process.stdout, b"interrupted")
    elapsed = time.monotonic() - sent
    out, err = process.communicate(timeout=60)
    if done_on_stderr:
        before, err = before + out, reported + err
    else:
        before = before + reported + out
    return elapsed, before.decode(errors="replace"), err.decode(errors="replace"), process.returncode


@pytest.mark.parametrize("call", ["write", "read", "wait", "sleep"])
def test_ctrl_c_ends_a_waiting_call_at_once(call: str) -> None:
    elapsed, out, err, status = interrupted_after([sys.executable, "-X", "dev", str(SCENARIOS / "interrupt.py"), call],
                                                  b"waiting\n", done_on_stderr=False)
    print(f"{call}: KeyboardInterrupt {elapsed * 1000:.0f} ms after SIGINT")
    assert out.splitlines() == ["waiting", "interrupted"], out
    assert elapsed < PROMPT
    assert (status, err) == (0, "")


def test_ctrl_c_ends_the_cli_tone() -> None:
    elapsed, out, err, status = interrupted_after([sys.executable, "-X", "dev", "-m", "pyrtaudionet", "--api", "jack", "tone", "--seconds", "10"],
                                                  b"s /", done_on_stderr=True)
    print(f"tone: interrupted {elapsed * 1000:.0f} ms after SIGINT")
    assert elapsed < PROMPT
    assert (status, err.strip()) == (130, "interrupted"), (status, err, out)
