"""``default``: the values used wherever an argument is None, as ``sounddevice.default``."""

from __future__ import annotations

from typing import Any, Callable, Iterator, Optional, Union

from ._checks import MAX_BLOCKSIZE, MAX_CHANNELS, check_bool, check_int, check_latency, check_samplerate
from ._dtypes import sample_type

_INDEX = {"input": 0, "output": 1}


def pick(value: Any, kind: str) -> Any:
    """The input or output half of a value that may be an (input, output) pair (a list, a tuple
    or an :class:`InputOutputPair`, whose unset half is its factory value)."""
    if isinstance(value, InputOutputPair):
        return value.setting(kind)
    if isinstance(value, (list, tuple)):
        if len(value) != 2:
            raise ValueError(f"expected one value or an (input, output) pair, not {value!r}")
        return value[_INDEX[kind]]
    return value


def one_for_both(name: str, value: Any) -> Any:
    """The single value of a setting a stream has one of for both directions (RtAudio's sample
    format; its buffering), from a value that may be an (input, output) pair."""
    halves = pick(value, "input"), pick(value, "output")
    if halves[0] != halves[1]:
        raise ValueError(f"{name}={value!r}: an RtAudio stream has one {name} for both directions")
    return halves[0]


class InputOutputPair:
    """An (input, output) pair of defaults, as sounddevice's: ``pair[0]``/``pair['input']`` and
    ``pair[1]``/``pair['output']`` read or set a half; an unset half (None) reads as the factory
    default (``default.device``'s: the default API's default devices, asked when read)."""

    __slots__ = ("_name", "_pair", "_factory", "_check")

    def __init__(self, name: str, factory: Callable[[int], Any], check: Callable[[str, Any], None]) -> None:
        self._name = name
        self._pair: list[Any] = [None, None]
        self._factory = factory
        self._check = check

    def _index(self, index: Any) -> int:
        index = _INDEX.get(index, index) if isinstance(index, str) else index
        if isinstance(index, bool) or index not in (0, 1):
            raise IndexError(f"default.{self._name}[{index!r}]: the halves are 0 or 'input', 1 or 'output'")
        return int(index)

    def __getitem__(self, index: Any) -> Any:
        i = self._index(index)
        return self._factory(i) if self._pair[i] is None else self._pair[i]

    def __setitem__(self, index: Any, value: Any) -> None:
        i = self._index(index)
        self._check(f"default.{self._name}[{i}]", value)
        self._pair[i] = value

    def __iter__(self) -> Iterator[Any]:
        return iter((self[0], self[1]))

    def __len__(self) -> int:
        return 2

    def __eq__(self, other: Any) -> bool:
        return isinstance(other, (list, tuple, InputOutputPair)) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"[{self[0]!r}, {self[1]!r}]"

    def setting(self, kind: str) -> Any:
        """The half for ``kind`` as set (None where unset), or the factory value where that
        needs no device query (every pair's but ``device``'s)."""
        value = self._pair[_INDEX[kind]]
        return value if value is not None or self._name == "device" else self._factory(_INDEX[kind])

    def assign(self, value: Any) -> None:
        """Sets both halves from one value or an (input, output) pair, checked first."""
        halves = [pick(value, kind) for kind in ("input", "output")]
        for i, half in enumerate(halves):
            self._check(f"default.{self._name}[{i}]", half)
        self._pair[:] = halves


def _check_device(name: str, value: Any) -> None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, str)) or isinstance(value, int) and value < 0):
        raise ValueError(f"{name} must be a device id, a name or None, not {value!r}")


def _check_channels(name: str, value: Any) -> None:
    if value is not None:
        check_int(name, value, 1, MAX_CHANNELS)


def _check_dtype(name: str, value: Any) -> None:
    if value is not None:
        sample_type(value)


def _check_latency(name: str, value: Any) -> None:
    if value is not None:
        check_latency(value)


def check_extra_settings(name: str, value: Any) -> None:
    """Refuses host-API settings: RtAudio has none (the stream's options are ``api``, ``name``,
    ``autoconnect``, ``interleaved``)."""
    if value is not None:
        raise ValueError(f"{name}={value!r}: RtAudio has no host-API-specific settings (AsioSettings, CoreAudioSettings "
                         "and WasapiSettings are PortAudio's); a stream takes api=, name=, autoconnect= and interleaved=")


# sounddevice's stream flags whose True RtAudio cannot do, and why. RtAudio never dithers, so
# dither_off may be either.
_REFUSED_FLAGS = {
    "clip_off": "RtAudio limits samples above full scale when it converts floats to integers, and cannot be told not to",
    "never_drop_input": "RtAudio has no such mode: a duplex stream's callback gets the input of each period",
}


def check_flag(name: str, value: Any) -> None:
    """One of sounddevice's stream flags (``name`` may carry a ``default.`` prefix): a bool, and
    not True where RtAudio cannot do it."""
    check_bool(name, value)
    why = _REFUSED_FLAGS.get(name.split(".")[-1])
    if value and why is not None:
        raise ValueError(f"{name}=True: {why}")


def _default_device(index: int) -> int:
    """The default API's default input (0) or output (1) device id; -1 where it lists none."""
    from ._devices import default_device

    return default_device(index)


_PAIRS: dict[str, tuple[Callable[[int], Any], Callable[[str, Any], None]]] = {
    "device": (_default_device, _check_device),
    "channels": (lambda index: None, _check_channels),
    "dtype": (lambda index: "float32", _check_dtype),
    "latency": (lambda index: "high", _check_latency),
    "extra_settings": (lambda index: None, check_extra_settings),
}
_FLAGS = ("clip_off", "dither_off", "never_drop_input", "prime_output_buffers_using_stream_callback")


class Default:
    """Defaults used wherever an argument is None, as ``sounddevice.default``.

    ``device``, ``channels``, ``dtype``, ``latency`` and ``extra_settings`` are
    (input, output) pairs (:class:`InputOutputPair`): a single value sets both halves, and an
    unset half reads as its factory default. ``samplerate``, ``blocksize``, ``api`` and the four
    flags ``clip_off``, ``dither_off``, ``never_drop_input`` and
    ``prime_output_buffers_using_stream_callback`` are single values. ``hostapi`` (read-only) is
    the index, in :func:`query_hostapis`, of the API streams use by default. Each value is
    checked when it is set, as the argument it stands for; a name that is no setting is an
    AttributeError. ``reset()`` restores every factory value.
    """

    device: InputOutputPair
    channels: InputOutputPair
    dtype: InputOutputPair
    latency: InputOutputPair
    extra_settings: InputOutputPair
    samplerate: Optional[float]
    blocksize: int
    api: Optional[str]
    clip_off: bool
    dither_off: bool
    never_drop_input: bool
    prime_output_buffers_using_stream_callback: bool

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Back to the factory defaults."""
        for name, (factory, check) in _PAIRS.items():
            object.__setattr__(self, name, InputOutputPair(name, factory, check))
        for name, value in (("samplerate", None), ("blocksize", 0), ("api", None), *((flag, False) for flag in _FLAGS)):
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _PAIRS:
            getattr(self, name).assign(value)
            return
        if name == "samplerate":
            check_samplerate(value)
        elif name == "blocksize":
            check_int("default.blocksize", value, 0, MAX_BLOCKSIZE)
        elif name == "api":
            if value is not None:
                from ._devices import api_of

                api_of(value)
        elif name in _FLAGS:
            check_flag(f"default.{name}", value)
        elif name == "hostapi":
            raise AttributeError("default.hostapi is read-only: the index of the API streams use (set default.api to choose it)")
        else:
            settings = ", ".join([*_PAIRS, "samplerate", "blocksize", "api", *_FLAGS])
            raise AttributeError(f"default has no setting {name!r} (settings: {settings})")
        object.__setattr__(self, name, value)

    @property
    def hostapi(self) -> int:
        """The index, in :func:`query_hostapis`, of the API streams use when none is named."""
        from ._devices import default_api_index

        return default_api_index()

    def __repr__(self) -> str:
        names = [*_PAIRS, "samplerate", "blocksize", "api", *_FLAGS]
        return "default(" + ", ".join(f"{name}={getattr(self, name)!r}" for name in names) + ")"


default = Default()
