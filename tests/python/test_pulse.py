"""The core stream behaviour on a second real backend: a private PulseAudio daemon with a null
sink (its monitor is the input). Same API, api="pulse"."""

from __future__ import annotations

import threading
import time
from typing import Any, Optional

import numpy as np
import pytest

from conftest import PULSE_RATE, assert_carries_the_tone, counter, counter_indices, pattern, tone, wait_for

pytestmark = pytest.mark.usefixtures("pulse_server")
RATE = PULSE_RATE


@pytest.fixture(scope="module")
def sd(pulse_server: str) -> Any:
    import pyrtaudionet

    return pyrtaudionet


def devices(sd: Any) -> tuple[int, int]:
    """(null sink, its monitor)."""
    listed = sd.query_devices(api="pulse")
    sink = next(d["index"] for d in listed if "Null Output" in d["name"] and d["max_output_channels"] >= 2)
    monitor = next(d["index"] for d in listed if "Monitor" in d["name"] and d["max_input_channels"] >= 2)
    return sink, monitor


def test_devices_are_the_null_sink_and_its_monitor(sd: Any) -> None:
    sink, monitor = devices(sd)
    assert sd.query_devices(sink, api="pulse")["max_output_channels"] == 2
    assert sd.query_devices(monitor, api="pulse")["max_input_channels"] == 2


def test_callback_output_stream_runs_and_stops_promptly(sd: Any) -> None:
    calls = [0]

    def callback(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        calls[0] += 1
        outdata[:] = 0.1

    stream = sd.OutputStream(samplerate=RATE, channels=2, callback=callback, api="pulse", device=devices(sd)[0])
    with stream:
        assert wait_for(lambda: calls[0] * stream.blocksize >= RATE // 2, 10), "half a second of audio went through"
        assert stream.active and stream.time > 0
    stopped_at = calls[0]
    time.sleep(0.1)
    assert calls[0] == stopped_at, "no callback after stop"
    started = time.monotonic()
    stream.close()
    assert time.monotonic() - started < 1.0


def test_what_is_played_to_the_null_sink_is_recorded_from_its_monitor(sd: Any) -> None:
    sink, monitor = devices(sd)
    peaks: list[float] = []
    phase = [0]

    def callback(indata: Any, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        n = np.arange(phase[0], phase[0] + frames)
        phase[0] += frames
        outdata[:] = (0.5 * np.sin(2 * np.pi * 440 * n / RATE)).astype(np.float32)[:, None]
        peaks.append(float(np.abs(indata).max()))

    with sd.Stream(samplerate=RATE, channels=2, dtype="float32", callback=callback, api="pulse", device=(monitor, sink)):
        assert wait_for(lambda: max(peaks, default=0.0) > 0.4, 10), f"the monitor carries the sine (peak {max(peaks, default=0.0):.3f})"


def first_match(recorded: Any, expected: Any) -> Optional[int]:
    """Where ``expected`` occurs whole and unchanged in ``recorded`` (frames), or None."""
    recorded, expected = recorded.reshape(len(recorded), -1), expected.reshape(len(expected), -1)
    for start in np.flatnonzero(np.all(recorded == expected[0], axis=1)):
        if np.array_equal(recorded[start:start + len(expected)], expected):
            return int(start)
    return None


@pytest.mark.parametrize("dtype", ["int8", "int16", "int24", "int32", "float32", "float64"])
def test_every_dtype_goes_from_the_sink_to_its_monitor_sample_exact(sd: Any, dtype: str) -> None:
    """Blocking write and read in ``dtype``, through the float32 null sink: the same values
    (conftest.pattern's, which a float32 path keeps), whole and in order."""
    sink, monitor = devices(sd)
    written = pattern(dtype, RATE // 2)
    silence = np.zeros((RATE // 5, *written.shape[1:]), written.dtype)
    with sd.InputStream(samplerate=RATE, channels=2, dtype=dtype, api="pulse", device=monitor) as recorder, \
            sd.OutputStream(samplerate=RATE, channels=2, dtype=dtype, api="pulse", device=sink) as player:
        writer = threading.Thread(target=lambda: [player.write(block) for block in (silence, written, silence)])
        writer.start()
        recorded, _ = recorder.read(2 * RATE)
        writer.join(10)
    assert first_match(recorded, written) is not None, "the pattern is heard whole and unchanged"


def test_blocking_underflow_and_overflow_are_reported_and_lose_nothing_written(sd: Any) -> None:
    """The writer pauses longer than the ring holds: its next write() reports an underflow, and
    the monitor hears every frame written once, in order (the counter signal), with silence
    where the ring ran dry. The reader pauses longer than its ring holds: read() reports it.
    The counter follows 0.2 s of silence, as the tone of the test below does and for its reason
    (a python3.11d run heard the counter only from frame 509 on)."""
    sink, monitor = devices(sd)
    half = RATE // 2
    with sd.InputStream(samplerate=RATE, channels=1, dtype="float32", api="pulse", device=monitor,
                        ringsize=RATE // 10) as recorder, \
            sd.OutputStream(samplerate=RATE, channels=1, dtype="float32", api="pulse", device=sink) as player:
        heard: list[Any] = []
        reports: dict[str, list[bool]] = {"underflowed": [], "overflowed": []}

        def write() -> None:
            player.write(np.zeros((RATE // 5, 1), np.float32))
            reports["underflowed"].append(player.write(counter(0, half)))
            time.sleep(0.5)
            reports["underflowed"].append(player.write(counter(half, half)))
            player.write(np.zeros((RATE // 2, 1), np.float32))

        writer = threading.Thread(target=write)
        writer.start()
        while writer.is_alive():
            block, overflowed = recorder.read(RATE // 20)
            heard.append(block[:, 0])
            reports["overflowed"].append(overflowed)
        time.sleep(0.3)
        reports["overflowed"].append(recorder.read(RATE // 20)[1])
    assert reports["underflowed"][1], "the pause's underflow (the first write may report the start's)"
    assert not any(reports["overflowed"][:-1]) and reports["overflowed"][-1], reports["overflowed"]
    frames = counter_indices(np.concatenate(heard))
    assert np.array_equal(frames[frames >= 0], np.arange(2 * half)), "every frame written, once, in order"
    first_gap = int(np.flatnonzero(frames == half - 1)[0]) + 1
    assert np.all(frames[first_gap:first_gap + RATE // 5] == -1), "silence where the ring ran dry"


def test_blocking_stop_plays_out_what_was_written(sd: Any) -> None:
    """0.5 s written, then stop(): the monitor hears all of it (within 10 ms), not cut short by
    what the ring and the server still held. Counted by energy — the tone is 220 whole cycles
    at half scale, A²/2 per frame — so that an underflow's gap, which delays the tone without
    dropping any of it, does not change the count. The monitor lags the sink by its own latency,
    more on a loaded machine: it records until 0.2 s of silence follows the tone's first half.
    The tone follows 0.2 s of silence: the null sink resumes from idle when the player connects,
    and its monitor missed the first 3 periods it rendered then (1 run in 3 after the tests above)."""
    sink, monitor = devices(sd)
    heard: list[Any] = []

    def silence_follows() -> bool:
        recorded = np.concatenate(heard) if heard else np.zeros(0)
        half_heard = float(np.sum(recorded.astype(np.float64) ** 2)) / (0.5 ** 2 / 2) > RATE // 4
        tail = recorded[-RATE // 5:]
        return half_heard and len(tail) == RATE // 5 and float(np.max(np.abs(tail))) < 0.01

    with sd.InputStream(samplerate=RATE, channels=2, dtype="float32", api="pulse", device=monitor,
                        callback=lambda indata, *args: heard.append(indata[:, 0].copy())):
        with sd.OutputStream(samplerate=RATE, channels=2, dtype="float32", api="pulse", device=sink) as player:
            player.write(np.zeros((RATE // 5, 2), np.float32))
            player.write(tone(0.5))
            player.stop()
        assert wait_for(silence_follows, 10), "the monitor went quiet after the tone"
    recorded = np.concatenate(heard).astype(np.float64)
    frames_heard = float(np.sum(recorded ** 2)) / (0.5 ** 2 / 2)
    assert abs(frames_heard - RATE // 2) <= RATE // 100, f"heard {frames_heard / RATE:.3f} s of the 0.5 s tone"


def test_play_is_heard_on_the_monitor_and_wait_returns_when_it_is_done(sd: Any) -> None:
    sink, monitor = devices(sd)
    heard: list[Any] = []
    with sd.InputStream(samplerate=RATE, channels=2, dtype="float32", api="pulse", device=monitor,
                        callback=lambda indata, *args: heard.append(indata.copy())):
        sd.play(tone(1.0), RATE, api="pulse", device=sink)
        sd.wait(timeout=10)
        assert not sd.get_stream().active
    assert_carries_the_tone(np.concatenate(heard))


def test_playrec_records_the_monitor_of_what_it_plays(sd: Any) -> None:
    sink, monitor = devices(sd)
    recorded = sd.playrec(tone(1.0), RATE, api="pulse", device=(monitor, sink), blocking=True)
    assert recorded.shape == (RATE, 2)
    assert_carries_the_tone(recorded)


@pytest.mark.parametrize(("method", "bound"), [("abort", 2.0), ("stop", 10.0)])  # stop first plays what PulseAudio buffered
def test_stop_or_abort_from_another_thread_then_close_twice(sd: Any, method: str, bound: float) -> None:
    stream = sd.OutputStream(samplerate=RATE, channels=2, callback=lambda o, f, t, s: None, api="pulse", device=devices(sd)[0])
    stream.start()
    time.sleep(0.2)
    stopper = threading.Thread(target=getattr(stream, method))
    stopper.start()
    stopper.join(bound)
    assert not stopper.is_alive(), f"{method}() returned within {bound} s"
    assert not stream.active
    stream.close()
    stream.close()


def test_latency_in_seconds_without_a_blocksize_makes_the_period_half_of_it(sd: Any) -> None:
    stream = sd.OutputStream(samplerate=RATE, channels=2, callback=lambda *args: None, api="pulse",
                             device=devices(sd)[0], latency=0.04)
    try:
        assert stream.blocksize == 960
    finally:
        stream.close()


def test_unknown_device_is_named(sd: Any) -> None:
    with pytest.raises(ValueError, match="device 42"):
        sd.OutputStream(channels=2, callback=lambda *a: None, api="pulse", device=42)


@pytest.mark.parametrize("realtime", [False, True])
def test_stream_options_reach_the_audio_thread_and_come_back_granted(sd: Any, realtime: bool) -> None:
    """.NET's StreamOptions on PulseAudio, where RtAudio uses them: ScheduleRealtime runs the
    audio thread SCHED_RR at Priority (as root here; the default is the process's policy), and
    NumberOfBuffers sizes the server's buffer and is reported back as granted."""
    import os

    from PyRtAudioNet import RtAudio, RtAudioApi, RtAudioFormat, StreamFlags, StreamOptions, StreamParameters  # type: ignore[import-not-found]
    from PyRtAudioNet.Python import PythonStreams  # type: ignore[import-not-found]

    sink, _ = devices(sd)
    seen: list[tuple[int, int]] = []

    def callback(outdata: Any, indata: Any, frames: int, stream_time: float, status: int) -> None:
        if not seen:
            seen.append((os.sched_getscheduler(0), os.sched_getparam(0).sched_priority))

    options = StreamOptions()
    options.NumberOfBuffers = 3
    options.Priority = 12
    options.Flags = StreamFlags.ScheduleRealtime if realtime else StreamFlags(0)
    audio = RtAudio(RtAudioApi.LinuxPulse)
    try:
        PythonStreams.OpenStream(audio, StreamParameters(sink, 2, 0), None, RtAudioFormat.Float32, RATE, 512, callback, options)
        assert options.NumberOfBuffers == 3
        audio.StartStream()
        assert wait_for(lambda: bool(seen), 5)
        audio.CloseStream()
    finally:
        audio.Dispose()
    assert seen[0] == ((os.SCHED_RR, 12) if realtime else (os.sched_getscheduler(0), 0))
