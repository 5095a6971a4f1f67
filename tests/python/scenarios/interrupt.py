"""Ctrl+C while Python waits on audio: prints "waiting", then waits in the call named by argv[1]
(each would last 10 s); the test sends SIGINT, and the KeyboardInterrupt must end the call
promptly. Prints "interrupted" when it does; the streams left open are closed at exit."""

from __future__ import annotations

import sys
from typing import Any, Callable

import numpy as np

import pyrtaudionet as sd

RATE = 48000
TEN_SECONDS = np.zeros((10 * RATE, 1), np.float32)


def blocking_write() -> None:
    stream = sd.OutputStream(channels=1, api="jack", latency=0.5)
    stream.start()
    print("waiting", flush=True)
    stream.write(TEN_SECONDS)


def blocking_read() -> None:
    stream = sd.InputStream(channels=1, api="jack")
    stream.start()
    print("waiting", flush=True)
    stream.read(10 * RATE)


def play_wait() -> None:
    sd.play(TEN_SECONDS, RATE, api="jack")
    print("waiting", flush=True)
    sd.wait()


def sleep() -> None:
    stream = sd.OutputStream(channels=1, api="jack", callback=lambda outdata, *args: None)
    stream.start()
    print("waiting", flush=True)
    sd.sleep(10_000)


CALLS: dict[str, Callable[[], Any]] = {"write": blocking_write, "read": blocking_read, "wait": play_wait, "sleep": sleep}

try:
    CALLS[sys.argv[1]]()
except KeyboardInterrupt:
    print("interrupted", flush=True)
else:
    print("the call ended without an interruption", flush=True)
