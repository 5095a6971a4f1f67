"""Loading .NET from Python fails with a Python exception that says what is missing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import REPO


def import_package_from(root: Path, **extra_env: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(root), **extra_env)
    return subprocess.run([sys.executable, "-c", "import pyrtaudionet"], env=env, capture_output=True, text=True, timeout=120)


def copy_package(tmp_path: Path) -> Path:
    package = tmp_path / "pyrtaudionet"
    shutil.copytree(REPO / "python" / "pyrtaudionet", package, ignore=shutil.ignore_patterns("__pycache__"))
    return package


def test_missing_assemblies_name_the_files_and_the_fix(tmp_path: Path) -> None:
    package = copy_package(tmp_path)
    (package / "_lib" / "Python.Runtime.dll").unlink()
    result = import_package_from(tmp_path)
    assert result.returncode != 0
    assert "ClrLoadError" in result.stderr
    assert "Python.Runtime.dll" in result.stderr and "make build" in result.stderr


def test_missing_dotnet_framework_is_explained(tmp_path: Path) -> None:
    package = copy_package(tmp_path)
    config_path = package / "_lib" / "PyRtAudioNet.Python.runtimeconfig.json"
    config = json.loads(config_path.read_text())
    config["runtimeOptions"]["framework"]["version"] = "99.0.0"
    config_path.write_text(json.dumps(config))
    result = import_package_from(tmp_path)
    assert result.returncode != 0
    assert "ClrLoadError" in result.stderr
    assert "0x80008096" in result.stderr and "install the .NET 10 runtime" in result.stderr


def test_missing_native_dependency_says_what_to_install(tmp_path: Path) -> None:
    # A stand-in for the bridge whose dependency (as librtaudio.so.6 would be) is not installed.
    (tmp_path / "dep.c").write_text("int prtn_dep(void) { return 1; }\n")
    (tmp_path / "bridge.c").write_text("int prtn_dep(void);\nint prtn_bridge(void) { return prtn_dep(); }\n")
    subprocess.run(["gcc", "-shared", "-fPIC", str(tmp_path / "dep.c"), "-o", str(tmp_path / "libprtn_missing_dep.so")], check=True)
    subprocess.run(["gcc", "-shared", "-fPIC", str(tmp_path / "bridge.c"), f"-L{tmp_path}", "-lprtn_missing_dep",
                    "-o", str(tmp_path / "libbridge.so")], check=True)
    (tmp_path / "libprtn_missing_dep.so").unlink()
    result = import_package_from(REPO / "python", PYRTAUDIONET_NATIVE_LIBRARY=str(tmp_path / "libbridge.so"))
    assert result.returncode != 0
    assert "ClrLoadError" in result.stderr and "the native bridge could not be loaded" in result.stderr
    assert "libprtn_missing_dep.so" in result.stderr, result.stderr
    assert "apt-get install librtaudio6 libjack-jackd2-0" in result.stderr
