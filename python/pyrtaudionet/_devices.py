"""Host APIs, devices and defaults, as python-sounddevice presents them.

Device ids are RtAudio's, per API (``api=None`` means :attr:`default.api`, or the API RtAudio
picks: the first compiled one that has devices). Every query asks RtAudio again: nothing is
cached, so devices that appear with a (re)started audio server are seen.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Any, Iterator, Optional, Union

from PyRtAudioNet import RtAudio, RtAudioApi  # type: ignore[import-not-found]

from . import _gate
from ._checks import check_samplerate
from ._defaults import default, pick
from ._dtypes import sample_type
from ._errors import translate, translated_errors

DeviceSpec = Union[int, str, None]


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


# Set to 1 to see RtAudio's and libasound's warnings on stderr, as RtAudio prints them.
SHOW_WARNINGS_VARIABLE = "PYRTAUDIONET_SHOW_WARNINGS"


def quiet_rtaudio(api: Any) -> Any:
    """A new .NET RtAudio object for the RtAudioApi ``api`` that prints no warnings (unless
    PYRTAUDIONET_SHOW_WARNINGS=1): RtAudio warns about calls sounddevice allows quietly
    (stopping a stopped stream) and about every API it probes, and what matters here arrives
    as exceptions."""
    audio = RtAudio(api)
    audio.ShowWarnings(os.environ.get(SHOW_WARNINGS_VARIABLE) == "1")
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


def compiled_apis() -> list[Any]:
    """The compiled APIs in RtAudio's order: a host API's index (``hostapi``) is its place here."""
    return list(RtAudio.GetCompiledApi())


@_gate.passing
@translated_errors()
def default_api_index() -> int:
    """The index of :attr:`default.api`, or of the API RtAudio picks when none is named."""
    audio = open_rtaudio(None)
    try:
        return compiled_apis().index(audio.GetCurrentApi())
    finally:
        audio.Dispose()


@_gate.passing
@translated_errors()
def default_device(index: int) -> int:
    """The default API's default input (0) or output (1) device id; -1 where it lists none."""
    audio = open_rtaudio(None)
    try:
        if not list(audio.GetDeviceIds()):
            return -1
        return int(audio.GetDefaultInputDevice() if index == 0 else audio.GetDefaultOutputDevice())
    finally:
        audio.Dispose()


class DeviceDict(dict):  # type: ignore[type-arg]
    """One device's dict, as sounddevice's. RtAudio has no figures for sounddevice's four
    default latencies: asking for one is a KeyError that says so."""

    LATENCIES = frozenset(f"default_{level}_{kind}_latency" for level in ("low", "high") for kind in ("input", "output"))

    def __missing__(self, key: Any) -> Any:
        if key in self.LATENCIES:
            raise KeyError(f"{key!r}: RtAudio reports no default latencies for a device; open the stream with "
                           "latency='low' or 'high' (or seconds), and its .latency says what it got")
        raise KeyError(key)


def device_dict(audio: Any, info: Any) -> DeviceDict:
    api = audio.GetCurrentApi()
    return DeviceDict({
        "name": str(info.Name),
        "index": int(info.Id),
        "hostapi": compiled_apis().index(api),
        "api": str(RtAudio.GetApiName(api)),
        "max_input_channels": int(info.InputChannels),
        "max_output_channels": int(info.OutputChannels),
        "max_duplex_channels": int(info.DuplexChannels),
        "default_samplerate": float(info.PreferredSampleRate),
        "samplerates": [int(r) for r in info.SampleRates],
        "is_default_input": bool(info.IsDefaultInput),
        "is_default_output": bool(info.IsDefaultOutput),
    })


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
    return _match(audio, infos, device, kind)


def _match(audio: Any, infos: list[Any], query: str, kind: str) -> Any:
    """The device of ``kind`` that ``query`` names, as in sounddevice: its exact name, or
    space-separated substrings found in order in "device name, API name" (any case)."""
    api_name = str(RtAudio.GetApiDisplayName(audio.GetCurrentApi()))
    candidates = [i for i in infos if (i.InputChannels if kind == "input" else i.OutputChannels) > 0] or infos
    exact = [i for i in candidates if str(i.Name) == query]
    if len(exact) == 1:
        return exact[0]
    wanted = query.lower()
    matches = []
    for info in candidates:
        full = f"{info.Name}, {api_name}".lower()
        position = 0
        for part in wanted.split():
            position = full.find(part, position)
            if position < 0:
                break
            position += len(part)
        else:
            matches.append(info)
    if len(matches) > 1:
        matches = [i for i in matches if wanted in (str(i.Name).lower(), f"{i.Name}, {api_name}".lower())] or matches
    if len(matches) != 1:
        names = ", ".join(repr(f"{i.Name}, {api_name}") for i in candidates)
        problem = "matches no" if not matches else "matches several"
        raise ValueError(f"device {query!r} {problem} {kind} devices (devices: {names})")
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


def _api_info(compiled: Any) -> dict[str, Any]:
    """What one compiled API lists: its names, device ids and default devices (None: none)."""
    audio = quiet_rtaudio(compiled)
    try:
        with held_server(audio):
            ids = [int(i) for i in audio.GetDeviceIds()]
            return {
                "name": str(RtAudio.GetApiName(compiled)),
                "display_name": str(RtAudio.GetApiDisplayName(compiled)),
                "devices": ids,
                "default_input_device": int(audio.GetDefaultInputDevice()) if ids else None,
                "default_output_device": int(audio.GetDefaultOutputDevice()) if ids else None,
            }
    finally:
        audio.Dispose()


@_gate.passing
@translated_errors()
def query_apis(api: Optional[str] = None) -> Any:
    """The compiled APIs as dicts (name, display name, device ids, default devices or None); one if named."""
    if api is not None:
        return _api_info(api_of(api))
    return tuple(_api_info(compiled) for compiled in compiled_apis())


@_gate.passing
@translated_errors()
def query_hostapis(index: Optional[int] = None) -> Any:
    """The compiled APIs as sounddevice's host API dicts (``name``: the display name, ``devices``,
    ``default_input_device``/``default_output_device``: -1 where there is none, and ``api``: the
    name to pass as ``api=``); with ``index``, the one at that place (a device's ``hostapi``)."""
    apis = compiled_apis()
    if index is not None:
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < len(apis):
            raise ValueError(f"index={index!r}: the host APIs are 0..{len(apis) - 1}")
        apis = [apis[index]]
    result = []
    for compiled in apis:
        info = _api_info(compiled)
        defaults = {key: -1 if info[key] is None else info[key] for key in ("default_input_device", "default_output_device")}
        result.append({"name": info["display_name"], "devices": info["devices"], **defaults, "api": info["name"]})
    return result[0] if index is not None else tuple(result)


def _check_settings(kind: str, device: DeviceSpec, channels: Optional[int], dtype: Any, samplerate: Optional[float], api: Optional[str]) -> None:
    sample_type(dtype if dtype is not None else pick(default.dtype, kind))
    rate = check_samplerate(samplerate)
    audio = open_rtaudio(api)
    try:
        info = resolve(audio, device if device is not None else pick(default.device, kind), kind)
        available = int(info.InputChannels if kind == "input" else info.OutputChannels)
        wanted = channels if channels is not None else available
        if not isinstance(wanted, int) or isinstance(wanted, bool) or wanted < 1 or wanted > available:
            raise ValueError(f"channels={wanted!r}: device {int(info.Id)} ({info.Name}) has {available} {kind} channels")
        if rate is not None:
            rates = [int(r) for r in info.SampleRates]
            if rate not in rates:
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
