"""Raw streams on an interpreter where numpy cannot be imported (pyproject.toml makes numpy
optional): callbacks get 1-D byte views of interleaved samples, blocking streams take bytes-like
objects and return bytearrays, device queries and the CLI's devices and apis commands work,
and the numpy-only calls say what is missing."""

from __future__ import annotations

import sys

sys.modules["numpy"] = None  # type: ignore[assignment]  # from here on "import numpy" raises ImportError

import contextlib  # noqa: E402
import io  # noqa: E402
import threading  # noqa: E402
from typing import Any  # noqa: E402

import pyrtaudionet as prtn  # noqa: E402
from pyrtaudionet._cli import main as cli  # noqa: E402

FRAME = 2 * 2  # bytes of one frame: two int16 channels

devices = prtn.query_devices()
assert len(devices) > 0, devices

seen: list[tuple[str, int, int, int, int]] = []
enough = threading.Event()


def copy_through(indata: Any, outdata: Any, frames: int, time: Any, status: Any) -> None:
    outdata[:] = indata
    seen.append((indata.format, indata.ndim, indata.nbytes, outdata.nbytes, frames))
    if len(seen) == 20:
        enough.set()


with prtn.RawStream(channels=2, dtype="int16", callback=copy_through, api="jack"):
    assert enough.wait(5), "the callback ran"
fmt, ndim, in_bytes, out_bytes, frames = seen[0]
assert (fmt, ndim) == ("B", 1) and in_bytes == out_bytes == frames * FRAME, seen[0]
print("callback views:", seen[0])

with prtn.RawStream(channels=2, dtype="int16", api="jack") as stream:
    stream.write(bytes(FRAME * 4800))
    stream.write(memoryview(bytearray(FRAME * 480)))
    data, overflowed = stream.read(480)
    assert isinstance(data, bytearray) and len(data) == 480 * FRAME, (type(data), len(data))
    for bad, error in ((b"abc", ValueError), ("text", TypeError)):
        try:
            stream.write(bad)
        except error as caught:
            print("write refused:", caught)
        else:
            raise AssertionError(f"write({bad!r}) was accepted")
print("blocking: read", len(data), "bytes")

with prtn.Stream(channels=2, dtype="int16", api="jack") as stream:
    try:
        stream.read(10)
    except ImportError as caught:
        assert "Raw streams do not" in str(caught), caught
    else:
        raise AssertionError("a numpy stream's read() worked without numpy")

assert cli(["--api", "jack", "devices"]) == 0
assert cli(["apis"]) == 0
errors = io.StringIO()
with contextlib.redirect_stderr(errors):
    assert cli(["--api", "jack", "tone"]) == 1
assert "'tone' needs numpy" in errors.getvalue(), errors.getvalue()
print("ok")
