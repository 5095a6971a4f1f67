"""Host APIs, devices and defaults, as python-sounddevice presents them.

Device ids are RtAudio's, per API (``api=None`` means :attr:`default.api`, or the API RtAudio
picks: the first compiled one that has devices). Every query asks RtAudio again: nothing is
cached, so devices that appear with a (re)started audio server are seen.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Iterator, Optional, Sequence, Union

from PyRtAudioNet import RtAudio, RtAudioApi  # type: ignore[import-not-found]

from . import _gate
from ._checks import MAX_BLOCKSIZE, MAX_CHANNELS, check_int, check_latency, check_samplerate
from ._dtypes import sample_type
from ._errors import translate, translated_errors

DeviceSpec = Union[int, str, None]


@dataclass
class _Default:
    """Defaults used wherever an argument is None (like ``sounddevice.default``).

    ``device`` and ``channels`` may be one value or an (input, output) pair. Each value is
    checked when it is set, as the argument it stands for; a name that is no setting is refused.
    """

    device: Union[DeviceSpec, Sequence[DeviceSpec]] = None
    samplerate: Optional[float] = None
    blocksize: int = 0
    channels: Union[int, None, Sequence[Optional[int]]] = None
    dtype: str = "float32"
    latency: Union[str, float] = "high"
    api: Optional[str] = None

    def __setattr__(self, name: str, value: Any) -> None:
        if name not in self.__dataclass_fields__:
            raise AttributeError(f"default has no setting {name!r} (settings: {', '.join(self.__dataclass_fields__)})")
        _check_default(name, value)
        super().__setattr__(name, value)

    def reset(self) -> None:
        """Back to the initial defaults."""
        self.__init__()  # type: ignore[misc]


def _check_default(name: str, value: Any) -> None:
    """Refuses what ``default.<name> = value`` could never mean, naming the value."""
    if name == "samplerate":
        check_samplerate(value)
    elif name == "blocksize":
        check_int("default.blocksize", value, 0, MAX_BLOCKSIZE)
    elif name == "dtype":
        sample_type(value)
    elif name == "latency":
        check_latency(value)
    elif name == "api":
        if value is not None:
            api_of(value)
    elif name == "channels":
        for kind in ("input", "output"):
            half = pick(value, kind)
            if half is not None:
                check_int(f"default.channels ({kind})", half, 1, MAX_CHANNELS)
    elif name == "device":
        for kind in ("input", "output"):
            half = pick(value, kind)
            if half is not None and (isinstance(half, bool) or not isinstance(half, (int, str)) or isinstance(half, int) and half < 0):
                raise ValueError(f"default.device must be a device id, a name or None (or an (input, output) pair of them), not {value!r}")


def pick(value: Any, kind: str) -> Any:
    """The input or output half of a value that may be an (input, output) pair."""
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ValueError(f"expected one value or an (input, output) pair, not {value!r}")
        return value[0] if kind == "input" else value[1]
    return value


def api_of(api: Optional[str]) -> Any:
    """The RtAudioApi named ``api`` (None: the default)."""
    api = api if api is not None else default.api
    if api is None:
        return RtAudioApi.Unspecified
    if not isinstance(api, str):
        raise TypeError(f"api must be an API name such as 'jack', not {api!r}")
    found = RtAudio.GetCompiledApiByName(api)
    if found == RtAudioApi.Unspecified:
        names = ", ".join(str(RtAudio.GetApiName(a)) for a in RtAudio.GetCompiledApi())
        raise ValueError(f"api {api!r} is not compiled into RtAudio (compiled: {names})")
    return found


default = _Default()


def quiet_rtaudio(api: Any) -> Any:
    """A new .NET RtAudio object for the RtAudioApi ``api`` that prints no warnings: RtAudio warns
    about calls sounddevice allows quietly (stopping a stopped stream), and what matters here
    arrives as exceptions."""
    audio = RtAudio(api)
    audio.ShowWarnings(False)
    return audio


def open_rtaudio(api: Optional[str]) -> Any:
    """A new .NET RtAudio object for ``api`` (see :func:`quiet_rtaudio`)."""
    chosen = api_of(api)
    try:
        return quiet_rtaudio(chosen)
    except Exception as error:  # .NET exceptions arrive as their own types
        raise translate(error) from None


@contextmanager
def held_server(audio: Any) -> Iterator[None]:
    """Keeps ``audio`` connected to the JACK server meanwhile (``RtAudio.HoldServer``): RtAudio
    connects a client for every device query and stream open, each far cheaper while one of the
    process's clients stays open. Other APIs: nothing happens."""
    hold = audio.HoldServer()
    try:
        yield
    finally:
        hold.Dispose()


def device_dict(audio: Any, info: Any) -> dict[str, Any]:
    api = audio.GetCurrentApi()
    return {
        "name": str(info.Name),
        "index": int(info.Id),
        "api": str(RtAudio.GetApiName(api)),
        "max_input_channels": int(info.InputChannels),
        "max_output_channels": int(info.OutputChannels),
        "max_duplex_channels": int(info.DuplexChannels),
        "default_samplerate": float(info.PreferredSampleRate),
        "samplerates": [int(r) for r in info.SampleRates],
        "is_default_input": bool(info.IsDefaultInput),
        "is_default_output": bool(info.IsDefaultOutput),
    }


class DeviceList(tuple):  # type: ignore[type-arg]
    """The devices of one API: a tuple of dicts that prints like sounddevice's list
    (``>`` marks the default input, ``<`` the default output, ``*`` both)."""

    def __repr__(self) -> str:
        lines = []
        for d in self:
            mark = {(True, True): "*", (True, False): ">", (False, True): "<"}.get((d["is_default_input"], d["is_default_output"]), " ")
            lines.append(f"{mark} {d['index']:2d} {d['name']}, {d['api']} ({d['max_input_channels']} in, {d['max_output_channels']} out)")
        return "\n".join(lines) if lines else "(no devices)"


def resolve(audio: Any, device: DeviceSpec, kind: str) -> Any:
    """The DeviceInfo for ``device`` (id, name or substring of one, None = default) of ``kind``."""
    if device is None:  # only the default's info, in one scan: on JACK each device query costs a client connection
        return audio.GetDefaultInputDeviceInfo() if kind == "input" else audio.GetDefaultOutputDeviceInfo()
    infos = list(audio.GetDevices())
    if not infos:
        raise no_devices_error(audio)
    if isinstance(device, bool) or not isinstance(device, (int, str)):
        raise TypeError(f"device must be an id (int) or a name (str), not {device!r}")
    if isinstance(device, int):
        for info in infos:
            if info.Id == device:
                return info
        raise ValueError(f"device {device} does not exist (ids: {', '.join(str(i.Id) for i in infos)})")
    exact = [i for i in infos if str(i.Name) == device]
    matches = exact or [i for i in infos if device.lower() in str(i.Name).lower()]
    if len(matches) != 1:
        names = ", ".join(repr(str(i.Name)) for i in infos)
        problem = "matches no device" if not matches else "matches several devices"
        raise ValueError(f"device {device!r} {problem} (devices: {names})")
    return matches[0]


def no_devices_error(audio: Any) -> Exception:
    from ._errors import RtAudioError

    api = RtAudio.GetApiDisplayName(audio.GetCurrentApi())
    return RtAudioError(f"{api} lists no devices: start an audio server (e.g. `python -m pyrtaudionet --jack-dummy ...` "
                        "or jackd) or pick another api", "NoDevicesFound")


@_gate.passing
@translated_errors()
def query_devices(device: DeviceSpec = None, kind: Optional[str] = None, api: Optional[str] = None) -> Any:
    """All devices of ``api`` as a printable :class:`DeviceList`, or one device as a dict.

    ``kind='input'``/``'output'`` without ``device`` gives the default device of that kind.
    """
    if kind not in (None, "input", "output"):
        raise ValueError(f"kind must be None, 'input' or 'output', not {kind!r}")
    audio = open_rtaudio(api)
    try:
        if device is None and kind is None:
            return DeviceList(device_dict(audio, info) for info in audio.GetDevices())
        return device_dict(audio, resolve(audio, device, kind or "output"))
    finally:
        audio.Dispose()


@_gate.passing
@translated_errors()
def query_apis(api: Optional[str] = None) -> Any:
    """The compiled APIs as dicts (name, display name, device ids, default devices); one if named."""
    result = []
    for compiled in RtAudio.GetCompiledApi():
        name = str(RtAudio.GetApiName(compiled))
        if api is not None and name != api:
            continue
        audio = quiet_rtaudio(compiled)
        try:
            with held_server(audio):
                ids = [int(i) for i in audio.GetDeviceIds()]
                result.append({
                    "name": name,
                    "display_name": str(RtAudio.GetApiDisplayName(compiled)),
                    "devices": ids,
                    "default_input_device": int(audio.GetDefaultInputDevice()) if ids else None,
                    "default_output_device": int(audio.GetDefaultOutputDevice()) if ids else None,
                })
        finally:
            audio.Dispose()
    if api is not None:
        if not result:
            api_of(api)  # raises the ValueError naming the compiled APIs
        return result[0]
    return tuple(result)


def _check_settings(kind: str, device: DeviceSpec, channels: Optional[int], dtype: Any, samplerate: Optional[float], api: Optional[str]) -> None:
    sample_type(dtype if dtype is not None else default.dtype)
    audio = open_rtaudio(api)
    try:
        info = resolve(audio, device if device is not None else pick(default.device, kind), kind)
        available = int(info.InputChannels if kind == "input" else info.OutputChannels)
        wanted = channels if channels is not None else available
        if not isinstance(wanted, int) or isinstance(wanted, bool) or wanted < 1 or wanted > available:
            raise ValueError(f"channels={wanted!r}: device {int(info.Id)} ({info.Name}) has {available} {kind} channels")
        if samplerate is not None:
            rates = [int(r) for r in info.SampleRates]
            if int(samplerate) not in rates:
                raise ValueError(f"samplerate={samplerate!r} is not supported by {info.Name} (rates: {rates})")
    finally:
        audio.Dispose()


@_gate.passing
@translated_errors()
def check_output_settings(device: DeviceSpec = None, channels: Optional[int] = None, dtype: Any = None,
                          samplerate: Optional[float] = None, api: Optional[str] = None) -> None:
    """Raises ValueError/RtAudioError unless an output stream with these settings can be opened."""
    _check_settings("output", device, channels, dtype, samplerate, api)


@_gate.passing
@translated_errors()
def check_input_settings(device: DeviceSpec = None, channels: Optional[int] = None, dtype: Any = None,
                         samplerate: Optional[float] = None, api: Optional[str] = None) -> None:
    """Raises ValueError/RtAudioError unless an input stream with these settings can be opened."""
    _check_settings("input", device, channels, dtype, samplerate, api)
