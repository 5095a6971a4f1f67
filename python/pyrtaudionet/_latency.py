"""The latency policy: what a stream's ``latency`` setting asks of RtAudio and the bridge."""

from __future__ import annotations

import math
from typing import Any, Optional

from ._checks import MAX_BLOCKSIZE, MAX_RING_FRAMES

# latency='high': a blocking stream's rings hold at least this long (and 8 periods of the blocksize).
HIGH_LATENCY_SECONDS = 0.1


def latency_frames(latency: float, samplerate: int) -> int:
    """``latency`` seconds as frames at ``samplerate`` (at most a ring's frames)."""
    frames = max(1, math.ceil(latency * samplerate))
    if frames > MAX_RING_FRAMES:
        raise ValueError(f"latency={latency!r} is {frames} frames at {samplerate} Hz, more than {MAX_RING_FRAMES}")
    return frames


def buffering(latency: Any, ringsize: Optional[int], blocksize: int, samplerate: int) -> tuple[int, int, int]:
    """What a checked ``latency`` asks for: (blocksize, RtAudio's number of buffers, blocking ring
    frames); 0 leaves the choice to RtAudio or the bridge. ``ringsize`` wins over the ring size."""
    if isinstance(latency, str):
        if latency == "low" or ringsize is not None:
            return blocksize, 0, ringsize or 0  # the bridge's ring: 8 periods, at least 40 ms
        # A Python writer's wake-up costs more than a small period's work (docs/benchmarks.md): a
        # ring of HIGH_LATENCY_SECONDS wakes it once per half ring, with the other half still queued.
        return blocksize, 0, max(8 * blocksize, latency_frames(HIGH_LATENCY_SECONDS, samplerate))
    # Seconds: the blocking rings hold that much, and RtAudio buffers that many periods (ALSA,
    # PulseAudio; JACK's latency is its server's period). Without a blocksize the period is half of it.
    frames = latency_frames(latency, samplerate)
    if blocksize == 0:
        blocksize = min(MAX_BLOCKSIZE, max(1, frames // 2))
    return blocksize, max(2, math.ceil(frames / blocksize)), ringsize or frames
