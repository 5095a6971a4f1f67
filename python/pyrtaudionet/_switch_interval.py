"""The interpreter's switch interval while callback and blocking streams are open.

CPython 3.11 hands the GIL to a waiting thread only once the holder has kept it for the switch
interval (5 ms by default). While another Python thread computes, that is how long a thread
waits for the GIL each time it needs it back:

- a callback stream's audio thread takes the GIL every period, and 5 ms is more than a whole
  period at 256 frames and 48 kHz: the period is lost;
- a blocking stream's reader or writer gives the GIL away whenever it waits for the audio, and
  takes it back only after the interval: several periods at small period sizes. A program
  reading and writing one period at a time falls behind at each wait, and under a thread
  computing in pure Python the lag can grow for seconds until the output ring runs dry
  (tests/python/test_blocking.py runs that program).

``sys.setswitchinterval`` is the public lever: while such a stream is open, the package lowers
the process-wide interval to a share of the stream's period (:data:`PERIOD_SHARE`), or to what
the stream was opened with (``switchinterval=``). It never raises a value the program set
lower, and when the last such stream closes it restores the program's value (the one the
program set last, if it changed it meanwhile). play/rec/playrec ask for nothing: no Python runs
per period there.

The cost is the interpreter's: threads that compete for the GIL hand it over more often.

Threading: any thread, GIL held (a stream's open, close or collection).
"""

from __future__ import annotations

import itertools
import sys
import threading
from typing import Any, Optional

# The interval asked for by a stream opened without switchinterval=, as a share of its period.
PERIOD_SHARE = 1 / 8

_lock = threading.RLock()  # reentrant: a collection inside may release a dropped stream's request
_requests: dict[int, float] = {}
_tokens = itertools.count(1)
_program_value: Optional[float] = None  # the program's interval, while requests are held
_set_value: Optional[float] = None  # what this module set last


def check(value: Any) -> Optional[float]:
    """A stream's ``switchinterval`` argument, checked: None (automatic), or seconds > 0
    (``math.inf``: this stream asks for nothing)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not value > 0:
        raise ValueError(f"switchinterval must be seconds > 0 (math.inf: leave the interpreter's), or None, not {value!r}")
    return float(value)


def request(seconds: float) -> int:
    """Holds the interval at ``seconds`` at most until :func:`release` of the token returned."""
    with _lock:
        token = next(_tokens)
        _requests[token] = seconds
        _apply()
        return token


def release(token: int) -> None:
    """Ends a request (idempotent); the last one restores the program's interval."""
    with _lock:
        if _requests.pop(token, None) is not None:
            _apply()


def _apply() -> None:
    global _program_value, _set_value
    current = sys.getswitchinterval()
    if _set_value is None or current != _set_value:  # the first request, or the program set it since
        _program_value = current
    assert _program_value is not None
    if _requests:
        sys.setswitchinterval(min(_program_value, *_requests.values()))
        _set_value = sys.getswitchinterval()  # as the interpreter stores it (whole microseconds)
    else:
        sys.setswitchinterval(_program_value)
        _program_value = _set_value = None
