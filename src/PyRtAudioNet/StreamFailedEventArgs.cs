namespace PyRtAudioNet;

/// <summary>The open stream ended without being asked to (its audio server shut down, or its device's I/O failed for good).</summary>
public sealed class StreamFailedEventArgs(RtAudioException error) : EventArgs
{
    /// <summary>What happened; every later stream call but <c>CloseStream</c> throws the same kind of error.</summary>
    public RtAudioException Error { get; } = error;
}
