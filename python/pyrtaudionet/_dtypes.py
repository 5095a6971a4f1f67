"""The sample types a stream can use, and how they map to RtAudio and numpy."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PyRtAudioNet import RtAudioFormat  # type: ignore[import-not-found]


@dataclass(frozen=True)
class SampleType:
    name: str
    format: Any  # RtAudioFormat
    size: int  # bytes per sample
    numpy: str  # numpy dtype of the arrays handed out ("u1" for int24: 3 packed bytes)


SAMPLE_TYPES = {
    t.name: t
    for t in (
        SampleType("int8", RtAudioFormat.SInt8, 1, "i1"),
        SampleType("int16", RtAudioFormat.SInt16, 2, "<i2"),
        SampleType("int24", RtAudioFormat.SInt24, 3, "u1"),
        SampleType("int32", RtAudioFormat.SInt32, 4, "<i4"),
        SampleType("float32", RtAudioFormat.Float32, 4, "<f4"),
        SampleType("float64", RtAudioFormat.Float64, 8, "<f8"),
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
