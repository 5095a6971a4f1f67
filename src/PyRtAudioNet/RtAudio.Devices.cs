using PyRtAudioNet.Interop;

namespace PyRtAudioNet;

/// <summary>
/// The query half of <see cref="RtAudio"/>: the compiled APIs, the devices and their defaults,
/// and the server holds that make a burst of queries cheaper. Threading as the class says.
/// </summary>
public sealed partial class RtAudio
{
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

    /// <summary>
    /// All devices the API lists now (under one <see cref="HoldServer"/>). A device that goes while
    /// they are read (a JACK client closing, even in this process) makes it read them again, up to
    /// <see cref="DeviceListReads"/> times in all; then that device's error is thrown.
    /// </summary>
    public IReadOnlyList<DeviceInfo> GetDevices()
    {
        using (Enter())
        using (HoldServer())
        {
            for (int read = 1; ; read++)
            {
                try
                {
                    return GetDeviceIds().Select(GetDeviceInfo).ToArray();
                }
                catch (RtAudioException e) when (e.ErrorType == RtAudioErrorType.InvalidDevice && read < DeviceListReads)
                {
                    // A device went since the ids were read: read them again.
                }
            }
        }
    }

    /// <summary>How many times <see cref="GetDevices"/> reads a device list that changes meanwhile.</summary>
    private const int DeviceListReads = 10;

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
}
