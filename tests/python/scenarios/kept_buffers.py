"""Buffers kept after the callback returned, and after close, refer to memory they own."""
import gc

import numpy as np

from _common import open_output, wait_until

kept = []


def callback(outdata, indata, frames, stream_time, status):
    if len(kept) < 3:
        kept.append((outdata, np.asarray(outdata)))
    np.asarray(outdata)[:] = 0.5


audio = open_output(callback)
audio.StartStream()
assert wait_until(lambda: len(kept) == 3, 5)
view, array = kept[0]
assert view.shape == (64, 2) and array.shape == (64, 2)
array[:] = 1.0  # writing while the stream runs is memory-safe (stream-owned memory)
audio.StopStream()
audio.CloseStream()
audio.Dispose()
del audio
gc.collect()

# After close: the views and arrays still read and write the memory their bytearray owns.
for view, array in kept:
    array[:] = 0.75
    assert bytes(view) == np.full((64, 2), 0.75, dtype=np.float32).tobytes()
    storage = view.obj
    assert isinstance(storage, bytearray) and len(storage) == 64 * 2 * 4
    try:
        storage.extend(b"x")  # exported: it cannot move under the views
    except BufferError:
        pass
    else:
        raise AssertionError("the storage could be resized under an exported view")
print("kept buffers:", len(kept))
