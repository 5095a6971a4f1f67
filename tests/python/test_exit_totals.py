"""Leaks at exit: scenarios/exit_totals.py keeps N objects of one kind alive until the
interpreter exits, and the totals that a debug build prints then (``-X showrefcount``: the sum
of all reference counts and the number of allocated memory blocks) must not grow with N.

What is left at that point is what finalization could not free: objects the interpreter keeps
for its whole life (static types, interned strings, small ints), the same for any N. A
reference or block kept per object shows as at least LARGE - SMALL (490) more. BOUND leaves
room for a fixed-cost difference between two runs (a dictionary shared by all the objects
resized once more) and nothing per object; measured here, the totals were equal.

The scenario runs on python3.11d, so these tests run in the debug run of the suite only (on
the release run they are reported as skipped): only a debug build keeps these totals."""

from __future__ import annotations

import re
import pytest

from conftest import DEBUG_RUN, SCENARIOS, judged_run

pytestmark = [pytest.mark.usefixtures("jack_server"),
              pytest.mark.skipif(not DEBUG_RUN, reason="a debug build's totals: run by make test-python-debug")]
DEBUG_PYTHON = "/usr/bin/python3.11d"
SMALL, LARGE = 10, 500
BOUND = 10
# Their work runs numpy, and Debian's numpy is built for the release ABI: its inline
# Py_INCREF/Py_DECREF do not count in the debug build's reference total (a numpy-only loop moves
# it by about 5 per iteration while keeping nothing). For them only the blocks are compared.
NUMPY_KINDS = {"callback_stream", "blocking_stream"}
KINDS = ["rtaudio", "callback_stream", "raw_callback_stream", "blocking_stream", "device_list", "refused_stream", "caught_exception"]


def totals_at_exit(kind: str, count: int) -> tuple[int, int]:
    outcome = judged_run([DEBUG_PYTHON, "-X", "dev", "-X", "showrefcount", str(SCENARIOS / "exit_totals.py"), kind, str(count)],
                         expected_stderr=[r"\[\d+ refs, \d+ blocks\]"], timeout=600)
    refs, blocks = re.fullmatch(r"\[(\d+) refs, (\d+) blocks\]", outcome.stderr.strip()).groups()  # type: ignore[union-attr]
    return int(refs), int(blocks)


@pytest.mark.parametrize("kind", KINDS)
def test_objects_kept_until_exit_are_all_freed_at_exit(kind: str) -> None:
    small, large = totals_at_exit(kind, SMALL), totals_at_exit(kind, LARGE)
    print(f"{kind}: {SMALL} -> {small}, {LARGE} -> {large} (refs, blocks)")
    assert large[1] - small[1] <= BOUND, f"{large[1] - small[1]} more blocks left at exit with {LARGE} {kind} than with {SMALL}"
    if kind not in NUMPY_KINDS:
        assert large[0] - small[0] <= BOUND, f"{large[0] - small[0]} more references left at exit with {LARGE} {kind} than with {SMALL}"
