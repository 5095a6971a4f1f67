#!/usr/bin/env python3
"""Shows a live text-mode spectrogram of an input, one line per block.

A port of python-sounddevice's spectrogram example: the callback takes the FFT of each block
and prints the magnitudes between two frequencies as one line of shades (ANSI colours on a
terminal, an ASCII ramp when the output is piped). Keys: <enter> quits, + or - then <enter>
doubles or halves the gain.
"""
import argparse
import math
import shutil
import sys

import numpy as np

import pyrtaudionet as sd

ASCII_SHADES = " .:-=+*#%@"


def device_arg(text: str) -> "int | str":
    return int(text) if text.isdigit() else text


def ansi_shades() -> list:
    """Background/foreground colour pairs with a fill character: dark to bright."""
    colours = (30, 34, 35, 91, 93, 97)
    shades = []
    for dark, bright in zip(colours, colours[1:]):
        for char in " :%#":
            shades.append(f"\x1b[{bright};{dark + 10}m{char}")
        for char in "#%:":
            shades.append(f"\x1b[{dark};{bright + 10}m{char}")
    return shades


parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("-l", "--list-devices", action="store_true", help="show the audio devices and exit")
parser.add_argument("-b", "--block-duration", type=float, metavar="MS", default=50, help="block length (default %(default)s ms)")
parser.add_argument("-c", "--columns", type=int, default=shutil.get_terminal_size().columns, help="width of the spectrogram")
parser.add_argument("-d", "--device", type=device_arg, help="input device (id or part of its name)")
parser.add_argument("-g", "--gain", type=float, default=10, help="initial gain factor (default %(default)s)")
parser.add_argument("-r", "--range", type=float, nargs=2, metavar=("LOW", "HIGH"), default=[100, 2000],
                    help="frequency range (default %(default)s Hz)")
args = parser.parse_args()
if args.list_devices:
    print(sd.query_devices())
    parser.exit(0)
low, high = args.range
if not 0 <= low < high:
    parser.error("the range must be 0 <= LOW < HIGH")
if args.columns < 2:
    parser.error("at least 2 columns")

coloured = sys.stdout.isatty()
shades = ansi_shades() if coloured else list(ASCII_SHADES)
reset = "\x1b[0m" if coloured else ""

try:
    samplerate = sd.query_devices(args.device, "input")["default_samplerate"]
    hz_per_column = (high - low) / (args.columns - 1)
    fft_size = math.ceil(samplerate / hz_per_column)
    first_bin = math.floor(low / hz_per_column)

    def callback(indata, frames, time, status):
        if status:
            print(f" {status} ".center(args.columns, "#"), flush=True)
        if not indata.any():
            print("no input", flush=True)
            return
        magnitude = np.abs(np.fft.rfft(indata[:, 0], n=fft_size)) * (args.gain / fft_size)
        levels = np.clip(magnitude[first_bin:first_bin + args.columns], 0, 1) * (len(shades) - 1)
        print("".join(shades[int(level)] for level in levels) + reset, flush=True)

    with sd.InputStream(device=args.device, channels=1, callback=callback, samplerate=samplerate,
                        blocksize=int(samplerate * args.block_duration / 1000)):
        while True:
            response = input()
            if response in ("", "q", "Q"):
                break
            for key in response:
                if key == "+":
                    args.gain *= 2
                elif key == "-":
                    args.gain /= 2
except (KeyboardInterrupt, EOFError):
    parser.exit(1, "\ninterrupted\n")
except Exception as error:
    parser.exit(1, f"{type(error).__name__}: {error}\n")
