using System.Buffers;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using PyRtAudioNet.Interop;

namespace PyRtAudioNet;

/// <summary>
/// Transfer streams: the whole data to play and the whole buffer to record into are handed to the
/// native bridge, whose audio thread copies each period with no .NET code, no lock and no GC wait,
/// and stops the stream itself after the last frame (as a callback returning Stop). Threading: any thread.
/// </summary>
public sealed partial class RtAudio
{
    // The open transfer stream's memory; released once the native stream is closed.
    private TransferMemory? _transfer;

    /// <summary>
    /// Opens a stream that plays <paramref name="play"/> and records into <paramref name="record"/>
    /// (whole interleaved frames; both the same number of frames when both are given), then stops
    /// itself: <see cref="IsStreamRunning"/> turns false and <see cref="WaitUntilStopped"/> returns.
    /// Both are pinned until the stream is closed (<see cref="CloseStream"/>, <see cref="Dispose"/>).
    /// </summary>
    /// <param name="output">Output direction, or null for input only (then <paramref name="play"/> is empty).</param>
    /// <param name="play">The frames to play: <see cref="TransferOptions.OutputMap"/>'s count of samples each, or the output's channels.</param>
    /// <param name="input">Input direction, or null for output only (then <paramref name="record"/> is empty).</param>
    /// <param name="record">Where recorded frames go: <see cref="TransferOptions.InputMap"/>'s count of samples each, or the input's channels.</param>
    /// <param name="format">The sample format; <typeparamref name="T"/> must be its sample type (or byte).</param>
    /// <param name="sampleRate">Frames per second.</param>
    /// <param name="bufferFrames">Wished period in frames (0 = the API's choice: docs/dotnet.md).</param>
    /// <param name="transfer">Looping and channel maps; null for none.</param>
    /// <param name="options">Optional settings; <see cref="StreamOptions.NumberOfBuffers"/> is updated.</param>
    /// <returns>The period in frames the API granted.</returns>
    /// <exception cref="ArgumentException">A bad argument, named with its value, before anything native is touched.</exception>
    /// <exception cref="RtAudioException">RtAudio refused: unknown device id, a stream already open, no server.</exception>
    public uint OpenTransferStream<T>(StreamParameters? output, ReadOnlyMemory<T> play, StreamParameters? input, Memory<T> record, RtAudioFormat format, uint sampleRate, uint bufferFrames, TransferOptions? transfer = null, StreamOptions? options = null)
        where T : unmanaged
    {
        StreamArguments.Validate(output, input, format, sampleRate, bufferFrames, options, callback: false);
        StreamArguments.RequireSampleType<T>(format, nameof(play));
        int sampleBytes = RtAudioLimits.SampleBytes(format);
        long frames = -1;
        long FramesOf(int length, StreamParameters? parameters, IReadOnlyList<int>? map, string name)
        {
            if (parameters is null)
                return length == 0 ? frames : throw new ArgumentException($"{name} has {length} samples but the stream has no such direction", name);
            long frameBytes = (long)(map?.Count ?? (int)parameters.Channels) * sampleBytes;
            long bytes = (long)length * Unsafe.SizeOf<T>();
            if (frameBytes == 0 || bytes == 0 || bytes % frameBytes != 0)
                throw new ArgumentException($"{name} has {length} samples, not a whole, non-zero number of frames of {frameBytes / Unsafe.SizeOf<T>()} samples", name);
            if (frames >= 0 && frames != bytes / frameBytes)
                throw new ArgumentException($"{name} holds {bytes / frameBytes} frames, play {frames}: a duplex transfer records as many frames as it plays", name);
            return bytes / frameBytes;
        }
        frames = FramesOf(play.Length, output, transfer?.OutputMap, nameof(play));
        frames = FramesOf(record.Length, input, transfer?.InputMap, nameof(record));
        var playPin = play.Pin();
        var recordPin = record.Pin();
        unsafe
        {
            var memory = new TransferMemory((nint)playPin.Pointer, (nint)recordPin.Pointer, (ulong)frames, () =>
            {
                playPin.Dispose();
                recordPin.Dispose();
            });
            return OpenTransferStream(output, input, format, sampleRate, bufferFrames, memory, transfer, options);
        }
    }

    /// <summary>
    /// Opens a transfer stream over <paramref name="memory"/>, which it owns from here on:
    /// released after the close, or at once if the open fails. Stream arguments already validated.
    /// </summary>
    internal unsafe uint OpenTransferStream(StreamParameters? output, StreamParameters? input, RtAudioFormat format, uint sampleRate, uint bufferFrames, TransferMemory memory, TransferOptions? transfer, StreamOptions? options)
    {
        try
        {
            uint[]? outputMap = Map(transfer?.OutputMap, output, "OutputMap");
            uint[]? inputMap = Map(transfer?.InputMap, input, "InputMap");
            using (Enter())
            {
                uint granted;
                fixed (uint* outputMapPointer = outputMap, inputMapPointer = inputMap)
                {
                    var native = new NativeTransfer
                    {
                        Output = memory.Output,
                        Input = memory.Input,
                        Frames = memory.Frames,
                        OutputColumns = output is null ? 0 : (uint?)outputMap?.Length ?? output.Channels,
                        InputColumns = input is null ? 0 : (uint?)inputMap?.Length ?? input.Channels,
                        OutputMap = (nint)outputMapPointer,
                        InputMap = (nint)inputMapPointer,
                        Loop = transfer?.Loop == true ? 1u : 0u,
                    };
                    granted = OpenNative(output, input, bufferFrames, options, nameof(OpenTransferStream),
                        (NativeStreamParameters* nativeOutput, NativeStreamParameters* nativeInput, ref uint frames, ref NativeStreamOptions nativeOptions, byte* name) =>
                            NativeMethods.OpenTransferStream(_handle, nativeOutput, nativeInput, (uint)format, sampleRate, ref frames, ref nativeOptions, name, in native));
                }
                _transfer = memory;
                return granted;
            }
        }
        catch
        {
            memory.Release(); // not opened: nothing reads or writes it
            throw;
        }
    }

    /// <summary>
    /// Waits until the stream no longer runs: it stopped itself (its callback returned Stop or
    /// Abort, its transfer ended), another thread stopped or closed it, or its server went.
    /// Returns at once if it does not run. The wait happens outside the object's lock (and with
    /// the GIL released), so other calls proceed meanwhile.
    /// </summary>
    /// <returns>True once the stream does not run; false if <paramref name="timeout"/> passed first.</returns>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public bool WaitUntilStopped(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        CheckTimeout(timeout);
        long started = Stopwatch.GetTimestamp();
        while (IsStreamRunning())
        {
            switch (WaitOneSlice(timeout, started, cancellationToken))
            {
                case SliceEnd.TimedOut:
                    return false;
                case SliceEnd.Interrupted:
                    throw new OperationCanceledException($"{nameof(WaitUntilStopped)}: interrupted");
            }
        }
        return true;
    }

    /// <summary>A channel map as the bridge takes it, each entry checked against the direction's channels.</summary>
    private static uint[]? Map(IReadOnlyList<int>? map, StreamParameters? parameters, string name)
    {
        if (map is null)
            return null;
        if (parameters is null)
            throw new ArgumentException($"{name} is set but the stream has no such direction", name);
        if (map.Count == 0)
            throw new ArgumentException($"{name} is empty", name);
        var channels = new uint[map.Count];
        for (int i = 0; i < map.Count; i++)
        {
            if (map[i] < 0 || map[i] >= parameters.Channels)
                throw new ArgumentOutOfRangeException(name, map[i], $"{name}[{i}] = {map[i]} is not a channel of {parameters.Channels} (0-based)");
            if (Array.IndexOf(channels, (uint)map[i], 0, i) >= 0)
                throw new ArgumentException($"{name} names channel {map[i]} twice", name);
            channels[i] = (uint)map[i];
        }
        return channels;
    }

    /// <summary>After the native stream closed (or the object was disposed): releases the transfer's memory. Lock held.</summary>
    private void ReleaseTransfer() => Interlocked.Exchange(ref _transfer, null)?.Release();
}
