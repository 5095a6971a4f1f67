"""The sample types a stream can use, and how they map to RtAudio and numpy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PyRtAudioNet import RtAudioFormat, RtAudioLimits  # type: ignore[import-not-found]


@dataclass(frozen=True)
class SampleType:
    name: str
    format: Any  # RtAudioFormat
    numpy: str  # numpy dtype of the arrays handed out ("u1" for int24: 3 packed bytes)
    size: int  # bytes per sample, as the native bridge defines them


def _sample_type(name: str, format: Any, numpy: str) -> SampleType:
    return SampleType(name, format, numpy, int(RtAudioLimits.SampleBytes(format)))


SAMPLE_TYPES = {
    t.name: t
    for t in (
        _sample_type("int8", RtAudioFormat.SInt8, "i1"),
        _sample_type("int16", RtAudioFormat.SInt16, "<i2"),
        _sample_type("int24", RtAudioFormat.SInt24, "u1"),
        _sample_type("int32", RtAudioFormat.SInt32, "<i4"),
        _sample_type("float32", RtAudioFormat.Float32, "<f4"),
        _sample_type("float64", RtAudioFormat.Float64, "<f8"),
    )
}


def sample_type(dtype: Any) -> SampleType:
    """The SampleType of ``dtype``: a name ('float32', 'int24', ...) or a numpy dtype."""
    if isinstance(dtype, SampleType):
        return dtype
    if isinstance(dtype, str):
        name = dtype
    else:
        name = getattr(dtype, "name", None) or getattr(getattr(dtype, "dtype", None), "name", None) or ""
        if not name:
            try:
                import numpy as np

                name = np.dtype(dtype).name
            except (ImportError, TypeError):
                name = repr(dtype)
    if name not in SAMPLE_TYPES:
        raise ValueError(f"dtype {dtype!r} is not supported; use one of {', '.join(SAMPLE_TYPES)}")
    return SAMPLE_TYPES[name]
