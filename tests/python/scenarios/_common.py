"""Shared set-up of the scenario scripts: each runs as its own interpreter (or inside a .NET
host that embeds Python, where ``clr`` already exists), on the JACK server named by
JACK_DEFAULT_SERVER."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tools"))
import jack_dummy_server  # noqa: E402  # every suite's JACK server launcher

if "clr" in sys.modules:  # embedded in a .NET host: the assemblies are loaded already
    import clr  # type: ignore[import-not-found]

    clr.AddReference("PyRtAudioNet")
    clr.AddReference("PyRtAudioNet.Python")
else:
    import pyrtaudionet  # noqa: F401  # hosts .NET and loads the assemblies

from PyRtAudioNet import RtAudio, RtAudioApi, RtAudioException, RtAudioFormat, StreamFlags, StreamOptions, StreamParameters  # type: ignore  # noqa: E402
from PyRtAudioNet.Python import PythonStreams  # type: ignore  # noqa: E402

__all__ = ["RtAudio", "RtAudioApi", "RtAudioException", "RtAudioFormat", "StreamFlags", "StreamOptions", "StreamParameters",
           "PythonStreams", "SAMPLE_RATE", "PERIOD", "open_output", "start_counting_stream", "start_jackd", "stop_jackd",
           "wait_until"]

SAMPLE_RATE = 48000
PERIOD = 64


def open_output(callback: Callable[..., Any], channels: int = 2, options: Any = None) -> Any:
    """A JACK RtAudio with an open float32 output stream calling ``callback``."""
    audio = RtAudio(RtAudioApi.UnixJack)
    output = StreamParameters(audio.GetDefaultOutputDevice(), channels, 0)
    PythonStreams.OpenStream(audio, output, None, RtAudioFormat.Float32, SAMPLE_RATE, PERIOD, callback, options)
    return audio


def wait_until(condition: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return condition()


def start_counting_stream() -> Any:
    """A running output stream whose callback only counts; returned once it has run 20 periods."""
    calls = [0]

    def callback(outdata: Any, indata: Any, frames: int, stream_time: float, status: int) -> None:
        calls[0] += 1

    audio = open_output(callback)
    audio.StartStream()
    assert wait_until(lambda: calls[0] > 20, 5), "the stream runs"
    return audio


def start_jackd(name: str) -> subprocess.Popen[bytes]:
    """A JACK dummy server named ``name`` (48 kHz, PERIOD frames), returned once it lists its ports."""
    return jack_dummy_server.start(name, SAMPLE_RATE, PERIOD)


def stop_jackd(server: subprocess.Popen[bytes], kill: bool = False) -> float:
    """Stops ``server`` (SIGKILL with ``kill``: its clients are not told; SIGTERM otherwise) and
    returns when (time.monotonic()) it had gone. A killed jackd keeps its slot in JACK's server
    registry (8 per machine) until a server of the same name starts."""
    if kill:
        server.kill()
    else:
        server.terminate()
    server.wait(10)
    return time.monotonic()
