"""The gate every public call of this package passes on its way into .NET.

At interpreter exit pythonnet shuts down (the loader's atexit handler) while daemon threads may
still run. A thread that comes back from a .NET method after that has no Python types left to
return its result or exception with, and pythonnet aborts the process. So before anything shuts
down, the exit handler closes the gate (:func:`close`), closes the streams (which wakes the
threads blocked in them) and waits for the calls still inside (:func:`wait_until_empty`); from
then on:

- a new call on a thread Python started parks there for good, holding nothing: only daemon
  threads still run at exit, and they end with the process;
- a new call on the main thread (an atexit handler that runs after this package's) raises
  RuntimeError;
- a call on a thread Python did not start passes: an audio thread in a stream callback, or the
  .NET thread pool in a handler; they stop calling Python once the streams are closed;
- a call that was inside when the gate closed and then fails (its stream was closed under it)
  parks its thread the same way instead of raising, on a thread Python started other than the
  main one: the failure is the exit's doing, not the program's.

Threading: any thread, GIL held.
"""

from __future__ import annotations

import functools
import threading
from typing import Any, Callable, TypeVar

_Function = TypeVar("_Function", bound=Callable[..., Any])

_lock = threading.Lock()
_emptied = threading.Condition(_lock)
_inside = 0
_closed = False


def passing(function: _Function) -> _Function:
    """Decorates a function or method whose body calls into .NET."""

    @functools.wraps(function)
    def gated(*args: Any, **kwargs: Any) -> Any:
        _enter()
        try:
            return function(*args, **kwargs)
        except Exception:
            if not (_closed and _parks_here()):
                raise
        finally:
            _leave()
        _park()

    return gated  # type: ignore[return-value]


def _parks_here() -> bool:
    """Whether a call on this thread stops in the gate once it is closed: a thread Python started, not the main one."""
    thread = threading.current_thread()
    return thread is not threading.main_thread() and not isinstance(thread, threading._DummyThread)


def _park() -> None:
    threading.Event().wait()  # for good


def _enter() -> None:
    global _inside
    with _lock:
        passes = not _closed or isinstance(threading.current_thread(), threading._DummyThread)
        if passes:
            _inside += 1
            return
    if threading.current_thread() is threading.main_thread():
        raise RuntimeError("pyrtaudionet has shut down: the interpreter is exiting")
    _park()


def _leave() -> None:
    global _inside
    with _lock:
        _inside -= 1
        if _closed and _inside == 0:
            _emptied.notify_all()


def close() -> None:
    """At exit, first: new calls no longer enter (see the module's documentation)."""
    global _closed
    with _lock:
        _closed = True


def wait_until_empty(timeout: float) -> int:
    """Waits (GIL released) until no call is inside, at most ``timeout`` seconds; returns how
    many still are."""
    with _lock:
        _emptied.wait_for(lambda: _inside == 0, timeout)
        return _inside
