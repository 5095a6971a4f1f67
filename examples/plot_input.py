#!/usr/bin/env python3
"""Plots the live input of channels in a window (matplotlib).

A port of python-sounddevice's plot_input example: the audio callback only queues a
downsampled copy of each block; matplotlib's animation timer, on the main thread, moves what
arrived into the plotted window. Closing the window (or --seconds) ends it; at the end it says
how many updates it drew and the largest level it plotted.
"""
import argparse
import queue
import sys

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.animation import FuncAnimation

import pyrtaudionet as sd


def device_arg(text: str) -> "int | str":
    return int(text) if text.isdigit() else text


parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("channels", type=int, default=[1], nargs="*", metavar="CHANNEL",
                    help="input channels to plot, counted from 1 (default: the first)")
parser.add_argument("-d", "--device", type=device_arg, help="input device (id or part of its name)")
parser.add_argument("-w", "--window", type=float, default=200, metavar="MS", help="visible time slot (default: %(default)s ms)")
parser.add_argument("-i", "--interval", type=float, default=30, metavar="MS", help="minimum time between plot updates (default: %(default)s ms)")
parser.add_argument("-b", "--blocksize", type=int, help="frames per callback")
parser.add_argument("-r", "--samplerate", type=float, help="sample rate of the device")
parser.add_argument("-n", "--downsample", type=int, default=10, metavar="N", help="plot every N-th sample (default: %(default)s)")
parser.add_argument("--seconds", type=float, help="close the window after this long")
args = parser.parse_args()
if any(c < 1 for c in args.channels):
    parser.error("channel numbers start at 1")
if args.downsample < 1:
    parser.error("--downsample must be at least 1")
columns = [c - 1 for c in args.channels]
arrived: "queue.Queue[np.ndarray]" = queue.Queue()
updates = 0
peak = 0.0


def audio_callback(indata, frames, time, status):
    if status:
        print(status, file=sys.stderr)
    arrived.put(indata[::args.downsample, columns])  # fancy indexing copies: indata is reused


def update_plot(frame):
    """matplotlib's timer: shifts everything that arrived since the last update into the window."""
    global plotted, updates, peak
    while True:
        try:
            data = arrived.get_nowait()
        except queue.Empty:
            break
        shift = min(len(data), len(plotted))
        plotted = np.roll(plotted, -shift, axis=0)
        plotted[-shift:] = data[-shift:]
        peak = max(peak, float(np.abs(data).max(initial=0.0)))
    for column, line in enumerate(lines):
        line.set_ydata(plotted[:, column])
    updates += 1
    return lines


try:
    if args.samplerate is None:
        args.samplerate = sd.query_devices(args.device, "input")["default_samplerate"]
    plotted = np.zeros((int(args.window * args.samplerate / (1000 * args.downsample)), len(columns)))
    figure, axes = plt.subplots()
    lines = axes.plot(plotted)
    if len(columns) > 1:
        axes.legend([f"channel {c}" for c in args.channels], loc="lower left", ncol=len(columns))
    axes.axis((0, len(plotted), -1, 1))
    axes.set_yticks([0])
    axes.yaxis.grid(True)
    axes.tick_params(bottom=False, top=False, labelbottom=False, right=False, left=False, labelleft=False)
    figure.tight_layout(pad=0)
    stream = sd.InputStream(device=args.device, channels=max(args.channels), samplerate=args.samplerate,
                            blocksize=args.blocksize, callback=audio_callback)
    animation = FuncAnimation(figure, update_plot, interval=args.interval, blit=True, cache_frame_data=False)
    if args.seconds is not None:
        closer = figure.canvas.new_timer(interval=int(args.seconds * 1000))
        closer.single_shot = True
        closer.add_callback(plt.close, figure)
        closer.start()
    with stream:
        print("plotting", flush=True)
        plt.show()
    print(f"drew {updates} updates, peak {peak:.3f}")
except Exception as error:
    parser.exit(1, f"{type(error).__name__}: {error}\n")
