namespace PyRtAudioNet;

/// <summary>Counters of the current stream since it was opened, read without locking. Immutable.</summary>
/// <param name="Callbacks">Audio periods processed.</param>
/// <param name="Frames">Frames processed in those periods.</param>
/// <param name="OutputUnderflows">Periods the driver flagged <see cref="StreamStatus.OutputUnderflow"/>.</param>
/// <param name="InputOverflows">Periods the driver flagged <see cref="StreamStatus.InputOverflow"/>.</param>
/// <param name="SilencedCallbacks">Periods answered with silence because the callback was detached.</param>
public readonly record struct StreamStatistics(ulong Callbacks, ulong Frames, ulong OutputUnderflows, ulong InputOverflows, ulong SilencedCallbacks);
