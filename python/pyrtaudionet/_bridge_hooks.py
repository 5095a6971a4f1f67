"""What the .NET bridge calls back into for a stream: the callback's ``time`` object, the
wrapper that turns stream-owned memory into indata/outdata, and weak hooks for the bridge's
events. The callback itself is called by the bridge (PyRtAudioNet.Python.SoundDeviceCallback)."""

from __future__ import annotations

import array
import weakref
from typing import Any, Callable, Optional

from ._numpy import numpy as _np


class CallbackTime:
    """Timestamps of the current period, in seconds of stream time (sounddevice's ``time``
    argument). Valid during the callback: each stream updates one object every period (as
    sounddevice's is a struct valid only in the callback); copy the values to keep them.
    ``inputBufferAdcTime`` and ``outputBufferDacTime`` are ``currentTime`` minus the input and plus
    the output latency that the stream's ``latency`` reported when it opened (one block for a
    direction the API had no figure for then: ALSA's comes once it runs, PulseAudio gives none)."""

    __slots__ = ("_clock", "_input_latency", "_output_latency")

    def __init__(self) -> None:
        self._clock = array.array("d", [0.0])  # the bridge writes each period's stream time here
        self._input_latency = self._output_latency = 0.0  # seconds, set when the stream opens

    @property
    def currentTime(self) -> float:
        return self._clock[0]

    @property
    def inputBufferAdcTime(self) -> float:
        return self._clock[0] - self._input_latency

    @property
    def outputBufferDacTime(self) -> float:
        return self._clock[0] + self._output_latency


def array_wrapper(raw: bool, interleaved: bool) -> Optional[Callable[[Any], Any]]:
    """What turns each stream-owned memoryview into the callback's indata/outdata: for Raw
    streams a 1-D byte view of it, else numpy arrays (frames, channels) over it, or None (the
    shaped views themselves) without numpy."""
    if raw:
        return lambda view: view.cast("B")
    if _np is None:
        return None
    if interleaved:
        return _np.asarray
    return lambda view: _np.asarray(view).swapaxes(0, 1)  # (channels, frames) memory seen as (frames, channels)


def weak_hook(method: Callable[[], None]) -> Callable[[], None]:
    """A callable for the bridge that calls the bound ``method`` while its object lives, and
    does nothing after: the bridge holds it for the stream's life, which must not keep a
    dropped stream alive."""
    target = weakref.WeakMethod(method)

    def hook() -> None:
        alive = target()
        if alive is not None:
            alive()

    return hook
