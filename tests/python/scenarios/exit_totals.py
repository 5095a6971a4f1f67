"""N objects of one kind made, used and kept alive until exit, where interpreter finalization
and pythonnet's shutdown free them: run with -X showrefcount on a debug build, the totals it
prints at exit must not grow with N. argv: kind (see KINDS), N."""

from __future__ import annotations

import sys
import time
from typing import Any, Callable

import numpy as np

import pyrtaudionet as sd


def rtaudio() -> Any:
    audio = sd.RtAudio(sd.RtAudioApi.UnixJack)
    audio.GetDeviceCount()
    return audio


def two_callbacks(kind: Any) -> Any:
    """A float32 output stream of ``kind`` closed after its callback ran twice (writing its numpy array)."""
    calls = [0]

    def callback(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        if kind is sd.OutputStream:
            outdata.fill(0)
        calls[0] += 1

    with kind(channels=1, dtype="float32", callback=callback, api="jack") as stream:
        deadline = time.monotonic() + 5
        while calls[0] < 2:
            assert time.monotonic() < deadline, "the callback runs"
            time.sleep(0.001)
    return stream


def callback_stream() -> Any:
    return two_callbacks(sd.OutputStream)


def raw_callback_stream() -> Any:
    return two_callbacks(sd.RawOutputStream)


def blocking_stream() -> Any:
    with sd.Stream(channels=1, dtype="float32", api="jack") as stream:
        stream.write(np.zeros((64, 1), dtype=np.float32))
        stream.read(64)
    return stream


def device_list() -> Any:
    return sd.query_devices(api="jack")


def refused_stream() -> Any:
    try:
        sd.OutputStream(channels=1, samplerate=44100, api="jack")  # the JACK server runs at 48 kHz
    except sd.RtAudioError as error:
        return error
    raise AssertionError("44.1 kHz was accepted")


def caught_exception() -> Any:
    try:
        sd.RtAudio(sd.RtAudioApi.UnixJack).GetDeviceInfo(999)
    except sd.RtAudioException as error:
        return error
    raise AssertionError("device 999 was found")


KINDS: dict[str, Callable[[], Any]] = {f.__name__: f for f in (rtaudio, callback_stream, raw_callback_stream, blocking_stream, device_list, refused_stream, caught_exception)}
kind, count = sys.argv[1], int(sys.argv[2])
kept = [KINDS[kind]() for _ in range(count)]
print(f"{count} x {kind} kept until exit")
