"""play / rec / playrec / wait / stop / get_status / get_stream: one transfer at a time, as in sounddevice.

The whole transfer is handed to the native bridge: its audio thread plays from and records into
the arrays directly, with no Python (and no GIL) involved, so a busy or blocked interpreter
cannot make it stutter. The bridge holds a buffer export of each array until the stream closes.
"""

from __future__ import annotations

import time
from typing import Any, Optional, Sequence

from PyRtAudioNet import TransferOptions  # type: ignore[import-not-found]
from PyRtAudioNet.Python import PythonStreams  # type: ignore[import-not-found]
from System import Int32  # type: ignore[import-not-found]
from System.Collections.Generic import List  # type: ignore[import-not-found]

from ._dtypes import sample_type
from ._checks import check_bool, check_timeout
from ._defaults import default, pick
from ._errors import CallbackFlags, flags_of
from ._streams import InputStream, OutputStream, Stream, _StreamBase
from ._numpy import numpy as np
from ._numpy import require_numpy

# The stream of the current (or last) transfer; wait() and stop() act on it while it is open.
_last: Optional[_StreamBase] = None
# Longest wait() spends in .NET at a time: Python runs signal handlers (Ctrl+C) in between.
_WAIT_SLICE_SECONDS = 0.05


def _require_numpy() -> Any:
    return require_numpy("play/rec/playrec", "streams")


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


def _private(shape: tuple[int, ...], dtype: Any) -> Any:
    """A zeroed array over a bytearray of its own. It does not own its data, so no ``resize``
    (not even with ``refcheck=False``) can move it, and the bridge's export of the bytearray
    keeps that from being resized while the stream may touch it."""
    numpy = _require_numpy()
    kind = numpy.dtype(dtype)
    storage = bytearray(int(numpy.prod(shape)) * kind.itemsize)
    return numpy.frombuffer(storage, kind).reshape(shape)


def _private_copy(array: Any) -> Any:
    """What play() hands over: a copy of ``array`` the caller cannot reach (see :func:`_private`)."""
    copy = _private(array.shape, array.dtype)
    copy[...] = array
    return copy


def _dtype_of(array: Any) -> str:
    """The sample type of an array from :func:`_as_frames`."""
    return "int24" if array.ndim == 3 else sample_type(array.dtype).name


def _check_mapping(mapping: Any, name: str) -> Optional[list[int]]:
    """A sounddevice channel mapping (channel numbers from 1, each once) as 0-based channels."""
    if mapping is None:
        return None
    numbers = [mapping] if isinstance(mapping, int) and not isinstance(mapping, bool) else mapping
    try:
        channels = [int(n) for n in numbers if not isinstance(n, bool) and int(n) == n]
    except (TypeError, ValueError):
        channels = []
    if not channels or len(channels) != len(numbers):
        raise ValueError(f"{name} must be channel numbers (from 1), not {mapping!r}")
    if min(channels) < 1:
        raise ValueError(f"{name}={mapping!r}: channel numbers start at 1")
    if len(set(channels)) != len(channels):
        raise ValueError(f"{name}={mapping!r} names a channel twice")
    return [channel - 1 for channel in channels]


def _fit_to_mapping(array: Any, mapping: Optional[list[int]], name: str) -> Any:
    """Played data for ``mapping``: a mono signal goes to every mapped channel (as in sounddevice)."""
    if mapping is None or array.shape[1] == len(mapping):
        return array
    if array.shape[1] == 1:
        return np.repeat(array, len(mapping), axis=1)
    raise ValueError(f"{name} maps {len(mapping)} channels but the data has {array.shape[1]} columns")


def _net_map(mapping: Optional[list[int]]) -> Any:
    if mapping is None:
        return None
    channels = List[Int32]()
    for channel in mapping:
        channels.Add(channel)
    return channels


class _TransferStream:
    """A stream that plays ``play`` and records into ``record``, then stops itself (mixed into
    OutputStream, InputStream and Stream)."""

    _hands_over = True

    def __init__(self, play: Any, record: Any, output_map: Optional[list[int]], input_map: Optional[list[int]],
                 loop: bool, **stream_args: Any) -> None:
        for taken in ("callback", "finished_callback", "switchinterval"):
            if taken in stream_args:
                raise TypeError(f"{taken}= is not for play/rec/playrec: their audio thread runs no Python")
        self._play, self._record = play, record
        self._transfer = TransferOptions()
        self._transfer.Loop = loop
        self._transfer.OutputMap = _net_map(output_map)
        self._transfer.InputMap = _net_map(input_map)
        super().__init__(**stream_args)  # type: ignore[call-arg]

    def _open(self, params: dict[str, Any], samplerate: int, blocksize: int, ring_frames: int, options: Any) -> int:
        stream: Any = self
        return int(PythonStreams.OpenTransferStream(stream._audio, params["output"], params["input"], stream._type.format,
                                                    samplerate, blocksize, self._play, self._record, self._transfer, options))


class _PlayStream(_TransferStream, OutputStream):
    pass


class _RecStream(_TransferStream, InputStream):
    pass


class _PlayRecStream(_TransferStream, Stream):
    pass


def _start(stream: _StreamBase, blocking: bool) -> None:
    global _last
    stop()
    _last = stream
    stream.start()
    if blocking:
        wait()


def _channels_for(mapping: Optional[list[int]], columns: int) -> int:
    """The stream's channels: enough for the highest mapped one."""
    return columns if mapping is None else max(mapping) + 1


def play(data: Any, samplerate: Optional[float] = None, mapping: Optional[Sequence[int]] = None, blocking: bool = False,
         loop: bool = False, **stream_args: Any) -> None:
    """Plays ``data`` ((frames, channels) or 1-D; its dtype is the stream's) and returns at once,
    or when done with ``blocking=True``. ``mapping``: the output channel (from 1) of each column
    (a 1-D signal plays on all of them); ``loop``: repeat until :func:`stop`. ``stream_args`` go
    to :class:`OutputStream`."""
    check_bool("loop", loop)
    out_map = _check_mapping(mapping, "mapping")
    array = _private_copy(_fit_to_mapping(_as_frames(data, "data"), out_map, "mapping"))
    stream = _PlayStream(array, None, out_map, None, loop, samplerate=samplerate,
                         channels=_channels_for(out_map, array.shape[1]), dtype=_dtype_of(array), **stream_args)
    _start(stream, blocking)


def _output_buffer(frames: int, channels: Any, dtype: Any, out: Any) -> Any:
    """``out`` checked, or a new zeroed (frames, channels) array of ``dtype`` (see :func:`_private`).
    An ``out`` the caller passes is theirs: resizing it with ``refcheck=False`` while it records,
    which numpy documents as unsafe, is as unsafe here."""
    if out is not None:
        numpy = _require_numpy()
        if not isinstance(out, numpy.ndarray):
            raise TypeError(f"out must be a numpy array (it is filled in place), not {type(out).__name__}")
        if not out.flags.c_contiguous or not out.flags.writeable:
            raise ValueError(f"out must be a C-contiguous, writable array (it is filled in place); its flags: "
                             f"C_CONTIGUOUS={out.flags.c_contiguous}, WRITEABLE={out.flags.writeable}")
        return _as_frames(out, "out")
    if isinstance(channels, bool) or not isinstance(channels, int) or channels < 1:
        raise ValueError(f"channels must be a positive int, not {channels!r}")
    kind = sample_type(dtype)
    return _private((frames, channels, 3) if kind.name == "int24" else (frames, channels), kind.numpy)


def rec(frames: Optional[int] = None, samplerate: Optional[float] = None, channels: Optional[int] = None, dtype: Any = None,
        out: Any = None, mapping: Optional[Sequence[int]] = None, blocking: bool = False, **stream_args: Any) -> Any:
    """Records ``frames`` frames (or fills ``out``); returns the array at once — it fills in the
    background — or when done with ``blocking=True``. ``mapping``: the input channels (from 1)
    to record, one per column (``channels`` is then their count). ``channels`` and ``dtype``
    default to the input halves of :data:`default` (1 channel where that is unset)."""
    in_map = _check_mapping(mapping, "mapping")
    if out is None and (isinstance(frames, bool) or not isinstance(frames, int) or frames < 1):
        raise ValueError(f"frames must be a positive int, not {frames!r}")
    if in_map is not None:
        channels = len(in_map)
    channels = channels if channels is not None else pick(default.channels, "input") or 1
    out = _output_buffer(frames or 0, channels, dtype if dtype is not None else pick(default.dtype, "input"), out)
    if in_map is not None and out.shape[1] != len(in_map):
        raise ValueError(f"mapping records {len(in_map)} channels but out has {out.shape[1]} columns")
    stream = _RecStream(None, out, None, in_map, False, samplerate=samplerate,
                        channels=_channels_for(in_map, out.shape[1]), dtype=_dtype_of(out), **stream_args)
    _start(stream, blocking)
    return out


def playrec(data: Any, samplerate: Optional[float] = None, channels: Optional[int] = None, dtype: Any = None,
            out: Any = None, input_mapping: Optional[Sequence[int]] = None, output_mapping: Optional[Sequence[int]] = None,
            blocking: bool = False, **stream_args: Any) -> Any:
    """Plays ``data`` and records as many frames at the same time, on one duplex stream.
    ``input_mapping``/``output_mapping``: as ``mapping`` of :func:`rec` and :func:`play`.
    ``channels`` (recorded) defaults to :data:`default`'s input half, or the data's columns;
    the recording has the data's dtype (RtAudio has one format for both directions)."""
    out_map = _check_mapping(output_mapping, "output_mapping")
    in_map = _check_mapping(input_mapping, "input_mapping")
    array = _private_copy(_fit_to_mapping(_as_frames(data, "data"), out_map, "output_mapping"))
    kind = sample_type(_dtype_of(array) if dtype is None else dtype)
    if kind.name != _dtype_of(array):
        raise TypeError(f"data has dtype {_dtype_of(array)}, but dtype={kind.name!r} was asked for")
    if in_map is not None:
        channels = len(in_map)
    channels = channels if channels is not None else pick(default.channels, "input") or array.shape[1]
    out = _output_buffer(len(array), channels, kind.name, out)
    if len(out) != len(array):
        raise ValueError(f"out has {len(out)} frames; playrec records as many as data has ({len(array)})")
    if _dtype_of(out) != kind.name:
        raise TypeError(f"out has dtype {_dtype_of(out)}, but the stream's is {kind.name}")
    if in_map is not None and out.shape[1] != len(in_map):
        raise ValueError(f"input_mapping records {len(in_map)} channels but out has {out.shape[1]} columns")
    stream = _PlayRecStream(array, out, out_map, in_map, False, samplerate=samplerate,
                            channels=(_channels_for(in_map, out.shape[1]), _channels_for(out_map, array.shape[1])),
                            dtype=kind.name, **stream_args)
    _start(stream, blocking)
    return out


def wait(ignore_errors: bool = True, *, timeout: Optional[float] = None) -> Optional[CallbackFlags]:
    """Waits until the current play/rec/playrec has finished, then closes its stream. Returns
    its :class:`CallbackFlags` if the driver flagged an over- or underflow during it, else None
    (as sounddevice's). ``ignore_errors``: as in :meth:`Stream.stop` (a failure of the stream,
    such as its server going away, is raised either way). Raises TimeoutError if
    ``timeout`` seconds passed first, leaving the transfer running. Ctrl+C interrupts it (the
    transfer goes on until :func:`stop`)."""
    if not isinstance(ignore_errors, bool):
        raise TypeError(f"ignore_errors must be True or False, not {ignore_errors!r} (a timeout is wait(timeout={ignore_errors!r}))")
    timeout = check_timeout(timeout)
    stream = _last
    if stream is None:
        return None
    deadline = None if timeout is None else time.monotonic() + timeout
    while not stream.closed:
        left = _WAIT_SLICE_SECONDS if deadline is None else min(_WAIT_SLICE_SECONDS, deadline - time.monotonic())
        if stream._wait_stopped(max(0.0, left)):
            break
        if left <= 0:
            raise TimeoutError(f"play/rec/playrec still running after timeout={timeout!r} s")
    stream.close(ignore_errors)
    return get_status() or None


def stop(ignore_errors: bool = True) -> None:
    """Stops and closes the current play/rec/playrec (if any); ``ignore_errors`` as in :func:`wait`."""
    check_bool("ignore_errors", ignore_errors)
    stream = _last
    if stream is not None and not stream.closed:
        try:
            stream.stop(ignore_errors)
        finally:
            stream.close(ignore_errors)


def get_status() -> CallbackFlags:
    """The over- and underflows the driver flagged during the current (or last) play/rec/playrec
    (sounddevice's get_status): a new :class:`CallbackFlags` each time."""
    statistics = get_stream()._statistics()
    return flags_of(statistics.InputOverflows > 0, statistics.OutputUnderflows > 0)


def get_stream() -> _StreamBase:
    """The stream of the current (or last) play/rec/playrec, closed once it has finished."""
    if _last is None:
        raise RuntimeError("play()/rec()/playrec() was not called yet")
    return _last
