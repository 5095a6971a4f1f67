namespace PyRtAudioNet.Interop;

/// <summary>
/// What the audio thread calls for one open stream. Subclasses adapt the raw buffers to
/// their audience (.NET spans here, Python buffers in PyRtAudioNet.Python).
/// Threading: <see cref="Invoke"/> runs on the audio thread only; it must not allocate
/// needlessly, block, or take the owning <see cref="RtAudio"/>'s lock. The other members are
/// called by the owner, with its lock held, on the thread calling it.
/// </summary>
internal abstract unsafe class StreamCallbackTarget
{
    private Exception? _fault;

    /// <summary>Fills <paramref name="output"/> (already zeroed) from <paramref name="input"/>; returns a <see cref="CallbackResult"/> value.</summary>
    protected abstract int Invoke(void* output, void* input, uint frames, double streamTime, StreamStatus status);

    /// <summary>
    /// Audio thread: calls <see cref="Invoke"/>; an exception is kept for the owner to
    /// rethrow and aborts the stream. Once faulted, aborts without calling again.
    /// </summary>
    internal int InvokeGuarded(void* output, void* input, uint frames, double streamTime, StreamStatus status)
    {
        if (Volatile.Read(ref _fault) is not null)
            return (int)CallbackResult.Abort;
        try
        {
            return Invoke(output, input, frames, streamTime, status);
        }
#pragma warning disable CA1031 // Nothing may escape onto the audio thread; the owner rethrows it.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Volatile.Write(ref _fault, exception);
            return (int)CallbackResult.Abort;
        }
    }

    /// <summary>The exception the callback threw, once; null if none.</summary>
    internal virtual Exception? TakeFault() => Interlocked.Exchange(ref _fault, null);

    /// <summary>Called once, after the native stream closed: no callback runs any more.</summary>
    internal virtual void OnClosed()
    {
    }
}
