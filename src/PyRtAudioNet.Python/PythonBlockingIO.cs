namespace PyRtAudioNet.Python;

/// <summary>
/// Blocking write/read for Python, which cannot pass a Span: the caller passes the address of
/// a C-contiguous buffer it keeps alive during the call (a numpy array's <c>ctypes.data</c>).
/// pythonnet releases the GIL while these methods run, so other Python threads go on while
/// they wait. Threading: as <see cref="RtAudio.Write{T}"/>.
/// </summary>
public static class PythonBlockingIO
{
    /// <summary>Writes <paramref name="frames"/> frames from <paramref name="address"/>; waits up to <paramref name="timeoutSeconds"/> (negative: no limit).</summary>
    public static unsafe int Write(RtAudio audio, long address, int frames, double timeoutSeconds)
    {
        Check(audio, address, frames);
        return audio.WriteFrames((byte*)address, frames, Timeout(timeoutSeconds), CancellationToken.None);
    }

    /// <summary>Reads <paramref name="frames"/> frames into <paramref name="address"/>; waits up to <paramref name="timeoutSeconds"/> (negative: no limit).</summary>
    public static unsafe int Read(RtAudio audio, long address, int frames, double timeoutSeconds)
    {
        Check(audio, address, frames);
        return audio.ReadFrames((byte*)address, frames, Timeout(timeoutSeconds), CancellationToken.None);
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
