namespace PyRtAudioNet.Python;

/// <summary>
/// Blocking write/read for Python, which cannot pass a Span: the caller passes the address of
/// a C-contiguous buffer it keeps alive during the call (a numpy array's <c>ctypes.data</c>).
/// pythonnet releases the GIL while these methods run; through <see cref="PythonBlockingPort"/>
/// the GIL stays held until a wait releases it. Either way other Python threads go on while
/// they wait. Threading: as <see cref="RtAudio.Write{T}"/>.
/// </summary>
public static class PythonBlockingIO
{
    /// <summary>
    /// Writes all <paramref name="frames"/> frames from <paramref name="address"/>; waits up to
    /// <paramref name="timeoutSeconds"/> (negative: no limit). Returns the output ring's underflow
    /// count since the stream opened (one call per write: each pythonnet call costs microseconds),
    /// or -1 if another thread closed the stream once the frames were written.
    /// </summary>
    public static unsafe long Write(RtAudio audio, long address, int frames, double timeoutSeconds)
    {
        Check(audio, address, frames);
        if (frames > 0)
            audio.WriteFrames((byte*)address, frames, Timeout(timeoutSeconds), CancellationToken.None);
        return RingCount(audio, static statistics => statistics.RingUnderflows);
    }

    /// <summary>
    /// Reads <paramref name="frames"/> frames into <paramref name="address"/>; waits up to
    /// <paramref name="timeoutSeconds"/> (negative: no limit). Returns the input ring's overflow
    /// count since the stream opened, or -1 if another thread closed the stream once they were read.
    /// </summary>
    public static unsafe long Read(RtAudio audio, long address, int frames, double timeoutSeconds)
    {
        Check(audio, address, frames);
        if (frames > 0)
            audio.ReadFrames((byte*)address, frames, Timeout(timeoutSeconds), CancellationToken.None);
        return RingCount(audio, static statistics => statistics.RingOverflows);
    }

    private static long RingCount(RtAudio audio, Func<StreamStatistics, ulong> counter)
    {
        try
        {
            return (long)counter(audio.GetStreamStatistics());
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
    }

    private static void Check(RtAudio audio, long address, int frames)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentOutOfRangeException.ThrowIfNegative(frames);
        if (address == 0 && frames > 0)
            throw new ArgumentException("address is null", nameof(address));
    }

    private static TimeSpan? Timeout(double seconds) => seconds < 0 || double.IsNaN(seconds) ? null : TimeSpan.FromSeconds(seconds);
}
