using System.Text;

namespace PyRtAudioNet;

/// <summary>Checks <see cref="RtAudio.OpenStream{T}"/>'s arguments before anything native is touched.</summary>
internal static class StreamArguments
{
    /// <summary>The open's arguments; <paramref name="callback"/>: whether the stream has a callback (only a callback can prime an output).</summary>
    internal static void Validate(StreamParameters? output, StreamParameters? input, RtAudioFormat format, uint sampleRate, uint bufferFrames, StreamOptions? options, bool callback)
    {
        if (output is null && input is null)
            throw new ArgumentException("a stream needs output parameters, input parameters or both", nameof(output));
        ValidateDirection(output, nameof(output));
        ValidateDirection(input, nameof(input));
        RtAudioLimits.SampleBytes(format);
        if (sampleRate == 0 || sampleRate > RtAudioLimits.MaxSampleRate)
            throw new ArgumentOutOfRangeException(nameof(sampleRate), sampleRate, $"sampleRate must be between 1 and {RtAudioLimits.MaxSampleRate} Hz");
        if (bufferFrames > RtAudioLimits.MaxBufferFrames)
            throw new ArgumentOutOfRangeException(nameof(bufferFrames), bufferFrames, $"bufferFrames must be at most {RtAudioLimits.MaxBufferFrames} (0 = the API's choice)");
        if (options?.StreamName is { } name)
            StreamNameBytes(name, nameof(options));
        if (options?.PrimeOutputWithCallback == true && (!callback || output is null))
            throw new ArgumentException("PrimeOutputWithCallback needs a callback stream with output: only a callback can prime the output", nameof(options));
    }

    /// <summary>The NUL-terminated UTF-8 form of a stream name, after checking it.</summary>
    internal static byte[] StreamNameBytes(string name, string argumentName)
    {
        if (name.Contains('\0', StringComparison.Ordinal))
            throw new ArgumentException($"StreamName {Quote(name)} contains a NUL character", argumentName);
        var bytes = Encoding.UTF8.GetBytes(name + "\0");
        if (bytes.Length - 1 > RtAudioLimits.MaxStreamNameBytes)
            throw new ArgumentException($"StreamName is {bytes.Length - 1} UTF-8 bytes long; at most {RtAudioLimits.MaxStreamNameBytes} are allowed", argumentName);
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
        if (parameters.Channels == 0 || parameters.Channels > RtAudioLimits.MaxChannels)
            throw new ArgumentOutOfRangeException(name, parameters.Channels, $"{name}.Channels must be between 1 and {RtAudioLimits.MaxChannels}");
        if (parameters.FirstChannel > RtAudioLimits.MaxChannels)
            throw new ArgumentOutOfRangeException(name, parameters.FirstChannel, $"{name}.FirstChannel must be at most {RtAudioLimits.MaxChannels}");
    }

    private static string Quote(string text) => "\"" + text.Replace("\0", "\\0", StringComparison.Ordinal) + "\"";
}
