#!/usr/bin/env python3
"""Plays a sound file of any length while holding only a few blocks of it in memory.

A port of python-sounddevice's play_long_file and play_long_file_raw examples (it needs
python3-soundfile): the main thread reads the file block by block into a bounded queue; the
audio callback takes one block per call. That works because every callback gets exactly
``--blocksize`` frames, whatever period the audio server runs (the bridge re-blocks natively).
With ``--raw`` the blocks are bytes and the stream a RawOutputStream: no numpy involved.
"""
import argparse
import queue
import sys
import threading

import soundfile as sf

import pyrtaudionet as sd


def device_arg(text: str) -> "int | str":
    return int(text) if text.isdigit() else text


parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("filename", help="sound file to play")
parser.add_argument("-d", "--device", type=device_arg, help="output device (id or part of its name)")
parser.add_argument("-b", "--blocksize", type=int, default=2048, help="frames per callback (default: %(default)s)")
parser.add_argument("-q", "--buffersize", type=int, default=20, help="blocks held in memory (default: %(default)s)")
parser.add_argument("--raw", action="store_true", help="move bytes through a RawOutputStream instead of numpy arrays")
args = parser.parse_args()
if args.blocksize < 1 or args.buffersize < 1:
    parser.error("--blocksize and --buffersize must be at least 1")

blocks: "queue.Queue" = queue.Queue(maxsize=args.buffersize)
finished = threading.Event()
played = [0, 0]  # frames, callbacks


def callback(outdata, frames, time, status):
    if frames != args.blocksize:
        raise RuntimeError(f"the callback got {frames} frames, not the blocksize {args.blocksize}")
    if status:
        print(f"{status}: try a larger --blocksize", file=sys.stderr)
        raise sd.CallbackAbort
    try:
        block = blocks.get_nowait()
    except queue.Empty:
        print("the file could not be read fast enough: try a larger --buffersize", file=sys.stderr)
        raise sd.CallbackAbort from None
    outdata[:len(block)] = block
    outdata[len(block):] = bytes(len(outdata) - len(block)) if args.raw else 0
    count = len(block) // frame_bytes if args.raw else len(block)
    played[0] += count
    played[1] += 1
    if count < frames:  # the file's last block: it plays, then the stream stops
        raise sd.CallbackStop


def blocks_of(f: sf.SoundFile):
    """The file's blocks; the last one is shorter (empty if the file ends on a block boundary)."""
    while True:
        if args.raw:
            block = bytes(f.buffer_read(args.blocksize, dtype="float32"))
            full = len(block) == args.blocksize * frame_bytes
        else:
            block = f.read(args.blocksize, dtype="float32", always_2d=True)
            full = len(block) == args.blocksize
        yield block
        if not full:
            return


try:
    with sf.SoundFile(args.filename) as f:
        frame_bytes = 4 * f.channels  # float32 samples
        reader = blocks_of(f)
        for block in reader:  # a head start before the stream runs
            blocks.put_nowait(block)
            if blocks.full():
                break
        stream_class = sd.RawOutputStream if args.raw else sd.OutputStream
        stream = stream_class(dtype="float32", samplerate=f.samplerate, blocksize=args.blocksize, device=args.device,
                                 channels=f.channels, callback=callback, finished_callback=finished.set)
        with stream:
            for block in reader:
                blocks.put(block, timeout=args.blocksize * args.buffersize / f.samplerate)
            finished.wait()
except KeyboardInterrupt:
    parser.exit(1, "\ninterrupted\n")
print(f"played {played[0]} frames in {played[1]} callbacks of {args.blocksize}")
