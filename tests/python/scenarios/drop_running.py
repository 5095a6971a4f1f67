"""Drop a running stream's object without closing it, collect, then exit."""
import gc

from _common import start_counting_stream

audio = start_counting_stream()
del audio
gc.collect()
