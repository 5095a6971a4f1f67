"""Streams with the python-sounddevice interface, over the .NET RtAudio objects.

Each stream owns one RtAudio instance. The callback runs on RtAudio's audio thread with the
GIL held and gets numpy arrays (shape (frames, channels)) created once per stream over
stream-owned memory: keeping one after the callback returns is safe, its contents are those
of a later period. ``Raw*`` streams get 1-D byte memoryviews of interleaved samples, write
any bytes-like object and read bytearrays, as python-sounddevice's do, and need no numpy;
without numpy the other streams' callbacks get memoryviews shaped (frames, channels).

Without a callback a stream is *blocking*: :meth:`~_StreamBase.write` and
:meth:`~_StreamBase.read` move data through native rings that the audio thread serves
without ever taking the GIL, so a busy Python program cannot make it glitch.
"""

from __future__ import annotations

import threading
import time as _time
import weakref
from contextlib import contextmanager
from typing import Any, Callable, Iterator, Optional

from PyRtAudioNet import BlockingOptions, StreamFlags, StreamOptions, StreamParameters  # type: ignore[import-not-found]
from System import TimeSpan  # type: ignore[import-not-found]
from PyRtAudioNet.Python import PythonStreams, SoundDeviceCallback  # type: ignore[import-not-found]

from . import _devices, _gate, _switch_interval
from ._blocking_io import FAILED, BlockingIO
from ._bridge_hooks import CallbackTime, array_wrapper, weak_hook
from ._checks import MAX_BLOCKSIZE, MAX_CHANNELS, MAX_NAME_BYTES, MAX_RING_FRAMES, MAX_TRANSFER_FRAMES, check_bool, check_int, check_latency, check_samplerate, check_timeout
from ._defaults import check_extra_settings, check_flag, default, one_for_both, pick
from ._dtypes import SampleType, sample_type
from ._errors import FLAGS, CallbackAbort, CallbackStop, RtAudioError, translate, translated_errors
from ._latency import buffering


class _StreamBase:
    """What Stream, InputStream, OutputStream and their Raw variants share.

    Threading: any thread may call the methods; the callback runs on the audio thread.
    """

    _kind = "duplex"
    _raw = False
    # Streams of play/rec/playrec (_transfers.py) hand their whole data to the bridge: neither a
    # callback nor blocking I/O.
    _hands_over = False

    @_gate.passing
    def __init__(self, samplerate: Optional[float] = None, blocksize: Optional[int] = None, device: Any = None,
                 channels: Any = None, dtype: Any = None, latency: Any = None, callback: Optional[Callable[..., Any]] = None,
                 finished_callback: Optional[Callable[[], Any]] = None, api: Optional[str] = None,
                 interleaved: bool = True, name: Optional[str] = None, autoconnect: bool = True,
                 ringsize: Optional[int] = None, switchinterval: Optional[float] = None, extra_settings: Any = None,
                 clip_off: Optional[bool] = None, dither_off: Optional[bool] = None, never_drop_input: Optional[bool] = None,
                 prime_output_buffers_using_stream_callback: Optional[bool] = None) -> None:
        # Every argument is checked before anything native is touched.
        if callback is not None and not callable(callback):
            raise TypeError(f"callback must be callable, not {callback!r}")
        if finished_callback is not None and not callable(finished_callback):
            raise TypeError(f"finished_callback must be callable, not {finished_callback!r}")
        samplerate = check_samplerate(samplerate if samplerate is not None else default.samplerate)
        blocksize = check_int("blocksize", blocksize if blocksize is not None else default.blocksize, 0, MAX_BLOCKSIZE)
        kinds = ("input", "output") if self._kind == "duplex" else (self._kind,)

        def one(name: str, value: Any) -> Any:  # the stream's single value of a setting that may be a pair
            return one_for_both(name, value) if self._kind == "duplex" else pick(value, self._kind)

        self._type: SampleType = sample_type(one("dtype", dtype if dtype is not None else default.dtype))
        latency = check_latency(one("latency", latency if latency is not None else default.latency))
        for kind in kinds:
            check_extra_settings("extra_settings", pick(extra_settings if extra_settings is not None else default.extra_settings, kind))
        for flag, value in (("clip_off", clip_off), ("dither_off", dither_off), ("never_drop_input", never_drop_input),
                            ("prime_output_buffers_using_stream_callback", prime_output_buffers_using_stream_callback)):
            check_flag(flag, value if value is not None else getattr(default, flag))
        # PortAudio's rule: only a callback can prime an output; the default applies where one can.
        can_prime = callback is not None and not self._hands_over and "output" in kinds
        if prime_output_buffers_using_stream_callback and not can_prime:
            raise ValueError("prime_output_buffers_using_stream_callback=True needs a callback stream with output: "
                             "only a callback can prime the output")
        prime = can_prime and bool(default.prime_output_buffers_using_stream_callback
                                   if prime_output_buffers_using_stream_callback is None
                                   else prime_output_buffers_using_stream_callback)
        check_bool("interleaved", interleaved)
        if callback is None and not interleaved:
            raise ValueError("interleaved=False needs a callback: blocking streams move interleaved frames")
        if ringsize is not None:
            check_int("ringsize", ringsize, 1, MAX_RING_FRAMES)
        switchinterval = _switch_interval.check(switchinterval)
        if name is not None and (not isinstance(name, str) or "\0" in name or len(name.encode()) > MAX_NAME_BYTES):
            raise ValueError(f"name={name!r} must be a str of at most {MAX_NAME_BYTES} UTF-8 bytes without NUL")
        wanted_channels = {}
        for kind in kinds:
            value = pick(channels if channels is not None else default.channels, kind)
            wanted_channels[kind] = None if value is None else check_int(f"{kind} channels", value, 1, MAX_CHANNELS)
        devices = {kind: pick(device if device is not None else default.device, kind) for kind in kinds}

        self._finished_callback = finished_callback
        self._callback = callback
        self._interleaved = interleaved
        self._time_info = CallbackTime()
        self._finish_lock = threading.Lock()
        # Held while _closed is set, and by the finished-callback thread around each poll, so that
        # it never asks a disposed RtAudio (raising ObjectDisposedException into Python).
        self._close_lock = threading.Lock()
        self._finish_pending = False
        self._closed = False
        self._dropped: Optional[weakref.finalize] = None
        self._switch_request: Optional[weakref.finalize] = None
        self._blocking = callback is None and not self._hands_over
        self._reported_underflows = 0
        self._reported_overflows = 0
        self._final_statistics: Any = None
        self._audio = _devices.open_rtaudio(api)
        try:
            # One JACK client kept open meanwhile: the queries and the open share its mapping of the server.
            with _devices.held_server(self._audio):
                params: dict[str, Any] = {"input": None, "output": None}
                self._channels: dict[str, int] = {}
                self._devices: dict[str, int] = {}
                for kind in kinds:
                    info = _devices.resolve(self._audio, devices[kind], kind)
                    available = int(info.InputChannels if kind == "input" else info.OutputChannels)
                    count = wanted_channels[kind] or available
                    if count > available:
                        raise ValueError(f"{kind} channels={count}: device {int(info.Id)} ({info.Name}) has {available}")
                    params[kind] = StreamParameters(info.Id, count, 0)
                    self._channels[kind] = count
                    self._devices[kind] = int(info.Id)
                    if samplerate is None:
                        samplerate = int(info.PreferredSampleRate)
                options = StreamOptions()
                # A blocksize asked for is what the callback gets, whatever period the API runs.
                options.FixedBlockSize = blocksize != 0
                options.PrimeOutputWithCallback = prime
                blocksize, options.NumberOfBuffers, ring_frames = buffering(latency, ringsize, blocksize, samplerate)
                flags = StreamFlags(0)
                if not interleaved:
                    flags |= StreamFlags.NonInterleaved
                if latency == "low":
                    flags |= StreamFlags.MinimizeLatency
                if not autoconnect:
                    flags |= StreamFlags.JackDontConnect
                options.Flags = flags
                options.StreamName = name or "pyrtaudionet"
                self._blocksize = self._open(params, samplerate, blocksize, ring_frames, options)
                if not self._blocking:
                    # Unreachable without close(): closed on a .NET thread-pool thread (this may run on the audio thread).
                    self._dropped = weakref.finalize(self, PythonStreams.CloseDropped, self._audio)
                    self._dropped.atexit = False  # at exit, PythonStreams.CloseAll closes it
            self._samplerate = float(self._audio.GetStreamSampleRate())
            # The API's period: where a callback's block is longer, it is still served within one.
            self._period_seconds = int(self._audio.GetStreamPeriod()) / self._samplerate
            latencies = self._audio.GetStreamLatencies()
            block = self._blocksize / self._samplerate
            self._time_info._input_latency = int(latencies.Input) / self._samplerate or block
            self._time_info._output_latency = int(latencies.Output) / self._samplerate or block
            self._name = str(options.StreamName)
            # When the server takes the stream away: finished_callback runs.
            PythonStreams.CallOnStreamFailed(self._audio, weak_hook(self._finished))
            if not self._hands_over:
                seconds = switchinterval or self._period_seconds * _switch_interval.PERIOD_SHARE
                # Released by close(), or when the stream is collected.
                self._switch_request = weakref.finalize(self, _switch_interval.release, _switch_interval.request(seconds))
        except BaseException as error:
            self._audio.Dispose()
            self._closed = True
            raise translate(error) from None

    def _open(self, params: dict[str, Any], samplerate: int, blocksize: int, ring_frames: int, options: Any) -> int:
        """Opens the native stream (a callback's, or a blocking one's); returns the granted period."""
        if not self._blocking:
            # The bridge calls the user's callback itself, with sounddevice's arguments.
            # The bridge calls the stopping hook (audio thread, GIL held) when the callback
            # stopped or aborted its stream, or failed.
            callback = SoundDeviceCallback(self._callback, self._time_info, self._time_info._clock, FLAGS, CallbackStop, CallbackAbort,
                                           array_wrapper(self._raw, self._interleaved), weak_hook(self._finish_when_stopped))
            return int(PythonStreams.OpenSoundDeviceStream(self._audio, params["output"], params["input"], self._type.format,
                                                           samplerate, blocksize, callback, options))
        blocking = BlockingOptions()
        blocking.RingFrames = ring_frames
        granted = int(self._audio.OpenBlockingStream(params["output"], params["input"], self._type.format,
                                                     samplerate, blocksize, blocking, options))
        self._io = BlockingIO(self._audio, self._type, self._channels, self._raw)
        return granted

    @_gate.passing
    def _wait_stopped(self, seconds: float) -> bool:
        """Waits at most ``seconds`` (with the GIL released) until the stream no longer runs: it
        stopped itself, was stopped or closed (also by another thread). Returns whether it has."""
        if self._closed:
            return True
        with self._translated_errors("wait: "):
            return bool(self._audio.WaitUntilStopped(TimeSpan.FromSeconds(seconds)))

    # --- the audio thread ---------------------------------------------------------------

    def _finish_when_stopped(self) -> None:
        """Calls finished_callback, on a helper thread, once the stream has stopped itself."""
        threading.Thread(target=self._await_stop, name="pyrtaudionet-finished", daemon=True).start()

    def _await_stop(self) -> None:
        while True:
            try:
                if self._stopped_or_closed():
                    break
            except Exception:
                break
            _time.sleep(0.002)
        self._finished()

    @_gate.passing
    def _stopped_or_closed(self) -> bool:
        """Whether the stream was closed or no longer runs. The gate comes before _close_lock:
        at exit this thread stops in the gate without the lock, which a close() on another
        thread, counted in the gate, is waiting for (it was a deadlock until exit gave up)."""
        with self._close_lock:
            return self._closed or not self._audio.IsStreamRunning()

    def _finished(self) -> None:
        with self._finish_lock:
            if not self._finish_pending:
                return
            self._finish_pending = False
        if self._finished_callback is not None:
            self._finished_callback()

    # --- control ------------------------------------------------------------------------

    def _call(self, method: str) -> Any:
        """Calls a method of the .NET RtAudio; its exceptions become this API's."""
        if self._closed:
            raise RtAudioError(f"{method}: the stream is closed", "InvalidUse")
        with self._translated_errors(f"{method}: "):
            return getattr(self._audio, method)()

    def _statistics(self) -> Any:
        """The stream's counters; the last ones once it is closed (also by another thread meanwhile)."""
        try:
            return self._final_statistics if self._closed else self._call("GetStreamStatistics")
        except RtAudioError:
            if self._closed:
                return self._final_statistics
            raise

    @_gate.passing
    def start(self) -> None:
        """Starts the stream (the callback begins to run)."""
        with self._finish_lock:
            self._finish_pending = True
        self._call("StartStream")

    @_gate.passing
    def stop(self, ignore_errors: bool = True) -> None:
        """Stops after the output already produced has played; re-raises a callback's exception.
        A blocking stream first plays out everything written to it (waiting at most as long as
        its rings hold plus a second). With ``ignore_errors`` (the default, as in sounddevice)
        stopping a closed stream is no error; a failure of the stream (its server went, the
        driver failed), a refusal and a callback's exception are raised whatever it says."""
        self._halt("StopStream", ignore_errors)

    @_gate.passing
    def abort(self, ignore_errors: bool = True) -> None:
        """Stops at once, dropping pending output (a blocking stream's unplayed writes too, so a
        restart plays only what is written after it); re-raises a callback's exception.
        (``ignore_errors``: as in :meth:`stop`.)"""
        self._halt("AbortStream", ignore_errors)

    def _halt(self, method: str, ignore_errors: bool) -> None:
        check_bool("ignore_errors", ignore_errors)
        try:
            self._call(method)
        except RtAudioError:
            if not (ignore_errors and self._closed):  # closed before or meanwhile: nothing to stop
                raise
        finally:
            self._finished()

    @_gate.passing
    def close(self, ignore_errors: bool = True) -> None:
        """Stops (if needed) and closes the stream; idempotent. Re-raises a callback's exception
        and a failure of the stream. From inside the stream's own callback it raises RtAudioError
        (InvalidUse) and closes nothing (raise CallbackStop/CallbackAbort there instead).
        (``ignore_errors`` is sounddevice's: closing a closed stream is no error either way.)"""
        check_bool("ignore_errors", ignore_errors)
        if self._closed:
            return
        try:
            with translated_errors():
                statistics = self._audio.GetStreamStatistics()
        except RtAudioError:
            if self._closed:  # closed by another thread meanwhile
                return
            raise
        try:
            with translated_errors():
                self._audio.CloseStream()
        except BaseException:
            if self._still_open():
                raise  # refused (called from the stream's own callback): nothing was closed
            self._release(statistics)
            raise
        self._release(statistics)

    @contextmanager
    def _translated_errors(self, prefix: str) -> Iterator[None]:
        """translated_errors(), and a failure caused by a close() on another thread during the
        call reported as what it is: "the stream is closed" (after ``prefix``)."""
        try:
            with translated_errors():
                yield
        except RtAudioError:
            if not self._still_open() or self._closed:
                raise RtAudioError(f"{prefix}the stream is closed", "InvalidUse") from None
            raise

    def _still_open(self) -> bool:
        """Whether the native stream is open; True when that cannot be asked (disposed: _closed
        is set before, so a caller racing close() asks this first, then _closed)."""
        try:
            return bool(self._audio.IsStreamOpen())
        except Exception:
            return True

    def _release(self, statistics: Any) -> None:
        """After the native stream closed: keeps its last counters, calls finished_callback, frees the instance."""
        self._final_statistics = statistics
        with self._close_lock:
            self._closed = True
        if self._dropped is not None:
            self._dropped.detach()
        if self._switch_request is not None:
            self._switch_request()
        try:
            self._finished()
        finally:
            self._audio.Dispose()

    # --- blocking streams ---------------------------------------------------------------------

    def _require_blocking(self, operation: str, kind: str) -> None:
        if not self._blocking:
            raise RuntimeError(f"{operation}() is for streams without a callback")
        if kind not in self._channels:
            raise RuntimeError(f"{operation}(): the stream has no {kind}")

    def _transfer(self, move: Callable[[Any, int, float], int], array: Any, frames: int, timeout: Optional[float]) -> int:
        """Moves the ``frames`` frames of ``array`` (``move``: the port's write or read); returns
        the ring's xrun count, or -1 if another thread closed the stream meanwhile."""
        timeout = check_timeout(timeout)
        if self._closed:
            raise RtAudioError("the stream is closed", "InvalidUse")
        result = move(array, frames, -1.0 if timeout is None else timeout)
        if result == FAILED:
            with self._translated_errors(""):
                self._io.rethrow_failure()
        return result

    @_gate.passing
    def write(self, data: Any, timeout: Optional[float] = None) -> bool:
        """Blocking streams: writes ``data`` ((frames, channels), the stream's dtype; for Raw
        streams any bytes-like object of interleaved samples), waiting while the ring is full. Returns whether output underflowed since the last check.
        Raises TimeoutError after ``timeout`` seconds, RtAudioError if the stream is stopped
        with a full ring or closed (also when closed by another thread while waiting), ValueError
        for more than 2**30 frames in one call."""
        self._require_blocking("write", "output")
        array, frames = self._io.frames_of(data, "output")
        if frames > MAX_TRANSFER_FRAMES:
            raise ValueError(f"data has {frames} frames; one write() takes at most {MAX_TRANSFER_FRAMES}")
        underflows = self._transfer(self._io.write, array, frames, timeout)
        if underflows < 0:  # closed by another thread meanwhile: its final counters
            underflows = int(self._statistics().RingUnderflows)
        underflowed, self._reported_underflows = underflows > self._reported_underflows, underflows
        return underflowed

    @_gate.passing
    def read(self, frames: int, timeout: Optional[float] = None) -> tuple[Any, bool]:
        """Blocking streams: reads ``frames`` frames, waiting until they have arrived. Returns
        ``(data, overflowed)``: whether input was dropped since the last check. ``data`` is an
        array (frames, channels) of the stream's dtype; for Raw streams a bytearray of
        interleaved samples."""
        self._require_blocking("read", "input")
        check_int("frames", frames, 0, MAX_TRANSFER_FRAMES)
        array = self._io.input_buffer(frames)
        overflows = self._transfer(self._io.read, array, frames, timeout)
        if overflows < 0:
            overflows = int(self._statistics().RingOverflows)
        overflowed, self._reported_overflows = overflows > self._reported_overflows, overflows
        return array, overflowed

    @property
    @_gate.passing
    def write_available(self) -> int:
        """Frames write() takes now without waiting."""
        self._require_blocking("write_available", "output")
        return int(self._call("GetWriteAvailable"))

    @property
    @_gate.passing
    def read_available(self) -> int:
        """Frames read() delivers now without waiting."""
        self._require_blocking("read_available", "input")
        return int(self._call("GetReadAvailable"))

    def __enter__(self) -> "_StreamBase":
        self.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        try:
            self.stop()
        finally:
            self.close()

    # --- state ----------------------------------------------------------------------------

    @property
    @_gate.passing
    def active(self) -> bool:
        """Whether the stream is running (False after stop() or a CallbackStop)."""
        try:
            return not self._closed and bool(self._call("IsStreamRunning"))
        except RtAudioError:
            if self._closed:  # closed by another thread meanwhile
                return False
            raise

    @property
    @_gate.passing
    def stopped(self) -> bool:
        """Whether the stream is not running."""
        return not self.active

    @property
    def closed(self) -> bool:
        """Whether close() was called."""
        return self._closed

    @property
    def samplerate(self) -> float:
        """The sample rate the device runs at."""
        return self._samplerate

    @property
    def blocksize(self) -> int:
        """Frames per callback, or per block a blocking stream's rings trade with the device:
        the ``blocksize`` asked for (the bridge re-blocks where the API runs another period,
        which adds a block of latency); with ``blocksize=0``, the period the API granted."""
        return self._blocksize

    def _per_direction(self, value_of: Callable[[str], Any]) -> Any:
        """A duplex stream's (input, output) pair of a property, or a one-way stream's value."""
        if self._kind == "duplex":
            return (value_of("input"), value_of("output"))
        return value_of(self._kind)

    @property
    def device(self) -> Any:
        """The device id; (input, output) ids for a duplex stream."""
        return self._per_direction(self._devices.__getitem__)

    @property
    def dtype(self) -> Any:
        """The sample type name; an (input, output) pair for a duplex stream (RtAudio has one
        format for both: the halves are equal)."""
        return self._per_direction(lambda kind: self._type.name)

    @property
    def samplesize(self) -> Any:
        """Bytes per sample; an (input, output) pair for a duplex stream."""
        return self._per_direction(lambda kind: self._type.size)

    @property
    def name(self) -> str:
        """The stream's name (its JACK client name)."""
        return self._name

    @property
    @_gate.passing
    def time(self) -> float:
        """Seconds of audio processed since start; after a CallbackStop or CallbackAbort it stays
        at the end of the callback's last period until the stream is started again."""
        return float(self._call("GetStreamTime"))

    @property
    @_gate.passing
    def latency(self) -> Any:
        """The latency in seconds as the API reports it; an (input, output) pair for a duplex
        stream, as in sounddevice. Where the bridge re-blocks for a ``blocksize`` the block is
        counted on the output side (on the input side of an input-only stream)."""
        latencies = self._call("GetStreamLatencies")
        frames = {"input": int(latencies.Input), "output": int(latencies.Output)}
        return self._per_direction(lambda kind: frames[kind] / self._samplerate)

    @property
    @_gate.passing
    def cpu_load(self) -> float:
        """Fraction of the period the audio thread spends in the bridge and the callback,
        averaged over about the last 8 periods (measured natively; 0.0 once closed)."""
        try:
            with translated_errors():
                recent = 0.0 if self._closed else float(self._audio.GetCallbackDurations().RecentMicroseconds)
        except RtAudioError:
            if self._closed:  # closed by another thread meanwhile
                return 0.0
            raise
        return recent * 1e-6 / self._period_seconds

    @property
    @_gate.passing
    def output_underflows(self) -> int:
        """Periods the driver flagged with an output underflow."""
        return int(self._statistics().OutputUnderflows)

    @property
    @_gate.passing
    def input_overflows(self) -> int:
        """Periods the driver flagged with an input overflow."""
        return int(self._statistics().InputOverflows)


class Stream(_StreamBase):
    """A duplex stream: ``callback(indata, outdata, frames, time, status)``; ``channels`` and
    ``device`` may be (input, output) pairs."""

    _kind = "duplex"

    @property
    def channels(self) -> tuple[int, int]:
        """(input, output) channel counts."""
        return (self._channels["input"], self._channels["output"])


class InputStream(_StreamBase):
    """A recording stream: ``callback(indata, frames, time, status)``."""

    _kind = "input"

    @property
    def channels(self) -> int:
        """Input channel count."""
        return self._channels["input"]


class OutputStream(_StreamBase):
    """A playback stream: ``callback(outdata, frames, time, status)``; write ``outdata`` in place."""

    _kind = "output"

    @property
    def channels(self) -> int:
        """Output channel count."""
        return self._channels["output"]


class RawStream(Stream):
    """Stream with byte buffers instead of numpy arrays: callbacks get 1-D byte memoryviews of
    interleaved samples, ``write`` takes any bytes-like object, ``read`` returns a bytearray."""

    _raw = True


class RawInputStream(InputStream):
    """InputStream with byte buffers instead of numpy arrays (see :class:`RawStream`)."""

    _raw = True


class RawOutputStream(OutputStream):
    """OutputStream with byte buffers instead of numpy arrays (see :class:`RawStream`)."""

    _raw = True
