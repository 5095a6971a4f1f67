"""Exceptions and callback flags of the sounddevice-style API."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from PyRtAudioNet import RtAudioException  # type: ignore[import-not-found]
from System import (  # type: ignore[import-not-found]
    ArgumentException,
    ArgumentNullException,
    ObjectDisposedException,
    TimeoutException,
)
from System import Exception as DotNetException  # type: ignore[import-not-found]


class RtAudioError(Exception):
    """A failure reported by RtAudio or the native bridge.

    ``args[0]`` is RtAudio's message; :attr:`error_type` is RtAudio's classification
    (``"InvalidDevice"``, ``"DriverError"``, ...).
    """

    def __init__(self, message: str, error_type: str = "Unspecified") -> None:
        super().__init__(message)
        self.error_type = error_type

    def __str__(self) -> str:
        return f"{self.args[0]} [{self.error_type}]"


class CallbackStop(Exception):
    """Raise in a stream callback to stop after the output already produced has played."""


class CallbackAbort(Exception):
    """Raise in a stream callback to stop at once, dropping pending output."""


# PortAudio's callback flag bits, which CallbackFlags holds.
_INPUT_UNDERFLOW, _INPUT_OVERFLOW, _OUTPUT_UNDERFLOW, _OUTPUT_OVERFLOW, _PRIMING_OUTPUT = 1, 2, 4, 8, 16
_ALL_FLAGS = _INPUT_UNDERFLOW | _INPUT_OVERFLOW | _OUTPUT_UNDERFLOW | _OUTPUT_OVERFLOW | _PRIMING_OUTPUT


def _flag_property(bit: int, doc: str) -> Any:
    """A CallbackFlags property reading and setting PortAudio's `bit`."""
    return property(lambda self: self._flag(bit), lambda self, value: self._set(bit, value), doc=doc)


class CallbackFlags:
    """Over- and underflow flags, as sounddevice's: the *status* argument of a stream callback,
    what :func:`wait` and :func:`get_status` report, and a collector of them::

        errors = sd.CallbackFlags()
        errors |= status          # in each callback
        if errors.output_underflow: ...

    The bits are PortAudio's (``CallbackFlags(0x4)`` is an output underflow). RtAudio reports
    input overflows and output underflows; the other three flags exist for code that sets or
    tests them, and RtAudio never raises them. ``str()`` names the flags set (``"input
    overflow, output underflow"``). A callback's *status* is shared by the periods with the same
    flags, so it cannot be changed: ``status |= other`` gives a new object, and setting a flag
    on it raises AttributeError.
    """

    __slots__ = ("_bits",)

    def __init__(self, flags: int = 0) -> None:
        if isinstance(flags, bool) or not isinstance(flags, int) or not 0 <= flags <= _ALL_FLAGS:
            raise ValueError(f"flags must be an int of PortAudio's callback flag bits (0..{_ALL_FLAGS:#x}), not {flags!r}")
        self._bits = flags

    def _flag(self, bit: int) -> bool:
        return bool(self._bits & bit)

    def _set(self, bit: int, value: bool) -> None:
        self._bits = self._bits | bit if value else self._bits & ~bit

    input_underflow = _flag_property(_INPUT_UNDERFLOW, "The input is zeros, not recorded: set in a priming call (RtAudio reports no other).")
    input_overflow = _flag_property(_INPUT_OVERFLOW, "Input was discarded because of an overflow at the driver.")
    output_underflow = _flag_property(_OUTPUT_UNDERFLOW, "The output ran dry: a gap was heard.")
    output_overflow = _flag_property(_OUTPUT_OVERFLOW, "Output was discarded (PortAudio's; RtAudio never reports it).")
    priming_output = _flag_property(_PRIMING_OUTPUT, "The call makes the output that plays first (prime_output_buffers_using_stream_callback).")

    def __ior__(self, other: Any) -> "CallbackFlags":
        if not isinstance(other, CallbackFlags):
            return NotImplemented
        self._bits |= other._bits
        return self

    def __or__(self, other: Any) -> "CallbackFlags":
        if not isinstance(other, CallbackFlags):
            return NotImplemented
        return CallbackFlags(self._bits | other._bits)

    def __bool__(self) -> bool:
        return self._bits != 0

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, CallbackFlags) and other._bits == self._bits

    def __hash__(self) -> int:
        return self._bits

    def __str__(self) -> str:
        return ", ".join(name.replace("_", " ") for name in _FLAG_NAMES if getattr(self, name))

    def __repr__(self) -> str:
        return f"<pyrtaudionet.CallbackFlags: {self or 'no flags set'}>"


_FLAG_NAMES = ("input_overflow", "input_underflow", "output_overflow", "output_underflow", "priming_output")


class _PeriodFlags(CallbackFlags):
    """A callback's *status*: one shared, unchangeable instance per RtAudio status value."""

    __slots__ = ()

    def _set(self, bit: int, value: bool) -> None:
        raise AttributeError("a callback's status is shared and cannot be changed: collect flags in a CallbackFlags() of your own")

    def __ior__(self, other: Any) -> CallbackFlags:
        return self | other


def flags_of(input_overflow: bool, output_underflow: bool) -> CallbackFlags:
    """CallbackFlags with RtAudio's two flags as given."""
    return CallbackFlags((_INPUT_OVERFLOW if input_overflow else 0) | (_OUTPUT_UNDERFLOW if output_underflow else 0))


# The bridge's status bits (PyRtAudioNet.StreamStatus) and PortAudio's bit for each.
_PORTAUDIO_BITS = {1: _INPUT_OVERFLOW, 2: _OUTPUT_UNDERFLOW, 4: _INPUT_UNDERFLOW, 8: _PRIMING_OUTPUT}

# Indexed by the bridge's status bits: no allocation per period.
FLAGS = tuple(_PeriodFlags(sum(bit for status_bit, bit in _PORTAUDIO_BITS.items() if status & status_bit))
              for status in range(16))


def translate(error: BaseException) -> BaseException:
    """The Python exception this API documents for a .NET exception from the bridge (the one
    place where .NET exceptions become Python ones); a Python exception stays as it is."""
    if not isinstance(error, DotNetException):
        return error
    message = str(error.Message)
    if isinstance(error, RtAudioException):
        return RtAudioError(message, str(error.ErrorType))
    if isinstance(error, ArgumentNullException):
        return TypeError(message)
    if isinstance(error, ArgumentException):  # ArgumentOutOfRangeException too
        return ValueError(message)
    if isinstance(error, TimeoutException):
        return TimeoutError(message)
    if isinstance(error, ObjectDisposedException):
        return RtAudioError("the stream is closed", "InvalidUse")
    return RtAudioError(f"{type(error).__name__}: {message}", "Unspecified")  # never a raw .NET exception


@contextmanager
def translated_errors() -> Iterator[None]:
    """Re-raises the bridge's .NET exceptions as this API's Python exceptions (others unchanged)."""
    try:
        yield
    except Exception as error:
        translated = translate(error)
        if translated is error:
            raise
        raise translated from None
