"""A blocking output stream's stop() plays out what was written before it; abort() drops it, and
a start after either plays only what is written after. Heard by a recording stream connected to
the player's port, on the exactness server (conftest.EXACT_PERIOD), so a missing frame is a loss."""

from __future__ import annotations

import time
import uuid
from typing import Any

import numpy as np
import pytest

from conftest import EXACT_PERIOD, JackConnector, counter, counter_indices

pytestmark = pytest.mark.usefixtures("jack_server")

RATE = 48000
WRITTEN = RATE // 2  # 0.5 s: within the default ring (latency='high'), so write() returns at once


@pytest.fixture(scope="module")
def sd(jack_server: str) -> Any:
    import pyrtaudionet

    return pyrtaudionet


class Recorder:
    """A callback input stream that keeps every frame it hears (conftest's counter signal)."""

    def __init__(self, sd: Any, seconds: float) -> None:
        self.name = f"rec{uuid.uuid4().hex[:8]}"
        self.frames = np.zeros(int(seconds * RATE), np.float32)
        self.position = 0
        self.stream = sd.InputStream(channels=1, callback=self.keep, api="jack", name=self.name, autoconnect=False)

    def keep(self, indata: Any, frames: int, time_info: Any, status: Any) -> None:
        take = min(frames, len(self.frames) - self.position)
        self.frames[self.position:self.position + take] = indata[:take, 0]
        self.position += take

    def heard(self) -> Any:
        """The counter values heard, in order (silence left out)."""
        values = self.frames[:self.position]
        return counter_indices(values[values != 0])


def play_and_record(sd: Any, jack: JackConnector, ending: str, blocksize: int = 0) -> tuple[float, int, Any]:
    """Writes WRITTEN frames to a started blocking stream of ``blocksize`` heard by a Recorder, then ends it with
    ``ending`` ('stop' or 'abort'), starts it again for 0.2 s writing nothing, and stops it.
    Returns the seconds ``ending`` took, the frames heard two periods after it returned, and all
    the recorder heard."""
    recorder = Recorder(sd, 3.0)
    name = f"ply{uuid.uuid4().hex[:8]}"
    with recorder.stream, sd.OutputStream(channels=1, dtype="float32", api="jack", name=name, autoconnect=False,
                                                 blocksize=blocksize) as player:
        jack.connect(name, recorder.name, 1)
        player.write(counter(0, WRITTEN))  # returns with the last ring's worth still queued
        began = time.monotonic()
        getattr(player, ending)()
        took = time.monotonic() - began
        time.sleep(2 * EXACT_PERIOD / RATE)
        heard_then = len(recorder.heard())
        player.start()
        jack.connect(name, recorder.name, 1)  # a stopped JACK client's ports lost their connections
        time.sleep(0.2)
        player.stop()
        time.sleep(2 * EXACT_PERIOD / RATE)
    return took, heard_then, recorder.heard()


# 0: the server's period; 100 and 2400: blocks re-cut from its periods, the last of which plays
# on for up to a block after the ring ran empty.
@pytest.mark.parametrize("blocksize", [0, 100, 2400])
def test_stop_returns_once_everything_written_was_handed_to_the_server(sd: Any, exact_jack: JackConnector,
                                                                      blocksize: int) -> None:
    took, heard_then, heard = play_and_record(sd, exact_jack, "stop", blocksize)
    assert heard_then == WRITTEN, f"two periods after stop() returned ({took:.3f} s), {heard_then} of {WRITTEN} frames were heard"
    assert np.array_equal(heard, np.arange(WRITTEN)), f"heard {len(heard)} of {WRITTEN} frames, or not in order"


def test_abort_drops_what_was_written_and_a_restart_never_plays_it(sd: Any, exact_jack: JackConnector) -> None:
    took, heard_then, heard = play_and_record(sd, exact_jack, "abort")
    assert took < 0.2, f"abort() took {took:.3f} s"
    assert heard_then < WRITTEN, "abort() dropped what was queued"
    assert np.array_equal(heard, np.arange(heard_then)), "nothing written before the abort played after the restart"
