"""RtAudio's ALSA backend on a clocked path with no sound card: ALSA's default device is routed by
its pulse plugin to a private PulseAudio daemon's null sink (playback) and the sink's monitor
(capture) — the alsa_through_pulse fixture. Same API, api="alsa".

The pulse plugin's streams start late (about 2 s here before the first periods flow, the same
for `aplay`), so each check waits for what it expects rather than counting on a start time."""

from __future__ import annotations

import threading
import time
from typing import Any

import numpy as np
import pytest

from conftest import PULSE_RATE, alsa_configuration, assert_carries_the_tone, tone, wait_for

RATE = PULSE_RATE


@pytest.fixture(scope="module")
def sd(alsa_through_pulse: None) -> Any:
    import pyrtaudionet

    return pyrtaudionet


def test_the_default_device_is_listed_for_both_directions(sd: Any) -> None:
    """RtAudio 5.2 lists ALSA's "default" alone; 6 also the named PCMs of ALSA's hints (the
    pulse plugin's among them)."""
    listed = list(sd.query_devices(api="alsa"))
    default = next(device for device in listed if device["is_default_output"])
    assert default["is_default_input"]
    assert default["max_input_channels"] >= 2 and default["max_output_channels"] >= 2
    alsa = next(api for api in sd.query_apis() if api["name"] == "alsa")
    assert alsa["devices"] == [device["index"] for device in listed]
    assert alsa["default_input_device"] == alsa["default_output_device"] == default["index"]


@pytest.mark.parametrize(("blocksize", "expected"), [(0, 512), (100, 100)])
def test_duplex_callback_hears_what_it_plays_in_blocks_of_the_blocksize(sd: Any, blocksize: int, expected: int) -> None:
    """blocksize=0 gives 512 frames (the API's smallest period would be 16); any other is
    re-blocked. What the callback plays comes back from the monitor."""
    peaks: list[float] = []
    sizes: set[int] = set()
    phase = [0]

    def callback(indata: Any, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        sizes.add(frames)
        n = np.arange(phase[0], phase[0] + frames)
        phase[0] += frames
        outdata[:] = (0.5 * np.sin(2 * np.pi * 440 * n / RATE)).astype(np.float32)[:, None]
        peaks.append(float(np.abs(indata).max()))

    with sd.Stream(samplerate=RATE, channels=2, dtype="float32", callback=callback, api="alsa", blocksize=blocksize) as stream:
        assert stream.blocksize == expected
        assert wait_for(lambda: max(peaks, default=0.0) > 0.4, 15), f"the monitor carries the sine (peak {max(peaks, default=0.0):.3f})"
    assert sizes == {expected}


def test_late_callbacks_are_reported_as_output_underflow(sd: Any) -> None:
    """Unlike PulseAudio's simple API (docs/python.md), ALSA tells of an underrun: callbacks
    three periods late are flagged, and only after them."""
    flagged: list[int] = []
    calls = [0]

    def callback(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        calls[0] += 1
        if status.output_underflow:
            flagged.append(calls[0])
        if 20 <= calls[0] < 30:
            time.sleep(3 * frames / RATE)

    with sd.OutputStream(samplerate=RATE, channels=2, callback=callback, api="alsa"):
        assert wait_for(lambda: bool(flagged), 15), f"an underflow reported ({calls[0]} callbacks)"
    assert min(flagged) > 20, flagged


def test_blocking_write_is_read_back(sd: Any) -> None:
    written: list[int] = []
    with sd.InputStream(samplerate=RATE, channels=2, dtype="float32", api="alsa") as recorder, \
            sd.OutputStream(samplerate=RATE, channels=2, dtype="float32", api="alsa") as player:
        writer = threading.Thread(target=lambda: written.append(player.write(tone(1.0))))
        writer.start()
        recorded, overflowed = recorder.read(4 * RATE)  # the start's delay, then the tone
        writer.join(15)
    assert written, "write() returned"
    assert recorded.shape == (4 * RATE, 2)
    assert_carries_the_tone(recorded)


def test_play_is_heard_and_wait_returns_when_it_is_done(sd: Any) -> None:
    heard: list[Any] = []
    with sd.InputStream(samplerate=RATE, channels=2, dtype="float32", api="alsa",
                        callback=lambda indata, *args: heard.append(indata.copy())):
        assert wait_for(lambda: len(heard) * 512 >= RATE // 2, 15), "the recorder runs"
        sd.play(tone(1.0), RATE, api="alsa")
        sd.wait(timeout=15)
        assert not sd.get_stream().active
        assert wait_for(lambda: float(np.abs(np.concatenate(heard)).max()) > 0.4, 5), "the tone reached the monitor"
    assert_carries_the_tone(np.concatenate(heard))


def test_stop_from_another_thread_then_close_twice(sd: Any) -> None:
    calls = [0]

    def callback(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        calls[0] += 1
        outdata[:] = 0.1

    stream = sd.OutputStream(samplerate=RATE, channels=2, callback=callback, api="alsa")
    stream.start()
    assert wait_for(lambda: calls[0] > 10, 15), "callbacks flow"
    stopper = threading.Thread(target=stream.stop)
    stopper.start()
    stopper.join(5)
    assert not stopper.is_alive(), "stop() returned"
    stopped_at = calls[0]
    time.sleep(0.1)
    assert calls[0] == stopped_at and not stream.active
    stream.close()
    stream.close()


def test_with_no_server_the_error_names_alsa_and_stderr_stays_quiet(sd: Any, capfd: pytest.CaptureFixture[str],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The system's ALSA configuration alone and no PulseAudio server to reach (Debian's makes
    ALSA's default device the pulse plugin only while a server runs): ALSA lists nothing, an open
    names the API and the missing device, and alsa-lib's complaints do not reach stderr."""
    with monkeypatch.context() as patch, alsa_configuration(""):
        patch.setenv("PULSE_SERVER", "unix:/nonexistent/prtn-no-server")
        assert list(sd.query_devices(api="alsa")) == []
        with pytest.raises(sd.RtAudioError, match="no output device: ALSA lists no devices"):
            sd.OutputStream(channels=2, callback=lambda *args: None, api="alsa")
        with pytest.raises(sd.RtAudioError, match="no input device: ALSA lists no devices"):
            sd.InputStream(channels=2, api="alsa")
    assert capfd.readouterr().err == ""
    assert list(sd.query_devices(api="alsa")), "the fixture's devices are back"


def granted(flags_names: list[str], buffers: int) -> tuple[int, int]:
    """Opens a .NET callback stream on ALSA's default output with these StreamFlags and
    NumberOfBuffers (512-frame periods): the number of periods RtAudio reports granted, and the
    latency it measured once callbacks flowed."""
    from PyRtAudioNet import RtAudio, RtAudioApi, RtAudioFormat, StreamFlags, StreamOptions, StreamParameters  # type: ignore[import-not-found]
    from PyRtAudioNet.Python import PythonStreams  # type: ignore[import-not-found]

    calls = [0]

    def callback(outdata: Any, indata: Any, frames: int, stream_time: float, status: int) -> None:
        calls[0] += 1

    options = StreamOptions()
    options.NumberOfBuffers = buffers
    options.Flags = StreamFlags(sum(int(getattr(StreamFlags, name)) for name in flags_names))
    audio = RtAudio(RtAudioApi.LinuxAlsa)
    try:
        output = StreamParameters(audio.GetDefaultOutputDevice(), 2, 0)
        PythonStreams.OpenStream(audio, output, None, RtAudioFormat.Float32, RATE, 512, callback, options)
        audio.StartStream()
        assert wait_for(lambda: calls[0] > 20, 15), "callbacks flow"
        latency = int(audio.GetStreamLatency())
        audio.CloseStream()
    finally:
        audio.Dispose()
    return int(options.NumberOfBuffers), latency


def test_minimize_latency_asks_alsa_for_fewer_periods(sd: Any) -> None:
    """.NET's StreamFlags on ALSA, the one API here that reads MinimizeLatency: it asks for 2
    periods where RtAudio's default is 4 (the device grants the nearest it can: the pulse plugin
    3), the same request as NumberOfBuffers=2, and the latency RtAudio measures shrinks by the
    periods it saved. An explicit NumberOfBuffers wins over the flag. HogDevice and
    AlsaUseDefault change nothing on the default device (where they do: StreamFlags in docs/reference.md)."""
    default_periods, default_latency = granted([], 0)
    assert default_periods == 4
    minimized_periods, minimized_latency = granted(["MinimizeLatency"], 0)
    assert 2 <= minimized_periods < default_periods
    assert granted([], 2)[0] == minimized_periods
    assert minimized_latency < default_latency - 512 // 2, (minimized_latency, default_latency)
    assert granted(["MinimizeLatency"], 4)[0] == 4
    assert granted(["HogDevice", "AlsaUseDefault"], 0)[0] == default_periods
