namespace PyRtAudioNet;

/// <summary>
/// A stream callback, called on the audio thread once per period. <paramref name="output"/>
/// arrives zeroed and holds <c>frames × output channels</c> samples (interleaved unless
/// <see cref="StreamFlags.NonInterleaved"/>); <paramref name="input"/> holds the recorded
/// period. Both spans are valid only during the call. Do not block, allocate heavily, or call
/// <see cref="RtAudio.StopStream"/>/<see cref="RtAudio.CloseStream"/> here: return
/// <see cref="CallbackResult.Stop"/> or <see cref="CallbackResult.Abort"/> instead. An exception
/// aborts the stream and is rethrown by the next <see cref="RtAudio.StopStream"/>,
/// <see cref="RtAudio.AbortStream"/>, <see cref="RtAudio.CloseStream"/> or <see cref="RtAudio.Dispose"/>.
/// </summary>
/// <typeparam name="T">The sample type of the stream's format, or <see cref="byte"/> for raw bytes.</typeparam>
public delegate CallbackResult AudioCallback<T>(Span<T> output, ReadOnlySpan<T> input, int frames, double streamTime, StreamStatus status)
    where T : unmanaged;
