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
    /// the JACK server shut down (<see cref="RtAudioErrorType.DeviceDisconnect"/>). From then on
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

    /// <summary>The RtAudio version the bridge was built against, e.g. "5.2.0".</summary>
    public static unsafe string GetVersion() => NativeMethods.ReadString(NativeMethods.Version());

    /// <summary>The APIs compiled into RtAudio, in RtAudio's order of preference.</summary>
    public static IReadOnlyList<RtAudioApi> GetCompiledApi()
    {
        var apis = new RtAudioApi[NativeMethods.CompiledApiCount()];
        for (int i = 0; i < apis.Length; i++)
            apis[i] = (RtAudioApi)NativeMethods.CompiledApi(i);
        return apis;
    }

    /// <summary>RtAudio's short name of <paramref name="api"/>, e.g. "jack".</summary>
    public static unsafe string GetApiName(RtAudioApi api) => NativeMethods.ReadString(NativeMethods.ApiName((int)api));

    /// <summary>RtAudio's display name of <paramref name="api"/>, e.g. "Jack".</summary>
    public static unsafe string GetApiDisplayName(RtAudioApi api) => NativeMethods.ReadString(NativeMethods.ApiDisplayName((int)api));

    /// <summary>The compiled API whose short name is <paramref name="name"/>, or <see cref="RtAudioApi.Unspecified"/>.</summary>
    public static RtAudioApi GetCompiledApiByName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return GetCompiledApi().FirstOrDefault(api => GetApiName(api) == name, RtAudioApi.Unspecified);
    }

    /// <summary>The API this instance uses.</summary>
    public RtAudioApi GetCurrentApi() => (RtAudioApi)Query<int>(NativeMethods.CurrentApi, nameof(GetCurrentApi));

    /// <summary>Number of devices the API lists now (re-read on every call).</summary>
    public uint GetDeviceCount() => Query<uint>(NativeMethods.DeviceCount, nameof(GetDeviceCount));

    /// <summary>The ids of the devices the API lists now.</summary>
    public unsafe IReadOnlyList<uint> GetDeviceIds()
    {
        using (Enter())
        {
            while (true)
            {
                Check(NativeMethods.DeviceIds(_handle, null, 0, out uint count), nameof(GetDeviceIds));
                var ids = new uint[count];
                uint again;
                fixed (uint* buffer = ids)
                    Check(NativeMethods.DeviceIds(_handle, buffer, count, out again), nameof(GetDeviceIds));
                if (again == count)
                    return ids; // else the device list changed in between: read it again
            }
        }
    }

    /// <summary>What device <paramref name="id"/> offers.</summary>
    /// <exception cref="RtAudioException">No such device (<see cref="RtAudioErrorType.InvalidDevice"/>, naming the id), or the probe failed.</exception>
    public DeviceInfo GetDeviceInfo(uint id)
    {
        using (Enter())
        {
            Check(NativeMethods.GetDeviceInfo(_handle, id, out var info), $"{nameof(GetDeviceInfo)}({id})");
            return DeviceInfo.FromNative(info);
        }
    }

    /// <summary>All devices the API lists now (under one <see cref="HoldServer"/>).</summary>
    public IReadOnlyList<DeviceInfo> GetDevices()
    {
        using (Enter())
        using (HoldServer())
            return GetDeviceIds().Select(GetDeviceInfo).ToArray();
    }

    /// <summary>
    /// Keeps this object connected to the JACK server until the returned hold is disposed, which
    /// makes the device queries and the stream open in between cheaper; on other APIs it does
    /// nothing. RtAudio 5.2 connects a new JACK client for every device query (and two for a
    /// stream open), and each maps the server's shared memory anew unless another client of the
    /// process keeps it mapped, which a hold does (several times cheaper after its first). Holds nest;
    /// <see cref="GetDevices"/> and the stream opens take their own.
    /// <para>
    /// Hold for a burst of calls (find a device, open the stream), not for the object's life: a
    /// client kept past its server's end is never closed again (libjack deletes it at the next
    /// client open). <see cref="Dispose()"/> ends every hold; a hold disposed after that does nothing.
    /// </para>
    /// </summary>
    public ServerHold HoldServer()
    {
        using (Enter())
        {
            Check(NativeMethods.HoldServer(_handle), nameof(HoldServer));
            return new ServerHold(this);
        }
    }

    /// <summary>Ends one <see cref="HoldServer"/> (once per hold: see <see cref="ServerHold"/>).</summary>
    internal void ReleaseServer()
    {
        using (EnterLock())
        {
            if (!_disposed)
                Check(NativeMethods.ReleaseServer(_handle), nameof(ServerHold.Dispose));
        }
    }

    /// <summary>The default output device's id.</summary>
    /// <exception cref="RtAudioException">The API lists no devices (<see cref="RtAudioErrorType.NoDevicesFound"/>).</exception>
    public uint GetDefaultOutputDevice() => Query<uint>(NativeMethods.DefaultOutputDevice, nameof(GetDefaultOutputDevice));

    /// <summary>The default input device's id.</summary>
    /// <exception cref="RtAudioException">The API lists no devices (<see cref="RtAudioErrorType.NoDevicesFound"/>).</exception>
    public uint GetDefaultInputDevice() => Query<uint>(NativeMethods.DefaultInputDevice, nameof(GetDefaultInputDevice));

    /// <summary>
    /// The default output device's info: what <c>GetDeviceInfo(GetDefaultOutputDevice())</c> gives, in one
    /// device scan instead of two (on JACK each device query is a client connection; where device 0 is
    /// the default, as on JACK and PulseAudio, the scan is that one device's query).
    /// </summary>
    /// <exception cref="RtAudioException">The API lists no devices (<see cref="RtAudioErrorType.NoDevicesFound"/>), or the probe failed.</exception>
    public DeviceInfo GetDefaultOutputDeviceInfo() => GetDefaultDeviceInfo(input: false, nameof(GetDefaultOutputDeviceInfo));

    /// <summary>The default input device's info, in one device scan (see <see cref="GetDefaultOutputDeviceInfo"/>).</summary>
    /// <exception cref="RtAudioException">The API lists no devices (<see cref="RtAudioErrorType.NoDevicesFound"/>), or the probe failed.</exception>
    public DeviceInfo GetDefaultInputDeviceInfo() => GetDefaultDeviceInfo(input: true, nameof(GetDefaultInputDeviceInfo));

    private DeviceInfo GetDefaultDeviceInfo(bool input, string operation)
    {
        using (Enter())
        {
            Check(NativeMethods.GetDefaultDeviceInfo(_handle, input ? 1 : 0, out var info), operation);
            return DeviceInfo.FromNative(info);
        }
    }

    /// <summary>A native call that reads one value.</summary>
    private delegate int NativeQuery<T>(RtAudioHandle handle, out T value);

    /// <summary>Runs <paramref name="query"/> under the lock; its failure becomes an exception.</summary>
    private T Query<T>(NativeQuery<T> query, string operation)
    {
        using (Enter())
        {
            Check(query(_handle, out T value), operation);
            return value;
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
