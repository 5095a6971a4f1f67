"""The PulseAudio daemon is killed (SIGKILL) under a running stream, on api="pulse" and on
api="alsa" through ALSA's pulse plugin. RtAudio's backends only warn then and call back at
once, again and again (a million times a second, draining a blocking stream's ring into
nothing); the bridge reports the loss instead, as it does a JACK server's (scenarios/server_loss.py):
within REPORT_BOUND the stream is inactive, its callback no longer called, its
finished_callback run, a blocked write or read raises; every call but close raises the loss,
close is prompt, and a stream on a new daemon works."""

from __future__ import annotations

import contextlib
import threading
import time
from typing import Any, Iterator

import numpy as np
import pytest

from conftest import ALSA_THROUGH_PULSE, PULSE_RATE, alsa_configuration, private_pulse_daemon, wait_for

REPORT_BOUND = 1.0
# The ALSA plugin's streams take ~2 s to flow (test_alsa.py).
START_BOUND = 15.0
API_NAMES = {"pulse": "Pulse", "alsa": "ALSA"}


@pytest.fixture(params=["pulse", "alsa"])
def api(request: pytest.FixtureRequest) -> Iterator[str]:
    with alsa_configuration(ALSA_THROUGH_PULSE) if request.param == "alsa" else contextlib.nullcontext():
        yield request.param


def assert_is_the_loss(error: BaseException, api: str) -> None:
    import pyrtaudionet as sd

    assert isinstance(error, sd.RtAudioError) and error.error_type == "DeviceDisconnect", repr(error)
    assert f"the stream's {API_NAMES[api]} I/O failed while it ran" in str(error), error


def expect_loss(call: Any, api: str) -> None:
    try:
        call()
    except Exception as error:
        assert_is_the_loss(error, api)
        return
    raise AssertionError(f"{call} did not report the loss")


def killed(daemon: Any) -> float:
    daemon.kill()
    daemon.wait()
    return time.monotonic()


def assert_a_new_daemon_works(api: str) -> None:
    import pyrtaudionet as sd

    calls = [0]
    with private_pulse_daemon():
        with sd.OutputStream(samplerate=PULSE_RATE, channels=2, api=api,
                             callback=lambda o, f, t, s: calls.__setitem__(0, calls[0] + 1)):
            assert wait_for(lambda: calls[0] >= 20, START_BOUND), "a stream on a new daemon runs"


@pytest.mark.parametrize("direction", ["output", "input"])
def test_callback_stream(api: str, direction: str) -> None:
    import pyrtaudionet as sd

    calls = [0]
    finished = threading.Event()

    def callback(*args: Any) -> None:
        calls[0] += 1

    kind = sd.OutputStream if direction == "output" else sd.InputStream
    with private_pulse_daemon() as daemon:
        stream = kind(samplerate=PULSE_RATE, channels=2, api=api, callback=callback, finished_callback=finished.set)
        stream.start()
        assert wait_for(lambda: calls[0] >= 20, START_BOUND), "the stream runs"
        killed(daemon)
        assert finished.wait(REPORT_BOUND), "finished_callback within the bound"
        assert not stream.active
        after = calls[0]
        time.sleep(0.2)
        assert calls[0] == after, "no callback after the loss"
        expect_loss(lambda: stream.time, api)
        expect_loss(stream.stop, api)
    assert_a_new_daemon_works(api)
    started = time.monotonic()
    stream.close()
    assert time.monotonic() - started < 2, "close() is prompt"
    stream.close()


@pytest.mark.parametrize("direction", ["output", "input"])
def test_blocked_blocking_call_wakes(api: str, direction: str) -> None:
    import pyrtaudionet as sd

    kind = sd.OutputStream if direction == "output" else sd.InputStream
    errors: list[BaseException] = []
    moved = [0]

    def blocked_io(stream: Any) -> None:
        try:
            while True:
                if direction == "output":
                    stream.write(np.zeros((4096, 2), dtype=np.float32))
                else:
                    stream.read(4096)
                moved[0] += 4096
        except Exception as error:
            errors.append(error)

    with private_pulse_daemon() as daemon:
        stream = kind(samplerate=PULSE_RATE, channels=2, dtype="float32", api=api)
        stream.start()
        thread = threading.Thread(target=blocked_io, args=(stream,))
        thread.start()
        assert wait_for(lambda: moved[0] >= PULSE_RATE // 2 or bool(errors), START_BOUND), "the stream runs"
        assert not errors, errors
        killed(daemon)
        thread.join(REPORT_BOUND)
        assert not thread.is_alive(), f"the blocked {direction} call wakes within the bound"
        assert_is_the_loss(errors[0], api)
        assert not stream.active
        expect_loss(stream.stop, api)
    started = time.monotonic()
    stream.close()
    assert time.monotonic() - started < 2, "close() is prompt"
