using System.Runtime.InteropServices;

namespace PyRtAudioNet.Interop;

/// <summary>
/// Owns one native <c>prtn_instance</c>, the GC handle its audio callback reaches the managed
/// callback through, and the GC handle its stream-event callback reaches the owning
/// <see cref="RtAudio"/> through. Released exactly once — by <see cref="SafeHandle.Dispose()"/>
/// or by the finalizer: the native instance is destroyed first (so neither the audio thread
/// nor the server watch uses a handle any more), then the GC handles are freed. Any thread.
/// </summary>
internal sealed class RtAudioHandle : SafeHandle
{
    // Native instances are invisible to the GC, yet each may hold a JACK client (a server
    // admits about 100 in all, across processes; Debian's jackd2 refused the 101st here), a
    // thread and descriptors. Once more than 16 are outstanding, creating another forces a
    // collection, so that instances dropped without Dispose are finalized before they exhaust them.
    private static readonly HandleCollector Outstanding = new("PyRtAudioNet native instances", 16, 48);
    private nint _callbackHandle;
    private nint _ownerHandle;
    private bool _counted;

    public RtAudioHandle()
        : base(nint.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == nint.Zero;

    /// <summary>
    /// A new weak GC handle for a stream's user data. Weak: a dropped <see cref="RtAudio"/> is
    /// not kept alive by its own stream (its owner holds the target strongly).
    /// </summary>
    internal static nint NewCallbackHandle(object target) => GCHandle.ToIntPtr(GCHandle.Alloc(target, GCHandleType.Weak));

    /// <summary>Frees a handle from <see cref="NewCallbackHandle"/> that no stream adopted.</summary>
    internal static void FreeCallbackHandle(nint callbackHandle) => GCHandle.FromIntPtr(callbackHandle).Free();

    /// <summary>Counts the instance among the outstanding ones; once, right after creation.</summary>
    internal void CountOutstanding()
    {
        Outstanding.Add();
        _counted = true;
    }

    /// <summary>Takes ownership of the callback handle of the stream just opened.</summary>
    internal void AdoptCallback(nint callbackHandle)
    {
        FreeCallback();
        _callbackHandle = callbackHandle;
    }

    /// <summary>Takes a weak GC handle to the owner, the stream-event callback's user data; once, right after creation.</summary>
    internal nint AdoptOwner(object owner) => _ownerHandle = NewCallbackHandle(owner);

    /// <summary>Frees the callback's GC handle; only once the native stream no longer uses it.</summary>
    internal void FreeCallback()
    {
        var callbackHandle = Interlocked.Exchange(ref _callbackHandle, nint.Zero);
        if (callbackHandle != nint.Zero)
            FreeCallbackHandle(callbackHandle);
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.Destroy(handle); // closes the stream and its watch: no callback runs after this
        FreeCallback();
        if (_ownerHandle != nint.Zero)
            FreeCallbackHandle(_ownerHandle);
        if (_counted)
            Outstanding.Remove();
        return true;
    }
}
