#!/usr/bin/env python3
"""Records into a buffer, then plays it back, each as an asyncio coroutine that awaits the end
of its stream.

A port of python-sounddevice's asyncio_coroutines example: the callback copies a period into or
out of the buffer and, at its end, tells the event loop (call_soon_threadsafe) and stops.
"""
import argparse
import asyncio

import numpy as np

import pyrtaudionet as sd

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("--seconds", type=float, default=3.0, help="length of the recording (default: %(default)s)")
args = parser.parse_args()


async def run_until_done(stream_class, buffer, copy):
    """Runs a stream whose callback calls ``copy(data, start, count)`` until ``buffer`` is done."""
    loop = asyncio.get_running_loop()
    done = asyncio.Event()
    position = 0

    def callback(data, frames, time, status):
        nonlocal position
        if status:
            print(status)
        count = min(frames, len(buffer) - position)
        copy(data, position, count)
        position += count
        if position == len(buffer):
            loop.call_soon_threadsafe(done.set)
            raise sd.CallbackStop

    with stream_class(callback=callback, channels=buffer.shape[1], dtype=buffer.dtype):
        await done.wait()


def record_into(buffer):
    def copy(indata, start, count):
        buffer[start:start + count] = indata[:count]
    return copy


def play_from(buffer):
    def copy(outdata, start, count):
        outdata[:count] = buffer[start:start + count]
        outdata[count:] = 0
    return copy


async def main():
    buffer = np.zeros((int(args.seconds * sd.query_devices(kind="input")["default_samplerate"]), 1), np.float32)
    await run_until_done(sd.InputStream, buffer, record_into(buffer))
    print(f"recorded {len(buffer)} frames")
    await run_until_done(sd.OutputStream, buffer, play_from(buffer))
    print(f"played {len(buffer)} frames")


asyncio.run(main())
