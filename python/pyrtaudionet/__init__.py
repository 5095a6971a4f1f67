"""PyRtAudioNet: real-time audio I/O through RtAudio, from Python.

The interface is python-sounddevice's: ``query_devices``, ``Stream``/``InputStream``/
``OutputStream`` with numpy callbacks, ``play``/``rec``/``playrec``/``wait``/``stop``,
``default``, ``CallbackStop``/``CallbackAbort``; sounddevice code ports by changing the import::

    import pyrtaudionet as sd

    def callback(outdata, frames, time, status):
        outdata[:] = 0.1 * np.random.randn(frames, 2)

    with sd.OutputStream(channels=2, callback=callback):
        sd.sleep(1000)

Importing this package loads the .NET runtime and pythonnet (see :mod:`pyrtaudionet._clr`),
so that ``import clr`` and ``from PyRtAudioNet import RtAudio`` work, and makes sure that
streams still open at interpreter exit are closed before pythonnet shuts down.

The RtAudio-level .NET API is here too; a stream with a Python callback there::

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
import sys

from . import _clr, _gate

_clr.load()
_clr.require_native_bridge()

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

from ._transfers import get_status, get_stream, play, playrec, rec, stop, wait  # noqa: E402
from ._defaults import default
from ._devices import check_input_settings, check_output_settings, query_apis, query_devices, query_hostapis  # noqa: E402
from ._errors import CallbackAbort, CallbackFlags, CallbackStop, RtAudioError  # noqa: E402
from ._version import __version__  # noqa: E402

# sounddevice's name for its library's errors: code that catches it catches RtAudio's.
PortAudioError = RtAudioError
from ._streams import InputStream, OutputStream, RawInputStream, RawOutputStream, RawStream, Stream  # noqa: E402


def sleep(msec: float) -> None:
    """Sleeps ``msec`` milliseconds (as ``sounddevice.sleep``)."""
    import time

    time.sleep(msec / 1000)


__all__ = [
    "CallbackAbort",
    "CallbackFlags",
    "CallbackStop",
    "InputStream",
    "OutputStream",
    "PortAudioError",
    "RawInputStream",
    "RawOutputStream",
    "RawStream",
    "RtAudioError",
    "Stream",
    "check_input_settings",
    "check_output_settings",
    "default",
    "get_status",
    "get_stream",
    "play",
    "playrec",
    "query_apis",
    "query_devices",
    "query_hostapis",
    "rec",
    "sleep",
    "stop",
    "wait",
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
    "__version__",
]


# How long exit waits for the calls other threads are making into .NET (see _gate).
_EXIT_WAIT_SECONDS = 5.0


def _close_streams_at_exit() -> None:
    _gate.close()
    PythonStreams.CloseAll()
    left = _gate.wait_until_empty(_EXIT_WAIT_SECONDS)
    if left:
        print(f"pyrtaudionet: {left} calls into .NET still running after {_EXIT_WAIT_SECONDS:g} s at exit", file=sys.stderr)


# Registered after the loader's shutdown handler, so it runs before it (atexit is LIFO).
atexit.register(_close_streams_at_exit)
