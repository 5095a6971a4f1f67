"""Servers at other rates and periods than the suite's 48 kHz / 64 frames: a stream follows the
server's rate and period, a blocksize is still what every callback gets, blocking streams size
their rings for it, and a rate the server does not run is refused naming both rates. Each case on a
JACK dummy server of its own (the suite's clients are closed meanwhile: libjack serves one
server per process at a time)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from conftest import jackd, wait_for

pytestmark = pytest.mark.usefixtures("jack_server")


@pytest.fixture(scope="module")
def sd(jack_server: str) -> Any:
    import pyrtaudionet

    return pyrtaudionet


@pytest.mark.parametrize("rate,period", [(44100, 32), (44100, 256), (96000, 128), (96000, 1024)])
def test_streams_follow_the_servers_rate_and_period(sd: Any, monkeypatch: pytest.MonkeyPatch, rate: int, period: int) -> None:
    with jackd(period, f"r{rate}", rate) as server:
        monkeypatch.setenv("JACK_DEFAULT_SERVER", server)
        assert sd.query_devices(kind="output", api="jack")["default_samplerate"] == rate
        for blocksize in (0, 100):
            frames: list[int] = []
            with sd.OutputStream(channels=1, blocksize=blocksize, api="jack",
                                 callback=lambda outdata, count, *a: frames.append(count)) as stream:
                assert stream.samplerate == rate
                assert stream.blocksize == (blocksize or period)
                assert wait_for(lambda: sum(frames) >= rate // 4, 5), f"{sum(frames)} frames"
            assert set(frames) == {blocksize or period}
        with sd.Stream(channels=1, api="jack") as stream:  # blocking: rings sized for this period
            assert stream.blocksize == period
            stream.write(np.zeros((rate // 10, 1), np.float32), timeout=5)  # (may report the underflow of the periods before it)
            data, _ = stream.read(rate // 10, timeout=5)
            assert data.shape == (rate // 10, 1)
        with pytest.raises(sd.RtAudioError, match=rf"requested sample rate \(48000\) is different than the JACK server rate \({rate}\)"):
            sd.OutputStream(channels=1, samplerate=48000, api="jack")
