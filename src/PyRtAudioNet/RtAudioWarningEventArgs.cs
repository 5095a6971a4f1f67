namespace PyRtAudioNet;

/// <summary>A warning RtAudio delivered (it is not an error: the call went on).</summary>
public sealed class RtAudioWarningEventArgs(string message) : EventArgs
{
    /// <summary>RtAudio's text; several warnings are separated by newlines.</summary>
    public string Message { get; } = message;
}
