namespace PyRtAudioNet;

/// <summary>A failure reported by RtAudio or the native bridge, with RtAudio's message.</summary>
public sealed class RtAudioException : Exception
{
    /// <summary>Creates an exception of RtAudio error type <paramref name="errorType"/>.</summary>
    public RtAudioException(RtAudioErrorType errorType, string message)
        : base(message) => ErrorType = errorType;

    /// <summary>Creates an unspecified error.</summary>
    public RtAudioException()
        : this(RtAudioErrorType.Unspecified, "RtAudio error")
    {
    }

    /// <summary>Creates an unspecified error with a message.</summary>
    public RtAudioException(string message)
        : this(RtAudioErrorType.Unspecified, message)
    {
    }

    /// <summary>Creates an unspecified error with a message and cause.</summary>
    public RtAudioException(string message, Exception innerException)
        : base(message, innerException) => ErrorType = RtAudioErrorType.Unspecified;

    /// <summary>RtAudio's classification of the failure.</summary>
    public RtAudioErrorType ErrorType { get; }
}
