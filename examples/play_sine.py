#!/usr/bin/env python3
"""Plays a sine tone until Return is pressed (or for --seconds).

A port of python-sounddevice's play_sine example: only the import differs.
"""
import argparse
import sys
import threading

import numpy as np

import pyrtaudionet as sd


def device_arg(text: str) -> "int | str":
    return int(text) if text.isdigit() else text


parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("frequency", nargs="?", type=float, default=500, help="frequency in Hz (default: %(default)s)")
parser.add_argument("-d", "--device", type=device_arg, help="output device (id or part of its name)")
parser.add_argument("-a", "--amplitude", type=float, default=0.2, help="amplitude (default: %(default)s)")
parser.add_argument("--seconds", type=float, help="stop after this long instead of waiting for Return")
args = parser.parse_args()

position = 0
try:
    samplerate = sd.query_devices(args.device, "output")["default_samplerate"]

    def callback(outdata, frames, time, status):
        global position
        if status:
            print(status, file=sys.stderr)
        t = ((position + np.arange(frames)) / samplerate).reshape(-1, 1)
        outdata[:] = args.amplitude * np.sin(2 * np.pi * args.frequency * t)
        position += frames

    with sd.OutputStream(device=args.device, channels=1, callback=callback, samplerate=samplerate) as stream:
        if args.seconds is None:
            print("press Return to quit")
            input()
        else:
            threading.Event().wait(args.seconds)
        print(f"played {position} frames at {stream.samplerate:g} Hz")
except KeyboardInterrupt:
    parser.exit(0, "")
except Exception as error:
    parser.exit(1, f"{type(error).__name__}: {error}\n")
