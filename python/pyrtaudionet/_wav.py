"""WAV files: PCM int16/int24/int32 through the standard :mod:`wave` module, and IEEE float
(32/64-bit, which :mod:`wave` does not read or write) through a minimal RIFF reader/writer."""

from __future__ import annotations

import struct
import wave
from typing import Any

import numpy as np

_PCM_DTYPES = {2: "int16", 3: "int24", 4: "int32"}
_FLOAT_DTYPES = {4: "float32", 8: "float64"}
_WAVE_FORMAT_IEEE_FLOAT = 3


def read(path: str) -> tuple[Any, int, str]:
    """(frames × channels array, sample rate, dtype name); int24 arrays are (frames, channels, 3) bytes."""
    try:
        with wave.open(path, "rb") as w:
            channels, width, rate, frames = w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getnframes()
            raw = w.readframes(frames)
    except wave.Error as error:
        if "unknown format: 3" not in str(error):
            raise ValueError(f"{path}: {error}") from None
        return _read_float(path)
    if width not in _PCM_DTYPES:
        raise ValueError(f"{path}: {8 * width}-bit PCM is not supported (16, 24 or 32-bit PCM, or float)")
    dtype = _PCM_DTYPES[width]
    if dtype == "int24":
        return np.frombuffer(raw, dtype=np.uint8).reshape(-1, channels, 3).copy(), rate, dtype
    return np.frombuffer(raw, dtype="<i" + str(width)).reshape(-1, channels).copy(), rate, dtype


def write(path: str, data: Any, rate: int, dtype: str) -> None:
    """Writes ``data`` (as :func:`read` returns it) as PCM (int16/24/32) or IEEE float WAV."""
    channels = data.shape[1]
    if dtype in ("float32", "float64"):
        _write_float(path, data, rate, dtype)
        return
    width = {"int16": 2, "int24": 3, "int32": 4}.get(dtype)
    if width is None:
        raise ValueError(f"dtype {dtype!r} cannot be written as WAV (int16, int24, int32, float32, float64)")
    with wave.open(path, "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(width)
        w.setframerate(rate)
        w.writeframes(np.ascontiguousarray(data).tobytes())


def _read_float(path: str) -> tuple[Any, int, str]:
    with open(path, "rb") as f:
        blob = f.read()
    if blob[:4] != b"RIFF" or blob[8:12] != b"WAVE":
        raise ValueError(f"{path} is not a RIFF/WAVE file")
    position, fmt, data = 12, None, None
    while position + 8 <= len(blob):
        chunk, size = blob[position:position + 4], struct.unpack_from("<I", blob, position + 4)[0]
        body = blob[position + 8:position + 8 + size]
        if chunk == b"fmt ":
            fmt = struct.unpack_from("<HHIIHH", body)
        elif chunk == b"data":
            data = body
        position += 8 + size + (size & 1)
    if fmt is None or data is None or fmt[0] != _WAVE_FORMAT_IEEE_FLOAT or fmt[5] // 8 not in _FLOAT_DTYPES:
        raise ValueError(f"{path}: not a 32/64-bit IEEE float WAV file")
    _, channels, rate, _, _, bits = fmt
    dtype = _FLOAT_DTYPES[bits // 8]
    return np.frombuffer(data, dtype="<f" + str(bits // 8)).reshape(-1, channels).copy(), rate, dtype


def _write_float(path: str, data: Any, rate: int, dtype: str) -> None:
    width = 4 if dtype == "float32" else 8
    payload = np.ascontiguousarray(data, dtype="<f" + str(width)).tobytes()
    channels = data.shape[1]
    fmt = struct.pack("<HHIIHH", _WAVE_FORMAT_IEEE_FLOAT, channels, rate, rate * channels * width, channels * width, 8 * width)
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", 4 + 8 + len(fmt) + 8 + len(payload)) + b"WAVE")
        f.write(b"fmt " + struct.pack("<I", len(fmt)) + fmt)
        f.write(b"data" + struct.pack("<I", len(payload)) + payload)
