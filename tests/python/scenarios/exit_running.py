"""Exit with the stream still running: no stop, no close."""
from _common import start_counting_stream

audio = start_counting_stream()
