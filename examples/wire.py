#!/usr/bin/env python3
"""Passes the input straight to the output (or for --seconds).

A port of python-sounddevice's wire example: only the import differs.
"""
import argparse
import threading

import pyrtaudionet as sd


def device_arg(text: str) -> "int | str":
    return int(text) if text.isdigit() else text


parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("-i", "--input-device", type=device_arg, help="input device (id or part of its name)")
parser.add_argument("-o", "--output-device", type=device_arg, help="output device (id or part of its name)")
parser.add_argument("-c", "--channels", type=int, default=2, help="number of channels")
parser.add_argument("--dtype", help="sample type, e.g. float32")
parser.add_argument("--samplerate", type=float, help="sample rate")
parser.add_argument("--blocksize", type=int, help="block size")
parser.add_argument("--latency", type=float, help="latency in seconds")
parser.add_argument("--seconds", type=float, help="stop after this long instead of waiting for Return")
args = parser.parse_args()

periods = 0


def callback(indata, outdata, frames, time, status):
    global periods
    if status:
        print(status)
    outdata[:] = indata
    periods += 1


try:
    with sd.Stream(device=(args.input_device, args.output_device), samplerate=args.samplerate,
                   blocksize=args.blocksize, dtype=args.dtype, latency=args.latency,
                   channels=args.channels, callback=callback):
        if args.seconds is None:
            print("press Return to quit")
            input()
        else:
            threading.Event().wait(args.seconds)
    print(f"wired {periods} periods")
except KeyboardInterrupt:
    parser.exit(0, "")
except Exception as error:
    parser.exit(1, f"{type(error).__name__}: {error}\n")
