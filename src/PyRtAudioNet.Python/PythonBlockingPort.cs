using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using PyRtAudioNet.Interop;

namespace PyRtAudioNet.Python;

/// <summary>
/// Blocking write and read for Python, as C function pointers for ctypes: Python cannot pass a
/// Span, so the caller passes the address of a C-contiguous buffer it keeps alive during the
/// call, and a ctypes call skips pythonnet's method binding (docs/benchmarks.md has what that
/// saves). The entries may be called with the GIL held (ctypes' PYFUNCTYPE):
/// every wait inside releases it (<see cref="Gil.ReleasedWhile"/>), so a call the rings serve at
/// once never gives the GIL away and never waits to take it back — under a busy Python thread,
/// that wait lasts up to a switch interval, several periods at small period sizes. A port names
/// one <see cref="RtAudio"/> by a weak GC handle, so it never keeps the stream alive; the Python
/// stream holds the port and the RtAudio together and passes <see cref="Handle"/> to the
/// entries. The handle's one release path is this port's finalizer: it runs only once nothing
/// references the port, hence no call can still be using the handle.
/// Threading: the entries run on any thread, GIL held or not; <see cref="RethrowLastError"/>
/// runs on the thread whose entry failed.
/// </summary>
public sealed unsafe class PythonBlockingPort
{
    /// <summary>What an entry returns when it failed: <see cref="RethrowLastError"/> raises why.</summary>
    public const long Failed = -2;

    [ThreadStatic]
    private static ExceptionDispatchInfo? t_lastError;

    private readonly GCHandle _audio;

    /// <summary>A port for <paramref name="audio"/>'s blocking stream.</summary>
    public PythonBlockingPort(RtAudio audio)
    {
        ArgumentNullException.ThrowIfNull(audio);
        BlockingWait.Install(Gil.ReleasedWhile, Gil.SignalRaised);
        _audio = GCHandle.Alloc(audio, GCHandleType.Weak);
    }

    /// <summary>Frees the handle: nothing can pass it any more.</summary>
    ~PythonBlockingPort() => _audio.Free();

    /// <summary>The first argument of the entries: valid while this port is referenced.</summary>
    public long Handle => GCHandle.ToIntPtr(_audio);

    /// <summary>
    /// <c>long Write(handle, address, frames, timeoutSeconds)</c>: writes all <c>frames</c> frames
    /// from <c>address</c>, waiting up to <c>timeoutSeconds</c> (negative: no limit). Returns the
    /// output ring's underflow count since the stream opened (one call per write), -1 if another
    /// thread closed the stream once the frames were written, or <see cref="Failed"/>.
    /// </summary>
    public static long WriteEntry => (long)(delegate* unmanaged<nint, nint, int, double, long>)&Write;

    /// <summary>
    /// <c>long Read(handle, address, frames, timeoutSeconds)</c>: reads <c>frames</c> frames into
    /// <c>address</c>, as <see cref="WriteEntry"/>; returns the input ring's overflow count.
    /// </summary>
    public static long ReadEntry => (long)(delegate* unmanaged<nint, nint, int, double, long>)&Read;

    /// <summary>Throws the exception of this thread's last failed entry (once), as it was thrown.</summary>
    public static void RethrowLastError()
    {
        var error = t_lastError ?? throw new InvalidOperationException("no blocking entry failed on this thread");
        t_lastError = null;
        error.Throw();
    }

    [UnmanagedCallersOnly]
    private static long Write(nint handle, nint address, int frames, double timeoutSeconds) =>
        Run(handle, address, frames, timeoutSeconds, write: true);

    [UnmanagedCallersOnly]
    private static long Read(nint handle, nint address, int frames, double timeoutSeconds) =>
        Run(handle, address, frames, timeoutSeconds, write: false);

    // No exception may leave an [UnmanagedCallersOnly] method: each is kept for RethrowLastError.
    private static long Run(nint handle, nint address, int frames, double timeoutSeconds, bool write)
    {
        try
        {
            var audio = GCHandle.FromIntPtr(handle).Target as RtAudio ?? throw new ObjectDisposedException(nameof(RtAudio));
            ArgumentOutOfRangeException.ThrowIfNegative(frames);
            if (address == 0 && frames > 0)
                throw new ArgumentException("address is null", nameof(address));
            TimeSpan? timeout = timeoutSeconds < 0 || double.IsNaN(timeoutSeconds) ? null : TimeSpan.FromSeconds(timeoutSeconds);
            if (frames > 0 && write)
                audio.WriteFrames((byte*)address, frames, timeout, CancellationToken.None);
            else if (frames > 0)
                audio.ReadFrames((byte*)address, frames, timeout, CancellationToken.None);
            return RingCount(audio, write);
        }
        catch (Exception error)
        {
            t_lastError = ExceptionDispatchInfo.Capture(error);
            return Failed;
        }
    }

    /// <summary>The ring's xrun count since the stream opened, or -1 once another thread closed the stream.</summary>
    private static long RingCount(RtAudio audio, bool write)
    {
        try
        {
            var statistics = audio.GetStreamStatistics();
            return (long)(write ? statistics.RingUnderflows : statistics.RingOverflows);
        }
        catch (ObjectDisposedException)
        {
            return -1;
        }
    }
}
