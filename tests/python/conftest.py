"""pytest fixtures: a private JACK dummy server (48 kHz, 64 frames) for the whole session, and
a runner for scenario scripts, each in its own interpreter so that exit is part of the test."""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tools"))
import jack_dummy_server  # noqa: E402  # every suite's JACK server launcher
from busy import ComputingThread, compute_until, hold_the_gil  # noqa: E402,F401  # the busy program of the GIL tests (tools/busy.py)
SCENARIOS = Path(__file__).resolve().parent / "scenarios"
# Set by tools/debug-python/run: the run must really be on a debug build in development mode.
DEBUG_RUN = os.environ.get("PRTN_DEBUG_PYTHON") == "1"


def pytest_configure(config: pytest.Config) -> None:
    if DEBUG_RUN and not (hasattr(sys, "gettotalrefcount") and sys.flags.dev_mode):
        raise pytest.UsageError(f"tools/debug-python/run started {sys.executable}, which is not a debug build in -X dev mode")
    # An object freed while the garbage collector tracks it, an unclosed file or socket: a failure.
    config.addinivalue_line("filterwarnings", "error::ResourceWarning")
    config.addinivalue_line("filterwarnings", "error::pytest.PytestUnraisableExceptionWarning")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (SIGKILL after 5 s) for a server a fixture started."""
    process.terminate()
    try:
        process.wait(5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_for(condition: Any, timeout: float) -> bool:
    """Polls ``condition`` until it holds; its last value after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.005)
    return bool(condition())


@contextlib.contextmanager
def jackd(period: int, kind: str, rate: int = 48000) -> Iterator[str]:
    """A private JACK dummy server at ``rate`` with ``period``-frame periods, by its name."""
    name = f"pytest-{kind}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    process = jack_dummy_server.start(name, rate, period)
    try:
        yield name
    finally:
        stop_server(process)


@pytest.fixture(scope="session")
def jack_server() -> Iterator[str]:
    """The suite's JACK server (64-frame periods), the default for every JACK client from here on."""
    with jackd(64, "main") as name:
        os.environ["JACK_DEFAULT_SERVER"] = name
        yield name


# Sample-exact loopback tests must see no xrun at all. On this 2-core VM a non-realtime jackd
# misses periods now and then (20 self-loopbacks of 1.3 s on python3.11d: several a second at 64
# frames, about one every 4 s at 256), and jack_connect's client joining the graph cost one more
# even at 1024 frames. With 1024-frame periods and the connections made by one client opened
# before the test's streams (JackConnector), 20 such loopbacks on python3.11d saw none (nor 20 at
# 512), and with jack_connect at 1024 frames 20 on python3.11 beside a busy core saw none.
EXACT_PERIOD = 1024


def unique(prefix: str) -> str:
    return f"{prefix}{uuid.uuid4().hex[:8]}"


def xruns(*streams: Any) -> int:
    """Over- and underflows the driver reported on these streams so far."""
    return sum(s.output_underflows + s.input_overflows for s in streams)


def exactly(attempt: Any) -> None:
    """Runs ``attempt() -> (exact, xruns during the measured window)`` once. The test runs on
    the exactness server (conftest.EXACT_PERIOD), where this machine misses no period: a
    reported xrun fails the test as a broken test bed, a difference without one as a silent loss."""
    exact, reported = attempt()
    assert reported == 0, f"{reported} xruns reported during a sample-exact test"
    assert exact, "samples differ and no xrun was reported: a silent loss"


def pattern(dtype: str, frames: int) -> Any:
    """Exact test values for ``dtype``: what survives JACK's float32 path unchanged."""
    rng = np.random.default_rng(7)
    if dtype == "int24":
        values = rng.integers(-2**23, 2**23, (frames, 2)).astype("<i4")
        return np.frombuffer(values.tobytes(), np.uint8).reshape(frames, 2, 4)[:, :, :3].copy()
    if dtype == "int32":  # 24 significant bits: float32's mantissa
        return (rng.integers(-2**23, 2**23, (frames, 2)) * 256).astype("<i4")
    if dtype.startswith("int"):
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, (frames, 2), endpoint=True).astype(dtype)
    return rng.uniform(-1, 1, (frames, 2)).astype(np.float32).astype(dtype)


# The counter signal: frame i is (i % COUNTER_MODULUS + 1) / COUNTER_MODULUS, exact in float32
# and never 0, so a recording says which frames were lost, repeated or reordered.
COUNTER_MODULUS = 1 << 20


def counter(start: int, frames: int) -> Any:
    """Frames ``start``.. of the counter signal, one channel."""
    return (((np.arange(start, start + frames) % COUNTER_MODULUS) + 1) / COUNTER_MODULUS).astype(np.float32).reshape(-1, 1)


def counter_indices(values: Any) -> Any:
    """Which counter frame each recorded sample is (a silent sample gives -1)."""
    return np.rint(values * COUNTER_MODULUS).astype(np.int64) - 1


def steps_of(recorded: Any) -> Any:
    """Differences between consecutive counter values of a recording's first channel after the signal's first appearance."""
    values = recorded[:, 0]
    first = int(np.flatnonzero(values)[0])
    return np.diff(counter_indices(values[first:])) % COUNTER_MODULUS


def continuity(recorded: Any) -> tuple[int, int, int]:
    """(lost, duplicated, reordered) samples after the signal's first appearance."""
    steps = steps_of(recorded)
    lost = int(np.sum(steps[(steps > 1) & (steps <= COUNTER_MODULUS // 2)] - 1))
    return lost, int(np.sum(steps == 0)), int(np.sum(steps > COUNTER_MODULUS // 2))


def connected_at(recorded: Any) -> int:
    """The first recorded frame with every channel nonzero (all connected), or len(recorded)."""
    nonzero = np.flatnonzero(np.all(recorded != 0, axis=1))
    return int(nonzero[0]) if len(nonzero) else len(recorded)


class JackConnector:
    """A JACK client of this process on one server that connects ports (libjack's jack_connect,
    through ctypes)."""

    _NO_START_SERVER, _SERVER_NAME = 0x01, 0x04

    def __init__(self, server: str) -> None:
        self._jack = ctypes.CDLL("libjack.so.0")
        self._jack.jack_client_open.restype = ctypes.c_void_p
        self._jack.jack_connect.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p]
        self._jack.jack_client_close.argtypes = [ctypes.c_void_p]
        status = ctypes.c_int()
        self._client = self._jack.jack_client_open(b"pytest-connector", self._NO_START_SERVER | self._SERVER_NAME,
                                                   ctypes.byref(status), server.encode())
        if not self._client:
            raise RuntimeError(f"jack_client_open on '{server}' failed with status 0x{status.value:x}")
        self.server = server

    def connect(self, source: str, destination: str, channels: int) -> None:
        """Connects ``source``'s outport c to ``destination``'s inport c, for each channel c."""
        for c in range(channels):
            result = self._jack.jack_connect(self._client, f"{source}:outport {c}".encode(), f"{destination}:inport {c}".encode())
            assert result == 0, f"jack_connect {source}:outport {c} -> {destination}:inport {c} failed: {result}"

    def close(self) -> None:
        self._jack.jack_client_close(self._client)


@pytest.fixture(scope="session")
def _exact_jack_server() -> Iterator[str]:
    with jackd(EXACT_PERIOD, "exact") as name:
        yield name


@pytest.fixture
def exact_jack(_exact_jack_server: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[JackConnector]:
    """For one test, the streams it opens go to the server of EXACT_PERIOD frames; connect their
    ports with the connector this gives. libjack serves one server per process at a time: the
    connector is closed after the test, before clients of the suite's server open again."""
    monkeypatch.setenv("JACK_DEFAULT_SERVER", _exact_jack_server)
    connector = JackConnector(_exact_jack_server)
    try:
        yield connector
    finally:
        connector.close()


PULSE_RATE = 48000  # the pulse_server's null sink's


@contextlib.contextmanager
def private_pulse_daemon() -> Iterator[subprocess.Popen[bytes]]:
    """A private PulseAudio daemon with one float32 null sink (PULSE_RATE: a sample-exact path), reached through PULSE_SERVER
    while the context lasts; the sink's monitor is its default source. Yields its process (a
    test may kill it)."""
    with tempfile.TemporaryDirectory(prefix="prtn-pulse-") as runtime, open(Path(runtime) / "log", "w+b") as log:
        socket = Path(runtime) / "native"
        env = dict(os.environ, XDG_RUNTIME_DIR=runtime, HOME=runtime)
        # No shared memory: with it, PulseAudio 16.1 aborted now and then in a full run ("Cannot
        # send block reference with non-registered memfd ID", pulseaudio issue 824, then a failed
        # assertion in memblock_replace_import); audio goes over the socket instead.
        process = subprocess.Popen(["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1", "--use-pid-file=no",
                                    "--disable-shm=yes",
                                    "-L", f"module-null-sink sink_name=prtn_null rate={PULSE_RATE} format=float32le",
                                    "-L", f"module-native-protocol-unix auth-anonymous=1 socket={socket}"],
                                   env=env, stdout=log, stderr=subprocess.STDOUT)
        process.log = log  # type: ignore[attr-defined]
        server = f"unix:{socket}"
        deadline = time.monotonic() + 15
        while subprocess.run(["pactl", "--server", server, "info"], capture_output=True).returncode != 0:
            if process.poll() is not None or time.monotonic() > deadline:
                stop_server(process)
                raise RuntimeError(f"pulseaudio did not start: {daemon_log(process)}")
            time.sleep(0.05)
        previous = os.environ.get("PULSE_SERVER")
        os.environ["PULSE_SERVER"] = server
        try:
            yield process
        finally:
            if previous is None:
                del os.environ["PULSE_SERVER"]
            else:
                os.environ["PULSE_SERVER"] = previous
            stop_server(process)


def daemon_log(process: subprocess.Popen[bytes]) -> str:
    """What a private_pulse_daemon printed so far."""
    log = process.log  # type: ignore[attr-defined]
    log.seek(0)
    return log.read().decode(errors="replace")


@pytest.fixture(scope="module")
def pulse_server() -> Iterator[str]:
    """A private_pulse_daemon per module: while it runs, Debian's ALSA configuration makes ALSA's
    default device the pulse plugin, which other modules do not expect. A daemon that exits
    under the module fails it with its status and log, where the tests could only see its loss."""
    with private_pulse_daemon() as daemon:
        yield os.environ["PULSE_SERVER"]
        assert daemon.poll() is None, f"the PulseAudio daemon exited under the module (status {daemon.returncode}): {daemon_log(daemon)}"


ALSA_THROUGH_PULSE = "pcm.!default { type pulse }\nctl.!default { type pulse }\n"


def tone(seconds: float) -> Any:
    """A 440 Hz sine at half scale at PULSE_RATE, the same on both channels."""
    n = np.arange(int(seconds * PULSE_RATE))
    return np.repeat((0.5 * np.sin(2 * np.pi * 440 * n / PULSE_RATE)).astype(np.float32)[:, None], 2, axis=1)


def assert_carries_the_tone(recorded: Any) -> None:
    """The recording holds :func:`tone`: its loudest 100 ms peak at half scale, at 440 Hz."""
    peak_at = int(np.argmax(np.abs(recorded[:, 0])))
    window = recorded[max(0, peak_at - PULSE_RATE // 20):peak_at + PULSE_RATE // 20, 0]
    spectrum = np.abs(np.fft.rfft(window))
    frequency = float(np.argmax(spectrum)) * PULSE_RATE / len(window)
    assert 0.45 < float(np.abs(window).max()) < 0.55 and abs(frequency - 440) <= 10, (float(np.abs(window).max()), frequency)
    assert np.array_equal(recorded[:, 0], recorded[:, 1]), "both channels carry the same tone"


@contextlib.contextmanager
def alsa_configuration(text: str) -> Iterator[None]:
    """ALSA reads the system's configuration, then ``text`` (ALSA_CONFIG_PATH lists both files).
    alsa-lib reads its configuration again when that list changes, so this holds in a process that
    used ALSA before, and the system's alone comes back afterwards."""
    with tempfile.TemporaryDirectory(prefix="prtn-alsa-") as directory:
        path = Path(directory) / "asound.conf"
        path.write_text(text)
        previous = os.environ.get("ALSA_CONFIG_PATH")
        os.environ["ALSA_CONFIG_PATH"] = f"/usr/share/alsa/alsa.conf:{path}"
        try:
            yield
        finally:
            if previous is None:
                del os.environ["ALSA_CONFIG_PATH"]
            else:
                os.environ["ALSA_CONFIG_PATH"] = previous


@pytest.fixture(scope="module")
def alsa_through_pulse(pulse_server: str) -> Iterator[None]:
    """ALSA's default PCM and control routed by ALSA's pulse plugin (libasound2-plugins,
    ALSA_THROUGH_PULSE) to the pulse_server: playback to its null sink, capture from the sink's
    monitor. With no sound card here, that is the ALSA API's one device, and a clocked path
    through RtAudio's ALSA backend."""
    with alsa_configuration(ALSA_THROUGH_PULSE):
        yield


@dataclass
class Outcome:
    returncode: int
    stdout: str
    stderr: str


def run_scenario(name: str, *args: str, timeout: float = 120, env: dict[str, str] | None = None,
                 expected_stderr: Sequence[str] = ()) -> Outcome:
    """Runs scenarios/NAME.py in a fresh interpreter (this one's: release or debug, with its
    PYTHONMALLOC settings, in -X dev mode; ``env`` added), judged by :func:`judged_run`."""
    return judged_run([sys.executable, "-X", "dev", str(SCENARIOS / f"{name}.py"), *args],
                      timeout=timeout, env=env, expected_stderr=expected_stderr)


def judged_run(command: list[str], timeout: float, env: dict[str, str] | None = None,
               expected_stderr: Sequence[str] = ()) -> Outcome:
    """Runs a Python ``command`` with the scenarios importable and fails unless it exits 0 and
    every line of its stderr is one the test expects.

    Nothing else is allowed there: whatever the interpreter, the debug allocator, a sanitizer,
    pythonnet or this library says on stderr (a ResourceWarning, ``Exception ignored``, a
    ``pyrtaudionet:`` report) fails it. ``expected_stderr`` holds regular expressions, each
    matching whole lines, and each must match at least one line."""
    env = dict(os.environ, **(env or {}), PYTHONPATH=os.pathsep.join([str(REPO / "python"), str(SCENARIOS)]))
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    outcome = Outcome(result.returncode, result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    unexpected = [line for line in lines if not any(re.fullmatch(pattern, line) for pattern in expected_stderr)]
    missing = [pattern for pattern in expected_stderr if not any(re.fullmatch(pattern, line) for line in lines)]
    assert result.returncode == 0 and not unexpected and not missing, (
        f"{' '.join(command)} exited {result.returncode}; unexpected stderr lines: {len(unexpected)}; "
        f"expected but absent: {missing}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}")
    return outcome
