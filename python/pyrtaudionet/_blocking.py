"""play / rec / playrec / wait / stop / get_stream: one stream at a time, as in sounddevice."""

from __future__ import annotations

import threading
from typing import Any, Optional

from ._dtypes import sample_type
from ._streams import InputStream, OutputStream, Stream, _StreamBase

try:
    import numpy as np
except ImportError:  # pragma: no cover
    np = None  # type: ignore[assignment]

_current: Optional["_Transfer"] = None


def _require_numpy() -> Any:
    if np is None:
        raise ImportError("play/rec/playrec need numpy (apt-get install python3-numpy)")
    return np


def _as_frames(data: Any, name: str) -> Any:
    """``data`` as a C-contiguous (frames, channels) array (int24: (frames, channels, 3) uint8)."""
    numpy = _require_numpy()
    array = numpy.asarray(data)
    if array.ndim == 1:
        array = array.reshape(-1, 1)
    int24 = array.ndim == 3 and array.dtype == numpy.uint8 and array.shape[2] == 3
    if not (array.ndim == 2 or int24) or array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(f"{name} must be a non-empty 1-D or 2-D (frames, channels) array "
                         f"(int24: (frames, channels, 3) uint8), not shape {array.shape}")
    return numpy.ascontiguousarray(array)


def _dtype_of(array: Any) -> str:
    """The sample type of an array from :func:`_as_frames`."""
    return "int24" if array.ndim == 3 else sample_type(array.dtype).name


class _Transfer:
    """One play/rec/playrec: its stream, its position, and the event set when it has finished."""

    def __init__(self, output: Any, input_frames: int, input: Any, loop: bool) -> None:
        self.output = output
        self.input = input
        self.frames = input_frames
        self.loop = loop
        self.position = 0
        self.done = threading.Event()
        self.stream: Optional[_StreamBase] = None

    def copy(self, indata: Any, outdata: Any, frames: int) -> None:
        """Audio thread: moves one period; raises CallbackStop at the end."""
        from ._errors import CallbackStop

        start = self.position
        if outdata is not None:
            if self.loop:
                idx = (start + np.arange(frames)) % len(self.output)
                outdata[:] = self.output[idx]
            else:
                chunk = self.output[start:start + frames]
                outdata[:len(chunk)] = chunk
        if indata is not None:
            chunk = self.input[start:start + frames]
            chunk[:] = indata[:len(chunk)]
        self.position += frames
        if not self.loop and self.position >= self.frames:
            raise CallbackStop


def _start(transfer: _Transfer, stream: _StreamBase, blocking: bool) -> None:
    global _current
    stop()
    transfer.stream = stream
    _current = transfer
    stream.start()
    if blocking:
        wait()


def play(data: Any, samplerate: Optional[float] = None, blocking: bool = False, loop: bool = False, **stream_args: Any) -> None:
    """Plays ``data`` ((frames, channels) or 1-D; its dtype is the stream's) and returns at once,
    or when done with ``blocking=True``. ``stream_args`` go to :class:`OutputStream`."""
    array = _as_frames(data, "data")
    transfer = _Transfer(array, len(array), None, loop)
    stream = OutputStream(samplerate=samplerate, channels=array.shape[1], dtype=_dtype_of(array),
                          callback=lambda outdata, frames, time, status: transfer.copy(None, outdata, frames),
                          finished_callback=transfer.done.set, **stream_args)
    _start(transfer, stream, blocking)


def rec(frames: Optional[int] = None, samplerate: Optional[float] = None, channels: Optional[int] = None, dtype: Any = None,
        out: Any = None, blocking: bool = False, **stream_args: Any) -> Any:
    """Records ``frames`` frames (or fills ``out``); returns the array at once — it fills in the
    background — or when done with ``blocking=True``."""
    numpy = _require_numpy()
    if out is None:
        if isinstance(frames, bool) or not isinstance(frames, int) or frames < 1:
            raise ValueError(f"frames must be a positive int, not {frames!r}")
        channels = 1 if channels is None else channels
        if isinstance(channels, bool) or not isinstance(channels, int) or channels < 1:
            raise ValueError(f"channels must be a positive int, not {channels!r}")
        kind = sample_type(dtype if dtype is not None else "float32")
        shape = (frames, channels, 3) if kind.name == "int24" else (frames, channels)
        out = numpy.zeros(shape, dtype=kind.numpy)
    else:
        out = _as_frames(out, "out")
        kind = sample_type(_dtype_of(out))
    transfer = _Transfer(None, len(out), out, False)
    stream = InputStream(samplerate=samplerate, channels=out.shape[1], dtype=kind.name,
                         callback=lambda indata, frames, time, status: transfer.copy(indata, None, frames),
                         finished_callback=transfer.done.set, **stream_args)
    _start(transfer, stream, blocking)
    return out


def playrec(data: Any, samplerate: Optional[float] = None, channels: Optional[int] = None, dtype: Any = None,
            out: Any = None, blocking: bool = False, **stream_args: Any) -> Any:
    """Plays ``data`` and records as many frames at the same time, on one duplex stream."""
    numpy = _require_numpy()
    array = _as_frames(data, "data")
    kind = sample_type(_dtype_of(array) if dtype is None else dtype)
    if kind.name != _dtype_of(array):
        raise TypeError(f"data has dtype {_dtype_of(array)}, but dtype={kind.name!r} was asked for")
    channels = array.shape[1] if channels is None else channels
    if isinstance(channels, bool) or not isinstance(channels, int) or channels < 1:
        raise ValueError(f"channels must be a positive int, not {channels!r}")
    if out is None:
        out = numpy.zeros((len(array), channels) + array.shape[2:], dtype=kind.numpy)
    else:
        out = _as_frames(out, "out")
    transfer = _Transfer(array, len(array), out, False)
    stream = Stream(samplerate=samplerate, channels=(out.shape[1], array.shape[1]), dtype=kind.name,
                    callback=lambda indata, outdata, frames, time, status: transfer.copy(indata, outdata, frames),
                    finished_callback=transfer.done.set, **stream_args)
    _start(transfer, stream, blocking)
    return out


def wait(timeout: Optional[float] = None) -> bool:
    """Waits until the current play/rec/playrec has finished; re-raises its callback's error.
    Returns False if ``timeout`` seconds passed first."""
    transfer = _current
    if transfer is None or transfer.stream is None:
        return True
    if not transfer.done.wait(timeout):
        return False
    transfer.stream.close()  # re-raises what the callback raised, if anything
    return True


def stop() -> None:
    """Stops and closes the current play/rec/playrec."""
    global _current
    transfer, _current = _current, None
    if transfer is not None and transfer.stream is not None and not transfer.stream.closed:
        try:
            transfer.stream.stop()
        finally:
            transfer.stream.close()


def get_stream() -> _StreamBase:
    """The stream of the current (or last) play/rec/playrec."""
    if _current is None or _current.stream is None:
        raise RuntimeError("play()/rec()/playrec() was not called")
    return _current.stream
