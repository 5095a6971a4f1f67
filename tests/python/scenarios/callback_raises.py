"""An exception in the callback aborts the stream within a few periods and is re-raised, with its
traceback, by stop and close; the calls on the stream it left stopped or closed get RtAudio's
warnings, through the RtAudio object's Warning event."""
import time
import traceback

from _common import open_output, wait_until


class Boom(Exception):
    pass


calls = 0
raised_at = 0.0
warnings: list[str] = []


def on_warning(sender, args):
    warnings.append(str(args.Message))


def callback(outdata, indata, frames, stream_time, status):
    global calls, raised_at
    calls += 1
    if calls == 10:
        raised_at = time.monotonic()
        raise Boom("boom at call 10")


for closing in ("StopStream", "CloseStream"):
    calls = 0
    audio = open_output(callback)
    audio.Warning += on_warning
    audio.StartStream()
    assert wait_until(lambda: not audio.IsStreamRunning(), 5), "aborted"
    assert time.monotonic() - raised_at < 0.1, "aborted within a few periods"
    assert calls == 10, calls
    try:
        getattr(audio, closing)()
    except Boom as e:
        frames = traceback.extract_tb(e.__traceback__)
        assert any(f.name == "callback" for f in frames), frames
        print(closing, "re-raised", repr(e))
    else:
        raise AssertionError(f"{closing} did not re-raise")
    audio.CloseStream()  # reported once: nothing more to raise
    audio.Dispose()
    print(closing, "warned", warnings)
    warnings.clear()

# A bad return value is an error too.
audio = open_output(lambda *args: "yes")
audio.StartStream()
assert wait_until(lambda: not audio.IsStreamRunning(), 5)
try:
    audio.CloseStream()
except TypeError as e:
    assert "must return None, 0" in str(e), e
else:
    raise AssertionError("a bad return value was not reported")
