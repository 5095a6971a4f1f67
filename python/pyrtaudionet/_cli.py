"""The command line: ``python -m pyrtaudionet [--api NAME] [--jack-dummy] COMMAND ...``.

Commands: ``devices`` (the default), ``apis``, ``tone``, ``play FILE.wav``, ``rec FILE.wav --seconds N``,
``loopback`` (JACK: plays through its own ports and measures level and round-trip latency),
and ``demo`` (devices, a 440 Hz tone, a loopback). ``--jack-dummy`` starts a private JACK
dummy server for the run when no JACK server is running. ``devices`` and ``apis`` work without
numpy; the commands that make or hold signals need it.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import time
from typing import Any, Callable, Optional

from . import _clr, _devices, _transfers
from ._errors import RtAudioError
from ._numpy import require_numpy

EXIT_NO_DEVICE = 2
EXIT_INTERRUPTED = 128 + 2  # as a shell reports a program ended by SIGINT


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m pyrtaudionet", description="Real-time audio through RtAudio.")
    parser.add_argument("--api", help="audio API to use (see `apis`), e.g. jack, pulse, alsa")
    parser.add_argument("--jack-dummy", action="store_true",
                        help="start a private JACK dummy server (48 kHz, 64 frames) when no JACK server runs")
    commands = parser.add_subparsers(dest="command")
    commands.add_parser("devices", help="list the devices")
    commands.add_parser("apis", help="list the compiled APIs and their devices")
    tone = commands.add_parser("tone", help="play a sine tone")
    tone.add_argument("--freq", type=float, default=440.0, help="frequency in Hz (default 440)")
    tone.add_argument("--seconds", type=float, default=2.0, help="duration (default 2)")
    tone.add_argument("--device", help="output device id or name")
    play = commands.add_parser("play", help="play a WAV file")
    play.add_argument("file")
    play.add_argument("--device", help="output device id or name")
    rec = commands.add_parser("rec", help="record a WAV file")
    rec.add_argument("file")
    rec.add_argument("--seconds", type=float, required=True, help="duration")
    rec.add_argument("--channels", type=int, default=2)
    rec.add_argument("--dtype", default="int16", choices=["int16", "int24", "int32", "float32", "float64"])
    rec.add_argument("--device", help="input device id or name")
    loopback = commands.add_parser("loopback", help="JACK: record what the stream plays through its own ports")
    loopback.add_argument("--seconds", type=float, default=1.0)
    commands.add_parser("demo", help="devices, a 440 Hz tone and a loopback")
    return parser


def _device(value: Optional[str]) -> Any:
    return int(value) if value is not None and value.isdigit() else value


def _positive(name: str, value: float) -> float:
    if not (value > 0 and math.isfinite(value)):
        raise ValueError(f"--{name} must be a positive number, not {value}")
    return value


def _progress(label: str, seconds: float) -> None:
    """Waits for the current transfer, showing a progress line, then what the driver flagged."""
    start = time.monotonic()
    while True:
        try:
            status = _transfers.wait(timeout=0.1)
            break
        except TimeoutError:
            elapsed = min(time.monotonic() - start, seconds)
            print(f"\r{label}: {elapsed:4.1f} s / {seconds:.1f} s", end="", flush=True)
    print(f"\r{label}: {seconds:4.1f} s / {seconds:.1f} s — done", flush=True)
    if status:
        print(f"{label}: the driver flagged {status}", flush=True)


def _numpy(command: str) -> Any:
    """numpy, for the commands that need it."""
    return require_numpy(f"'{command}'", "'devices' and 'apis'")


def cmd_devices(args: argparse.Namespace) -> None:
    print(_devices.query_devices(api=args.api))


def cmd_apis(args: argparse.Namespace) -> None:
    for api in _devices.query_apis():
        print(f"{api['name']:6} {api['display_name']:8} devices: {api['devices'] or 'none'}")


def cmd_tone(args: argparse.Namespace) -> None:
    np = _numpy("tone")
    seconds, freq = _positive("seconds", args.seconds), _positive("freq", args.freq)
    info = _devices.query_devices(_device(args.device), "output", api=args.api)
    rate = int(info["default_samplerate"])
    n = np.arange(int(seconds * rate))
    signal = (0.2 * np.sin(2 * np.pi * freq * n / rate)).astype(np.float32)
    _transfers.play(np.stack([signal, signal], axis=1), rate, device=info["index"], api=args.api)
    _progress(f"{freq:g} Hz on {info['name']}", seconds)
    stream = _transfers.get_stream()
    print(f"underflows: {stream.output_underflows}")


def cmd_play(args: argparse.Namespace) -> None:
    _numpy("play")
    from . import _wav

    data, rate, dtype = _wav.read(args.file)
    _transfers.play(data, rate, device=_device(args.device), api=args.api)
    _progress(f"{args.file} ({dtype}, {rate} Hz, {data.shape[1]} ch)", len(data) / rate)


def cmd_rec(args: argparse.Namespace) -> None:
    _numpy("rec")
    from . import _wav

    seconds = _positive("seconds", args.seconds)
    info = _devices.query_devices(_device(args.device), "input", api=args.api)
    rate = int(info["default_samplerate"])
    out = _transfers.rec(int(seconds * rate), rate, args.channels, args.dtype, device=info["index"], api=args.api)
    _progress(f"recording {args.file}", seconds)
    _wav.write(args.file, out, rate, args.dtype)
    print(f"wrote {len(out)} frames ({args.dtype}, {rate} Hz, {args.channels} ch) to {args.file}")


def cmd_loopback(args: argparse.Namespace) -> None:
    np = _numpy("loopback")
    seconds = _positive("seconds", args.seconds)
    if args.api not in (None, "jack"):
        raise ValueError("loopback connects JACK ports: use --api jack (or no --api)")
    rate = int(_devices.query_devices(kind="output", api="jack")["default_samplerate"])
    lead = rate // 10  # 100 ms of silence while the ports are being connected
    tone = (0.5 * np.cos(2 * np.pi * 1000 * np.arange(int(seconds * rate)) / rate)).astype(np.float32)
    played = np.concatenate([np.zeros(lead, np.float32), tone])[:, None]
    name = f"prtn-loop-{os.getpid()}"
    recorded = _transfers.playrec(played, rate, api="jack", name=name, autoconnect=False)
    subprocess.run(["jack_connect", f"{name}:outport 0", f"{name}:inport 0"], check=True)
    _progress("loopback", len(played) / rate)
    heard = np.flatnonzero(recorded[:, 0])
    if len(heard) == 0:
        raise RtAudioError("loopback recorded silence: the ports were not connected in time", "DriverError")
    latency = int(heard[0]) - lead
    level = 20 * math.log10(float(np.sqrt(np.mean(recorded[heard[0]:, 0] ** 2))))
    print(f"level {level:.1f} dBFS, round-trip latency {latency} frames ({1000 * latency / rate:.2f} ms)")


def cmd_demo(args: argparse.Namespace) -> None:
    cmd_devices(args)
    args.freq, args.seconds, args.device = 440.0, 2.0, None
    cmd_tone(args)
    args.seconds = 1.0
    cmd_loopback(args)


COMMANDS: dict[str, Callable[[argparse.Namespace], None]] = {
    "devices": cmd_devices, "apis": cmd_apis, "tone": cmd_tone, "play": cmd_play,
    "rec": cmd_rec, "loopback": cmd_loopback, "demo": cmd_demo,
}


def _start_jack_dummy() -> Any:
    """A private JACK dummy server, unless a JACK server already lists devices."""
    if len(_devices.query_devices(api="jack")) > 0:
        return None
    import clr  # type: ignore[import-not-found]

    clr.AddReference(str(_clr.LIB_DIR / "PyRtAudioNet.JackDummy.dll"))  # not loaded otherwise: only this needs it
    from PyRtAudioNet.JackDummy import JackDummyServer  # type: ignore[import-not-found]
    from System import InvalidOperationException  # type: ignore[import-not-found]

    try:
        server = JackDummyServer.Start(None, 48000, 64, 2)
    except InvalidOperationException as error:  # jackd missing, or it did not come up: the message says which
        raise OSError(f"--jack-dummy: {error.Message}") from None
    server.UseForThisProcess()
    os.environ["JACK_DEFAULT_SERVER"] = str(server.Name)  # for jack_connect
    print(f"started a private JACK dummy server '{server.Name}' (48 kHz, 64-frame periods)")
    return server


def _no_device_hint(args: argparse.Namespace) -> Optional[str]:
    """What to do when the API in use (by default: the first with devices) lists no device."""
    if args.command == "apis" or len(_devices.query_devices(api=args.api)) > 0:
        return None
    where = f"the {args.api} API" if args.api else "any API"
    return (f"no audio device found on {where}: start an audio server, "
            "or run again with --jack-dummy to start a private JACK dummy server")


def main(argv: Optional[list[str]] = None) -> int:
    args = _parser().parse_args(argv)
    args.command = args.command or "devices"  # as python -m sounddevice
    server = None
    try:
        if args.jack_dummy:
            server = _start_jack_dummy()
            args.api = args.api or "jack"
        hint = _no_device_hint(args)
        if hint:
            print(f"error: {hint}", file=sys.stderr)
            return EXIT_NO_DEVICE
        COMMANDS[args.command](args)
        return 0
    except (RtAudioError, ValueError, TypeError, OSError, ImportError) as error:
        print(f"\nerror: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # Ctrl+C: the transfer stops below
        print("\ninterrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        _transfers.stop()
        if server is not None:
            server.Dispose()
