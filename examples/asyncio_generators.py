#!/usr/bin/env python3
"""Audio blocks as asyncio async generators: one over input blocks, one over duplex blocks
whose output the consumer fills.

A port of python-sounddevice's asyncio_generators example: the audio callback only hands each
block to the event loop (call_soon_threadsafe) and takes a finished output block from a queue,
so blocks of the fixed ``--blocksize`` flow between the audio thread and coroutines.
"""
import argparse
import asyncio
import queue

import numpy as np

import pyrtaudionet as sd

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("-b", "--blocksize", type=int, default=1024, help="frames per block (default: %(default)s)")
parser.add_argument("--seconds", type=float, default=3.0, help="how long each part runs (default: %(default)s)")
args = parser.parse_args()


async def input_blocks(**stream_args):
    """Yields (block, status) for each input block, copied off the audio thread."""
    arrived: asyncio.Queue = asyncio.Queue()
    loop = asyncio.get_running_loop()

    def callback(indata, frames, time, status):
        loop.call_soon_threadsafe(arrived.put_nowait, (indata.copy(), status))

    with sd.InputStream(callback=callback, **stream_args):
        while True:
            yield await arrived.get()


async def duplex_blocks(blocksize, channels=1, dtype="float32", head_start=4, **stream_args):
    """Yields (input block, output block to fill, status); the filled block is played
    ``head_start`` blocks later."""
    arrived: asyncio.Queue = asyncio.Queue()
    to_play: queue.Queue = queue.Queue()
    loop = asyncio.get_running_loop()
    for _ in range(head_start):
        to_play.put(np.zeros((blocksize, channels), dtype))

    def callback(indata, outdata, frames, time, status):
        loop.call_soon_threadsafe(arrived.put_nowait, (indata.copy(), status))
        outdata[:] = to_play.get_nowait()

    with sd.Stream(blocksize=blocksize, channels=channels, dtype=dtype, callback=callback, **stream_args):
        while True:
            indata, status = await arrived.get()
            outdata = np.empty((blocksize, channels), dtype)
            yield indata, outdata, status
            to_play.put_nowait(outdata)


async def levels(counts):
    async for block, status in input_blocks(blocksize=args.blocksize, channels=1):
        counts[len(block)] = counts.get(len(block), 0) + 1
        print(f"min {block.min():+.3f}  max {block.max():+.3f}{'  ' + str(status) if status else ''}")


async def wire(counts):
    async for indata, outdata, status in duplex_blocks(args.blocksize):
        counts[len(indata)] = counts.get(len(indata), 0) + 1
        outdata[:] = indata


async def main():
    for part in (levels, wire):
        counts: dict = {}
        try:
            await asyncio.wait_for(part(counts), timeout=args.seconds)
        except asyncio.TimeoutError:
            pass
        print(f"{part.__name__}: " + ", ".join(f"{n} blocks of {size}" for size, n in sorted(counts.items())))


asyncio.run(main())
