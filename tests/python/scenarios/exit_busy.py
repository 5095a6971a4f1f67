"""The interpreter exits while daemon threads keep calling into a running stream (or the device
list): each call either completes or the thread stops in it; the process exits with status 0
and prints nothing on stderr. argv[1]: what the threads call."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any, Callable

import numpy as np

import pyrtaudionet as prtn
from _common import PERIOD

KIND = sys.argv[1]
# A blocking stream has one writer and one reader; a device query is a JACK client connection.
THREADS = 1 if KIND in ("write", "read", "query_devices") else 3
calls = [0]


def ignore_refusals(call: Callable[[], Any]) -> Callable[[], None]:
    """Stop/start racing each other are refused now and then (InvalidUse), and a device list read
    while JACK clients come and go now and then misses a device: not what is tested."""
    def run() -> None:
        try:
            call()
        except prtn.RtAudioError:
            pass
    return run


if KIND in ("write", "read"):
    stream: Any = prtn.Stream(channels=2, dtype="float32", api="jack", blocksize=PERIOD)
    block = np.zeros((PERIOD, 2), dtype=np.float32)
else:
    stream = prtn.OutputStream(channels=2, callback=lambda outdata, frames, time_info, status: None, api="jack", blocksize=PERIOD)
stream.start()

CALLS: dict[str, Callable[[], Any]] = {
    "time": lambda: stream.time,
    "cpu_load": lambda: stream.cpu_load,
    "active": lambda: stream.active,
    "stop_start": ignore_refusals(lambda: (stream.stop(), stream.start())),
    "write": lambda: stream.write(block),
    "read": lambda: stream.read(PERIOD),
    "query_devices": ignore_refusals(lambda: prtn.query_devices(api="jack")),
}
call = CALLS[KIND]


def busy() -> None:
    while True:
        call()
        calls[0] += 1


for _ in range(THREADS):
    threading.Thread(target=busy, daemon=True).start()
deadline = time.monotonic() + 5
while calls[0] < 20:
    assert time.monotonic() < deadline, "the threads call"
    time.sleep(0.01)
print(f"{KIND}: exiting after {calls[0]} calls")
