using PyRtAudioNet.Interop;

namespace PyRtAudioNet;

/// <summary>
/// The limits a stream's arguments are checked against, and the size of each sample format, as
/// the native bridge defines them (native/include/prtn.h): their one home, read here by the
/// .NET library and, through this class, by the Python package. Threading: any thread.
/// </summary>
public static class RtAudioLimits
{
    /// <summary>Largest sample rate accepted, in Hz (RtAudio's own table ends at 192 kHz).</summary>
    public static uint MaxSampleRate { get; } = Read("SAMPLE_RATE");

    /// <summary>Largest buffer (period, or fixed block) size accepted, in frames.</summary>
    public static uint MaxBufferFrames { get; } = Read("BLOCK_FRAMES");

    /// <summary>Most channels accepted per direction.</summary>
    public static uint MaxChannels { get; } = Read("CHANNELS");

    /// <summary>Largest ring of a blocking stream, in frames.</summary>
    public static uint MaxRingFrames { get; } = Read("RING_FRAMES");

    /// <summary>Longest stream name, in UTF-8 bytes: JACK's longest client name, on every API.</summary>
    public static int MaxStreamNameBytes { get; } = (int)Read("STREAM_NAME_BYTES");

    /// <summary>Bytes per sample of <paramref name="format"/> (SInt24: 3, packed).</summary>
    /// <exception cref="ArgumentException"><paramref name="format"/> is not exactly one sample format.</exception>
    public static int SampleBytes(RtAudioFormat format)
    {
        uint bytes = NativeMethods.SampleBytes((uint)format);
        return bytes != 0
            ? (int)bytes
            : throw new ArgumentException($"format {format} is not one sample format (SInt8, SInt16, SInt24, SInt32, Float32 or Float64)", nameof(format));
    }

    private static uint Read(string name)
    {
        uint value = NativeMethods.Limit(name);
        return value != 0 ? value : throw new InvalidOperationException($"the native bridge defines no limit {name}: it is older than this assembly");
    }
}
