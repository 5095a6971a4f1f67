"""The shipped packages, installed the way users install them, outside the repository:
the NuGet packages (make pack) in a throw-away console app restored from a local folder feed,
the wheel (make wheel) in a fresh virtual environment. Both run a short stream on the JACK
dummy server. Run by make test-packages (release interpreter only)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

pytestmark = pytest.mark.usefixtures("jack_server")

NUGET_FEED = REPO / "artifacts" / "nuget"
WHEELS = REPO / "artifacts" / "wheel"

CONSUMER_PROJECT = """<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="PyRtAudioNet" Version="0.1.0" />
  </ItemGroup>
</Project>
"""

CONSUMER_PROGRAM = """using PyRtAudioNet;

using var audio = new RtAudio(RtAudioApi.UnixJack);
long calls = 0;
audio.OpenStream<float>(new StreamParameters(audio.GetDefaultOutputDevice(), 2), null, RtAudioFormat.Float32, 48000, 64,
    (output, _, _, _, _) => { output.Fill(0.1f); Interlocked.Increment(ref calls); return CallbackResult.Continue; });
audio.StartStream();
Thread.Sleep(500);
audio.StopStream();
Console.WriteLine($"RtAudio {RtAudio.GetVersion()}: {Interlocked.Read(ref calls)} callbacks");
return Interlocked.Read(ref calls) > 50 ? 0 : 1;
"""


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = 600) -> str:
    result = subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, f"{' '.join(command)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def test_nuget_package_restores_builds_and_plays_in_a_new_app(tmp_path: Path) -> None:
    packages = sorted(NUGET_FEED.glob("PyRtAudioNet.0.1.0.nupkg"))
    assert packages, f"no package in {NUGET_FEED}: make pack builds it"
    app = tmp_path / "consumer"
    app.mkdir()
    (app / "Consumer.csproj").write_text(CONSUMER_PROJECT)
    (app / "Program.cs").write_text(CONSUMER_PROGRAM)
    # The local folder feed next to the machine's own sources; a private package folder, so a
    # package rebuilt with the same version is never taken from an old cache.
    (app / "nuget.config").write_text(
        f'<configuration><packageSources><add key="local" value="{NUGET_FEED}" /></packageSources></configuration>')
    env = {"NUGET_PACKAGES": str(tmp_path / "packages"), "DOTNET_CLI_TELEMETRY_OPTOUT": "1", "DOTNET_NOLOGO": "1"}
    output = run(["dotnet", "run", "-c", "Release"], cwd=app, env=env)
    assert "callbacks" in output, output
    native = list((tmp_path / "packages" / "pyrtaudionet" / "0.1.0" / "runtimes" / "linux-x64" / "native").glob("*.so"))
    assert [p.name for p in native] == ["libpyrtaudionet_native.so"]


def test_wheel_installs_in_a_fresh_venv_and_plays_outside_the_repository(tmp_path: Path) -> None:
    wheels = sorted(WHEELS.glob("pyrtaudionet-0.1.0-py3-none-linux_x86_64.whl"))
    assert wheels, f"no wheel in {WHEELS}: make wheel builds it"
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)], cwd=tmp_path)  # numpy from Debian
    run([str(venv / "bin" / "pip"), "install", "--no-index", "--no-deps", str(wheels[-1])], cwd=tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env = {"PYTHONPATH": ""}  # nothing from the checkout
    where = run([str(venv / "bin" / "python"), "-c", "import pyrtaudionet; print(pyrtaudionet.__file__)"], cwd=outside, env=env)
    assert where.strip().startswith(str(venv)), where
    devices = run([str(venv / "bin" / "pyrtaudionet"), "--api", "jack", "devices"], cwd=outside, env=env)
    assert "system" in devices, devices
    tone = run([str(venv / "bin" / "pyrtaudionet"), "--api", "jack", "tone", "--seconds", "0.5"], cwd=outside, env=env)
    assert "440" in tone, tone
