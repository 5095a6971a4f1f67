#!/usr/bin/env python3
"""Lets the callback make the output that plays first, instead of silence.

A port of python-sounddevice's priming_output example (only the import differs): the first
call is flagged priming_output, with silent input flagged input_underflow; it puts a click at
the start of the output. The next call, the first of the running stream, stops it.
"""
import argparse

import pyrtaudionet as sd

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("-b", "--blocksize", type=int, default=0, help="frames per callback (0: the API's period)")
args = parser.parse_args()


def callback(indata, outdata, frames, time, status):
    outdata.fill(0)
    if status.priming_output:
        assert status.input_underflow, "a priming call's input is flagged as underflowed"
        assert not indata.any(), "a priming call's input is silence"
        print(f"priming {frames} frames of output")
        outdata[0] = 1
    else:
        print("running: the first call after priming stops the stream")
        raise sd.CallbackStop


try:
    with sd.Stream(channels=2, blocksize=args.blocksize, callback=callback,
                   prime_output_buffers_using_stream_callback=True) as stream:
        while stream.active:
            sd.sleep(100)
except KeyboardInterrupt:
    parser.exit(0, "")
except Exception as error:
    parser.exit(1, f"{type(error).__name__}: {error}\n")
