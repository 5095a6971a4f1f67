"""The .NET examples (examples/dotnet, built by make build with the solution) run on the JACK
dummy server and do what they say."""

from __future__ import annotations

import subprocess
import wave
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.usefixtures("jack_server")


def run_example(name: str, *args: str) -> str:
    dll = REPO / "examples" / "dotnet" / name / "bin" / "Release" / "net10.0" / f"{name}.dll"
    assert dll.exists(), f"{dll} is missing: make build builds it"
    result = subprocess.run(["dotnet", str(dll), *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{name} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_tone_plays_and_reports_its_callbacks() -> None:
    out = run_example("Tone", "880", "0.5")
    assert "Playing 880 Hz" in out, out
    callbacks = int(out.split(" callbacks")[0].split()[-1])
    assert callbacks * 64 >= 0.4 * 48000, out


def test_recorder_writes_a_wav_file_of_the_asked_length(tmp_path: Path) -> None:
    path = tmp_path / "take.wav"
    run_example("Recorder", str(path), "0.5")
    with wave.open(str(path)) as wav:
        assert (wav.getnchannels(), wav.getsampwidth(), wav.getframerate(), wav.getnframes()) == (2, 2, 48000, 24000)


def test_pass_through_runs_duplex() -> None:
    out = run_example("PassThrough", "0.5")
    assert "Passing input to output" in out and "callbacks" in out, out
