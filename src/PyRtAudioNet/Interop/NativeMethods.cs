using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace PyRtAudioNet.Interop;

/// <summary>
/// The raw C ABI of the native bridge (native/include/prtn.h), one declaration per export.
/// Threading: as in prtn.h — calls on one instance must be serialized by the caller
/// (<see cref="RtAudio"/> does so with its lock); the library-wide calls,
/// <see cref="GetStreamStats"/> and <see cref="StreamWait"/> are free-threaded.
/// Strings owned by the bridge are returned as <c>byte*</c> and copied, never freed.
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "pyrtaudionet_native";

    [LibraryImport(Library, EntryPoint = "prtn_version")]
    internal static partial byte* Version();

    [LibraryImport(Library, EntryPoint = "prtn_compiled_api_count")]
    internal static partial int CompiledApiCount();

    [LibraryImport(Library, EntryPoint = "prtn_compiled_api")]
    internal static partial int CompiledApi(int index);

    [LibraryImport(Library, EntryPoint = "prtn_api_name")]
    internal static partial byte* ApiName(int api);

    [LibraryImport(Library, EntryPoint = "prtn_api_display_name")]
    internal static partial byte* ApiDisplayName(int api);

    [LibraryImport(Library, EntryPoint = "prtn_live_instances")]
    internal static partial int LiveInstances();

    /// <summary>prtn.h's layout: a struct's size (<paramref name="field"/> null) or a field's offset; nuint.MaxValue if unknown.</summary>
    [LibraryImport(Library, EntryPoint = "prtn_layout", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nuint Layout(string type, string? field);

    /// <summary>prtn.h's <c>PRTN_MAX_</c><paramref name="name"/> limit; 0 if it defines none.</summary>
    [LibraryImport(Library, EntryPoint = "prtn_limit", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial uint Limit(string name);

    /// <summary>Bytes per sample of one format; 0 if <paramref name="format"/> is not exactly one.</summary>
    [LibraryImport(Library, EntryPoint = "prtn_sample_bytes")]
    internal static partial uint SampleBytes(uint format);

    [LibraryImport(Library, EntryPoint = "prtn_create")]
    internal static partial int Create(int api, out RtAudioHandle instance, byte* errorMessage, int errorMessageSize);

    [LibraryImport(Library, EntryPoint = "prtn_destroy")]
    internal static partial void Destroy(nint instance);

    [LibraryImport(Library, EntryPoint = "prtn_last_error_message")]
    internal static partial byte* LastErrorMessage(RtAudioHandle instance);

    [LibraryImport(Library, EntryPoint = "prtn_take_warnings")]
    internal static partial int TakeWarnings(RtAudioHandle instance, byte* buffer, int bufferSize);

    [LibraryImport(Library, EntryPoint = "prtn_set_stream_event_callback")]
    internal static partial int SetStreamEventCallback(RtAudioHandle instance, delegate* unmanaged[Cdecl]<int, byte*, void*, void> callback, void* userData);

    [LibraryImport(Library, EntryPoint = "prtn_current_api")]
    internal static partial int CurrentApi(RtAudioHandle instance, out int api);

    [LibraryImport(Library, EntryPoint = "prtn_device_count")]
    internal static partial int DeviceCount(RtAudioHandle instance, out uint count);

    [LibraryImport(Library, EntryPoint = "prtn_device_ids")]
    internal static partial int DeviceIds(RtAudioHandle instance, uint* ids, uint capacity, out uint count);

    [LibraryImport(Library, EntryPoint = "prtn_get_device_info")]
    internal static partial int GetDeviceInfo(RtAudioHandle instance, uint id, out NativeDeviceInfo info);

    [LibraryImport(Library, EntryPoint = "prtn_default_output_device")]
    internal static partial int DefaultOutputDevice(RtAudioHandle instance, out uint id);

    [LibraryImport(Library, EntryPoint = "prtn_default_input_device")]
    internal static partial int DefaultInputDevice(RtAudioHandle instance, out uint id);

    [LibraryImport(Library, EntryPoint = "prtn_get_default_device_info")]
    internal static partial int GetDefaultDeviceInfo(RtAudioHandle instance, int input, out NativeDeviceInfo info);

    [LibraryImport(Library, EntryPoint = "prtn_hold_server")]
    internal static partial int HoldServer(RtAudioHandle instance);

    [LibraryImport(Library, EntryPoint = "prtn_release_server")]
    internal static partial int ReleaseServer(RtAudioHandle instance);

    [LibraryImport(Library, EntryPoint = "prtn_open_stream")]
    internal static partial int OpenStream(
        RtAudioHandle instance,
        NativeStreamParameters* output,
        NativeStreamParameters* input,
        uint format,
        uint sampleRate,
        ref uint bufferFrames,
        delegate* unmanaged[Cdecl]<void*, void*, uint, double, uint, void*, int> callback,
        void* userData,
        ref NativeStreamOptions options,
        byte* streamName);

    [LibraryImport(Library, EntryPoint = "prtn_start_stream")]
    internal static partial int StartStream(RtAudioHandle instance);

    [LibraryImport(Library, EntryPoint = "prtn_stop_stream")]
    internal static partial int StopStream(RtAudioHandle instance);

    [LibraryImport(Library, EntryPoint = "prtn_abort_stream")]
    internal static partial int AbortStream(RtAudioHandle instance);

    [LibraryImport(Library, EntryPoint = "prtn_close_stream")]
    internal static partial int CloseStream(RtAudioHandle instance);

    [LibraryImport(Library, EntryPoint = "prtn_is_stream_open")]
    internal static partial int IsStreamOpen(RtAudioHandle instance, out int open);

    [LibraryImport(Library, EntryPoint = "prtn_is_stream_running")]
    internal static partial int IsStreamRunning(RtAudioHandle instance, out int running);

    // A raw pointer: only compared, never dereferenced, so it may be asked after the handle closed.
    [LibraryImport(Library, EntryPoint = "prtn_on_audio_thread_of")]
    internal static partial int OnAudioThreadOf(nint instance);

    [LibraryImport(Library, EntryPoint = "prtn_get_stream_time")]
    internal static partial int GetStreamTime(RtAudioHandle instance, out double time);

    [LibraryImport(Library, EntryPoint = "prtn_set_stream_time")]
    internal static partial int SetStreamTime(RtAudioHandle instance, double time);

    [LibraryImport(Library, EntryPoint = "prtn_get_stream_latency")]
    internal static partial int GetStreamLatency(RtAudioHandle instance, out long frames);

    [LibraryImport(Library, EntryPoint = "prtn_get_stream_latencies")]
    internal static partial int GetStreamLatencies(RtAudioHandle instance, out long output, out long input);

    [LibraryImport(Library, EntryPoint = "prtn_get_stream_period")]
    internal static partial int GetStreamPeriod(RtAudioHandle instance, out uint frames);

    [LibraryImport(Library, EntryPoint = "prtn_get_stream_sample_rate")]
    internal static partial int GetStreamSampleRate(RtAudioHandle instance, out uint rate);

    [LibraryImport(Library, EntryPoint = "prtn_open_blocking_stream")]
    internal static partial int OpenBlockingStream(
        RtAudioHandle instance,
        NativeStreamParameters* output,
        NativeStreamParameters* input,
        uint format,
        uint sampleRate,
        ref uint bufferFrames,
        ref NativeStreamOptions options,
        byte* streamName,
        in NativeBlockingOptions blocking);

    [LibraryImport(Library, EntryPoint = "prtn_open_transfer_stream")]
    internal static partial int OpenTransferStream(
        RtAudioHandle instance,
        NativeStreamParameters* output,
        NativeStreamParameters* input,
        uint format,
        uint sampleRate,
        ref uint bufferFrames,
        ref NativeStreamOptions options,
        byte* streamName,
        in NativeTransfer transfer);

    [LibraryImport(Library, EntryPoint = "prtn_stream_write")]
    internal static partial int StreamWrite(RtAudioHandle instance, byte* data, uint frames, out uint written);

    [LibraryImport(Library, EntryPoint = "prtn_stream_read")]
    internal static partial int StreamRead(RtAudioHandle instance, byte* data, uint frames, out uint read);

    [LibraryImport(Library, EntryPoint = "prtn_stream_write_available")]
    internal static partial int StreamWriteAvailable(RtAudioHandle instance, out uint frames);

    [LibraryImport(Library, EntryPoint = "prtn_stream_read_available")]
    internal static partial int StreamReadAvailable(RtAudioHandle instance, out uint frames);

    [LibraryImport(Library, EntryPoint = "prtn_stream_wait")]
    internal static partial void StreamWait(RtAudioHandle instance, int timeoutMilliseconds);

    [LibraryImport(Library, EntryPoint = "prtn_take_stream_error")]
    internal static partial int TakeStreamError(RtAudioHandle instance);

    [LibraryImport(Library, EntryPoint = "prtn_stream_stats_get")]
    internal static partial void GetStreamStats(RtAudioHandle instance, out NativeStreamStats stats);

    [LibraryImport(Library, EntryPoint = "prtn_stream_durations_get")]
    internal static partial void GetStreamDurations(RtAudioHandle instance, out NativeDurationSummary summary);

    [LibraryImport(Library, EntryPoint = "prtn_stream_durations_reset")]
    internal static partial void ResetStreamDurations(RtAudioHandle instance);

    /// <summary>Copies a NUL-terminated UTF-8 string owned by the bridge.</summary>
    internal static string ReadString(byte* text) => Marshal.PtrToStringUTF8((nint)text) ?? string.Empty;

#pragma warning disable CA2255 // The resolver must be in place before the first P/Invoke, in any host (pythonnet too).
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RegisterResolver() => NativeLibraryResolver.Register(typeof(NativeMethods).Assembly);
}
