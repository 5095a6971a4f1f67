"""The JACK server is killed (SIGKILL) under a running stream: the loss is reported within
1 s (finished_callback, an exception on the next call, a blocked write woken), a new server
works, close() is prompt (also after streams on the new server), and exit is clean — even with
a lost stream left unclosed.
Runs its own jackd (it kills it); argv[1] is "callback" or "blocking"."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from typing import Any

import numpy as np

import pyrtaudionet as prtn
from _common import start_jackd, stop_jackd

REPORT_BOUND = 1.0
LEFT_OPEN: list[prtn.OutputStream] = []  # a dropped stream would be closed once unreachable
NAME = f"loss-{uuid.uuid4().hex[:8]}"


def expect_loss(call: Any) -> prtn.RtAudioError:
    try:
        call()
    except prtn.RtAudioError as error:
        assert error.error_type == "DeviceDisconnect" and NAME in str(error), error
        return error
    raise AssertionError(f"{call} did not report the server loss")


def callback_stream(server: subprocess.Popen[bytes]) -> subprocess.Popen[bytes]:
    calls = [0]
    finished = threading.Event()

    def callback(outdata: Any, frames: int, time_info: Any, status: Any) -> None:
        calls[0] += 1

    stream = prtn.OutputStream(channels=2, callback=callback, finished_callback=finished.set, api="jack")
    stream.start()
    deadline = time.monotonic() + 5
    while calls[0] < 20:
        assert time.monotonic() < deadline, "the stream runs"
        time.sleep(0.01)
    killed = stop_jackd(server, kill=True)
    assert finished.wait(REPORT_BOUND), "finished_callback within 1 s"
    print(f"finished_callback after {time.monotonic() - killed:.3f} s")
    assert not stream.active
    expect_loss(lambda: stream.time)
    expect_loss(stream.stop)

    # Recovered before the lost stream is closed: libjack deletes the lost stream's JACK client
    # at the first client this opens, and the close must not touch that client again.
    server = start_jackd(NAME)
    assert prtn.query_devices(kind="output", api="jack")["max_output_channels"] > 0, "devices are read afresh"
    again = [0]
    with prtn.OutputStream(channels=2, callback=lambda o, f, t, s: again.__setitem__(0, again[0] + 1), api="jack"):
        deadline = time.monotonic() + 5
        while again[0] < 20:
            assert time.monotonic() < deadline, "a stream on the new server runs"
            time.sleep(0.01)
    started = time.monotonic()
    stream.close()
    assert time.monotonic() - started < 2, "close() is prompt"
    stream.close()  # idempotent
    # Lose a stream once more and leave it unclosed, referenced until exit: exit must still be clean.
    left = prtn.OutputStream(channels=2, callback=lambda o, f, t, s: None, api="jack")
    LEFT_OPEN.append(left)
    left.start()
    time.sleep(0.2)
    stop_jackd(server, kill=True)
    time.sleep(0.3)
    return server


def blocking_stream(server: subprocess.Popen[bytes]) -> subprocess.Popen[bytes]:
    stream = prtn.OutputStream(channels=2, dtype="float32", api="jack")
    stream.start()
    errors: list[BaseException] = []

    def writer() -> None:
        block = np.zeros((4096, 2), dtype=np.float32)
        try:
            while True:
                stream.write(block)
        except prtn.RtAudioError as error:
            errors.append(error)

    thread = threading.Thread(target=writer)
    thread.start()
    time.sleep(0.3)
    killed = stop_jackd(server, kill=True)
    thread.join(REPORT_BOUND)
    assert not thread.is_alive(), "the blocked write() wakes within 1 s"
    print(f"write() raised after {time.monotonic() - killed:.3f} s")
    expect_loss(lambda: (_ for _ in ()).throw(errors[0]))
    started = time.monotonic()
    stream.close()
    assert time.monotonic() - started < 2, "close() is prompt"
    return server


os.environ["JACK_DEFAULT_SERVER"] = NAME
server = start_jackd(NAME)
try:
    server = {"callback": callback_stream, "blocking": blocking_stream}[sys.argv[1]](server)
finally:
    if server.poll() is None:
        stop_jackd(server, kill=True)
    # A killed jackd keeps its slot in JACK's server registry (8 per machine) until a server
    # of the same name starts: start one and stop it properly.
    stop_jackd(start_jackd(NAME))
print("ok")
