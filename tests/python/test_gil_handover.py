"""A callback stream's audio thread, and a blocking stream's reader or writer back from a wait,
get the GIL in time while Python computes: the package lowers the interpreter's switch
interval while such streams are open (never raising a value the
program set lower, restoring the program's when the last one closes). On the suite's JACK
dummy server (64-frame periods)."""

from __future__ import annotations

import gc
import math
import sys
import time
from typing import Any, Iterator

import numpy as np
import pytest

from conftest import compute_until

pytestmark = pytest.mark.usefixtures("jack_server")

PERIOD_SECONDS = 64 / 48000
PROGRAM_VALUE = 0.005  # CPython's default


@pytest.fixture(scope="module")
def sd(jack_server: str) -> Any:
    import pyrtaudionet

    return pyrtaudionet


@pytest.fixture(autouse=True)
def program_interval() -> Iterator[None]:
    before = sys.getswitchinterval()
    sys.setswitchinterval(PROGRAM_VALUE)
    try:
        yield
    finally:
        sys.setswitchinterval(before)


def silent(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
    outdata.fill(0)


def callback_stream(sd: Any, blocksize: int = 64, **options: Any) -> Any:
    return sd.OutputStream(channels=1, callback=silent, api="jack", blocksize=blocksize, **options)


@pytest.mark.parametrize("blocksize", [64, 2400])
@pytest.mark.parametrize("blocking", [False, True])
def test_an_open_stream_lowers_the_interval_to_a_share_of_its_period(sd: Any, blocksize: int, blocking: bool) -> None:
    from pyrtaudionet._switch_interval import PERIOD_SHARE

    # The server's period, whatever the blocksize: each block is served within one.
    stream = sd.OutputStream(channels=1, api="jack", blocksize=blocksize) if blocking else callback_stream(sd, blocksize)
    with stream:
        assert sys.getswitchinterval() == pytest.approx(PERIOD_SECONDS * PERIOD_SHARE, abs=1e-6)
    assert sys.getswitchinterval() == PROGRAM_VALUE


def test_a_lower_program_value_is_kept(sd: Any) -> None:
    sys.setswitchinterval(0.00001)
    program_value = sys.getswitchinterval()  # as the interpreter stores it (whole microseconds)
    with callback_stream(sd):
        assert sys.getswitchinterval() == program_value
    assert sys.getswitchinterval() == program_value


def test_the_lowest_request_holds_until_the_last_stream_closes(sd: Any) -> None:
    first = callback_stream(sd, switchinterval=0.001)
    assert sys.getswitchinterval() == 0.001
    second = callback_stream(sd, switchinterval=0.0005)
    assert sys.getswitchinterval() == 0.0005
    second.close()
    assert sys.getswitchinterval() == 0.001
    first.close()
    assert sys.getswitchinterval() == PROGRAM_VALUE


def test_a_value_the_program_sets_meanwhile_is_the_one_restored(sd: Any) -> None:
    with callback_stream(sd, switchinterval=0.003):
        sys.setswitchinterval(0.002)
        with callback_stream(sd, switchinterval=0.001):
            assert sys.getswitchinterval() == 0.001
        assert sys.getswitchinterval() == 0.002  # the program's new value is the ceiling
    assert sys.getswitchinterval() == 0.002


def test_infinity_leaves_the_interval_alone(sd: Any) -> None:
    with callback_stream(sd, switchinterval=math.inf):
        assert sys.getswitchinterval() == PROGRAM_VALUE
    with sd.InputStream(channels=1, api="jack", switchinterval=math.inf):
        assert sys.getswitchinterval() == PROGRAM_VALUE


def test_a_blocking_stream_takes_its_own_switchinterval(sd: Any) -> None:
    with sd.Stream(channels=1, api="jack", switchinterval=0.0007):
        assert sys.getswitchinterval() == pytest.approx(0.0007, abs=1e-6)
    assert sys.getswitchinterval() == PROGRAM_VALUE


def test_play_leaves_the_interval_alone(sd: Any) -> None:
    """No Python runs per period of a transfer: it asks for nothing."""
    sd.play(np.zeros((4800, 1), np.float32), 48000, api="jack")
    assert sys.getswitchinterval() == PROGRAM_VALUE
    sd.wait()


def test_a_dropped_stream_releases_its_request(sd: Any) -> None:
    stream = callback_stream(sd)
    stream.start()
    assert sys.getswitchinterval() < PROGRAM_VALUE
    del stream
    gc.collect()
    assert sys.getswitchinterval() == PROGRAM_VALUE


@pytest.mark.parametrize("value", [0, -0.001, math.nan, "fast", True])
def test_a_bad_switchinterval_is_refused_naming_it(sd: Any, value: Any) -> None:
    with pytest.raises(ValueError, match=f"switchinterval must be seconds > 0.*not {value!r}"):
        callback_stream(sd, switchinterval=value)
    assert sys.getswitchinterval() == PROGRAM_VALUE


def test_a_busy_python_thread_no_longer_starves_the_callback(sd: Any) -> None:
    """The main thread computes in pure Python for 2 s while a callback stream runs. With the
    program's 5 ms interval most 1.3 ms periods waited too long for the GIL; now few may. The
    bound is far above what runs show and far below what the 5 ms interval costs."""
    counts = {"calls": 0, "flagged": 0}

    def count(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        counts["calls"] += 1
        counts["flagged"] += bool(status)

    with sd.OutputStream(channels=1, callback=count, api="jack", blocksize=64):
        time.sleep(0.5)  # past the start's own first periods
        calls, flagged = counts["calls"], counts["flagged"]
        compute_until(time.perf_counter() + 2)
        calls, flagged = counts["calls"] - calls, counts["flagged"] - flagged
    print(f"{flagged} of {calls} callbacks flagged")
    assert calls > 0.9 * 2 / PERIOD_SECONDS and flagged < 0.1 * calls
