namespace PyRtAudioNet;

/// <summary>Counters of the current stream since it was opened, read without locking. Immutable.</summary>
/// <param name="Callbacks">Audio periods processed.</param>
/// <param name="Frames">Frames processed in those periods.</param>
/// <param name="OutputUnderflows">Periods the driver flagged <see cref="StreamStatus.OutputUnderflow"/>.</param>
/// <param name="InputOverflows">Periods the driver flagged <see cref="StreamStatus.InputOverflow"/>.</param>
/// <param name="SilencedCallbacks">Periods answered with silence because the callback was detached or had stopped.</param>
/// <param name="RingUnderflows">Blocking streams: periods the output ring could not fill (silence was played).</param>
/// <param name="RingOverflows">Blocking streams: periods whose input the input ring could not take (input was dropped).</param>
/// <param name="FramesWritten">Blocking streams: frames the audio thread took from the output ring.</param>
/// <param name="FramesRead">Blocking streams: frames the audio thread put into the input ring.</param>
public readonly record struct StreamStatistics(
    ulong Callbacks,
    ulong Frames,
    ulong OutputUnderflows,
    ulong InputOverflows,
    ulong SilencedCallbacks,
    ulong RingUnderflows = 0,
    ulong RingOverflows = 0,
    ulong FramesWritten = 0,
    ulong FramesRead = 0);
