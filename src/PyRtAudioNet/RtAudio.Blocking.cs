using System.Diagnostics;
using System.Runtime.CompilerServices;
using PyRtAudioNet.Interop;

namespace PyRtAudioNet;

/// <summary>
/// Blocking streams: the audio thread only moves samples between the device and two native
/// lock-free rings, so it never waits for .NET (GC) or Python (GIL). <see cref="Write{T}"/> and
/// <see cref="Read{T}"/> block the caller — never the audio thread — until the data fits or
/// arrives. Threading: any thread; writers are serialized with each other, and so are readers;
/// the waiting happens outside the object's lock (and with the GIL released), so stop, close
/// and queries from other threads proceed, and a close wakes a blocked caller, which then throws.
/// </summary>
public sealed partial class RtAudio
{
    /// <summary>Longest single wait for the audio thread; cancellation and timeouts are checked in between.</summary>
    private const int WaitSliceMilliseconds = 50;

    private readonly Lock _writers = new();
    private readonly Lock _readers = new();
    private volatile BlockingLayout? _blocking;

    /// <summary>
    /// Opens a blocking stream: no callback; feed it with <see cref="Write{T}"/> and drain it with
    /// <see cref="Read{T}"/>. Write up to a ring's worth before <see cref="StartStream"/> to start
    /// without an underflow.
    /// </summary>
    /// <returns>
    /// The period in frames the API granted; with <see cref="StreamOptions.FixedBlockSize"/>, the asked
    /// <paramref name="bufferFrames"/> (when not 0): the rings then trade blocks of that size with the device.
    /// </returns>
    /// <exception cref="ArgumentException">A bad argument, named with its value.</exception>
    /// <exception cref="RtAudioException">RtAudio refused to open the stream.</exception>
    public unsafe uint OpenBlockingStream(StreamParameters? output, StreamParameters? input, RtAudioFormat format, uint sampleRate, uint bufferFrames, BlockingOptions? blocking = null, StreamOptions? options = null)
    {
        StreamArguments.Validate(output, input, format, sampleRate, bufferFrames, options, callback: false);
        if (((options?.Flags ?? StreamFlags.None) & StreamFlags.NonInterleaved) != 0)
            throw new ArgumentException("blocking streams move whole interleaved frames: NonInterleaved is not supported", nameof(options));
        var nativeBlocking = new NativeBlockingOptions
        {
            RingFrames = blocking?.RingFrames ?? 0,
            UnderflowMode = (uint)(blocking?.Underflow ?? UnderflowMode.Pad),
        };
        if (nativeBlocking.RingFrames > RtAudioLimits.MaxRingFrames)
            throw new ArgumentOutOfRangeException(nameof(blocking), nativeBlocking.RingFrames, $"RingFrames must be at most {RtAudioLimits.MaxRingFrames}");
        if (!Enum.IsDefined((UnderflowMode)nativeBlocking.UnderflowMode))
            throw new ArgumentOutOfRangeException(nameof(blocking), blocking!.Underflow, "not a defined UnderflowMode");
        int sampleBytes = RtAudioLimits.SampleBytes(format);
        using (Enter())
        {
            uint granted = OpenNative(output, input, bufferFrames, options, nameof(OpenBlockingStream),
                (NativeStreamParameters* nativeOutput, NativeStreamParameters* nativeInput, ref uint frames, ref NativeStreamOptions nativeOptions, byte* name) =>
                    NativeMethods.OpenBlockingStream(_handle, nativeOutput, nativeInput, (uint)format, sampleRate, ref frames, ref nativeOptions, name, in nativeBlocking));
            _blocking = new BlockingLayout(format, (int)(output?.Channels ?? 0) * sampleBytes, (int)(input?.Channels ?? 0) * sampleBytes);
            return granted;
        }
    }

    /// <summary>
    /// Writes all of <paramref name="samples"/> (whole interleaved frames) to the output ring,
    /// waiting while it is full.
    /// </summary>
    /// <returns>The frames written (all of them).</returns>
    /// <exception cref="ArgumentException">The sample type or length does not fit the stream.</exception>
    /// <exception cref="TimeoutException"><paramref name="timeout"/> passed first; the message says how much was written.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="RtAudioException">No blocking output is open, it was closed while waiting, or it is stopped with a full ring.</exception>
    public unsafe int Write<T>(ReadOnlySpan<T> samples, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        int bytesPerFrame = RequireLayout<T>(nameof(Write), output: true);
        int frames = WholeFrames<T>(samples.Length, bytesPerFrame, nameof(samples));
        fixed (T* data = samples)
            return WriteFrames((byte*)data, frames, timeout, cancellationToken);
    }

    /// <summary>Fills all of <paramref name="samples"/> from the input ring, waiting for data to arrive.</summary>
    /// <returns>The frames read (all of them).</returns>
    /// <exception cref="ArgumentException">The sample type or length does not fit the stream.</exception>
    /// <exception cref="TimeoutException"><paramref name="timeout"/> passed first; the message says how much was read.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    /// <exception cref="RtAudioException">No blocking input is open, it was closed while waiting, or it is stopped with too little data.</exception>
    public unsafe int Read<T>(Span<T> samples, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where T : unmanaged
    {
        int bytesPerFrame = RequireLayout<T>(nameof(Read), output: false);
        int frames = WholeFrames<T>(samples.Length, bytesPerFrame, nameof(samples));
        fixed (T* data = samples)
            return ReadFrames((byte*)data, frames, timeout, cancellationToken);
    }

    /// <summary>Frames <see cref="Write{T}"/> can take now without waiting.</summary>
    public uint GetWriteAvailable() => Query<uint>(NativeMethods.StreamWriteAvailable, nameof(GetWriteAvailable));

    /// <summary>Frames <see cref="Read{T}"/> can deliver now without waiting.</summary>
    public uint GetReadAvailable() => Query<uint>(NativeMethods.StreamReadAvailable, nameof(GetReadAvailable));

    /// <summary>Writes <paramref name="frames"/> frames from raw memory (the Python bridge's entry).</summary>
    internal unsafe int WriteFrames(byte* data, int frames, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using (EnterSide(_writers))
            return Transfer(data, frames, write: true, timeout, cancellationToken);
    }

    /// <summary>Reads <paramref name="frames"/> frames into raw memory (the Python bridge's entry).</summary>
    internal unsafe int ReadFrames(byte* data, int frames, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using (EnterSide(_readers))
            return Transfer(data, frames, write: false, timeout, cancellationToken);
    }

    /// <summary>
    /// Enters the writers' or readers' lock; a contended wait goes through <see cref="BlockingWait"/>,
    /// as for the object's lock: the holder may be waiting for the audio thread, and a caller
    /// holding a host's lock (the GIL) must not keep it meanwhile.
    /// </summary>
    private static LockHeld EnterSide(Lock side)
    {
        if (!side.TryEnter())
            WaitFor(side);
        return new LockHeld(side);
    }

    /// <summary>Bytes per frame of the open blocking stream's output or input.</summary>
    internal int BytesPerFrame(bool output, string operation)
    {
        var layout = _blocking ?? throw new RtAudioException(RtAudioErrorType.InvalidUse, $"{operation}: no blocking stream is open (use OpenBlockingStream)");
        int bytes = output ? layout.OutputBytesPerFrame : layout.InputBytesPerFrame;
        return bytes > 0 ? bytes : throw new RtAudioException(RtAudioErrorType.InvalidUse, $"{operation}: the stream has no {(output ? "output" : "input")}");
    }

    private int RequireLayout<T>(string operation, bool output)
        where T : unmanaged
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int bytesPerFrame = BytesPerFrame(output, operation);
        StreamArguments.RequireSampleType<T>(_blocking!.Format, "samples");
        return bytesPerFrame;
    }

    private static int WholeFrames<T>(int length, int bytesPerFrame, string argumentName)
        where T : unmanaged
    {
        long bytes = (long)length * Unsafe.SizeOf<T>();
        if (bytes % bytesPerFrame != 0)
            throw new ArgumentException($"{argumentName} has {length} samples, not a whole number of frames of {bytesPerFrame / Unsafe.SizeOf<T>()} samples", argumentName);
        return checked((int)(bytes / bytesPerFrame));
    }

    private unsafe int Transfer(byte* data, int frames, bool write, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        string operation = write ? nameof(Write) : nameof(Read);
        CheckTimeout(timeout);
        int bytesPerFrame = BytesPerFrame(write, operation);
        long started = Stopwatch.GetTimestamp();
        int done = 0;
        while (done < frames)
        {
            uint moved;
            int running = 1;
            using (Enter())
            {
                byte* position = data + ((long)done * bytesPerFrame);
                uint wanted = (uint)(frames - done);
                CheckQuiet(write ? NativeMethods.StreamWrite(_handle, position, wanted, out moved) : NativeMethods.StreamRead(_handle, position, wanted, out moved), operation);
                if (moved == 0)
                    CheckQuiet(NativeMethods.IsStreamRunning(_handle, out running), operation);
            }
            done += (int)moved;
            if (done == frames)
                break;
            if (moved == 0 && running == 0)
            {
                throw new RtAudioException(RtAudioErrorType.InvalidUse, $"{operation}: the stream is not running, so its ring will not {(write ? "drain" : "fill")} ({done} of {frames} frames {(write ? "written" : "read")})");
            }
            switch (WaitOneSlice(timeout, started, cancellationToken))
            {
                case SliceEnd.TimedOut:
                    throw new TimeoutException($"{operation}: timed out after {timeout!.Value.TotalSeconds:0.###} s with {done} of {frames} frames {(write ? "written" : "read")}");
                case SliceEnd.Interrupted:
                    throw new OperationCanceledException($"{operation}: interrupted with {done} of {frames} frames {(write ? "written" : "read")}");
            }
        }
        return done;
    }

    /// <summary>A wait's timeout: null or <see cref="Timeout.InfiniteTimeSpan"/> (no limit), or at least zero.</summary>
    private static void CheckTimeout(TimeSpan? timeout)
    {
        if (timeout is { } limit && limit < TimeSpan.Zero && limit != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "timeout must be >= 0 (or null to wait as long as it takes)");
    }

    /// <summary>How <see cref="WaitOneSlice"/> ended.</summary>
    private enum SliceEnd
    {
        Waited,
        TimedOut,
        Interrupted,
    }

    /// <summary>
    /// Waits for the audio thread's next wake-up of waiters, at most one slice (less when
    /// <paramref name="timeout"/>, counted from <paramref name="started"/>, has less left):
    /// <see cref="SliceEnd.TimedOut"/> without waiting when the timeout is up,
    /// <see cref="SliceEnd.Interrupted"/> when a signal interrupted the wait. Throws
    /// <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> is cancelled.
    /// </summary>
    private SliceEnd WaitOneSlice(TimeSpan? timeout, long started, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int slice = WaitSliceMilliseconds;
        if (timeout is { } budget && budget != Timeout.InfiniteTimeSpan)
        {
            var left = budget - Stopwatch.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
                return SliceEnd.TimedOut;
            slice = (int)Math.Clamp(Math.Ceiling(left.TotalMilliseconds), 1, WaitSliceMilliseconds);
        }
        BlockingWait.Run(() =>
        {
            NativeMethods.StreamWait(_handle, slice);
            return 0;
        });
        return BlockingWait.Interrupted() ? SliceEnd.Interrupted : SliceEnd.Waited;
    }

    /// <summary>The open blocking stream's sample layout.</summary>
    private sealed record BlockingLayout(RtAudioFormat Format, int OutputBytesPerFrame, int InputBytesPerFrame);
}
