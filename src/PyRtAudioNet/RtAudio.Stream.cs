using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using PyRtAudioNet.Interop;

namespace PyRtAudioNet;

/// <summary>The stream half of <see cref="RtAudio"/>: open, run, stop, close, dispose.</summary>
public sealed partial class RtAudio
{
    // Keeps the weakly referenced callback target alive while this object is.
    private StreamCallbackTarget? _callback;

    /// <summary>
    /// Opens a stream (<c>RtAudio::openStream</c>) calling <paramref name="callback"/> on the audio thread.
    /// </summary>
    /// <param name="output">Output direction, or null for input only.</param>
    /// <param name="input">Input direction, or null for output only.</param>
    /// <param name="format">The sample format; <typeparamref name="T"/> must be its sample type (or byte).</param>
    /// <param name="sampleRate">Frames per second.</param>
    /// <param name="bufferFrames">Wished period in frames (0 = the API's choice: docs/dotnet.md).</param>
    /// <param name="callback">Called once per period.</param>
    /// <param name="options">Optional settings; <see cref="StreamOptions.NumberOfBuffers"/> is updated.</param>
    /// <returns>The frames per callback: the period the API granted, or <paramref name="bufferFrames"/> with <see cref="StreamOptions.FixedBlockSize"/>.</returns>
    /// <exception cref="ArgumentException">A bad argument, named with its value, before anything native is touched.</exception>
    /// <exception cref="RtAudioException">RtAudio refused: unknown device id, a stream already open, no server.</exception>
    public uint OpenStream<T>(StreamParameters? output, StreamParameters? input, RtAudioFormat format, uint sampleRate, uint bufferFrames, AudioCallback<T> callback, StreamOptions? options = null)
        where T : unmanaged
    {
        ArgumentNullException.ThrowIfNull(callback);
        StreamArguments.Validate(output, input, format, sampleRate, bufferFrames, options, callback: true);
        StreamArguments.RequireSampleType<T>(format, nameof(callback));
        int sampleBytes = RtAudioLimits.SampleBytes(format);
        int samplesPerFrame(StreamParameters? p) => p is null ? 0 : (int)p.Channels * sampleBytes / Marshal.SizeOf<T>();
        var target = new TypedCallbackTarget<T>(callback, samplesPerFrame(output), samplesPerFrame(input));
        return OpenStream(output, input, format, sampleRate, bufferFrames, target, options);
    }

    /// <summary>Opens a stream whose periods go to <paramref name="target"/>; arguments already validated.</summary>
    internal unsafe uint OpenStream(StreamParameters? output, StreamParameters? input, RtAudioFormat format, uint sampleRate, uint bufferFrames, StreamCallbackTarget target, StreamOptions? options)
    {
        using (Enter())
        {
            nint userData = RtAudioHandle.NewCallbackHandle(target);
            uint granted;
            try
            {
                granted = OpenNative(output, input, bufferFrames, options, nameof(OpenStream),
                    (NativeStreamParameters* nativeOutput, NativeStreamParameters* nativeInput, ref uint frames, ref NativeStreamOptions nativeOptions, byte* name) =>
                        NativeMethods.OpenStream(_handle, nativeOutput, nativeInput, (uint)format, sampleRate, ref frames, CallbackThunk.Pointer, (void*)userData, ref nativeOptions, name));
            }
            catch
            {
                RtAudioHandle.FreeCallbackHandle(userData); // not opened: nothing will call back
                throw;
            }
            _handle.AdoptCallback(userData);
            _callback = target;
            return granted;
        }
    }

    /// <summary>A native open over the arguments every kind of stream shares, marshalled.</summary>
    private unsafe delegate int NativeOpen(NativeStreamParameters* output, NativeStreamParameters* input, ref uint bufferFrames, ref NativeStreamOptions options, byte* streamName);

    /// <summary>
    /// Object lock held: marshals the shared open arguments, runs <paramref name="open"/>, throws
    /// its failure, updates <see cref="StreamOptions.NumberOfBuffers"/>, returns the granted period.
    /// </summary>
    private unsafe uint OpenNative(StreamParameters? output, StreamParameters? input, uint bufferFrames, StreamOptions? options, string operation, NativeOpen open)
    {
        var nativeOutput = ToNative(output);
        var nativeInput = ToNative(input);
        var nativeOptions = ToNative(options);
        byte[]? name = NameBytes(options);
        int result;
        fixed (byte* namePointer = name)
            result = open(output is null ? null : &nativeOutput, input is null ? null : &nativeInput, ref bufferFrames, ref nativeOptions, namePointer);
        Check(result, operation);
        if (options is not null)
            options.NumberOfBuffers = nativeOptions.NumberOfBuffers;
        return bufferFrames;
    }

    /// <summary>Starts the open stream.</summary>
    /// <exception cref="RtAudioException">No stream is open, or the driver failed.</exception>
    public void StartStream()
    {
        using (Enter())
            Check(Blocking(NativeMethods.StartStream), nameof(StartStream));
    }

    /// <summary>Stops the stream after the output already produced has played.</summary>
    /// <remarks>A blocking stream first plays out everything written to it (waiting at most as long as
    /// its output ring holds plus a second); a callback stream plays the periods already produced.
    /// A stream that is not running (its callback returned Stop or Abort, say) gets RtAudio's warning
    /// that it is already stopped. Rethrows, once, an exception the callback threw.</remarks>
    /// <exception cref="RtAudioException">No stream is open, the driver failed, or the stream failed while running.</exception>
    public void StopStream()
    {
        using (Enter())
        {
            Check(Blocking(NativeMethods.StopStream), nameof(StopStream));
            ThrowStreamFaults(nameof(StopStream));
        }
    }

    /// <summary>Stops the stream at once, dropping pending output.</summary>
    /// <remarks>What a blocking stream's output ring still holds is discarded, so a restart plays only
    /// what is written after it. Rethrows, once, an exception the callback threw.</remarks>
    public void AbortStream()
    {
        using (Enter())
        {
            Check(Blocking(NativeMethods.AbortStream), nameof(AbortStream));
            ThrowStreamFaults(nameof(AbortStream));
        }
    }

    /// <summary>Stops (if running) and closes the stream; with none open it only warns, as RtAudio does.</summary>
    /// <remarks>After it returns the callback is never called again. Rethrows, once, an exception the callback threw.
    /// A stream whose JACK server went (<see cref="StreamFailed"/>) closes without reaching its JACK client, which
    /// libjack deletes once the process opens another; this object then opens streams again.</remarks>
    public void CloseStream()
    {
        using (Enter())
        {
            Check(Blocking(NativeMethods.CloseStream), nameof(CloseStream));
            try
            {
                ThrowStreamFaults(nameof(CloseStream));
            }
            finally
            {
                ForgetCallback();
            }
        }
    }

    /// <summary>Whether a stream is open.</summary>
    public bool IsStreamOpen() => Query<int>(NativeMethods.IsStreamOpen, nameof(IsStreamOpen)) != 0;

    /// <summary>Whether the stream is running (false again after a callback returned Stop or Abort).</summary>
    public bool IsStreamRunning() => Query<int>(NativeMethods.IsStreamRunning, nameof(IsStreamRunning)) != 0;

    /// <summary>Seconds of audio processed since the stream started (or was last set).</summary>
    /// <remarks>Once the callback returned Stop or Abort the time stays at the end of its last period,
    /// through a stop, until a restart resumes it from there, as RtAudio's own stop does.</remarks>
    public double GetStreamTime() => Query<double>(NativeMethods.GetStreamTime, nameof(GetStreamTime));

    /// <summary>Sets the stream time.</summary>
    public void SetStreamTime(double time)
    {
        if (!double.IsFinite(time) || time < 0)
            throw new ArgumentOutOfRangeException(nameof(time), time, "the stream time must be a finite number of seconds >= 0");
        using (Enter())
            Check(NativeMethods.SetStreamTime(_handle, time), nameof(SetStreamTime));
    }

    /// <summary>The stream's latency in frames, as the API reports it, plus a block where the bridge re-blocks (<see cref="StreamOptions.FixedBlockSize"/>).</summary>
    public long GetStreamLatency() => Query<long>(NativeMethods.GetStreamLatency, nameof(GetStreamLatency));

    /// <summary>The stream's latency per direction (see <see cref="StreamLatency"/>).</summary>
    public StreamLatency GetStreamLatencies()
    {
        using (Enter())
        {
            Check(NativeMethods.GetStreamLatencies(_handle, out long output, out long input), nameof(GetStreamLatencies));
            return new StreamLatency(output, input);
        }
    }

    /// <summary>
    /// The frames the API hands the audio thread each time: the period it granted. The callback
    /// gets the same, unless <see cref="StreamOptions.FixedBlockSize"/> made it a block of another size.
    /// </summary>
    public uint GetStreamPeriod() => Query<uint>(NativeMethods.GetStreamPeriod, nameof(GetStreamPeriod));

    /// <summary>The sample rate the device actually runs at.</summary>
    public uint GetStreamSampleRate() => Query<uint>(NativeMethods.GetStreamSampleRate, nameof(GetStreamSampleRate));

    /// <summary>Counters of the current stream; lock-free, callable while another thread waits in a stream call.</summary>
    public StreamStatistics GetStreamStatistics()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        NativeMethods.GetStreamStats(_handle, out var stats);
        return new StreamStatistics(stats.Callbacks, stats.Frames, stats.OutputUnderflows, stats.InputOverflows, stats.Silenced, stats.RingUnderflows, stats.RingOverflows, stats.FramesWritten, stats.FramesRead);
    }

    /// <summary>How long the audio thread spent in the bridge per period (lock-free, any thread).</summary>
    public CallbackDurations GetCallbackDurations()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        NativeMethods.GetStreamDurations(_handle, out var summary);
        return new CallbackDurations(summary.Count, summary.P50, summary.P99, summary.P999, summary.Max, summary.Recent);
    }

    /// <summary>Starts <see cref="GetCallbackDurations"/> afresh (after a warm-up, say); lock-free, any thread.</summary>
    public void ResetCallbackDurations()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        NativeMethods.ResetStreamDurations(_handle);
    }

    /// <summary>
    /// Stops and closes any open stream and frees the native instance. Idempotent. Rethrows an
    /// exception the callback threw that no earlier call reported.
    /// </summary>
    /// <exception cref="RtAudioException">Called from the stream's own callback (the object stays usable).</exception>
    public void Dispose()
    {
        StreamCallbackTarget? callback;
        using (EnterLock())
        {
            if (_disposed)
                return;
            // Closing first reports a call from the audio thread instead of deadlocking in it. With
            // no stream open nothing is closed: RtAudio's destructor does not warn, as a close would.
            Check(NativeMethods.IsStreamOpen(_handle, out int open), nameof(Dispose));
            if (open != 0)
                Check(Blocking(NativeMethods.CloseStream), nameof(Dispose));
            _disposed = true;
            callback = _callback;
            _callback = null;
            _handle.Dispose();
            ReleaseTransfer();
        }
        try
        {
            if (callback?.TakeFault() is { } fault)
                ExceptionDispatchInfo.Throw(fault);
        }
        finally
        {
            callback?.OnClosed();
        }
    }

    /// <summary>Runs a native call that waits for the audio thread (see <see cref="BlockingWait"/>). Lock held.</summary>
    private int Blocking(Func<RtAudioHandle, int> call) => BlockingWait.Run(() => call(_handle));

    /// <summary>After the native stream closed: frees the GC handle and lets the target release its resources. Lock held.</summary>
    private void ForgetCallback()
    {
        _blocking = null;
        ReleaseTransfer();
        _handle.FreeCallback();
        var callback = _callback;
        _callback = null;
        callback?.OnClosed();
    }

    /// <summary>Rethrows what went wrong on the audio thread since the last report. Lock held.</summary>
    private void ThrowStreamFaults(string operation)
    {
        if (_callback?.TakeFault() is { } fault)
            ExceptionDispatchInfo.Throw(fault);
        int streamError = NativeMethods.TakeStreamError(_handle);
        if (streamError != 0)
            Check(streamError, $"{operation}: the stream failed while running");
    }

    private static NativeStreamOptions ToNative(StreamOptions? options) => new()
    {
        Flags = (uint)(options?.Flags ?? StreamFlags.None),
        NumberOfBuffers = options?.NumberOfBuffers ?? 0,
        Priority = options?.Priority ?? 0,
        FixedBlock = options?.FixedBlockSize == true ? 1u : 0u,
        PrimeOutput = options?.PrimeOutputWithCallback == true ? 1u : 0u,
    };

    private static byte[]? NameBytes(StreamOptions? options) =>
        options?.StreamName is { } name ? StreamArguments.StreamNameBytes(name, nameof(options)) : null;

    private static NativeStreamParameters ToNative(StreamParameters? parameters) => parameters is null
        ? default
        : new NativeStreamParameters { DeviceId = parameters.DeviceId, Channels = parameters.Channels, FirstChannel = parameters.FirstChannel };
}
