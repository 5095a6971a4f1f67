"""A callback that releases its buffer and takes the bytearray behind it (``view.obj``) cannot
resize that bytearray while the stream is open: the bridge keeps an export of its own, so the
audio thread never copies into memory that moved or was freed. Once the stream is closed, the
bytearray is the caller's to resize."""

from __future__ import annotations

import threading
from typing import Any

import pyrtaudionet as prtn
from _common import PERIOD

calls = [0]
owners: list[bytearray] = []
outcome: list[str] = []
done = threading.Event()


def callback(indata: Any, frames: int, time_info: Any, status: Any) -> None:
    calls[0] += 1
    if calls[0] == 5:
        owner = indata.obj
        indata.release()
        owners.append(owner)
        try:
            owner.extend(b"x" * 65536)
            outcome.append("resized")
        except BufferError as error:
            outcome.append(f"refused: {error}")
    elif calls[0] == 60:
        done.set()


stream = prtn.RawInputStream(channels=2, dtype="float32", callback=callback, api="jack", blocksize=PERIOD)
stream.start()
assert done.wait(5), "the stream ran on after the release"
stream.close()
print(outcome[0])
assert outcome[0].startswith("refused"), "the bytearray under the audio thread could be resized"
owner = owners[0]
size = len(owner)
owner.extend(b"x" * 65536)  # closed: the bridge's export is gone
assert len(owner) == size + 65536
print("ok")
