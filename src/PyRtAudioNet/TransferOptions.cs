namespace PyRtAudioNet;

/// <summary>Settings of a transfer stream (<see cref="RtAudio.OpenTransferStream{T}"/>). Not thread-safe; read once, at the open.</summary>
public sealed class TransferOptions
{
    /// <summary>Repeat the played data until the stream is stopped (output-only streams).</summary>
    public bool Loop { get; set; }

    /// <summary>
    /// For each sample of a played frame (each column of the data), the stream's output channel
    /// it plays on (0-based, each channel at most once); null: sample i on channel i. Channels
    /// no sample maps to play silence.
    /// </summary>
    public IReadOnlyList<int>? OutputMap { get; set; }

    /// <summary>For each sample of a recorded frame, the stream's input channel it records (0-based, each at most once); null: channel i into sample i.</summary>
    public IReadOnlyList<int>? InputMap { get; set; }
}
