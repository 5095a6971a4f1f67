"""A busy Python program, for the tests and benchmarks that prove the audio does not wait for it
(bench/run.py's BUSY_CASES, tests/python's GIL tests): pure-Python work, a thread doing it, and
a C call that holds the GIL."""

from __future__ import annotations

import ctypes
import threading
import time
from typing import Any


def compute_until(deadline: float) -> int:
    """Pure-Python work until ``deadline`` (perf_counter): holds the GIL as CPython lets it.
    Returns how many loops of work it did."""
    loops = 0
    while time.perf_counter() < deadline:
        x = 0
        for i in range(10000):
            x += i
        loops += 1
    return loops


class ComputingThread:
    """Another thread computing (compute_until) for the life of the ``with`` block; ``loops``
    says how much it did (proof that it ran)."""

    def __init__(self) -> None:
        self.loops = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.loops += compute_until(time.perf_counter() + 0.1)

    def __enter__(self) -> "ComputingThread":
        self._thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stop.set()
        self._thread.join()


def hold_the_gil(seconds: float) -> None:
    """A C call that keeps the GIL (PyDLL never releases it), as long C-extension calls do."""
    ctypes.PyDLL(None).usleep(int(seconds * 1e6))
