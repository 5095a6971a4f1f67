"""Blocking streams from Python: lossless while a pure-Python thread hogs the GIL (the audio
thread never needs it), and the same load against a callback stream, whose glitches are
reported honestly. On the private JACK dummy server; self-loopback through jack_connect."""

from __future__ import annotations

import os
import subprocess
import threading
import time
import uuid
from typing import Any

import numpy as np
import pytest

from conftest import ComputingThread, continuity, counter, steps_of

pytestmark = pytest.mark.usefixtures("jack_server")

RATE = 48000
SECONDS = float(os.environ.get("PRTN_INTEGRITY_SECONDS", "10"))


@pytest.fixture(scope="module")
def sd(jack_server: str) -> Any:
    import pyrtaudionet

    return pyrtaudionet


def test_blocking_self_loopback_is_lossless_while_python_hogs_the_gil(sd: Any) -> None:
    name = f"blk{uuid.uuid4().hex[:8]}"
    frames = int(SECONDS * RATE)
    stream = sd.Stream(channels=1, dtype="float32", api="jack", name=name, autoconnect=False, ringsize=RATE)
    written = [0]
    writing = threading.Event()
    writing.set()

    ended: list[tuple[BaseException, bool]] = []

    def writer() -> None:
        try:
            while writing.is_set():
                stream.write(counter(written[0], 1024))
                written[0] += 1024
        except BaseException as error:  # judged by the test's thread
            ended.append((error, writing.is_set()))

    stream.write(counter(0, RATE))  # prefill: start without an underflow
    written[0] = RATE
    stream.start()
    subprocess.run(["jack_connect", f"{name}:outport 0", f"{name}:inport 0"], check=True)
    feeder = threading.Thread(target=writer)
    with ComputingThread() as hog:
        feeder.start()
        recorded = np.concatenate([stream.read(min(4096, frames - done))[0] for done in range(0, frames, 4096)])
        underflows, overflows = stream._statistics().RingUnderflows, stream._statistics().RingOverflows
        writing.clear()
        stream.stop()
        feeder.join()
    stream.close()
    # The writer ends only by the stop() under its pending write, if at all.
    assert all(isinstance(error, sd.RtAudioError) and not still_writing for error, still_writing in ended), ended
    print(f"{len(recorded)} frames, hog loops {hog.loops}, ring underflows {underflows}, overflows {overflows}")
    assert continuity(recorded) == (0, 0, 0)
    assert (underflows, overflows) == (0, 0)
    assert hog.loops > 10


@pytest.mark.parametrize("seconds", [8, 60])
def test_one_period_blocking_io_is_lossless_while_python_hogs_the_gil(sd: Any, seconds: int) -> None:
    """read(period)/write(period) in lockstep on one thread, as a "wire" program does: each call
    the rings serve at once must keep the GIL, or it queues behind the hog for up to a switch
    interval (5 ms, ~4 periods of 64 frames) every period: the calls fall behind the server for
    good, and once their lag passes the output queue the output runs dry. The cushion is that of
    a program that can afford latency: the rings hold 4 s, the output queue half of it, since the
    lag of the reads is what the output queue loses. With 1 s rings and a 500 ms queue, CI lost
    the cushion in both runs of one job (no read+write round over 16 ms; not reproduced here),
    and a lag that has emptied the queue stays until the reads catch up. The lag, sampled every
    100 rounds, is printed with the result."""
    name = f"one{uuid.uuid4().hex[:8]}"
    stream = sd.Stream(channels=1, dtype="float32", api="jack", name=name, autoconnect=False, ringsize=4 * RATE)
    period = stream.blocksize
    frames = seconds * RATE
    recorded = np.zeros((frames, 1), np.float32)
    stream.start()
    subprocess.run(["jack_connect", f"{name}:outport 0", f"{name}:inport 0"], check=True)
    # What the connection's gap left (a full input ring, an empty output ring, both flagged) is
    # consumed here; output then keeps half its ring queued, as a program would its latency.
    stream.read(stream.read_available)
    cushion = stream.write_available // 2
    # The signal is made beforehand: numpy's casting loops release the GIL even for 64 samples.
    signal = counter(0, cushion + frames)
    stream.write(signal[:cushion])
    flagged_rounds: list[int] = []
    lag = 0
    longest = 0.0
    with ComputingThread() as hog:
        last = time.perf_counter()
        for round_, done in enumerate(range(0, frames, period)):
            data, overflowed = stream.read(period)
            underflowed = stream.write(signal[cushion + done:cushion + done + period])
            recorded[done:done + period] = data
            if overflowed or underflowed:
                flagged_rounds.append(round_)
            if round_ % 100 == 0:
                lag = max(lag, stream.read_available)
            now = time.perf_counter()
            longest, last = max(longest, now - last), now
    stream.abort()
    stream.close()
    print(f"{seconds} s of {period}-frame reads and writes under a GIL hog ({hog.loops} loops): "
          f"{len(flagged_rounds)} calls flagged (rounds {flagged_rounds[:5]}…), longest round "
          f"{longest * 1e3:.1f} ms, largest lag {lag} frames of a {cushion}-frame cushion")
    assert continuity(recorded) == (0, 0, 0)
    assert flagged_rounds == []
    assert hog.loops > 10


def test_callback_stream_under_the_same_load_reports_its_glitches(sd: Any) -> None:
    """A callback needs the GIL every period (1.3 ms); the hog keeps it up to 5 ms. Every gap
    in the recording must be matched by a reported xrun: glitches, but never silent ones."""
    name = f"cbk{uuid.uuid4().hex[:8]}"
    frames = int(min(SECONDS, 3) * RATE)
    recorded = np.zeros((frames, 1), np.float32)
    state = {"armed": False, "played": 0, "got": 0, "flagged": 0}
    done = threading.Event()

    def callback(indata: Any, outdata: Any, count: int, time_info: Any, status: Any) -> None:
        if not state["armed"]:
            return
        if status:
            state["flagged"] += 1
        outdata[:] = counter(state["played"], count)
        state["played"] += count
        take = min(count, frames - state["got"])
        recorded[state["got"]:state["got"] + take] = indata[:take]
        state["got"] += take
        if state["got"] >= frames:
            raise sd.CallbackStop

    with sd.Stream(channels=1, dtype="float32", callback=callback, api="jack", name=name, autoconnect=False,
                   finished_callback=done.set) as stream:
        subprocess.run(["jack_connect", f"{name}:outport 0", f"{name}:inport 0"], check=True)
        before = stream.output_underflows + stream.input_overflows
        state["armed"] = True
        with ComputingThread():
            assert done.wait(60), "the callback stream finished"
        reported = stream.output_underflows + stream.input_overflows - before
    lost, duplicated, reordered = continuity(recorded)
    discontinuities = int(np.count_nonzero(steps_of(recorded) != 1))
    print(f"callback stream: {lost} lost, {duplicated} duplicated, {reordered} reordered in {discontinuities} "
          f"discontinuities; {state['flagged']} periods flagged, {reported} xruns counted")
    # Each discontinuity (one or more periods lost, repeated or reordered) is matched by at
    # least one period whose status flags reported it, and the driver counted it too.
    assert discontinuities <= state["flagged"], "a discontinuity without a flagged period: a silent loss"
    assert discontinuities <= reported, "a discontinuity the xrun counters missed"


def test_latency_sizes_the_rings_unless_ringsize_does(sd: Any) -> None:
    # 'high' (the default): 100 ms; 'low': the bridge's default, 8 periods and at least 40 ms
    # (30 periods of the server's 64 frames); seconds: that long, at least one period.
    cases = ((None, None, 4800), ("low", None, 1920), (0.05, None, 2400), (0.0001, None, 64), (0.05, 1024, 1024), ("high", 1024, 1024))
    for latency, ringsize, frames in cases:
        with sd.Stream(channels=1, dtype="float32", api="jack", latency=latency, ringsize=ringsize,
                       autoconnect=False, name=f"lat{uuid.uuid4().hex[:6]}") as stream:
            stream.abort()  # nothing drains the output ring now
            assert stream.write_available == frames, (latency, ringsize)


def test_writers_and_readers_on_several_threads_wait_without_deadlock(sd: Any) -> None:
    """read()/write() enter .NET with the GIL held: a call that finds another writer (reader)
    inside must wait for it with the GIL released, or the one inside could never take the GIL
    back to return. Two writers and two readers on one small-ring stream, then a close."""
    stream = sd.Stream(channels=1, dtype="float32", api="jack", ringsize=256)
    moved = {"write": 0, "read": 0}
    ended: list[BaseException] = []

    def loop(kind: str) -> None:
        block = np.zeros((200, 1), np.float32)
        try:
            while True:
                stream.write(block) if kind == "write" else stream.read(200)
                moved[kind] += 200
        except sd.RtAudioError as error:  # the close below ends every loop
            ended.append(error)

    threads = [threading.Thread(target=loop, args=(kind,), daemon=True) for kind in ("write", "write", "read", "read")]
    stream.start()
    for thread in threads:
        thread.start()
    time.sleep(1)
    stream.close()
    for thread in threads:
        thread.join(10)
    assert not any(thread.is_alive() for thread in threads), f"a thread is still blocked after close ({moved})"
    assert len(ended) == 4
    assert moved["write"] > RATE // 2 and moved["read"] > RATE // 2, moved


def test_blocking_edge_cases(sd: Any) -> None:
    stream = sd.Stream(channels=1, dtype="float32", api="jack", ringsize=1024, autoconnect=False, name=f"edge{uuid.uuid4().hex[:6]}")
    assert stream.write(np.zeros((0, 1), np.float32)) is False  # 0 frames
    assert stream.write_available == 1024 and stream.read_available == 0
    with pytest.raises(TypeError, match="dtype int16"):
        stream.write(np.zeros((4, 1), np.int16))
    with pytest.raises(ValueError, match=r"shape \(4, 2\)"):
        stream.write(np.zeros((4, 2), np.float32))
    stream.write(np.zeros((1024, 1), np.float32))
    with pytest.raises(sd.RtAudioError, match="not running"):
        stream.write(np.zeros((8, 1), np.float32))  # stopped, ring full: it would wait forever
    with pytest.raises(sd.RtAudioError, match="not running"):
        stream.read(8)
    stream.start()
    started = time.monotonic()
    stream.write(np.zeros((10 * 1024, 1), np.float32))  # larger than the ring (full): waits for room
    # Its last frame fits once 9 of the 10 rings' worth have played at 48 kHz (192 ms).
    assert time.monotonic() - started >= 9 * 1024 / RATE, time.monotonic() - started
    with pytest.raises(TimeoutError, match="timed out after 0.1 s"):
        stream.write(np.zeros((RATE * 10, 1), np.float32), timeout=0.1)
    with pytest.raises(ValueError, match="timeout"):
        stream.write(np.zeros((1, 1), np.float32), timeout=-1)

    errors: list[BaseException] = []

    def blocked_writer() -> None:
        try:
            stream.write(np.zeros((RATE * 30, 1), np.float32))
        except BaseException as error:  # noqa: BLE001 - inspected below
            errors.append(error)

    writer = threading.Thread(target=blocked_writer)
    writer.start()
    time.sleep(0.2)
    started = time.monotonic()
    stream.close()
    writer.join(5)
    assert not writer.is_alive() and time.monotonic() - started < 1.0, "close woke the blocked writer"
    assert len(errors) == 1 and isinstance(errors[0], sd.RtAudioError), errors
    assert "closed" in str(errors[0]) or "no blocking stream" in str(errors[0]), errors
    with pytest.raises(sd.RtAudioError, match="closed"):
        stream.write(np.zeros((1, 1), np.float32))


def test_a_write_larger_than_one_call_moves_is_refused_not_truncated(sd: Any) -> None:
    stream = sd.OutputStream(channels=1, dtype="int8", api="jack")  # not started: nothing drains the ring
    try:
        huge = np.zeros(((1 << 30) + 1, 1), np.int8)  # 1 GiB of untouched (lazily zeroed) pages
        with pytest.raises(ValueError, match=r"data has 1073741825 frames; one write\(\) takes at most 1073741824"):
            stream.write(huge)
        available = stream.write_available
        assert stream.write(huge[:64]) is False and stream.write_available == available - 64, "nothing was written before"
    finally:
        stream.close()


def test_read_and_write_need_a_blocking_stream(sd: Any) -> None:
    with sd.OutputStream(channels=1, callback=lambda *a: None, api="jack") as stream:
        with pytest.raises(RuntimeError, match="without a callback"):
            stream.write(np.zeros((1, 1), np.float32))
    with sd.InputStream(channels=1, api="jack") as stream:
        with pytest.raises(RuntimeError, match="no output"):
            stream.write(np.zeros((1, 1), np.float32))
        data, overflowed = stream.read(64)
        assert data.shape == (64, 1)
