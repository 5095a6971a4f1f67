"""The Python suites' way to start tools/jack-dummy-server (which holds the command line and
the readiness wait): the pytest fixtures, the scenario scripts and the benchmarks import it."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path
from typing import IO, Any, Union

LAUNCHER = Path(__file__).resolve().with_name("jack-dummy-server")


def start(name: str, rate: int, period: int, channels: int = 2, realtime: bool = False,
          output: Union[int, IO[Any], None] = None) -> subprocess.Popen[bytes]:
    """A JACK dummy server named ``name``, returned once it lists its ports; the caller stops it
    (SIGTERM, or SIGKILL to play a crash). Its messages go to ``output`` (a file, never a pipe:
    jackd must never block on its output; default: kept only to explain a failed start, which
    raises RuntimeError with them)."""
    log = tempfile.TemporaryFile() if output is None else output  # noqa: SIM115  # jackd keeps its own copy
    command = ["sh", str(LAUNCHER), "run", name, str(rate), str(period), str(channels), *(["realtime"] if realtime else [])]
    server = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        if subprocess.run(["sh", str(LAUNCHER), "wait", name, str(server.pid)]).returncode == 0:
            return server
        server.kill()
        server.wait()
        said = ""
        if output is None:
            log.seek(0)  # type: ignore[union-attr]
            said = ": " + log.read().decode(errors="replace").strip()  # type: ignore[union-attr]
        raise RuntimeError(f"jackd '{name}' did not start{said}")
    finally:
        if output is None:
            log.close()  # type: ignore[union-attr]
