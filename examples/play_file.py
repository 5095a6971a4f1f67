#!/usr/bin/env python3
"""Plays a sound file: read whole with soundfile (python3-soundfile), then play() and wait().

A port of python-sounddevice's play_file example; wait() returns what the driver flagged.
"""
import argparse

import soundfile as sf

import pyrtaudionet as sd


def device_arg(text: str) -> "int | str":
    return int(text) if text.isdigit() else text


parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("filename", help="sound file to play")
parser.add_argument("-d", "--device", type=device_arg, help="output device (id or part of its name)")
args = parser.parse_args()
try:
    data, samplerate = sf.read(args.filename, dtype="float32", always_2d=True)
    sd.play(data, samplerate, device=args.device)
    status = sd.wait()
except KeyboardInterrupt:
    parser.exit(1, "\ninterrupted\n")
print(f"played {len(data)} frames{f' ({status})' if status else ''}")
