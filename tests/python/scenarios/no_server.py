"""Without any audio server or sound card (the test points JACK and PulseAudio nowhere), the
sounddevice calls answer as sounddevice's would: empty lists and -1 where they list, an
RtAudioError naming what is missing where they need a device, and nothing on stderr (RtAudio's
and libasound's probes print nothing)."""

from __future__ import annotations

from typing import Any, Callable

import pyrtaudionet as sd


def no_devices(call: Callable[[], Any]) -> None:
    try:
        call()
    except sd.RtAudioError as error:
        assert error.error_type == "NoDevicesFound" and "start" in str(error), error  # says how to get one
        return
    raise AssertionError(f"{call} needed no device")


assert len(sd.query_devices()) == 0
assert list(sd.default.device) == [-1, -1]
assert all(api["devices"] == [] and api["default_output_device"] == -1 for api in sd.query_hostapis())
assert all(api["devices"] == [] for api in sd.query_apis())
no_devices(lambda: sd.query_devices(kind="output"))
no_devices(lambda: sd.check_output_settings())
no_devices(lambda: sd.OutputStream(channels=1))
no_devices(lambda: sd.InputStream(channels=1, api="jack"))
no_devices(lambda: sd.rec(100, 48000, channels=1))
print("ok")
