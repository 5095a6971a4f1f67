namespace PyRtAudioNet;

/// <summary>What a blocking stream plays when its output ring holds less than a period.</summary>
public enum UnderflowMode
{
    /// <summary>What there is, then silence.</summary>
    Pad = 0,
    /// <summary>Silence for the whole period, keeping a partial period for the next one.</summary>
    WholePeriod = 1,
}

/// <summary>Settings of a blocking stream (<see cref="RtAudio.OpenBlockingStream"/>). Not thread-safe; immutable once passed.</summary>
public sealed class BlockingOptions
{
    /// <summary>Capacity of each ring in frames; 0 = 8 periods and at least 40 ms (a writer is woken once per half ring, so a small ring costs CPU). At least one period is used.</summary>
    public uint RingFrames { get; set; }

    /// <summary>What to play when the output ring runs short.</summary>
    public UnderflowMode Underflow { get; set; } = UnderflowMode.Pad;
}
