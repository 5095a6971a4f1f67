using System.Text;

namespace PyRtAudioNet;

/// <summary>Checks <see cref="RtAudio.OpenStream{T}"/>'s arguments before anything native is touched.</summary>
internal static class StreamArguments
{
    /// <summary>Largest sample rate accepted (RtAudio's own table ends at 192 kHz).</summary>
    internal const uint MaxSampleRate = 768_000;

    /// <summary>Largest buffer (period) size accepted, in frames.</summary>
    internal const uint MaxBufferFrames = 1 << 16;

    /// <summary>Most channels accepted per direction.</summary>
    internal const uint MaxChannels = 1024;

    /// <summary>Longest stream name accepted, in UTF-8 bytes.</summary>
    internal const int MaxStreamNameBytes = 255;

    internal static int SampleBytes(RtAudioFormat format) => format switch
    {
        RtAudioFormat.SInt8 => 1,
        RtAudioFormat.SInt16 => 2,
        RtAudioFormat.SInt24 => 3,
        RtAudioFormat.SInt32 => 4,
        RtAudioFormat.Float32 => 4,
        RtAudioFormat.Float64 => 8,
        _ => throw new ArgumentException($"format {format} is not one sample format (SInt8, SInt16, SInt24, SInt32, Float32 or Float64)", nameof(format)),
    };

    internal static void Validate(StreamParameters? output, StreamParameters? input, RtAudioFormat format, uint sampleRate, uint bufferFrames, StreamOptions? options)
    {
        if (output is null && input is null)
            throw new ArgumentException("a stream needs output parameters, input parameters or both", nameof(output));
        ValidateDirection(output, nameof(output));
        ValidateDirection(input, nameof(input));
        SampleBytes(format);
        if (sampleRate == 0 || sampleRate > MaxSampleRate)
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"sampleRate must be between 1 and {MaxSampleRate} Hz");
        if (bufferFrames > MaxBufferFrames)
            throw new ArgumentOutOfRangeException(nameof(bufferFrames), bufferFrames, $"bufferFrames must be at most {MaxBufferFrames} (0 = the smallest the API allows)");
        if (options?.StreamName is { } name)
            StreamNameBytes(name, nameof(options));
    }

    /// <summary>The NUL-terminated UTF-8 form of a stream name, after checking it.</summary>
    internal static byte[] StreamNameBytes(string name, string argumentName)
    {
        if (name.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException($"StreamName {Quote(name)} contains a NUL character", argumentName);
        var bytes = Encoding.UTF8.GetBytes(name + "\0");
        if (bytes.Length - 1 > MaxStreamNameBytes)
            throw new ArgumentException($"StreamName is {bytes.Length - 1} UTF-8 bytes long; at most {MaxStreamNameBytes} are allowed", argumentName);
        return bytes;
    }

    /// <summary>Requires <typeparamref name="T"/> to be the sample type of <paramref name="format"/>, or byte.</summary>
    internal static void RequireSampleType<T>(RtAudioFormat format, string argumentName)
        where T : unmanaged
    {
        Type expected = format switch
        {
            RtAudioFormat.SInt8 => typeof(sbyte),
            RtAudioFormat.SInt16 => typeof(short),
            RtAudioFormat.SInt32 => typeof(int),
            RtAudioFormat.Float32 => typeof(float),
            RtAudioFormat.Float64 => typeof(double),
            _ => typeof(byte),
        };
        if (typeof(T) != expected && typeof(T) != typeof(byte))
            throw new ArgumentException($"a {format} stream's samples are {expected.Name} (or Byte for raw bytes), not {typeof(T).Name}", argumentName);
    }

    private static void ValidateDirection(StreamParameters? parameters, string name)
    {
        if (parameters is null)
            return;
        if (parameters.Channels == 0 || parameters.Channels > MaxChannels)
            throw new ArgumentOutOfRangeException(name, parameters.Channels, $"{name}.Channels must be between 1 and {MaxChannels}");
        if (parameters.FirstChannel > MaxChannels)
            throw new ArgumentOutOfRangeException(name, parameters.FirstChannel, $"{name}.FirstChannel must be at most {MaxChannels}");
    }

    private static string Quote(string text) => "\"" + text.Replace("\0", "\\0", StringComparison.Ordinal) + "\"";
}
