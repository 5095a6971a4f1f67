namespace PyRtAudioNet;

/// <summary>
/// One <see cref="RtAudio.HoldServer"/>: disposing it ends that hold (once; later calls do
/// nothing). It owns no native resource itself: the held client belongs to the RtAudio object,
/// whose <see cref="RtAudio.Dispose()"/> also ends it, so a hold that is never disposed lasts
/// until then. Threading: any thread may dispose it.
/// </summary>
public sealed class ServerHold : IDisposable
{
    private RtAudio? _owner;

    internal ServerHold(RtAudio owner) => _owner = owner;

    /// <summary>Ends the hold.</summary>
    public void Dispose() => Interlocked.Exchange(ref _owner, null)?.ReleaseServer();
}
