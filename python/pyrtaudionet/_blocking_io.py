"""The data path of a blocking stream (one without a callback): checking what ``write()`` is
given, allocating what ``read()`` returns, and the one call into .NET that moves the frames
through the native rings."""

from __future__ import annotations

import ctypes
from typing import Any

from PyRtAudioNet.Python import PythonBlockingPort  # type: ignore[import-not-found]

from ._dtypes import SampleType
from ._numpy import numpy as _np
from ._numpy import require_numpy

# write/read call .NET through ctypes, skipping pythonnet's method binding: long
# entry(handle, address, frames, timeout). With the GIL held (PYFUNCTYPE): the entry releases it
# only to wait, so a call the rings serve at once does not queue for the GIL again behind a busy
# thread (up to a switch interval: several periods at small period sizes).
_ENTRY = ctypes.PYFUNCTYPE(ctypes.c_int64, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int, ctypes.c_double)
_write_entry = _ENTRY(int(PythonBlockingPort.WriteEntry))
_read_entry = _ENTRY(int(PythonBlockingPort.ReadEntry))

# What an entry returns when it failed: PythonBlockingPort.RethrowLastError() raises the error.
FAILED = int(PythonBlockingPort.Failed)

_NOTHING = ctypes.c_char()  # where an empty bytes-like buffer "starts": no frame is moved


def _address(array: Any) -> int:
    """Where a C-contiguous array's (or writable bytes-like object's) data starts. ctypes' view
    of a writable buffer finds it at half the cost of ``array.ctypes.data`` (more so on a cold
    cache), which read-only and empty numpy arrays use."""
    try:
        return ctypes.addressof(ctypes.c_char.from_buffer(array))
    except (TypeError, ValueError):  # read-only, or empty
        return int(array.ctypes.data) if hasattr(array, "ctypes") else ctypes.addressof(_NOTHING)


class BlockingIO:
    """One blocking stream's port into its rings and the shapes of its data.

    Threading: any thread, with the GIL held; a move releases the GIL only while it waits for
    the rings. Lifetime: the stream's; the port's handle is valid while the port is.
    """

    def __init__(self, audio: Any, sample_type: SampleType, channels: dict[str, int], raw: bool) -> None:
        self._port = PythonBlockingPort(audio)
        self._handle = int(self._port.Handle)
        self._type = sample_type
        self._channels = channels
        self._raw = raw
        # What write() checks data against, worked out once per stream rather than per write.
        self._numpy_dtype = _np.dtype(sample_type.numpy) if _np is not None else None
        self._frame_shapes = {kind: (count, 3) if sample_type.name == "int24" else (count,) for kind, count in channels.items()}

    def frames_of(self, data: Any, kind: str) -> tuple[Any, int]:
        """``data`` as a C-contiguous array of whole frames of the stream's ``kind`` side (a
        writable bytes-like object for Raw streams), and its frame count."""
        if self._raw:
            return self._raw_frames_of(data, kind)
        array = require_numpy("write()", "Raw streams").ascontiguousarray(data)
        if array.dtype != self._numpy_dtype:
            raise TypeError(f"data has dtype {array.dtype}, but the stream's dtype is {self._type.name}")
        shape = self._frame_shapes[kind]
        if array.ndim == 1 and shape == (1,):
            array = array.reshape(-1, 1)
        if array.shape[1:] != shape:
            raise ValueError(f"data has shape {array.shape}; a {shape[0]}-channel {self._type.name} stream takes (frames, {', '.join(map(str, shape))})")
        return array, len(array)

    def _raw_frames_of(self, data: Any, kind: str) -> tuple[Any, int]:
        """Raw streams: ``data``, any C-contiguous bytes-like object of interleaved samples,
        as a writable buffer (read-only data is copied once), and its frame count."""
        try:
            view = memoryview(data)
        except TypeError:
            raise TypeError(f"data must be a bytes-like object (bytes, bytearray, array.array, ...), not {type(data).__name__}") from None
        if not view.c_contiguous:
            raise ValueError("data must be C-contiguous")
        frame_bytes = self._channels[kind] * self._type.size
        frames, remainder = divmod(view.nbytes, frame_bytes)
        if remainder:
            raise ValueError(f"data has {view.nbytes} bytes, not whole frames of {frame_bytes} bytes "
                             f"({self._channels[kind]} channels of {self._type.name})")
        return (bytearray(view) if view.readonly else view.cast("B")), frames

    def input_buffer(self, frames: int) -> Any:
        """A zeroed buffer for ``frames`` input frames: an array (frames, channels) of the
        stream's dtype, a bytearray of interleaved samples for Raw streams."""
        channels = self._channels["input"]
        if self._raw:
            return bytearray(frames * channels * self._type.size)
        shape = (frames, channels, 3) if self._type.name == "int24" else (frames, channels)
        return require_numpy("read()", "Raw streams").zeros(shape, dtype=self._type.numpy)

    def write(self, array: Any, frames: int, timeout: float) -> int:
        """Queues ``frames`` frames of ``array`` (waiting at most ``timeout`` seconds, < 0: no
        limit); returns the ring's underflow count, -1 if the stream was closed meanwhile, or FAILED."""
        result: int = _write_entry(self._handle, _address(array), frames, timeout)
        return result

    def read(self, array: Any, frames: int, timeout: float) -> int:
        """Fills ``array`` with ``frames`` frames, as :meth:`write`; returns the overflow count."""
        result: int = _read_entry(self._handle, _address(array), frames, timeout)
        return result

    @staticmethod
    def rethrow_failure() -> None:
        """Raises (as a .NET exception) the error of the last move that returned FAILED on this thread."""
        PythonBlockingPort.RethrowLastError()
