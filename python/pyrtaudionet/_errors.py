"""Exceptions and callback flags of the sounddevice-style API."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator


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


class CallbackFlags:
    """The status of one callback period: which over/underflows the driver flagged."""

    __slots__ = ("_bits",)

    def __init__(self, bits: int = 0) -> None:
        self._bits = int(bits)

    @property
    def input_overflow(self) -> bool:
        """Input was discarded because of an overflow at the driver."""
        return bool(self._bits & 1)

    @property
    def output_underflow(self) -> bool:
        """The output ran dry: a gap was heard."""
        return bool(self._bits & 2)

    def __bool__(self) -> bool:
        return self._bits != 0

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, CallbackFlags) and other._bits == self._bits

    def __hash__(self) -> int:
        return self._bits

    def __repr__(self) -> str:
        names = [n for n in ("input_overflow", "output_underflow") if getattr(self, n)]
        return f"<CallbackFlags: {', '.join(names) or 'no flags'}>"


# One immutable instance per status value: no allocation per period.
FLAGS = tuple(CallbackFlags(bits) for bits in range(4))


def translate(error: BaseException) -> BaseException:
    """A .NET exception from the bridge as the Python exception this API documents."""
    type_name = type(error).__name__
    if type_name == "RtAudioException":
        return RtAudioError(str(getattr(error, "Message", error)), str(getattr(error, "ErrorType", "Unspecified")))
    if type_name in ("ArgumentOutOfRangeException", "ArgumentException"):
        return ValueError(str(getattr(error, "Message", error)))
    if type_name == "ArgumentNullException":
        return TypeError(str(getattr(error, "Message", error)))
    if type_name == "TimeoutException":
        return TimeoutError(str(getattr(error, "Message", error)))
    if type_name == "ObjectDisposedException":
        return RtAudioError("the stream is closed", "InvalidUse")
    return error


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
