#!/usr/bin/env python3
"""Records to a sound file until Ctrl+C (or for --seconds).

A port of python-sounddevice's rec_unlimited example: the audio callback only queues
blocks; the main thread writes them with soundfile (Debian python3-soundfile), in any format
it knows by the file name's extension.
"""
import argparse
import queue
import sys
import tempfile
import time

import numpy as np
import soundfile as sf

import pyrtaudionet as sd


def device_arg(text: str) -> "int | str":
    return int(text) if text.isdigit() else text


parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("filename", nargs="?", help="sound file to write (default: a new temporary WAV file)")
parser.add_argument("-d", "--device", type=device_arg, help="input device (id or part of its name)")
parser.add_argument("-r", "--samplerate", type=int, help="sample rate")
parser.add_argument("-c", "--channels", type=int, default=1, help="number of input channels")
parser.add_argument("-t", "--subtype", help='sound file subtype, e.g. "PCM_24" (default: the format\'s own)')
parser.add_argument("--seconds", type=float, help="stop after this long instead of waiting for Ctrl+C")
args = parser.parse_args()

blocks: "queue.Queue[np.ndarray]" = queue.Queue()


def callback(indata, frames, time, status):
    if status:
        print(status, file=sys.stderr)
    blocks.put(indata.copy())  # indata is reused for the next period: keep a copy


try:
    if args.samplerate is None:
        args.samplerate = int(sd.query_devices(args.device, "input")["default_samplerate"])
    if args.filename is None:
        args.filename = tempfile.mktemp(prefix="rec_unlimited_", suffix=".wav", dir="")
    frames = 0
    # mode "x": never overwrite an existing file
    with sf.SoundFile(args.filename, mode="x", samplerate=args.samplerate, channels=args.channels, subtype=args.subtype) as file:
        with sd.InputStream(samplerate=args.samplerate, device=args.device, channels=args.channels, callback=callback):
            print("press Ctrl+C to stop the recording")
            deadline = None if args.seconds is None else time.monotonic() + args.seconds
            while deadline is None or time.monotonic() < deadline:
                try:
                    block = blocks.get(timeout=0.05)
                except queue.Empty:
                    continue
                file.write(block)
                frames += len(block)
        while not blocks.empty():
            block = blocks.get()
            file.write(block)
            frames += len(block)
    print(f"recorded {frames} frames to {args.filename}")
except KeyboardInterrupt:
    print(f"\nrecording finished: {args.filename}")
    parser.exit(0)
except Exception as error:
    parser.exit(1, f"{type(error).__name__}: {error}\n")
