namespace PyRtAudioNet;

/// <summary>The open stream ended without being asked to (the audio server shut down).</summary>
public sealed class StreamFailedEventArgs(RtAudioException error) : EventArgs
{
    /// <summary>What happened; every later stream call but <c>CloseStream</c> throws the same kind of error.</summary>
    public RtAudioException Error { get; } = error;
}
