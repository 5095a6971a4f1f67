"""Callbacks that misbehave: return a value, raise, write the wrong shape, sleep past the
period. Each has its documented effect: the first three abort the stream and the error is
re-raised (with its traceback) by the next stop()/close(); the sleeper keeps running, with
its xruns flagged to it and counted."""

from __future__ import annotations

import time
from typing import Any, Callable

import numpy as np

import pyrtaudionet as prtn


def run_until_aborted(callback: Callable[..., Any], expected: type[BaseException], words: str) -> None:
    stream = prtn.OutputStream(channels=2, dtype="float32", callback=callback, api="jack")
    stream.start()
    deadline = time.monotonic() + 5
    while stream.active and time.monotonic() < deadline:
        time.sleep(0.005)
    assert not stream.active, f"{callback.__name__}: the error aborted the stream"
    try:
        stream.stop()
        raise AssertionError(f"{callback.__name__}: stop() re-raises the callback's error")
    except expected as error:
        assert words in str(error), error
        assert error.__traceback__ is not None
        print(f"{callback.__name__}: {type(error).__name__}: {error}")
    stream.close()  # reported once: close() has nothing left to raise


def returns_a_value(outdata: Any, frames: int, time_info: Any, status: Any) -> int:
    return 1  # PortAudio's paComplete habit: here it is an error, not a silent no-op


def raises(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
    raise KeyError("boom")


def writes_the_wrong_shape(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
    outdata[:] = np.zeros(frames + 1, dtype=np.float32)


run_until_aborted(returns_a_value, TypeError, "must return None")
run_until_aborted(raises, KeyError, "boom")
run_until_aborted(writes_the_wrong_shape, ValueError, "broadcast")

flagged = [0]
calls = [0]


def sleeps_past_the_period(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
    calls[0] += 1
    flagged[0] += bool(status.output_underflow)
    time.sleep(3 * frames / 48000)


stream = prtn.OutputStream(channels=2, dtype="float32", callback=sleeps_past_the_period, api="jack")
stream.start()
time.sleep(1.0)
assert stream.active, "a slow callback does not stop the stream"
stream.stop()
underflows = stream.output_underflows
stream.close()
print(f"slow callback: {calls[0]} calls, {flagged[0]} flagged, {underflows} counted underflows")
assert calls[0] > 10 and underflows > 0 and flagged[0] > 0, (calls, flagged, underflows)
print("ok")
