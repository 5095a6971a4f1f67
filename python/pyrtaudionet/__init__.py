"""PyRtAudioNet: real-time audio I/O through RtAudio, from Python.

Importing this package loads the .NET runtime and pythonnet (see :mod:`pyrtaudionet._clr`),
so that ``import clr`` and ``from PyRtAudioNet import RtAudio`` work, and makes sure that
streams still open at interpreter exit are closed before pythonnet shuts down.

A stream with a Python callback::

    from pyrtaudionet import RtAudio, RtAudioApi, RtAudioFormat, StreamParameters, PythonStreams

    audio = RtAudio(RtAudioApi.UnixJack)
    output = StreamParameters(audio.GetDefaultOutputDevice(), 2, 0)

    def callback(outdata, indata, frames, time, status):
        outdata[:] = ...          # a memoryview shaped (frames, channels)
        return 0                  # None/0 continue, 1 stop, 2 abort

    PythonStreams.OpenStream(audio, output, None, RtAudioFormat.Float32, 48000, 64, callback)
    audio.StartStream()
"""

from __future__ import annotations

import atexit

from . import _clr

_clr.load()

from PyRtAudioNet import (  # type: ignore[import-not-found]  # noqa: E402
    CallbackResult,
    DeviceInfo,
    RtAudio,
    RtAudioApi,
    RtAudioErrorType,
    RtAudioException,
    RtAudioFormat,
    StreamFlags,
    StreamOptions,
    StreamParameters,
    StreamStatus,
)
from PyRtAudioNet.Python import PythonStreams  # type: ignore[import-not-found]  # noqa: E402

__all__ = [
    "CallbackResult",
    "DeviceInfo",
    "PythonStreams",
    "RtAudio",
    "RtAudioApi",
    "RtAudioErrorType",
    "RtAudioException",
    "RtAudioFormat",
    "StreamFlags",
    "StreamOptions",
    "StreamParameters",
    "StreamStatus",
]


def _close_streams_at_exit() -> None:
    PythonStreams.CloseAll()


# Registered after the loader's shutdown handler, so it runs before it (atexit is LIFO).
atexit.register(_close_streams_at_exit)
