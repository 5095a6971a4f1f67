namespace PyRtAudioNet.Interop;

/// <summary>
/// How <see cref="RtAudio"/> waits — for its lock, and for the audio thread in stop, abort and
/// close. By default a plain wait; a host whose audio callbacks need a lock of their own
/// installs a wrapper that releases it around the wait (the Python bridge releases the GIL,
/// as CPython's zlib module does around its per-object lock), and may install a test for an
/// interruption that ends a blocking read or write between its waits (the Python bridge's:
/// Ctrl+C). Any thread.
/// </summary>
internal static class BlockingWait
{
    private static Func<Func<int>, int>? _wrapper;
    private static Func<bool>? _interrupted;

    /// <summary>Installs the wrapper and the interruption test (once per process; later calls keep the first).</summary>
    internal static void Install(Func<Func<int>, int> wrapper, Func<bool> interrupted)
    {
        Interlocked.CompareExchange(ref _interrupted, interrupted, null);
        Interlocked.CompareExchange(ref _wrapper, wrapper, null);
    }

    /// <summary>Runs a call that may wait.</summary>
    internal static int Run(Func<int> wait) => Volatile.Read(ref _wrapper) is { } wrapper ? wrapper(wait) : wait();

    /// <summary>Whether the host asks the calling thread to stop waiting.</summary>
    internal static bool Interrupted() => Volatile.Read(ref _interrupted) is { } interrupted && interrupted();
}
