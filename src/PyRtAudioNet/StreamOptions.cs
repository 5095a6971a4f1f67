namespace PyRtAudioNet;

/// <summary>
/// Optional stream settings (<c>RtAudio::StreamOptions</c>). As in RtAudio,
/// <see cref="NumberOfBuffers"/> is updated by <see cref="RtAudio.OpenStream{T}"/> to what was granted.
/// Not thread-safe: one thread fills it in, then passes it to one open call.
/// </summary>
public sealed class StreamOptions
{
    /// <summary>Stream flags.</summary>
    public StreamFlags Flags { get; set; }

    /// <summary>Buffers (periods) in the device queue; 0 = the API's default.</summary>
    public uint NumberOfBuffers { get; set; }

    /// <summary>Stream name (JACK client name, PulseAudio stream name); null = RtAudio's default.</summary>
    public string? StreamName { get; set; }

    /// <summary>Callback-thread priority, used with <see cref="StreamFlags.ScheduleRealtime"/>.</summary>
    public int Priority { get; set; }

    /// <summary>
    /// The callback gets exactly the asked <c>bufferFrames</c> (when not 0) in every call, and the open
    /// returns it. Where the API runs another period (JACK runs its server's), the bridge gathers and
    /// cuts its periods into such blocks, which adds that many frames to the stream's latency
    /// (included in <see cref="RtAudio.GetStreamLatency"/>); a blocking stream's rings then trade such
    /// blocks with the device. False (RtAudio's behaviour): the API's periods, whatever was asked.
    /// A transfer stream always runs the API's periods: no code of yours sees its blocks.
    /// </summary>
    public bool FixedBlockSize { get; set; }

    /// <summary>
    /// Callback streams with output: the callback makes the first block's output, which the bridge
    /// would otherwise start with as silence (PortAudio's "prime output buffers using stream
    /// callback"). It is called once before the first block with <see cref="StreamStatus.PrimingOutput"/>
    /// (and <see cref="StreamStatus.InputUnderflow"/> and silent input where the stream has input).
    /// The bridge then re-blocks, in the API's periods unless <see cref="FixedBlockSize"/> asks for
    /// another block, which adds a block of latency. A stream without a callback or without output
    /// refuses it.
    /// </summary>
    public bool PrimeOutputWithCallback { get; set; }
}
