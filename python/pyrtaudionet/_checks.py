"""The argument checks shared by streams, play/rec and ``default``, with the limits they check:
each names the bad value in a TypeError or ValueError before anything native is touched."""

from __future__ import annotations

import math
from typing import Any, Optional

from PyRtAudioNet import RtAudioLimits  # type: ignore[import-not-found]

# The native bridge's limits (native/include/prtn.h), checked here first to name the argument.
MAX_SAMPLE_RATE = int(RtAudioLimits.MaxSampleRate)
MAX_CHANNELS = int(RtAudioLimits.MaxChannels)
MAX_BLOCKSIZE = int(RtAudioLimits.MaxBufferFrames)
MAX_RING_FRAMES = int(RtAudioLimits.MaxRingFrames)
MAX_NAME_BYTES = int(RtAudioLimits.MaxStreamNameBytes)
MAX_TRANSFER_FRAMES = 1 << 30  # per write()/read(): the entries take the frame count as a C int


def check_int(name: str, value: Any, low: int, high: int) -> int:
    """``value``, an int (not a bool) between ``low`` and ``high``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {value!r}")
    if not low <= value <= high:
        raise ValueError(f"{name}={value!r} is out of range ({low}..{high})")
    return value


def check_bool(name: str, value: Any) -> bool:
    """``value``, True or False."""
    if not isinstance(value, bool):
        raise TypeError(f"{name} must be True or False, not {value!r}")
    return value


def check_samplerate(samplerate: Any) -> Optional[int]:
    """None (the device's), or a whole number of Hz."""
    if samplerate is None:
        return None
    if isinstance(samplerate, bool) or not isinstance(samplerate, (int, float)):
        raise TypeError(f"samplerate must be a number, not {samplerate!r}")
    if not 1 <= samplerate <= MAX_SAMPLE_RATE or samplerate != int(samplerate):
        raise ValueError(f"samplerate={samplerate!r} must be a whole number of Hz between 1 and {MAX_SAMPLE_RATE}")
    return int(samplerate)


def check_latency(latency: Any) -> Any:
    """'low', 'high', or seconds > 0."""
    if isinstance(latency, str) and latency in ("low", "high"):  # not `in` on any object: an array compares elementwise
        return latency
    if isinstance(latency, bool) or not isinstance(latency, (int, float)) or not 0 < latency < math.inf:
        raise ValueError(f"latency must be 'low', 'high' or seconds > 0, not {latency!r}")
    return latency


def check_timeout(timeout: Any) -> Optional[float]:
    """None or ``math.inf`` (no limit: None is returned), or seconds >= 0."""
    if isinstance(timeout, bool) or not (timeout is None or isinstance(timeout, (int, float)) and timeout >= 0):
        raise ValueError(f"timeout must be seconds >= 0 or None, not {timeout!r}")
    return None if timeout is None or timeout == math.inf else float(timeout)
