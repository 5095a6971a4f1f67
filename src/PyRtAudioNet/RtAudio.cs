using PyRtAudioNet.Interop;

namespace PyRtAudioNet;

/// <summary>
/// One RtAudio instance: device queries and at most one open stream, with RtAudio's C++
/// names in .NET casing so RtAudio's documentation applies.
/// <para>
/// Threading: any thread may call any member. Calls on one object are serialized by a
/// per-object lock; the audio thread never takes it. Every member that enters RtAudio is a
/// method, never a property (pythonnet releases the GIL only while a method runs). The
/// stream callback runs on the audio thread (see <see cref="AudioCallback{T}"/>).
/// </para>
/// <para>
/// Lifetime: <see cref="Dispose"/> (idempotent) stops and closes a running stream and frees
/// the native instance; so does the finalizer of a dropped object, after which the stream is
/// silent until the finalizer runs (once many instances are outstanding, creating one forces a
/// collection: see <c>RtAudioHandle</c>). Every call after <see cref="Dispose"/> throws
/// <see cref="ObjectDisposedException"/>.
/// </para>
/// <para>
/// Source files, one job each: RtAudio.cs (creation, the lock, errors and warnings),
/// RtAudio.Devices.cs (APIs, devices, server holds), RtAudio.Stream.cs (a callback stream's
/// life and disposal), RtAudio.Blocking.cs (blocking streams' read and write),
/// RtAudio.Transfer.cs (whole-buffer transfers).
/// </para>
/// </summary>
public sealed partial class RtAudio : IDisposable
{
    private const int MessageCapacity = 4096;

    private readonly Lock _lock = new();
    private readonly RtAudioHandle _handle;
    private bool _disposed;
    private bool _showWarnings = true;

    /// <summary>Opens RtAudio on the first compiled API that has devices.</summary>
    /// <exception cref="RtAudioException">RtAudio could not be created.</exception>
    public RtAudio()
        : this(RtAudioApi.Unspecified)
    {
    }

    /// <summary>Opens RtAudio on <paramref name="api"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="api"/> is not a defined API.</exception>
    /// <exception cref="RtAudioException">The API is not compiled in, or RtAudio could not be created.</exception>
    public unsafe RtAudio(RtAudioApi api)
    {
        if (!Enum.IsDefined(api))
            throw new ArgumentOutOfRangeException(nameof(api), api, "not a defined RtAudioApi");
        byte* message = stackalloc byte[MessageCapacity];
        int result = NativeMethods.Create((int)api, out _handle, message, MessageCapacity);
        if (result != 0)
        {
            _handle.Dispose();
            throw new RtAudioException((RtAudioErrorType)result, $"RtAudio({api}): {NativeMethods.ReadString(message)}");
        }
        _handle.CountOutstanding();
        NativeMethods.SetStreamEventCallback(_handle, StreamEventThunk.Pointer, (void*)_handle.AdoptOwner(this));
    }

    /// <summary>
    /// Raised on the calling thread, during the call that made RtAudio warn (the object's lock
    /// is held: a handler may call this object but must not wait for another thread that does).
    /// With no handler, warnings are printed on stderr unless <see cref="ShowWarnings"/> turned that off.
    /// </summary>
    public event EventHandler<RtAudioWarningEventArgs>? Warning;

    /// <summary>
    /// Whether a warning no <see cref="Warning"/> handler takes is printed on stderr (<c>RtAudio::showWarnings</c>;
    /// on by default, as in RtAudio). Any thread.
    /// </summary>
    public void ShowWarnings(bool value = true) => Volatile.Write(ref _showWarnings, value);

    /// <summary>
    /// Raised once, on a thread-pool thread, when the open stream ends without being asked to:
    /// the JACK server shut down, or a PulseAudio or ALSA stream's I/O failed for good (its server
    /// went, or its ALSA device failed; see docs/threading.md): <see cref="RtAudioErrorType.DeviceDisconnect"/>. From then on
    /// every stream call but <see cref="CloseStream"/> throws that error, and a thread blocked in
    /// <see cref="Write{T}"/> or <see cref="Read{T}"/> wakes and throws it. A handler may call
    /// this object (close the stream, say); what it throws is reported on stderr and dropped.
    /// </summary>
    public event EventHandler<StreamFailedEventArgs>? StreamFailed;

    /// <summary>Thread pool: raises <see cref="StreamFailed"/> unless the object was disposed meanwhile.</summary>
    internal void RaiseStreamFailed(RtAudioException error)
    {
        if (_disposed)
            return;
        try
        {
            StreamFailed?.Invoke(this, new StreamFailedEventArgs(error));
        }
#pragma warning disable CA1031 // A throwing handler on the thread pool would end the process: report it instead.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"pyrtaudionet: a StreamFailed handler threw: {e}");
        }
    }

    /// <summary>Enters the object's lock after checking it is not disposed.</summary>
    private LockHeld Enter()
    {
        var held = EnterLock();
        if (_disposed)
        {
            held.Dispose();
            throw new ObjectDisposedException(nameof(RtAudio), "this RtAudio object was disposed");
        }
        return held;
    }

    /// <summary>
    /// Enters the object's lock; a contended wait goes through <see cref="BlockingWait"/>. The
    /// stream's own callback never waits for it: the holder may be waiting for that very
    /// callback (to stop or close the stream), so there a contended lock throws instead.
    /// </summary>
    private LockHeld EnterLock()
    {
        if (!_lock.TryEnter())
        {
            if (NativeMethods.OnAudioThreadOf(_handle.DangerousGetHandle()) != 0)
            {
                throw new RtAudioException(RtAudioErrorType.InvalidUse,
                    "called from the stream's own callback while another thread is using this RtAudio (it may be waiting for this very callback to stop or close the stream); return Stop or Abort from the callback instead");
            }
            WaitFor(_lock);
        }
        return new LockHeld(_lock);
    }

    /// <summary>Enters a contended lock, through <see cref="BlockingWait"/>.</summary>
    private static void WaitFor(Lock contended) => BlockingWait.Run(() =>
    {
        contended.Enter();
        return 0;
    });

    /// <summary>A lock of this object, held until disposed.</summary>
    private readonly ref struct LockHeld(Lock held)
    {
        public void Dispose() => held.Exit();
    }

    /// <summary>Delivers queued warnings, then turns a native error code into an exception. Lock held.</summary>
    private void Check(int result, string operation)
    {
        DeliverWarnings();
        CheckQuiet(result, operation);
    }

    /// <summary>
    /// <see cref="Check"/> for a call that cannot make RtAudio warn (ring reads and writes, the
    /// running flag): no warnings to deliver, and the blocking hot path skips asking for them.
    /// </summary>
    private unsafe void CheckQuiet(int result, string operation)
    {
        if (result != 0)
            throw new RtAudioException((RtAudioErrorType)result, $"{operation}: {NativeMethods.ReadString(NativeMethods.LastErrorMessage(_handle))}");
    }

    private unsafe void DeliverWarnings()
    {
        byte* buffer = stackalloc byte[MessageCapacity];
        if (NativeMethods.TakeWarnings(_handle, buffer, MessageCapacity) == 0)
            return;
        string message = NativeMethods.ReadString(buffer);
        if (Warning is { } handler)
            handler(this, new RtAudioWarningEventArgs(message));
        else if (Volatile.Read(ref _showWarnings))
            Console.Error.WriteLine(message);
    }
}
