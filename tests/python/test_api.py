"""The sounddevice-style API (module pyrtaudionet), in this interpreter, on the private JACK
dummy server. Sample-exact loopback tests run on a second server (conftest.EXACT_PERIOD), where
they connect a stream's own ports (or two streams) with conftest.JackConnector and compare
sample by sample."""

from __future__ import annotations

import array
import math
import os
import re
import subprocess
import threading
import time
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from conftest import (COUNTER_MODULUS, EXACT_PERIOD, REPO, JackConnector, connected_at, counter, counter_indices, exactly, jackd,
                      pattern, run_scenario, unique, wait_for, xruns)

pytestmark = pytest.mark.usefixtures("jack_server")


@pytest.fixture(scope="module")
def sd(jack_server: str) -> Any:
    import pyrtaudionet

    return pyrtaudionet





def test_query_devices_lists_the_jack_server(sd: Any) -> None:
    devices = sd.query_devices(api="jack")
    assert "*  0 system, jack (2 in, 2 out)" in repr(devices)
    assert devices[0]["name"] == "system" and devices[0]["samplerates"] == [48000]


def test_query_devices_by_id_name_and_kind(sd: Any) -> None:
    by_id = sd.query_devices(0, api="jack")
    assert by_id == sd.query_devices("syst", api="jack") == sd.query_devices(kind="input", api="jack")
    assert by_id["max_output_channels"] == 2 and by_id["default_samplerate"] == 48000.0 and by_id["api"] == "jack"


def test_query_apis(sd: Any) -> None:
    names = [api["name"] for api in sd.query_apis()]
    assert "jack" in names
    jack = sd.query_apis("jack")
    assert jack["devices"] == [0] and jack["default_output_device"] == 0 and jack["display_name"] == "Jack"


def test_default_settings_apply_and_reset(sd: Any) -> None:
    sd.default.api = "jack"
    sd.default.dtype = "int16"
    try:
        with sd.OutputStream(channels=1, callback=lambda *a: None) as stream:
            assert stream.dtype == "int16" and stream.samplesize == 2
    finally:
        sd.default.reset()
    assert sd.default.dtype == ["float32", "float32"] and sd.default.api is None


def test_default_pairs_and_settings_behave_as_sounddevices(sd: Any) -> None:
    try:
        sd.default.channels = 1, 2
        assert sd.default.channels == [1, 2] and sd.default.channels["input"] == 1 and sd.default.channels[1] == 2
        sd.default.dtype = "int16"  # one value sets both halves
        assert sd.default.dtype == ("int16", "int16") and repr(sd.default.dtype) == "['int16', 'int16']"
        sd.default.dtype["output"] = "float32"
        assert list(sd.default.dtype) == ["int16", "float32"]
        # An unset half reads as the factory value: the default API's default devices.
        jack = sd.query_hostapis(sd.default.hostapi)
        assert jack["api"] == "jack" and list(sd.default.device) == [jack["default_input_device"], jack["default_output_device"]]
        sd.default.device = None, "system"
        assert sd.default.device[1] == "system" and sd.default.device[0] == jack["default_input_device"]
        sd.default.dither_off = True
        with sd.Stream(callback=lambda *a: None, api="jack", dtype="int16") as stream:
            assert stream.channels == (1, 2) and stream.device == (0, 0) and stream.dtype == ("int16", "int16")
            assert stream.samplesize == (2, 2)
        with sd.OutputStream(callback=lambda *a: None, api="jack") as output:  # the output halves
            assert output.channels == 2 and output.dtype == "float32" and output.device == 0 and output.samplesize == 4
        recorded = sd.rec(480, 48000, api="jack", blocking=True)  # the input halves
        assert recorded.shape == (480, 1) and recorded.dtype == np.int16
        with pytest.raises(ValueError, match="one dtype for both directions"):
            sd.Stream(callback=lambda *a: None, api="jack")
    finally:
        sd.default.reset()
    assert sd.default.channels == [None, None] and sd.default.clip_off is False and sd.default.extra_settings == [None, None]


def test_without_any_server_calls_answer_quietly(sd: Any) -> None:
    nowhere = {"JACK_DEFAULT_SERVER": unique("nowhere"), "JACK_NO_START_SERVER": "1", "PULSE_SERVER": "unix:/nonexistent/pulse"}
    assert run_scenario("no_server", env=nowhere).stdout.strip() == "ok"
    # The opt-in shows what the probes say, as RtAudio and libasound print it.
    shown = run_scenario("no_server", env={**nowhere, "PYRTAUDIONET_SHOW_WARNINGS": "1"},
                         expected_stderr=[r"ALSA lib .*", r"RtApiAlsa::getDeviceInfo: no devices found!"])
    assert shown.stdout.strip() == "ok"


def test_query_hostapis_and_device_strings_as_sounddevices(sd: Any) -> None:
    apis = sd.query_hostapis()
    assert [api["api"] for api in apis] == [api["name"] for api in sd.query_apis()]
    device = sd.query_devices("system jack", api="jack")  # substrings of "device name, API name", in order
    assert device["name"] == "system" and apis[device["hostapi"]]["name"] == "Jack"
    assert apis[device["hostapi"]]["devices"] == [0] and sd.query_hostapis(device["hostapi"]) == apis[device["hostapi"]]
    assert sd.query_devices("SYS", kind="input", api="jack")["index"] == 0
    with pytest.raises(ValueError, match="'jack system' matches no output devices"):
        sd.query_devices("jack system", api="jack")
    with pytest.raises(ValueError, match=r"index=99: the host APIs are 0\.\."):
        sd.query_hostapis(99)


@pytest.mark.parametrize("key", ["default_low_input_latency", "default_high_output_latency"])
def test_a_device_without_latency_figures_says_so(sd: Any, key: str) -> None:
    """sounddevice's default latencies have no RtAudio source: the KeyError names the way to ask
    for a latency instead; any other missing key is a plain KeyError."""
    device = sd.query_devices(kind="output", api="jack")
    assert key not in device and device.get(key) is None
    with pytest.raises(KeyError, match=f"'{key}': RtAudio reports no default latencies.*latency='low' or 'high'"):
        device[key]
    with pytest.raises(KeyError) as plain:
        device["no such key"]
    assert plain.value.args == ("no such key",)


def test_check_settings(sd: Any) -> None:
    sd.check_output_settings(device=0, channels=2, dtype="float32", samplerate=48000, api="jack")
    sd.check_input_settings(device="system", channels=1, api="jack")
    with pytest.raises(ValueError, match="channels=3"):
        sd.check_output_settings(channels=3, api="jack")
    with pytest.raises(ValueError, match="samplerate=44100"):
        sd.check_input_settings(samplerate=44100, api="jack")



@pytest.mark.parametrize("dtype,interleaved", [(t, True) for t in ("int8", "int16", "int24", "int32", "float32", "float64")]
                         + [("float32", False), ("int24", False)])
def test_each_dtype_round_trips_exactly_through_self_loopback(sd: Any, exact_jack: JackConnector, dtype: str, interleaved: bool) -> None:
    exactly(lambda: round_trip(sd, exact_jack, dtype, interleaved))


@pytest.mark.parametrize("blocksize,interleaved", [(100, True), (256, True), (1000, False), (2400, True)])
def test_any_blocksize_round_trips_exactly_through_self_loopback(sd: Any, exact_jack: JackConnector, blocksize: int, interleaved: bool) -> None:
    # Not the server's period: the bridge re-blocks, and the loop is a block longer.
    exactly(lambda: round_trip(sd, exact_jack, "float32", interleaved, blocksize))


def round_trip(sd: Any, jack: JackConnector, dtype: str, interleaved: bool, blocksize: int = 0) -> tuple[bool, int]:
    frames = 4800
    delay = EXACT_PERIOD + blocksize if blocksize else EXACT_PERIOD  # through the loop
    played = pattern(dtype, frames)
    recorded = np.zeros_like(played)
    state = {"armed": False, "out": 0, "in": 0}
    done = threading.Event()
    name = unique("rt")

    def callback(indata: Any, outdata: Any, count: int, time: Any, status: Any) -> None:
        assert outdata.shape[:2] == (count, 2) and count == (blocksize or EXACT_PERIOD)
        if not state["armed"]:
            return
        chunk = played[state["out"]:state["out"] + count]
        outdata[:len(chunk)] = chunk
        state["out"] += count
        start = state["in"] - delay  # the played frame this block's first input frame is
        low, high = max(start, 0), min(start + count, frames)
        if high > low:
            recorded[low:high] = indata[low - start:high - start]
        state["in"] += count
        if state["in"] - delay >= frames:
            raise sd.CallbackStop

    with sd.Stream(channels=2, dtype=dtype, interleaved=interleaved, callback=callback, api="jack", name=name,
                   autoconnect=False, finished_callback=done.set, blocksize=blocksize) as stream:
        assert stream.blocksize == (blocksize or EXACT_PERIOD)
        before = xruns(stream)  # from before the connection: a graph change can cost a period
        jack.connect(name, name, 2)
        state["armed"] = True
        assert done.wait(10)
    return np.array_equal(recorded, played), xruns(stream) - before


@pytest.fixture(scope="module")
def server_of_256_frames() -> Iterator[str]:
    with jackd(256, "b256") as name:
        yield name


@pytest.mark.parametrize("period", [64, 256])
@pytest.mark.parametrize("blocksize", [100, 256, 1000, 1024, 2400])
def test_every_callback_gets_the_blocksize_asked_for_and_no_sample_is_lost(sd: Any, request: pytest.FixtureRequest,
                                                                            monkeypatch: pytest.MonkeyPatch,
                                                                            period: int, blocksize: int) -> None:
    """Re-blocking on the suite's 64-frame server and on a 256-frame one, where this machine
    misses periods (see conftest.EXACT_PERIOD): a stream's loop to itself still keeps every
    sample through them (as test_blocking's does), so every sample of a counter played through
    it must come back, exactly a period and the added block later."""
    if period == 256:
        monkeypatch.setenv("JACK_DEFAULT_SERVER", request.getfixturevalue("server_of_256_frames"))
    sizes: list[int] = []
    recorded: list[Any] = []
    played = [0]

    def callback(indata: Any, outdata: Any, frames: int, time: Any, status: Any) -> None:
        assert indata.shape == outdata.shape == (frames, 1)
        sizes.append(frames)
        outdata[:] = counter(played[0], frames)
        played[0] += frames
        recorded.append(indata.copy())

    with sd.Stream(channels=1, callback=callback, api="jack") as stream:
        server_latency = stream.latency  # the server's period: nothing added
        assert stream.blocksize == period
    name = unique("rb")
    with sd.Stream(channels=1, callback=callback, api="jack", blocksize=blocksize, name=name, autoconnect=False) as stream:
        assert stream.blocksize == blocksize
        # A block other than the period counts on the output side (its output plays a block after it was made).
        added = 0 if blocksize == period else blocksize
        assert stream.latency == pytest.approx((server_latency[0], server_latency[1] + added / 48000), abs=1e-9)
        sizes.clear()
        subprocess.run(["jack_connect", f"{name}:outport 0", f"{name}:inport 0"], check=True)
        connected = played[0]
        assert wait_for(lambda: played[0] - connected >= 36000, 10)
    assert set(sizes) == {blocksize}
    assert_looped_exactly(np.concatenate(recorded), delay=period + added, least=24000 - 2 * blocksize - period)


def assert_looped_exactly(heard: Any, delay: int, least: int) -> None:
    """``heard`` (recorded frame by frame beside the counter it played, from frame 0) holds at
    least ``least`` frames of the counter, each exactly ``delay`` frames after it was played,
    with no gap to the end."""
    signal = np.flatnonzero(heard[:, 0])
    assert len(signal) >= least and len(signal) == len(heard) - signal[0], "a gap in what came back"
    delays = (signal - counter_indices(heard[signal, 0])) % COUNTER_MODULUS
    assert set(delays.tolist()) == {delay}


@pytest.mark.parametrize("period", [64, 256])
@pytest.mark.parametrize("blocksize", [100, 256, 1000, 1024, 2400])
def test_a_blocking_stream_trades_blocks_of_its_blocksize_and_loses_no_sample(sd: Any, request: pytest.FixtureRequest,
                                                                               monkeypatch: pytest.MonkeyPatch,
                                                                               period: int, blocksize: int) -> None:
    """A blocking stream's ``blocksize`` is the block its rings trade with the device (re-blocked
    where the server runs another period): input arrives in whole blocks, the latency counts the
    block, and a counter written, looped through the stream's own ports and read back in blocks
    comes back whole, in order and exactly as late as the callback stream's."""
    if period == 256:
        monkeypatch.setenv("JACK_DEFAULT_SERVER", request.getfixturevalue("server_of_256_frames"))
    name = unique("rbb")
    stream = sd.Stream(channels=1, dtype="float32", api="jack", blocksize=blocksize, name=name, autoconnect=False,
                       ringsize=48000)
    try:
        assert stream.blocksize == blocksize
        latency = stream.latency
        stream.write(counter(0, 24000))  # half a second ahead: the loop runs on while this thread waits
        written = 24000
        stream.start()
        subprocess.run(["jack_connect", f"{name}:outport 0", f"{name}:inport 0"], check=True)
        recorded, available = [], set()
        while written < 72000:
            recorded.append(stream.read(blocksize)[0])
            available.add(stream.read_available % blocksize)
            stream.write(counter(written, blocksize))
            written += blocksize
        statistics = stream._statistics()
    finally:
        stream.close()
    with sd.Stream(channels=1, api="jack") as plain:
        added = 0 if blocksize == period else blocksize
        assert latency == pytest.approx((plain.latency[0], plain.latency[1] + added / 48000), abs=1e-9)
    assert available == {0}, "input that arrived in pieces of other sizes"
    assert (statistics.RingUnderflows, statistics.RingOverflows) == (0, 0)
    # The device plays the n-th frame written (after the block's silent start where it re-blocks)
    # as its frame n + added, which the loop brings back as the frame read a period later.
    assert_looped_exactly(np.concatenate(recorded), delay=period + added, least=24000)


def test_a_primed_stream_plays_the_callbacks_first_block_first(sd: Any) -> None:
    """prime_output_buffers_using_stream_callback=True: the first call is flagged priming_output
    and input_underflow, with silent input, and its output is what the device plays first: with
    half-second blocks, the stream's loop to itself (connected once it runs) hears the primed
    block's end, then the running blocks' output from exactly a block and a period on."""
    block, period, primed = 24000, 64, 0.25
    calls: list[tuple[bool, bool, bool]] = []  # (priming_output, input_underflow, silent input)
    recorded: list[Any] = []

    def callback(indata: Any, outdata: Any, frames: int, time: Any, status: Any) -> None:
        calls.append((status.priming_output, status.input_underflow, not indata.any()))
        if status.priming_output:
            outdata[:] = primed
            return
        outdata[:] = counter(len(recorded) * frames, frames)
        recorded.append(indata.copy())
        if len(recorded) == 3:
            raise sd.CallbackStop

    with sd.Stream(channels=1, api="jack") as plain:
        server_latency = plain.latency
    name = unique("prm")
    with sd.Stream(channels=1, callback=callback, api="jack", blocksize=block, name=name, autoconnect=False,
                   prime_output_buffers_using_stream_callback=True) as stream:
        assert stream.latency == pytest.approx((server_latency[0], server_latency[1] + block / 48000), abs=1e-9)
        subprocess.run(["jack_connect", f"{name}:outport 0", f"{name}:inport 0"], check=True)
        assert wait_for(lambda: not stream.active, 10)
    assert calls[0] == (True, True, True) and len(calls) == 4
    assert not any(priming or underflow for priming, underflow, _ in calls[1:])
    heard = np.concatenate(recorded)[:, 0]
    first, primed_end = int(np.flatnonzero(heard)[0]), block + period
    assert period <= first < primed_end, "the loop was connected while the primed block played"
    assert np.all(heard[first:primed_end] == np.float32(primed)), "the primed block"
    assert np.array_equal(heard[primed_end:], counter(0, len(heard) - primed_end)[:, 0]), "then the running blocks, exactly"


def test_callback_stop_drains_then_finished_callback_runs_once(sd: Any) -> None:
    calls, finished = [], []

    def callback(outdata: Any, frames: int, time: Any, status: Any) -> None:
        calls.append(frames)
        if len(calls) == 10:
            raise sd.CallbackStop

    stream = sd.OutputStream(channels=2, callback=callback, finished_callback=lambda: finished.append(1), api="jack")
    stream.start()
    assert wait_for(lambda: finished, 5)
    assert not stream.active and stream.stopped and len(calls) == 10
    stream.stop()
    stream.close()
    assert finished == [1] and stream.closed


def test_callback_abort_stops_at_once(sd: Any) -> None:
    calls: list[int] = []

    def callback(outdata: Any, frames: int, time: Any, status: Any) -> None:
        calls.append(frames)
        raise sd.CallbackAbort

    with sd.OutputStream(channels=1, callback=callback, api="jack") as stream:
        assert wait_for(lambda: not stream.active, 5)
    assert len(calls) == 1


def test_callback_exception_is_reraised_by_stop_and_finished_callback_runs(sd: Any) -> None:
    finished = []

    def callback(indata: Any, frames: int, time: Any, status: Any) -> None:
        raise ZeroDivisionError("in the callback")

    stream = sd.InputStream(channels=1, callback=callback, finished_callback=lambda: finished.append(1), api="jack")
    stream.start()
    assert wait_for(lambda: not stream.active, 5)
    with pytest.raises(ZeroDivisionError, match="in the callback"):
        stream.stop()
    stream.close()
    assert finished == [1]


def test_callback_flags_behave_as_sounddevices(sd: Any) -> None:
    flags = sd.CallbackFlags()
    assert not flags and str(flags) == "" and repr(flags) == "<pyrtaudionet.CallbackFlags: no flags set>"
    flags.priming_output = True
    flags.input_underflow = True
    flags.output_overflow = True
    assert str(flags) == "input underflow, output overflow, priming output"
    flags.priming_output = False
    assert flags == sd.CallbackFlags(0x1 | 0x8)  # PortAudio's bits
    statuses: list[Any] = []

    def callback(outdata: Any, frames: int, time: Any, status: Any) -> None:
        statuses.append(status)

    with sd.OutputStream(channels=1, callback=callback, api="jack"):
        assert wait_for(lambda: len(statuses) > 3, 5)
    status = statuses[0]
    collected = sd.CallbackFlags()
    for each in statuses:
        collected |= each
    assert collected.output_underflow == any(s.output_underflow for s in statuses)
    with pytest.raises(AttributeError, match="shared"):
        status.output_underflow = True
    merged = status
    merged |= sd.CallbackFlags(0x1)
    assert merged.input_underflow and not status.input_underflow, "a status is never changed in place"
    with pytest.raises(ValueError, match="0x1f"):
        sd.CallbackFlags(0x20)


def test_ignore_errors_drops_rtaudio_failures_only(sd: Any) -> None:
    """sounddevice's ignore_errors (True by default): stopping or aborting a closed stream is no
    error, with False it is; a callback's exception always is."""
    stream = sd.OutputStream(channels=1, callback=lambda *a: None, api="jack")
    stream.close()
    stream.stop()
    stream.abort()
    for method in (stream.stop, stream.abort):
        with pytest.raises(sd.RtAudioError, match="the stream is closed"):
            method(ignore_errors=False)
    with pytest.raises(TypeError, match="ignore_errors must be True or False, not 'no'"):
        stream.close(ignore_errors="no")

    def failing(outdata: Any, frames: int, time: Any, status: Any) -> None:
        raise ZeroDivisionError("in the callback")

    stream = sd.OutputStream(channels=1, callback=failing, api="jack")
    stream.start()
    assert wait_for(lambda: not stream.active, 5)
    with pytest.raises(ZeroDivisionError):
        stream.close(ignore_errors=True)
    assert stream.closed


def test_stream_properties(sd: Any) -> None:
    with sd.Stream(channels=(1, 2), dtype="float32", callback=lambda *a: None, api="jack", latency="low") as stream:
        time.sleep(0.2)
        assert stream.active and not stream.stopped and not stream.closed
        assert stream.channels == (1, 2) and stream.blocksize == 64 and stream.samplerate == 48000
        assert 0.1 < stream.time < 1.0 and 0 <= stream.cpu_load < 1
        # A duplex stream's (input, output) latencies: each the latency JACK gives the system port
        # it is connected to.
        assert [round(seconds * 48000) for seconds in stream.latency] == [port_latency("system:capture_1", "capture"),
                                                                          port_latency("system:playback_1", "playback")]
    assert stream.closed and not stream.active


def test_one_way_streams_report_one_latency(sd: Any) -> None:
    with sd.OutputStream(channels=1, callback=lambda *a: None, api="jack") as output:
        assert isinstance(output.latency, float)
        assert round(output.latency * 48000) == port_latency("system:playback_1", "playback")
    with sd.InputStream(channels=1, callback=lambda *a: None, api="jack") as input:
        assert isinstance(input.latency, float)
        assert round(input.latency * 48000) == port_latency("system:capture_1", "capture")


def port_latency(port: str, direction: str) -> int:
    """JACK's latency of ``port`` in frames, as ``jack_lsp -l`` prints it."""
    listing = subprocess.run(["jack_lsp", "-l", port], capture_output=True, text=True, check=True).stdout
    low, high = re.search(rf"port {direction} latency = \[ (\d+) (\d+) \]", listing).groups()  # type: ignore[union-attr]
    assert low == high, listing
    return int(low)


def test_underflow_and_overflow_counters_count_the_flagged_periods_and_survive_close(sd: Any) -> None:
    flagged = {"input_overflow": 0, "output_underflow": 0}
    calls = [0]

    def callback(indata: Any, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        calls[0] += 1
        flagged["input_overflow"] += status.input_overflow
        flagged["output_underflow"] += status.output_underflow
        if calls[0] % 10 == 0 and calls[0] <= 90:
            time.sleep(3 * frames / 48000)  # past the period: the driver flags the next one, delivered here

    with sd.Stream(channels=2, callback=callback, api="jack") as stream:
        assert wait_for(lambda: calls[0] >= 100, 10)
        stream.stop()
        counted = (stream.input_overflows, stream.output_underflows)
        # Periods the bridge answers without the callback (while stop() runs, say) count too.
        undelivered = int(stream._statistics().Callbacks) - calls[0]
    assert flagged["output_underflow"] >= 5 and flagged["input_overflow"] >= 5, flagged
    assert flagged["input_overflow"] <= counted[0] <= flagged["input_overflow"] + undelivered, (counted, flagged, undelivered)
    assert flagged["output_underflow"] <= counted[1] <= flagged["output_underflow"] + undelivered, (counted, flagged, undelivered)
    assert (stream.input_overflows, stream.output_underflows) == counted  # kept after close


@pytest.mark.parametrize("blocksize", [0, 256])
def test_callback_time_advances_one_block_per_call_and_counts_each_latency(sd: Any, blocksize: int) -> None:
    """Stream time starts at 0 with the first block and advances by exactly one per call; the
    input was captured the stream's input latency before it, the output plays its output latency
    after (the server's ports, and a re-blocked stream's block on the output side)."""
    seen: list[tuple[float, float, float]] = []

    def callback(indata: Any, outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        if len(seen) < 50:
            seen.append((time_info.inputBufferAdcTime, time_info.currentTime, time_info.outputBufferDacTime))

    with sd.Stream(channels=2, callback=callback, api="jack", blocksize=blocksize) as stream:
        assert wait_for(lambda: len(seen) == 50, 5)
        input_latency, output_latency = stream.latency
    block = blocksize or 64
    assert [round(now * 48000, 6) for _, now, _ in seen] == [float(block * k) for k in range(50)]
    assert output_latency > input_latency > 0
    for adc, now, dac in seen:
        assert now - adc == pytest.approx(input_latency, abs=1e-9) and dac - now == pytest.approx(output_latency, abs=1e-9)


def test_cpu_load_follows_the_time_the_callback_takes(sd: Any) -> None:
    def busy(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        until = time.perf_counter() + 0.5 * frames / 48000  # half the period
        while time.perf_counter() < until:
            pass

    with sd.OutputStream(channels=2, callback=busy, api="jack") as stream:
        assert wait_for(lambda: stream.cpu_load > 0.4, 5), stream.cpu_load
        assert stream.cpu_load < 1.5
    assert stream.cpu_load == 0.0


def test_a_callback_stream_dropped_without_close_is_closed(sd: Any) -> None:
    """Started and dropped, ten times over: each stream's JACK client goes once nothing in Python
    references the stream (its callback is held by .NET, where Python's collector cannot see).
    The clients are listed by this process's device queries, not by jack_lsp: another process's
    client coming while the dropped stream's closes can hang libjack (docs/threading.md)."""
    def clients() -> list[str]:
        return [device["name"] for device in sd.query_devices(api="jack") if device["name"].startswith("dropped")]

    for _ in range(10):
        stream = sd.OutputStream(channels=1, callback=lambda *args: None, api="jack", name="dropped")
        stream.start()
        assert clients() == ["dropped"]
        del stream
        assert wait_for(lambda: not clients(), 5), clients()


def test_raw_streams_get_byte_views_and_take_bytes(sd: Any) -> None:
    seen = []
    with sd.RawOutputStream(channels=2, dtype="int16", callback=lambda out, *a: seen.append(out), api="jack"):
        assert wait_for(lambda: seen, 5)
    assert isinstance(seen[0], memoryview) and seen[0].format == "B" and seen[0].shape == (64 * 2 * 2,) and not seen[0].readonly
    with sd.RawStream(channels=2, dtype="float32", api="jack") as stream:
        stream.write(np.ones((480, 2), dtype=np.float32))  # any bytes-like object: here an array
        stream.write(array.array("f", [0.5] * 960))
        data, _ = stream.read(64)
        assert isinstance(data, bytearray) and len(data) == 64 * 2 * 4
        with pytest.raises(ValueError, match="not whole frames of 8 bytes"):
            stream.write(bytes(12))
        with pytest.raises(ValueError, match="C-contiguous"):
            stream.write(np.ones((480, 4), dtype=np.float32)[:, ::2])


def test_sounddevice_names_version_errors_and_device_marks(sd: Any) -> None:
    pyproject = (REPO / "python" / "pyproject.toml").read_text()
    assert re.fullmatch(r"\d+\.\d+\.\d+", sd.__version__) and "pyrtaudionet._version.__version__" in pyproject
    with pytest.raises(sd.PortAudioError):  # code written for sounddevice catches RtAudio's errors
        sd.OutputStream(channels=2, samplerate=44100, api="jack")  # the server runs at 48 kHz
    system = dict(sd.query_devices(0, api="jack"))
    assert repr(sd.query_devices(api="jack")).startswith("*  0 system"), "default input and output"
    marks = {(True, False): ">", (False, True): "<", (False, False): " "}  # sounddevice's: > input, < output
    for (is_input, is_output), mark in marks.items():
        listed = type(sd.query_devices())([dict(system, is_default_input=is_input, is_default_output=is_output)])
        assert repr(listed).startswith(f"{mark}  0 system"), (is_input, is_output, repr(listed))


def test_raw_streams_need_no_numpy() -> None:
    assert run_scenario("raw_without_numpy").stdout.endswith("ok\n")


def test_playrec_records_exactly_what_it_played(sd: Any, exact_jack: JackConnector) -> None:
    def attempt() -> tuple[bool, int]:
        name = unique("pr")
        data = np.zeros((24000, 2), dtype=np.float32)
        data[4800:] = pattern("float32", 24000 - 4800)  # 100 ms of silence while the ports connect
        recorded = sd.playrec(data, 48000, api="jack", name=name, autoconnect=False)
        before = xruns(sd.get_stream())
        exact_jack.connect(name, name, 2)
        sd.wait(timeout=10)
        return np.array_equal(recorded[EXACT_PERIOD:], data[:-EXACT_PERIOD]), xruns(sd.get_stream()) - before  # one period through the loop

    exactly(attempt)


def test_play_is_heard_sample_by_sample(sd: Any, exact_jack: JackConnector) -> None:
    """play() into a recording InputStream connected to its ports."""
    def attempt() -> tuple[bool, int]:
        data = pattern("int16", 9600)
        data[:4800] = 0
        heard: list[Any] = []
        listener = unique("ls")
        player = unique("pl")
        with sd.InputStream(channels=2, dtype="int16", callback=lambda indata, *a: heard.append(indata.copy()),
                            api="jack", name=listener, autoconnect=False) as stream:
            sd.play(data, 48000, api="jack", name=player, autoconnect=False)
            before = xruns(stream, sd.get_stream())
            exact_jack.connect(player, listener, 2)
            sd.wait(timeout=10)
            periods = len(heard)
            assert wait_for(lambda: len(heard) >= periods + 4, 5)  # the last output, through JACK's latency
            reported = xruns(stream, sd.get_stream()) - before
        got = np.concatenate(heard)
        start = int(np.flatnonzero(np.any(got != 0, axis=1))[0])  # the signal starts in silence: both connected
        first = int(np.flatnonzero(np.any(data != 0, axis=1))[0])
        return np.array_equal(got[start:start + len(data) - first], data[first:]), reported

    exactly(attempt)


def test_rec_records_sample_by_sample(sd: Any, exact_jack: JackConnector) -> None:
    """rec() from an OutputStream connected to its ports."""
    def attempt() -> tuple[bool, int]:
        source = pattern("float32", 48000)
        position = [0]

        def callback(outdata: Any, frames: int, time: Any, status: Any) -> None:
            outdata[:] = source[position[0] % 48000:position[0] % 48000 + frames]
            position[0] += frames

        player, recorder = unique("src"), unique("rec")
        with sd.OutputStream(channels=2, callback=callback, api="jack", name=player, autoconnect=False) as stream:
            recorded = sd.rec(9600, 48000, channels=2, api="jack", name=recorder, autoconnect=False)
            before = xruns(stream, sd.get_stream())
            exact_jack.connect(player, recorder, 2)
            sd.wait(timeout=10)
            reported = xruns(stream, sd.get_stream()) - before
        start = connected_at(recorded)
        if start == len(recorded):
            return False, reported  # never connected
        offsets = np.flatnonzero(np.all(source == recorded[start], axis=1))
        if len(offsets) == 0:
            return False, reported
        expected = np.take(source, np.arange(int(offsets[0]), int(offsets[0]) + len(recorded) - start) % len(source), axis=0)
        return np.array_equal(recorded[start:], expected), reported  # (the source repeats every second)

    exactly(attempt)


def test_get_stream_and_stop(sd: Any) -> None:
    sd.play(np.zeros((48000 * 5, 1), np.float32), 48000, api="jack")
    stream = sd.get_stream()
    assert wait_for(lambda: stream.active, 5)
    sd.stop()
    assert stream.closed


def bad_arguments(sd: Any) -> list[tuple[str, Any, type, str]]:
    cb = lambda *a: None  # noqa: E731
    out = lambda **kw: sd.OutputStream(api="jack", **{"callback": cb, **kw})  # noqa: E731
    return [
        ("samplerate 0", lambda: out(samplerate=0), ValueError, "samplerate=0"),
        ("samplerate negative", lambda: out(samplerate=-48000), ValueError, "samplerate=-48000"),
        ("samplerate huge", lambda: out(samplerate=10**9), ValueError, "samplerate=1000000000"),
        ("samplerate fractional", lambda: out(samplerate=44100.5), ValueError, "samplerate=44100.5"),
        ("samplerate str", lambda: out(samplerate="48k"), TypeError, "'48k'"),
        ("blocksize negative", lambda: out(blocksize=-1), ValueError, "blocksize=-1"),
        ("blocksize huge", lambda: out(blocksize=1 << 30), ValueError, "blocksize=1073741824"),
        ("blocksize float", lambda: out(blocksize=64.0), TypeError, "64.0"),
        ("channels zero", lambda: out(channels=0), ValueError, "channels=0"),
        ("channels negative", lambda: out(channels=-2), ValueError, "channels=-2"),
        ("channels huge", lambda: out(channels=100000), ValueError, "channels=100000"),
        ("channels more than the device", lambda: out(channels=3), ValueError, "channels=3"),
        ("channels str", lambda: out(channels="2"), TypeError, "'2'"),
        ("channels bad pair", lambda: sd.Stream(api="jack", callback=cb, channels=(1, 2, 3)), ValueError, "(1, 2, 3)"),
        ("dtype unknown", lambda: out(dtype="int12"), ValueError, "'int12'"),
        ("dtype complex", lambda: out(dtype=np.complex64), ValueError, "complex64"),
        ("device id unknown", lambda: out(device=42), ValueError, "device 42"),
        ("device name unknown", lambda: out(device="no-such-card"), ValueError, "'no-such-card'"),
        ("device float", lambda: out(device=1.5), TypeError, "1.5"),
        ("api unknown", lambda: sd.OutputStream(api="asio2", callback=cb), ValueError, "'asio2'"),
        ("api not a str", lambda: sd.OutputStream(api=4, callback=cb), TypeError, "4"),
        ("latency word", lambda: out(latency="medium"), ValueError, "'medium'"),
        ("latency negative", lambda: out(latency=-1.0), ValueError, "-1.0"),
        ("latency zero", lambda: out(latency=0), ValueError, "seconds > 0, not 0"),
        ("latency nan", lambda: out(latency=float("nan")), ValueError, "nan"),
        ("latency infinite", lambda: out(latency=float("inf")), ValueError, "inf"),
        ("latency beyond a ring", lambda: out(latency=1000.0), ValueError, "latency=1000.0 is 48000000 frames"),
        ("blocking non-interleaved", lambda: sd.OutputStream(api="jack", interleaved=False), ValueError, "interleaved=False"),
        ("callback not callable", lambda: out(callback=5), TypeError, "5"),
        ("finished_callback not callable", lambda: out(finished_callback="done"), TypeError, "'done'"),
        ("interleaved not bool", lambda: out(interleaved="yes"), TypeError, "'yes'"),
        ("name with NUL", lambda: out(name="a\0b"), ValueError, "'a\\x00b'"),
        ("name too long", lambda: out(name="n" * 100), ValueError, "nnnn"),
        ("kind unknown", lambda: sd.query_devices(kind="both"), ValueError, "'both'"),
        ("query unknown device", lambda: sd.query_devices(99, api="jack"), ValueError, "device 99"),
        ("rec frames zero", lambda: sd.rec(0, 48000, api="jack"), ValueError, "frames"),
        ("rec frames float", lambda: sd.rec(1.5, 48000, api="jack"), ValueError, "1.5"),
        ("rec channels zero", lambda: sd.rec(100, 48000, channels=0, api="jack"), ValueError, "channels"),
        ("play empty", lambda: sd.play(np.zeros((0, 2), np.float32), 48000, api="jack"), ValueError, "shape (0, 2)"),
        ("play 3-D floats", lambda: sd.play(np.zeros((4, 2, 2), np.float32), 48000, api="jack"), ValueError, "(4, 2, 2)"),
        ("play unsupported dtype", lambda: sd.play(np.zeros(10, np.complex64), 48000, api="jack"), ValueError, "complex64"),
        ("playrec dtype mismatch", lambda: sd.playrec(np.zeros((10, 1), np.float32), 48000, dtype="int16", api="jack"), TypeError, "int16"),
        ("check channels", lambda: sd.check_output_settings(channels=9, api="jack"), ValueError, "channels=9"),
        ("check samplerate infinite", lambda: sd.check_output_settings(samplerate=math.inf, api="jack"), ValueError, "samplerate=inf"),
        ("check samplerate fraction", lambda: sd.check_input_settings(samplerate=44100.5, api="jack"), ValueError, "44100.5"),
        ("default pair of three", lambda: sd.OutputStream(api="jack", callback=cb, device=(0, 0, 0)), ValueError, "(0, 0, 0)"),
        ("ringsize zero", lambda: sd.OutputStream(api="jack", ringsize=0), ValueError, "ringsize=0"),
        ("write wrong dtype", lambda: blocking(lambda s: s.write(np.zeros((10, 2), np.int16))), TypeError, "int16"),
        ("write wrong shape", lambda: blocking(lambda s: s.write(np.zeros((10, 3), np.float32))), ValueError, "(10, 3)"),
        ("write negative timeout", lambda: blocking(lambda s: s.write(np.zeros((10, 2), np.float32), timeout=-1)), ValueError, "-1"),
        ("write nan timeout", lambda: blocking(lambda s: s.write(np.zeros((10, 2), np.float32), timeout=float("nan"))), ValueError, "nan"),
        ("wait nan timeout", lambda: sd.wait(timeout=float("nan")), ValueError, "nan"),
        ("wait with a timeout given as ignore_errors", lambda: sd.wait(10), TypeError, "wait(timeout=10)"),
        ("stop with ignore_errors not a bool", lambda: sd.stop(ignore_errors=None), TypeError, "ignore_errors must be True or False, not None"),
        ("default unknown setting", lambda: setattr(sd.default, "samplerat", 48000), AttributeError, "'samplerat'"),
        ("default samplerate negative", lambda: setattr(sd.default, "samplerate", -1), ValueError, "-1"),
        ("default blocksize nan", lambda: setattr(sd.default, "blocksize", float("nan")), TypeError, "nan"),
        ("default latency word", lambda: setattr(sd.default, "latency", "bogus"), ValueError, "'bogus'"),
        ("default channels zero", lambda: setattr(sd.default, "channels", (1, 0)), ValueError, "=0"),
        ("default device negative", lambda: setattr(sd.default, "device", -3), ValueError, "-3"),
        ("default api unknown", lambda: setattr(sd.default, "api", "asio2"), ValueError, "'asio2'"),
        ("default hostapi set", lambda: setattr(sd.default, "hostapi", 0), AttributeError, "read-only"),
        ("default dtype half unknown", lambda: sd.default.dtype.__setitem__("input", "float16"), ValueError, "float16"),
        ("default device half three", lambda: sd.default.device.__getitem__(2), IndexError, "default.device[2]"),
        ("default extra_settings", lambda: setattr(sd.default, "extra_settings", {"exclusive": True}), ValueError, "host-API-specific"),
        ("default never_drop_input", lambda: setattr(sd.default, "never_drop_input", True), ValueError, "never_drop_input=True"),
        ("stream never_drop_input", lambda: sd.Stream(api="jack", callback=cb, never_drop_input=True), ValueError, "never_drop_input=True"),
        ("blocking stream priming", lambda: sd.OutputStream(api="jack", prime_output_buffers_using_stream_callback=True), ValueError,
         "needs a callback stream with output"),
        ("input stream priming", lambda: sd.InputStream(api="jack", callback=cb, prime_output_buffers_using_stream_callback=True),
         ValueError, "needs a callback stream with output"),
        ("stream extra_settings", lambda: sd.OutputStream(api="jack", extra_settings=("wasapi",)), ValueError, "('wasapi',)"),
        ("stream clip_off not a bool", lambda: sd.OutputStream(api="jack", clip_off="yes"), TypeError, "clip_off must be True or False, not 'yes'"),
        ("stream clip_off", lambda: sd.OutputStream(api="jack", clip_off=True), ValueError, "clip_off=True: RtAudio limits"),
        ("stream dtype pair differs", lambda: sd.Stream(api="jack", callback=cb, dtype=("int16", "float32")), ValueError, "('int16', 'float32')"),
        ("read negative frames", lambda: with_stream(sd.InputStream(channels=2, api="jack"), lambda s: s.read(-1)), ValueError, "frames=-1"),
        ("read on an output stream", lambda: blocking(lambda s: s.read(10)), RuntimeError, "no input"),
        ("write on a callback stream", lambda: with_stream(out(), lambda s: s.write(np.zeros((10, 2), np.float32))), RuntimeError, "without a callback"),
        ("start a closed stream", lambda: closed(out()).start(), sd.RtAudioError, "closed"),
        ("write to a closed stream", lambda: closed(sd.OutputStream(api="jack")).write(np.zeros((10, 2), np.float32)), sd.RtAudioError, "closed"),
        ("write nothing to a closed stream", lambda: closed(sd.OutputStream(api="jack")).write(np.zeros((0, 2), np.float32)), sd.RtAudioError, "closed"),
    ]


def with_stream(stream: Any, use: Any) -> Any:
    try:
        return use(stream)
    finally:
        stream.close()


def blocking(use: Any) -> Any:
    """``use`` applied to a fresh blocking float32 stereo output stream, closed afterwards."""
    import pyrtaudionet

    return with_stream(pyrtaudionet.OutputStream(channels=2, dtype="float32", api="jack"), use)


def closed(stream: Any) -> Any:
    stream.close()
    return stream


def test_bad_arguments_raise_documented_errors_naming_the_value(sd: Any) -> None:
    cases = bad_arguments(sd)
    assert len(cases) >= 40
    failures = []
    for label, call, expected, fragment in cases:
        try:
            call()
        except expected as error:
            if fragment not in str(error):
                failures.append(f"{label}: {type(error).__name__}({error}) does not name {fragment!r}")
        except Exception as error:  # noqa: BLE001 - reported below
            failures.append(f"{label}: raised {type(error).__name__}({error}), expected {expected.__name__}")
        else:
            failures.append(f"{label}: raised nothing")
        finally:
            sd.stop()
    assert not failures, "\n".join(failures)
    # ...and the process is still healthy:
    with sd.OutputStream(channels=2, callback=lambda *a: None, api="jack") as stream:
        assert wait_for(lambda: stream.time > 0.05, 5)


def test_sounddevice_callback_checks_its_arguments_and_serves_one_stream(sd: Any) -> None:
    """The bridge's sounddevice convention, as pythonnet code would use it: each bad argument is
    named, a SoundDeviceCallback serves one stream, and a wrap that raises leaves no stream open."""
    from PyRtAudioNet import RtAudio, RtAudioApi, RtAudioFormat, StreamParameters  # type: ignore[import-not-found]
    from PyRtAudioNet.Python import PythonStreams, SoundDeviceCallback  # type: ignore[import-not-found]

    statuses = tuple(sd.CallbackFlags(bits) for bits in range(16))
    clock = array.array("d", [0.0])

    def make(callable_: Any = lambda *a: None, clock_: Any = clock, flags: Any = statuses, stop: Any = sd.CallbackStop,
             abort: Any = sd.CallbackAbort, wrap: Any = None) -> Any:
        return SoundDeviceCallback(callable_, "time", clock_, flags, stop, abort, wrap, None)

    for arguments, message in [({"callable_": "x"}, "callable must be callable, not 'x'"),
                               ({"flags": (0, 1, 2)}, "statuses must be a sequence of 16 objects, not (0, 1, 2)"),
                               ({"stop": int}, "stop must be an exception class, not <class 'int'>"),
                               ({"abort": ValueError()}, "abort must be an exception class, not ValueError()"),
                               ({"clock_": b"12345678"}, "clock must be a writable buffer of one C double, not b'12345678'"),
                               ({"clock_": array.array("d", [0.0, 0.0])}, "clock must be a writable buffer of one C double, not 16 bytes"),
                               ({"wrap": 3}, "wrap must be callable, not 3")]:
        with pytest.raises(Exception, match=re.escape(message)):
            make(**arguments)

    audio = RtAudio(RtAudioApi.UnixJack)
    try:
        output = StreamParameters(audio.GetDefaultOutputDevice(), 1, 0)
        seen: list[Any] = []
        callback = make(lambda outdata, frames, time_info, status: seen.append((type(outdata), frames, time_info, round(clock[0] * 48000, 6), status)),
                        wrap=bytes)
        assert int(PythonStreams.OpenSoundDeviceStream(audio, output, None, RtAudioFormat.Float32, 48000, 64, callback)) == 64
        audio.StartStream()
        assert wait_for(lambda: len(seen) >= 3, 5)
        audio.AbortStream()
        assert [entry[:4] for entry in seen[:3]] == [(bytes, 64, "time", 0.0), (bytes, 64, "time", 64.0), (bytes, 64, "time", 128.0)]
        assert all(any(entry[4] is flags for flags in statuses) for entry in seen)  # the objects given, not copies
        with pytest.raises(BufferError):
            clock.append(1.0)  # exported to the bridge while the stream is open
        audio.CloseStream()
        clock.append(1.0)  # released by the close
        with pytest.raises(Exception, match="already served a stream"):
            PythonStreams.OpenSoundDeviceStream(audio, output, None, RtAudioFormat.Float32, 48000, 64, callback)
        assert not audio.IsStreamOpen()

        def refuse(view: Any) -> Any:
            raise LookupError("no wrapping today")

        with pytest.raises(LookupError, match="no wrapping today"):
            PythonStreams.OpenSoundDeviceStream(audio, output, None, RtAudioFormat.Float32, 48000, 64,
                                                 make(clock_=array.array("d", [0.0]), wrap=refuse))
        assert not audio.IsStreamOpen()
    finally:
        audio.Dispose()
