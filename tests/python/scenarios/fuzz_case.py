"""One case of the fuzzer (test_fuzz.py): ``fuzz_case.py SEED INDEX`` draws a case from
random.Random(f"{SEED}/{INDEX}") and runs it, so any case is reproduced by its two numbers.

A case is a few steps on the public API with hostile arguments (wrong types, NaN and infinities,
huge and negative numbers, odd numpy arrays), streams whose callbacks misbehave (odd return
values, BaseException subclasses, blocking, re-entering the stream, keeping or mutating their
buffers), and the same steps from up to four threads at once, some of them still calling while
the interpreter exits. Each step prints one line, ``step <what>: <outcome>``, before the next
begins, so the last line of a crashed case names the step that crashed it. Two outcomes are
defects, printed as ``DEFECT leak`` (a .NET exception reached the Pythonic API, or the low-level
one raised one no documented contract allows) and ``DEFECT accepted`` (an argument that must be
refused was taken). Crashes, hangs and stderr are judged by the test that runs the case."""

from __future__ import annotations

import math
import random
import sys
import threading
import time
from typing import Any, Callable, Optional

import numpy as np

import pyrtaudionet as sd

SEED, INDEX = sys.argv[1], sys.argv[2]
rng = random.Random(f"{SEED}/{INDEX}")


class _Omitted:
    def __repr__(self) -> str:
        return "(default)"


OMITTED = _Omitted()  # an argument left out of the call
print_lock = threading.Lock()

# .NET exceptions a caller of the low-level API may meet: the library's own (listed in docs/dotnet.md)
# and .NET's for an invalid operation or an unsupported conversion. Any other one is a defect.
DOTNET_CONTRACT = ("RtAudioException", "ArgumentException", "ArgumentOutOfRangeException", "ArgumentNullException",
                   "ObjectDisposedException", "InvalidOperationException", "TimeoutException",
                   "OperationCanceledException", "NotSupportedException")


class Hostile:
    """A drawn argument, and whether any API must refuse it."""

    def __init__(self, value: Any, refuse: bool) -> None:
        self.value, self.refuse = value, refuse

    def __repr__(self) -> str:
        return _short(self.value)


def _short(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"ndarray{value.shape}:{value.dtype}{'' if value.flags.c_contiguous else ':strided'}"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def pick(*choices: tuple[Any, bool]) -> Hostile:
    value, refuse = rng.choice(choices)
    return Hostile(value() if callable(value) and not isinstance(value, type) else value, refuse)


def any_junk() -> Hostile:
    """A value no numeric or string parameter means."""
    return pick((lambda: object(), True), (lambda: [], True), ({}, True), (b"64", True), (lambda: np.zeros(3), True))


def count(valid: tuple[Any, ...], high: Optional[int]) -> Hostile:
    """An int parameter: one of ``valid``, or out of range (above ``high``, when it has a limit
    short of memory), or not an int."""
    if rng.random() < 0.5:
        return Hostile(rng.choice(valid), False)
    return rng.choice([
        Hostile(-1, True), Hostile(-(2 ** 63), True), Hostile(2 ** 64, True), Hostile(high + 1, True) if high else Hostile(-5, True),
        Hostile(math.nan, True), Hostile(math.inf, True), Hostile(1.5, True), Hostile("64", True), any_junk(),
    ])


def seconds(valid: tuple[Any, ...]) -> Hostile:
    """A duration in seconds: one of ``valid``, or negative, NaN, infinite or not a number."""
    if rng.random() < 0.6:
        return Hostile(rng.choice(valid), False)
    return rng.choice([Hostile(-1.0, True), Hostile(math.nan, True), Hostile(-math.inf, True),
                       Hostile("0.1", True), any_junk()])


def array(frames: int, channels: int, dtype: str = "float32") -> Hostile:
    """Audio data: a plain array, or one that is strided, read-only, empty, 0-d, 3-d, of a dtype
    no stream has, big-endian, or not an array at all."""
    base = np.zeros((frames, channels), dtype)
    kind = rng.randrange(12)
    if kind < 4:
        return Hostile(base, False)
    if kind == 4:
        return Hostile(np.zeros((channels, frames), dtype).T, False)  # Fortran order: copied or refused
    if kind == 5:
        base.flags.writeable = False
        return Hostile(base, False)
    if kind == 6:
        return Hostile(np.zeros((frames * 2, channels), dtype)[::2], False)
    if kind == 7:
        return Hostile(rng.choice([np.zeros(()), np.zeros((frames, channels, 2)), np.zeros((frames, channels + 5))]), True)
    if kind == 8:
        return Hostile(np.zeros((frames, channels), rng.choice(["complex64", "object", "float16", "U3", "bool"])), True)
    if kind == 9:
        return Hostile(np.zeros((frames, channels), ">f4"), False)  # converted or refused, never misread
    if kind == 10:
        return Hostile(np.zeros((0, channels), dtype), False)
    return any_junk()


# ---- callbacks ----------------------------------------------------------------------------

kept: list[Any] = []  # buffers a callback kept past its period
holder: list[Any] = []  # the stream, for callbacks that re-enter it


class UserBaseError(BaseException):
    """A BaseException subclass of the user's own."""


def misbehaviour() -> tuple[str, Callable[[Any, Any], Any]]:
    """What a callback does besides its work: (name, action(indata, outdata)), whose return
    value the callback returns."""
    name = rng.choice(["copy", "returns", "raises", "blocks", "reenters", "keeps", "mutates", "writes_junk", "stops"])
    if name == "copy":
        def action(indata: Any, outdata: Any) -> Any:
            if outdata is not None and indata is not None and len(outdata) == len(indata):
                outdata[:] = indata if not isinstance(outdata, memoryview) else bytes(len(outdata))
    elif name == "returns":
        value = rng.choice([1, 2, "x", True, 0.5, object()])
        def action(indata: Any, outdata: Any) -> Any:
            return value
    elif name == "raises":
        error = rng.choice([KeyError("boom"), KeyboardInterrupt(), SystemExit(3), GeneratorExit(), UserBaseError(),
                            sd.CallbackStop(), sd.CallbackAbort(), MemoryError(), RecursionError()])
        after = rng.randrange(3)
        calls = [0]
        def action(indata: Any, outdata: Any) -> Any:
            calls[0] += 1
            if calls[0] > after:
                raise error
    elif name == "blocks":
        pause = rng.choice([0.002, 0.05, 0.3])
        def action(indata: Any, outdata: Any) -> Any:
            time.sleep(pause)
    elif name == "reenters":
        method = rng.choice(["stop", "abort", "close", "start", "read", "time", "cpu_load", "active"])
        def action(indata: Any, outdata: Any) -> Any:
            stream = holder[0] if holder else None
            if stream is not None:
                attribute = getattr(stream, method)
                if callable(attribute):
                    attribute(64) if method == "read" else attribute()
    elif name == "keeps":
        def action(indata: Any, outdata: Any) -> Any:
            kept.extend(buffer for buffer in (indata, outdata) if buffer is not None)
    elif name == "mutates":
        way = rng.randrange(4)
        def action(indata: Any, outdata: Any) -> Any:
            buffer = outdata if outdata is not None else indata
            if isinstance(buffer, memoryview):
                owner = buffer.obj
                buffer.release()
                if isinstance(owner, bytearray):
                    owner.extend(b"x" * 65536)  # must be refused: the stream exports it
            elif way == 0:
                buffer.resize((buffer.shape[0] * 4, buffer.shape[1]), refcheck=False)
            elif way == 1:
                buffer.shape = (-1,)
            elif way == 2:
                np.frombuffer(buffer.base if buffer.base is not None else buffer, np.uint8)[:] = 255
            else:
                kept.append(memoryview(buffer))
    elif name == "writes_junk":
        junk = rng.choice(["abc", np.zeros((3, 7)), None, np.full((64, 1), np.nan)])
        def action(indata: Any, outdata: Any) -> Any:
            if outdata is not None:
                outdata[:] = junk
    else:  # stops after a few periods, as sounddevice's callbacks do
        after = rng.randrange(1, 20)
        calls = [0]
        def action(indata: Any, outdata: Any) -> Any:
            calls[0] += 1
            if calls[0] >= after:
                raise rng.choice([sd.CallbackStop, sd.CallbackAbort])()
    return name, action


def make_callback(kind: str) -> tuple[str, Callable[..., Any]]:
    name, action = misbehaviour()
    if kind == "duplex":
        return name, lambda indata, outdata, frames, when, status: action(indata, outdata)
    if kind == "output":
        return name, lambda outdata, frames, when, status: action(None, outdata)
    return name, lambda indata, frames, when, status: action(indata, None)


# ---- steps ---------------------------------------------------------------------------------

def report(what: str, outcome: str) -> None:
    with print_lock:
        print(f"step {what}: {outcome}", flush=True)


def judge(error: BaseException, low_level: bool) -> Optional[str]:
    """Why ``error`` is a defect, or None when it is a clean Python error."""
    module = type(error).__module__ or ""
    dotnet = module.split(".")[0] in ("System", "Python", "PyRtAudioNet")
    if not dotnet:
        return None
    if low_level and type(error).__name__ in DOTNET_CONTRACT:
        return None
    return f"leak {module}.{type(error).__name__}"


def run(what: str, call: Callable[[], Any], refuse: bool = False, low_level: bool = False) -> Any:
    """Runs one step and prints its outcome; returns its result (None when it raised)."""
    try:
        result = call()
    except BaseException as error:  # judged, never propagated: the next step still runs
        defect = judge(error, low_level)
        message = (str(error).splitlines() or [""])[0][:160]  # .NET messages go on with their stack
        report(what, f"{type(error).__name__}: {message}" if defect is None else f"DEFECT {defect}: {message}")
        return None
    report(what, "DEFECT accepted" if refuse else "ok")
    return result


def call_with(function: Callable[..., Any], arguments: dict[str, Hostile]) -> tuple[str, Callable[[], Any], bool]:
    shown = ", ".join(f"{key}={value!r}" for key, value in arguments.items() if value.value is not OMITTED)
    values = {key: value.value for key, value in arguments.items() if value.value is not OMITTED}
    return f"{function.__name__}({shown})", lambda: function(**values), any(v.refuse for v in arguments.values())


KINDS = {"Stream": "duplex", "InputStream": "input", "OutputStream": "output",
         "RawStream": "duplex", "RawInputStream": "input", "RawOutputStream": "output"}


def open_stream() -> Any:
    cls_name = rng.choice(list(KINDS))
    kind = KINDS[cls_name]
    arguments: dict[str, Hostile] = {"api": Hostile("jack", False)}
    if rng.random() < 0.6:
        name, callback = make_callback(kind)
        arguments["callback"] = Hostile(callback, False)
        print(f"callback {name}", flush=True)
    elif rng.random() < 0.1:
        arguments["callback"] = Hostile(rng.choice([5, "f"]), True)
    for key, draw in (
        ("samplerate", lambda: pick((48000, False), (48000.0, False), (0, True), (-48000, True), (math.nan, True),
                                    (math.inf, True), (48000.5, True), ("48000", True), (True, True), (1e300, True))),
        ("blocksize", lambda: count((0, 64, 256, 100), 1 << 16)),
        ("channels", lambda: count((1, 2), 1024)),
        ("dtype", lambda: pick(("float32", False), ("int16", False), ("int24", False), ("int8", False), ("float64", False),
                               ("int32", False), ("float16", True), ("complex64", True), ("bogus", True), (5, True),
                               (np.dtype("O"), True))),
        ("latency", lambda: pick(("low", False), ("high", False), (0.01, False), (-1, True), (math.nan, True),
                                 ("medium", True), (0, True), (math.inf, True))),
        ("ringsize", lambda: count((1024, 64), 1 << 24)),
        ("name", lambda: pick(("fuzz", False), ("a" * 100, True), ("a\0b", True), (5, True))),
        ("interleaved", lambda: pick((True, False), (False, False), ("yes", True))),
        ("finished_callback", lambda: pick((lambda: lambda: None, False), (7, True))),
        ("device", lambda: pick((None, False), (-5, True), (10 ** 6, True), ("no such device", True), (1.5, True))),
        ("switchinterval", lambda: seconds((0.001, None))),
        ("bogus_keyword", lambda: Hostile(1, True)),
    ):
        if rng.random() < 0.25:
            arguments[key] = draw()
    what, call, refuse = call_with(getattr(sd, cls_name), arguments)
    return run(what, call, refuse)


def written(stream: Any) -> tuple[int, str]:
    """The channels and numpy dtype of what ``stream.write`` takes (a duplex stream's output half)."""
    channels = stream.channels[1] if isinstance(stream.channels, tuple) else stream.channels
    dtype = stream.dtype[1] if isinstance(stream.dtype, tuple) else stream.dtype
    return channels, dtype if dtype != "int24" else "uint8"


def stream_step(stream: Any) -> None:
    name = rng.choice(["start", "stop", "abort", "close", "time", "cpu_load", "active", "latency", "read", "write",
                       "read_available", "write_available", "kept", "sleep", "enter_exit", "stop_arg"])
    if name == "read":
        frames, timeout = count((0, 64, 1000), 1 << 30), seconds((0.05, 0.2))
        run(f"read({frames!r}, timeout={timeout!r})", lambda: stream.read(frames.value, timeout=timeout.value),
            frames.refuse or timeout.refuse)
    elif name == "write":
        data, timeout = array(rng.choice([0, 64, 1000]), *written(stream)), seconds((0.05, 0.2))
        run(f"write({data!r}, timeout={timeout!r})", lambda: stream.write(data.value, timeout=timeout.value),
            data.refuse or timeout.refuse)
    elif name == "kept":
        run("write into a kept buffer", lambda: [buffer.__setitem__(slice(None), buffer[:]) for buffer in list(kept)])
    elif name == "sleep":
        time.sleep(rng.choice([0.01, 0.1, 0.3]))
    elif name == "enter_exit":
        def enter_exit() -> None:
            with stream:
                time.sleep(0.02)
        run("with stream", enter_exit)
    elif name == "stop_arg":
        value = rng.choice([True, False, 0, "yes"])
        run(f"stop(ignore_errors={value!r})", lambda: stream.stop(ignore_errors=value))
    else:
        attribute = getattr(type(stream), name)
        run(name, (lambda: getattr(stream, name)) if isinstance(attribute, property) else getattr(stream, name))


def transfer_step() -> None:
    name = rng.choice(["play", "rec", "playrec", "wait", "stop", "get_stream"])
    if name in ("play", "playrec"):
        data = array(rng.choice([64, 4800]), rng.choice([1, 2]))
        arguments = {"data": data, "samplerate": pick((48000, False), (None, False), (-1, True), (math.nan, True)),
                     "mapping": pick((OMITTED, False), ([1], False), ([0], True), ([1, 1, 1], False), ("1", True)),
                     "blocking": pick((False, False), (True, False))}
        if name == "play":
            arguments["loop"] = pick((False, False), (True, False), ("yes", True))
            if arguments["loop"].value is True:
                arguments["blocking"] = Hostile(False, False)  # a blocking endless loop is the caller's hang
        else:
            arguments["channels"] = count((1, 2), 1024)
        what, call, refuse = call_with(getattr(sd, name), arguments)
        run(what, call, refuse)
    elif name == "rec":
        out = pick((OMITTED, False), (lambda: np.zeros((480, 2), np.float32), False), (lambda: np.zeros((480, 2), np.float32)[::2], True),
                   (lambda: np.zeros(4, complex), True))
        arguments = {"frames": count((480, 64), None) if out.value is OMITTED else Hostile(OMITTED, False),
                     "out": out, "channels": count((1, 2), 1024) if out.value is OMITTED else Hostile(OMITTED, False),
                     # With out=, frames, channels and dtype are out's (as in sounddevice): not judged.
                     "dtype": pick((OMITTED, False), ("int16", False), ("bogus", out.value is OMITTED)),
                     "blocking": pick((False, False), (True, False))}
        what, call, refuse = call_with(sd.rec, arguments)
        run(what, call, refuse)
    elif name == "wait":
        timeout = seconds((0.05, 0.5))
        run(f"wait(timeout={timeout!r})", lambda: sd.wait(timeout=timeout.value), timeout.refuse)
    else:
        run(name, getattr(sd, name))


def query_step() -> None:
    name = rng.choice(["query_devices", "query_apis", "default", "check"])
    if name == "query_devices":
        arguments = {"device": pick((OMITTED, False), (0, False), ("system", False), (-1, True), (math.nan, True), (10 ** 9, True)),
                     "kind": pick((OMITTED, False), ("input", False), ("sideways", True), (1, True)),
                     "api": pick(("jack", False), ("bogus", True), (5, True))}
        what, call, refuse = call_with(sd.query_devices, arguments)
        run(what, call, refuse)
    elif name == "query_apis":
        api = pick((None, False), ("jack", False), ("bogus", True), (3.5, True))
        run(f"query_apis({api!r})", lambda: sd.query_apis(api.value), api.refuse)
    elif name == "default":
        attribute = rng.choice(["samplerate", "blocksize", "channels", "dtype", "latency", "device"])
        # A str is a device name, looked up when a stream opens, as in sounddevice.
        value = rng.choice([Hostile(-1, True), Hostile(math.nan, True), Hostile("bogus", attribute != "device"), any_junk()])
        run(f"default.{attribute} = {value!r}", lambda: setattr(sd.default, attribute, value.value), value.refuse)
        sd.default.reset()  # what later steps open does not depend on it
    else:
        arguments = {"channels": count((1, 2), 1024), "samplerate": pick((48000, False), (-5, True), (math.inf, True)),
                     "dtype": pick(("float32", False), ("float16", True))}
        what, call, refuse = call_with(sd.check_output_settings, arguments)
        run(what, call, refuse)


def low_level_step() -> None:
    """The RtAudio-level .NET API with out-of-range values: .NET's own exceptions are its contract."""
    audio = run("RtAudio(UnixJack)", lambda: sd.RtAudio(sd.RtAudioApi.UnixJack), low_level=True)
    if audio is None:
        return
    audio.ShowWarnings(False)  # RtAudio's warnings (stopping a stopped stream) are its contract, printed by default
    device = rng.choice([-1, 0, 1, 2 ** 31 - 1, 10 ** 6])
    run(f"GetDeviceInfo({device})", lambda: audio.GetDeviceInfo(device), low_level=True)
    channels, rate, frames = rng.choice([0, 1, 2, -1, 5000]), rng.choice([48000, 0, -1, 2 ** 31 - 1]), rng.choice([64, 0, -1, 2 ** 31 - 1])

    def open_low() -> Any:
        output = sd.StreamParameters(audio.GetDefaultOutputDevice(), channels, 0)
        return sd.PythonStreams.OpenStream(audio, output, None, sd.RtAudioFormat.Float32, rate, frames,
                                           lambda outdata, indata, n, when, status: 0)
    run(f"PythonStreams.OpenStream(channels={channels}, rate={rate}, frames={frames})", open_low, low_level=True)
    for method in rng.sample(["StartStream", "StopStream", "AbortStream", "CloseStream", "GetStreamTime", "Dispose"], 3):
        run(f"RtAudio.{method}()", getattr(audio, method), low_level=True)


def threads_step(stream: Any) -> None:
    """Stream calls from 1-4 threads at once, each with a generator of its own; the main thread
    waits for those that end, or not; a thread that loops until the interpreter exits (a daemon
    still calling then) is part of some cases."""
    bursts = [(random.Random(rng.random()), rng.random() < 0.3) for _ in range(rng.randint(1, 4))]
    threads = [threading.Thread(target=burst, args=(stream, local, forever), daemon=True) for local, forever in bursts]
    for thread in threads:
        thread.start()
    if rng.random() < 0.5:
        for thread, (_, forever) in zip(threads, bursts):
            if not forever:
                thread.join()


def burst(stream: Any, local: random.Random, forever: bool) -> None:
    block = np.zeros((64, written(stream)[0]), written(stream)[1])
    while forever or local.random() > 0.05:
        step = local.choice(["time", "cpu_load", "active", "start", "stop", "read", "write", "close"])
        try:
            if step == "read":
                stream.read(64, timeout=0.05)
            elif step == "write":
                stream.write(block, timeout=0.05)
            else:
                attribute = getattr(stream, step)
                if callable(attribute):
                    attribute()
        except BaseException as error:  # judged as steps are; not printed otherwise: they are many
            defect = judge(error, low_level=False)
            if defect is not None:
                report(f"thread {step}", f"DEFECT {defect}: {error}")


def main() -> None:
    for _ in range(rng.randint(1, 3)):
        what = rng.random()
        if what < 0.55:
            stream = open_stream()
            if stream is None:
                continue
            holder[:] = [stream]
            for _ in range(rng.randint(1, 8)):
                if rng.random() < 0.15:
                    threads_step(stream)
                else:
                    stream_step(stream)
            ending = rng.choice(["close", "drop", "keep"])  # kept: open, maybe running, at exit
            if ending == "close":
                run("close", stream.close)
            elif ending == "drop":
                holder.clear()
                del stream
        elif what < 0.75:
            transfer_step()
        elif what < 0.9:
            query_step()
        else:
            low_level_step()
    print("case done", flush=True)


main()
