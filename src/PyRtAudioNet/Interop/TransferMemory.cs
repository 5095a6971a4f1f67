namespace PyRtAudioNet.Interop;

/// <summary>
/// The memory a transfer stream plays from and records into: addresses that stay valid and
/// unmoved until <see cref="Release"/>, and what releases them (unpinning .NET memory, releasing
/// a Python buffer export). The owning <see cref="RtAudio"/> releases it once its native stream
/// is closed, or at once if the open fails; never from a finalizer (a release may need the GIL):
/// memory of an <see cref="RtAudio"/> collected without Dispose stays pinned or exported.
/// Threading: created on the opening thread; released on the thread that closes the stream.
/// </summary>
internal sealed class TransferMemory(nint output, nint input, ulong frames, Action release)
{
    private Action? _release = release;

    /// <summary>Where the played frames start; 0 for no output.</summary>
    internal nint Output { get; } = output;

    /// <summary>Where the recorded frames go; 0 for no input.</summary>
    internal nint Input { get; } = input;

    /// <summary>Frames of each direction.</summary>
    internal ulong Frames { get; } = frames;

    /// <summary>Releases the memory; the second and later calls do nothing.</summary>
    internal void Release() => Interlocked.Exchange(ref _release, null)?.Invoke();
}
