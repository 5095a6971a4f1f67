"""play / rec / playrec as native transfers: the audio thread copies the arrays with no Python,
so a main thread holding the GIL changes nothing; looping, channel maps, stop mid-transfer, and
arrays the caller cannot resize under the audio thread. Sample-exact checks run on the exactness
server (conftest.EXACT_PERIOD) through the stream's own ports."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest

from conftest import EXACT_PERIOD, JackConnector, connected_at, exactly, hold_the_gil, pattern, unique, wait_for, xruns

pytestmark = pytest.mark.usefixtures("jack_server")

RATE = 48000


@pytest.fixture(scope="module")
def sd(jack_server: str) -> Any:
    import pyrtaudionet

    return pyrtaudionet


def test_playrec_is_sample_exact_while_a_c_call_holds_the_gil(sd: Any, exact_jack: JackConnector) -> None:
    """3 s through the stream's own ports, the main thread in a GIL-holding C call for 1 s of it:
    every frame comes back in order and no period is flagged (how long play+wait takes is
    make bench's gil-play row)."""
    def attempt() -> tuple[bool, int]:
        name = unique("gil")
        data = pattern("float32", 3 * RATE)
        data[:RATE // 10] = 0  # silence while the ports connect
        started = time.monotonic()
        recorded = sd.playrec(data, RATE, api="jack", name=name, autoconnect=False)
        stream = sd.get_stream()
        before = xruns(stream)
        exact_jack.connect(name, name, 2)
        hold_the_gil(1.0)
        sd.wait(timeout=10)
        print(f"playrec of 3 s with the GIL held for 1 s: {time.monotonic() - started:.3f} s")
        return np.array_equal(recorded[EXACT_PERIOD:], data[:-EXACT_PERIOD]), xruns(stream) - before

    exactly(attempt)


def test_mappings_play_and_record_the_named_channels(sd: Any, exact_jack: JackConnector) -> None:
    """A mono signal mapped to output channel 2 only, recorded from input channel 2 only."""
    def attempt() -> tuple[bool, int]:
        name = unique("map")
        data = pattern("float32", RATE // 2)[:, :1].copy()
        data[:RATE // 10] = 0
        recorded = sd.playrec(data, RATE, api="jack", name=name, autoconnect=False, output_mapping=[2], input_mapping=[2])
        stream = sd.get_stream()
        assert stream.channels == (2, 2) and recorded.shape == (RATE // 2, 1)
        before = xruns(stream)
        exact_jack.connect(name, name, 2)
        sd.wait(timeout=10)
        return np.array_equal(recorded[EXACT_PERIOD:], data[:-EXACT_PERIOD]), xruns(stream) - before

    exactly(attempt)
    name = unique("left")
    silent = sd.playrec(np.ones((RATE // 5, 1), np.float32), RATE, api="jack", name=name, autoconnect=False,
                        output_mapping=[2], input_mapping=[1])
    exact_jack.connect(name, name, 1)
    sd.wait(timeout=10)
    assert silent.shape == (RATE // 5, 1) and not silent.any(), "channel 1 played nothing"


def heard_since_connected(heard: list[Any]) -> int:
    got = np.concatenate(heard) if heard else np.zeros((0, 2))
    return len(got) - connected_at(got)


def test_loop_repeats_until_stopped(sd: Any, exact_jack: JackConnector) -> None:
    """A 1000-frame pattern (not a multiple of the period) looped into a recorder, stopped after a while."""
    def attempt() -> tuple[bool, int]:
        player, recorder = unique("loop"), unique("rec")
        cycle = pattern("int16", 1000)
        heard: list[Any] = []
        with sd.InputStream(channels=2, dtype="int16", callback=lambda indata, *a: heard.append(indata.copy()),
                            api="jack", name=recorder, autoconnect=False) as listener:
            sd.play(cycle, RATE, loop=True, api="jack", name=player, autoconnect=False)
            stream = sd.get_stream()
            before = xruns(listener, stream)
            exact_jack.connect(player, recorder, 2)
            # The window checked below must end before the stop: counted from the connection,
            # which may come several periods after the recording began.
            assert wait_for(lambda: heard_since_connected(heard) > 8 * RATE // 10, 10)
            reported = xruns(listener, stream) - before
            sd.stop()
        assert stream.closed and not sd.get_stream().active
        got = np.concatenate(heard)
        start = connected_at(got)
        offset = int(np.flatnonzero(np.all(cycle == got[start], axis=1))[0])
        looped = got[start:start + 6 * RATE // 10]
        return np.array_equal(looped, np.take(cycle, np.arange(offset, offset + len(looped)) % 1000, axis=0)), reported

    exactly(attempt)


def test_stop_mid_transfer_closes_and_get_stream_keeps_it(sd: Any) -> None:
    sd.play(np.zeros((RATE * 5, 2), np.float32), RATE, api="jack")
    stream = sd.get_stream()
    assert wait_for(lambda: stream.active, 5)
    started = time.monotonic()
    sd.stop()
    assert time.monotonic() - started < 1.0
    assert stream.closed and sd.get_stream() is stream
    sd.wait(timeout=0)  # nothing left to wait for
    assert sd.rec(RATE // 10, RATE, channels=1, api="jack", blocking=True).shape == (RATE // 10, 1)
    assert sd.get_stream() is not stream and sd.get_stream().closed


def test_wait_with_a_timeout_raises_timeout_error_and_the_transfer_goes_on(sd: Any) -> None:
    sd.play(np.zeros((RATE // 2, 1), np.float32), RATE, api="jack")
    with pytest.raises(TimeoutError, match="timeout=0.05"):
        sd.wait(timeout=0.05)
    assert sd.get_stream().active
    sd.wait(timeout=10)
    assert sd.get_stream().closed


def test_wait_and_get_status_report_the_flags_of_the_transfer(sd: Any, exact_jack: JackConnector, monkeypatch: pytest.MonkeyPatch) -> None:
    """As sounddevice's: wait() returns CallbackFlags when the driver flagged a period, else None.
    On the exactness server a transfer alone sees no xrun; a late JACK client makes the server
    flag one to every client, the transfer's too."""
    with monkeypatch.context() as fresh:
        fresh.setattr("pyrtaudionet._transfers._last", None)  # as in a program that made no transfer yet
        with pytest.raises(RuntimeError, match="not called yet"):
            sd.get_status()
        assert sd.wait() is None
    sd.play(np.zeros((RATE // 4, 1), np.float32), RATE, api="jack")
    assert sd.wait(timeout=10) is None and not sd.get_status(), "a transfer alone: nothing flagged"

    def late(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        time.sleep(0.05)  # more than two periods late

    with sd.OutputStream(channels=1, callback=late, api="jack"):
        sd.play(np.zeros((RATE // 2, 1), np.float32), RATE, api="jack")
        status = sd.wait(timeout=10)
    stream = sd.get_stream()
    assert isinstance(status, sd.CallbackFlags) and status.output_underflow and stream.output_underflows > 0
    assert status == sd.get_status() and sd.get_status() is not sd.get_status()


def test_the_arrays_cannot_be_resized_while_the_audio_thread_uses_them(sd: Any) -> None:
    """rec()'s array is a view of a bytearray the bridge holds an export of: numpy refuses to
    resize it (even with refcheck=False: it owns no data), and the bytearray refuses too, until
    the stream is closed and the view is gone. play() plays a copy the caller never sees."""
    recorded = sd.rec(RATE * 5, RATE, channels=1, api="jack")
    with pytest.raises(ValueError, match="does not own its data"):
        recorded.resize((10, 1), refcheck=False)
    storage = recorded.base
    while not isinstance(storage, bytearray):
        storage = storage.obj if isinstance(storage, memoryview) else storage.base
    with pytest.raises(BufferError):
        storage.extend(b"x" * 65536)
    data = np.zeros((RATE * 5, 1), np.float32)
    sd.play(data, RATE, api="jack")
    data.resize((10, 1), refcheck=False)  # the caller's own array: free to change
    assert sd.get_stream().active
    sd.stop()
    del recorded  # its own export of the bytearray; the bridge let go of its one when play() closed the recording
    storage.extend(b"x")


@pytest.mark.parametrize(("call", "error", "words"), [
    (lambda sd: sd.play(np.zeros((10, 2), np.float32), RATE, mapping=[1], api="jack"), ValueError, "maps 1 channels but the data has 2"),
    (lambda sd: sd.play(np.zeros(10, np.float32), RATE, mapping=[0], api="jack"), ValueError, "start at 1"),
    (lambda sd: sd.play(np.zeros(10, np.float32), RATE, mapping=[1, 1], api="jack"), ValueError, "names a channel twice"),
    (lambda sd: sd.play(np.zeros(10, np.float32), RATE, mapping=["a"], api="jack"), ValueError, "channel numbers"),
    (lambda sd: sd.play(np.zeros(10, np.float32), RATE, mapping=[3], api="jack"), ValueError, "output channels=3"),
    (lambda sd: sd.play(np.zeros(10, np.float32), RATE, loop=1, api="jack"), TypeError, "loop must be True or False"),
    (lambda sd: sd.play(np.zeros(10, np.float32), RATE, callback=print, api="jack"), TypeError, "callback= is not for play"),
    (lambda sd: sd.rec(10, RATE, mapping=[1], out=np.zeros((10, 2), np.float32), api="jack"), ValueError, "mapping records 1 channels but out has 2"),
    (lambda sd: sd.playrec(np.zeros((10, 1), np.float32), RATE, out=np.zeros((5, 1), np.float32), api="jack"), ValueError, "out has 5 frames"),
    (lambda sd: sd.playrec(np.zeros((10, 1), np.float32), RATE, out=np.zeros((10, 1), np.int16), api="jack"), TypeError, "out has dtype int16"),
    (lambda sd: sd.rec(out=np.zeros((10, 1), np.float32)[::-1], api="jack"), ValueError, "out must be a C-contiguous"),
    (lambda sd: sd.rec(out=np.zeros((10, 1), np.float32).astype(np.complex64), api="jack"), ValueError, "complex64"),
])
def test_bad_transfers_are_refused_naming_the_value(sd: Any, call: Any, error: type, words: str) -> None:
    with pytest.raises(error, match=words):
        call(sd)
