"""``python -m pyrtaudionet`` and the examples/, run as subprocesses on the private JACK server."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import wave
from pathlib import Path
from typing import Any, Iterator

import numpy as np
import pytest

from conftest import REPO, JackConnector, unique

pytestmark = pytest.mark.usefixtures("jack_server")


def run(*args: str, server: str | None = None, timeout: float = 120, path: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO / "python"))
    if server is not None:
        env["JACK_DEFAULT_SERVER"] = server
    if path is not None:
        env["PATH"] = path
    return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=timeout, cwd=REPO)


def cli(*args: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    result = run("-m", "pyrtaudionet", *args, **kwargs)  # type: ignore[arg-type]
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_devices_and_apis() -> None:
    devices = cli("--api", "jack", "devices")
    assert devices.returncode == 0 and "0 system, jack (2 in, 2 out)" in devices.stdout
    apis = cli("apis")
    assert apis.returncode == 0 and "jack   Jack     devices: [0]" in apis.stdout
    bare = cli("--api", "jack")  # no command: the devices, as python -m sounddevice
    assert bare.returncode == 0 and bare.stdout == devices.stdout


def test_tone_shows_progress() -> None:
    result = cli("--api", "jack", "tone", "--freq", "880", "--seconds", "0.5")
    assert result.returncode == 0, result.stderr
    assert "880 Hz on system" in result.stdout and "done" in result.stdout and "underflows:" in result.stdout


@pytest.mark.parametrize("dtype,width", [("int16", 2), ("int24", 3), ("int32", 4), ("float32", 4)])
def test_rec_writes_a_wav_file_that_play_reads(tmp_path: Path, dtype: str, width: int) -> None:
    path = tmp_path / f"rec-{dtype}.wav"
    result = cli("--api", "jack", "rec", str(path), "--seconds", "0.3", "--dtype", dtype)
    assert result.returncode == 0, result.stderr
    assert f"wrote 14400 frames ({dtype}, 48000 Hz, 2 ch)" in result.stdout
    size = path.stat().st_size
    assert size >= 14400 * 2 * width + 44
    if dtype != "float32":
        with wave.open(str(path)) as w:
            assert (w.getnframes(), w.getsampwidth(), w.getnchannels(), w.getframerate()) == (14400, width, 2, 48000)
    played = cli("--api", "jack", "play", str(path))
    assert played.returncode == 0, played.stderr
    assert f"({dtype}, 48000 Hz, 2 ch)" in played.stdout and "done" in played.stdout


def test_play_reads_float_wav_written_by_the_package(tmp_path: Path) -> None:
    sys.path.insert(0, str(REPO / "python"))
    from pyrtaudionet import _wav  # noqa: PLC0415 - needs the package path

    path = tmp_path / "f64.wav"
    data = np.linspace(-1, 1, 4800 * 2).reshape(4800, 2)
    _wav.write(str(path), data, 48000, "float64")
    back, rate, dtype = _wav.read(str(path))
    assert (rate, dtype) == (48000, "float64") and np.array_equal(back, data)
    result = cli("--api", "jack", "play", str(path))
    assert result.returncode == 0 and "(float64, 48000 Hz, 2 ch)" in result.stdout


def test_loopback_measures_one_period_of_latency() -> None:
    result = cli("loopback", "--seconds", "0.5")
    assert result.returncode == 0, result.stderr
    assert "round-trip latency 64 frames (1.33 ms)" in result.stdout and "level -9.0 dBFS" in result.stdout


def test_no_device_gives_a_clear_message_and_offers_jack_dummy() -> None:
    result = cli("--api", "jack", "devices", server="no-such-server")
    assert result.returncode == 2
    assert "no audio device found on the jack API" in result.stderr and "--jack-dummy" in result.stderr


def test_jack_dummy_starts_a_private_server_when_none_runs() -> None:
    result = cli("--jack-dummy", "loopback", "--seconds", "0.3", server="no-such-server")
    assert result.returncode == 0, result.stderr
    assert "started a private JACK dummy server" in result.stdout and "round-trip latency 64 frames" in result.stdout


def test_jack_dummy_without_jackd_says_what_to_install() -> None:
    result = cli("--jack-dummy", "devices", server="no-such-server", path="/nonexistent")
    assert result.returncode == 1
    assert "--jack-dummy: jackd was not found: install Debian's jackd2 (apt-get install jackd2)" in result.stderr


def test_bad_cli_arguments_are_reported() -> None:
    result = cli("--api", "jack", "tone", "--seconds", "-1")
    assert result.returncode == 1 and "--seconds must be a positive number, not -1.0" in result.stderr
    result = cli("--api", "nope", "devices")
    assert result.returncode == 1 and "api 'nope' is not compiled" in result.stderr


def test_example_play_sine(tmp_path: Path) -> None:
    result = run(str(REPO / "examples" / "play_sine.py"), "440", "--seconds", "0.5")
    assert result.returncode == 0, result.stderr
    frames = int(result.stdout.split("played ")[1].split()[0])
    assert 0.4 * 48000 <= frames <= 0.7 * 48000


@pytest.mark.parametrize("name,options,subtype", [("rec.wav", [], "PCM_16"), ("rec.flac", ["-t", "PCM_24"], "PCM_24")])
def test_example_rec_unlimited(tmp_path: Path, name: str, options: list[str], subtype: str) -> None:
    import soundfile as sf

    path = tmp_path / name
    result = run(str(REPO / "examples" / "rec_unlimited.py"), str(path), "-c", "2", *options, "--seconds", "0.5")
    assert result.returncode == 0, result.stderr
    frames = int(result.stdout.split("recorded ")[1].split()[0])
    info = sf.info(str(path))
    assert (info.frames, info.channels, info.samplerate, info.subtype) == (frames, 2, 48000, subtype)
    assert 0.4 * 48000 <= frames <= 0.7 * 48000
    again = run(str(REPO / "examples" / "rec_unlimited.py"), str(path), "--seconds", "0.1")
    assert again.returncode == 1 and "exists" in again.stderr, "an existing file is never overwritten"


@pytest.mark.parametrize("blocksize,raw", [(2048, False), (1000, True)])
def test_example_play_long_file(tmp_path: Path, exact_jack: JackConnector, blocksize: int, raw: bool) -> None:
    """Every callback gets the blocksize (the example checks, and aborts on any xrun: the
    exactness server has none), and every frame of the file is played."""
    import soundfile as sf

    frames = 48000  # 23 blocks of 2048 and a short one; 48 of 1000 exactly, then an empty one ends it
    path = tmp_path / "long.wav"
    sf.write(str(path), np.zeros((frames, 2), np.float32) + 0.25, 48000)
    result = run(str(REPO / "examples" / "play_long_file.py"), str(path), "-b", str(blocksize), "-q", "4", *(["--raw"] if raw else []))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    callbacks = frames // blocksize + 1
    assert f"played {frames} frames in {callbacks} callbacks of {blocksize}" in result.stdout


@pytest.mark.parametrize("blocksize", [0, 1000])
def test_example_priming_output(blocksize: int) -> None:
    result = run(str(REPO / "examples" / "priming_output.py"), "-b", str(blocksize))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout.splitlines() == [f"priming {blocksize or 64} frames of output",
                                          "running: the first call after priming stops the stream"], result.stdout


def test_example_play_file(tmp_path: Path) -> None:
    import soundfile as sf

    path = tmp_path / "short.flac"
    sf.write(str(path), np.full((12000, 2), 0.25, np.float32), 48000)
    result = run(str(REPO / "examples" / "play_file.py"), str(path))
    assert result.returncode == 0 and result.stderr == "", result.stderr
    assert result.stdout.startswith("played 12000 frames"), result.stdout


def test_example_asyncio_coroutines() -> None:
    result = run(str(REPO / "examples" / "asyncio_coroutines.py"), "--seconds", "0.25")
    assert result.returncode == 0, result.stderr
    reports = [line for line in result.stdout.splitlines() if "frames" in line]  # others: flagged periods
    assert reports == ["recorded 12000 frames", "played 12000 frames"], result.stdout


def test_example_asyncio_generators() -> None:
    result = run(str(REPO / "examples" / "asyncio_generators.py"), "--seconds", "0.5", "-b", "1000")
    assert result.returncode == 0, result.stderr
    for part in ("levels", "wire"):
        counted = result.stdout.split(f"{part}: ")[1].splitlines()[0]
        assert counted.endswith(" blocks of 1000") and "," not in counted and int(counted.split()[0]) > 5, counted


def test_example_wire() -> None:
    result = run(str(REPO / "examples" / "wire.py"), "--seconds", "0.5")
    assert result.returncode == 0, result.stderr
    periods = int(result.stdout.split("wired ")[1].split()[0])
    assert 0.4 * 750 <= periods <= 0.7 * 750


@contextlib.contextmanager
def tone_player() -> Iterator[Any]:
    """A running stream of this process playing a 1 kHz sine of amplitude 0.5 on one unconnected port."""
    import pyrtaudionet as sd

    position = [0]

    def tone(outdata: np.ndarray, frames: int, time: object, status: object) -> None:
        outdata[:, 0] = 0.5 * np.sin(2 * np.pi * 1000 * (position[0] + np.arange(frames)) / 48000)
        position[0] += frames

    with sd.OutputStream(channels=1, callback=tone, api="jack", name=unique("tone"), autoconnect=False) as player:
        yield player


def test_example_spectrogram_shows_a_tone_where_it_is(exact_jack: JackConnector) -> None:
    """A 1 kHz tone from this process, connected to the example's input: its lines peak in the
    column of 1 kHz (100-2000 Hz over 77 columns: 25 Hz each, 1 kHz in column 36), and <enter>
    ends it cleanly."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "python"))
    with tone_player() as player:
        with subprocess.Popen([sys.executable, str(REPO / "examples" / "spectrogram.py"), "-c", "77", "-g", "8"], env=env,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO) as example:
            assert example.stdout is not None and example.stdin is not None and example.stderr is not None
            try:
                assert example.stdout.readline() == "no input\n"  # the dummy driver's capture is silent
                exact_jack.connect(player.name, "pyrtaudionet", 1)
                lines = [example.stdout.readline() for _ in range(10)]
                # Past the block the connection came in (a partial tone smears over its neighbours).
                peaks = {line.rstrip("\n").index("@") for line in lines[4:] if "@" in line}
                example.stdin.write("\n")
                example.stdin.flush()
                assert example.wait(10) == 0
                assert example.stderr.read() == ""
            finally:
                example.kill()
    assert peaks == {36}, lines


def test_example_plot_input_draws_a_connected_tone(exact_jack: JackConnector) -> None:
    """In a Tk window on a virtual X server (Xvfb): a tone of amplitude 0.5 connected to the
    example's input reaches the plot, which keeps updating until --seconds closes the window."""
    env = dict(os.environ, PYTHONPATH=str(REPO / "python"), MPLBACKEND="TkAgg")
    command = ["xvfb-run", "-a", sys.executable, str(REPO / "examples" / "plot_input.py"), "--seconds", "2"]
    with tone_player() as player:
        with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO) as example:
            assert example.stdout is not None and example.stderr is not None
            try:
                assert example.stdout.readline() == "plotting\n"
                exact_jack.connect(player.name, "pyrtaudionet", 1)
                assert example.wait(30) == 0
                summary = example.stdout.read()
                # Only the example's own report of flagged periods (Agg draws holding the GIL,
                # which a slow interpreter's callback waits for); nothing else.
                assert set(example.stderr.read().splitlines()) <= {"input overflow"}
            finally:
                example.kill()
    updates, peak = summary.split("drew ")[1].split(" updates, peak ")
    assert int(updates) > 10, summary
    assert float(peak) == pytest.approx(0.5, abs=0.01), summary


# Drives examples/rec_gui.py's window as a user would: OK in the settings dialog (the default
# API and input device: the stream opens again), then record for a second, stop, close.
REC_GUI_DRIVER = """
import runpy, sys
from tkinter.simpledialog import Dialog
import soundfile as sf
gui = runpy.run_path(sys.argv[1], run_name="rec_gui")["RecGui"]()
first = gui.stream
gui.after(300, lambda: next(w for w in gui.children.values() if isinstance(w, Dialog)).ok())
gui.on_settings()  # modal: returns once OK was pressed
assert gui.stream is not first and first.closed and gui.stream.active
print("ready", flush=True)
input()  # the test has connected the tone
def stopped():
    if str(gui.rec_button["text"]) != "record":
        gui.after(10, stopped)
        return
    data, rate = sf.read(str(gui.file_label["text"]))
    print(f"recorded {len(data)} frames at {rate} Hz, peak {abs(data).max():.3f}, {gui.status_label['text']}")
    gui.close_window()
gui.after(200, gui.rec_button.invoke)
gui.after(1200, gui.rec_button.invoke)
gui.after(1300, stopped)
gui.mainloop()
"""


def test_example_rec_gui_records_what_its_input_hears(exact_jack: JackConnector, tmp_path: Path) -> None:
    """Its record and stop buttons, pressed a second apart in a Tk window on Xvfb, write a WAV
    file of about a second of the tone connected to its input."""
    driver = tmp_path / "drive_rec_gui.py"
    driver.write_text(REC_GUI_DRIVER)
    env = dict(os.environ, PYTHONPATH=str(REPO / "python"))
    command = ["xvfb-run", "-a", sys.executable, str(driver), str(REPO / "examples" / "rec_gui.py")]
    with tone_player() as player:
        with subprocess.Popen(command, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                              cwd=tmp_path) as example:
            assert example.stdout is not None and example.stdin is not None and example.stderr is not None
            try:
                assert example.stdout.readline() == "ready\n"
                exact_jack.connect(player.name, "pyrtaudionet", 1)
                example.stdin.write("\n")
                example.stdin.flush()
                assert example.wait(30) == 0
                summary = example.stdout.read()
                assert example.stderr.read() == ""
            finally:
                example.kill()
    frames = int(summary.split("recorded ")[1].split()[0])
    assert 0.8 * 48000 <= frames <= 1.3 * 48000, summary
    # The window shows the flagged periods' count: on a busy machine the server may flag one.
    assert re.search(r"at 48000 Hz, peak 0\.500, input overflows: \d+$", summary.strip()), summary
