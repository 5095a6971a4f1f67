namespace PyRtAudioNet;

/// <summary>
/// A stream's latency per direction, in frames (0 for a direction it lacks); they add up to
/// <see cref="RtAudio.GetStreamLatency"/>. Where the bridge re-blocks
/// (<see cref="StreamOptions.FixedBlockSize"/>) the block counts on the output side when the
/// stream has one (a block's output plays a block after the callback made it), else on the
/// input side (an input frame reaches the callback up to a block after it arrived). Immutable.
/// </summary>
/// <param name="Output">Frames from the callback's output to the device.</param>
/// <param name="Input">Frames from the device to the callback's input.</param>
public readonly record struct StreamLatency(long Output, long Input);
