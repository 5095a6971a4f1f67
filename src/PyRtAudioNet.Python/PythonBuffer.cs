using Python.Runtime;

namespace PyRtAudioNet.Python;

/// <summary>
/// One direction's stream-owned sample memory: a <c>bytearray</c> and a <c>memoryview</c> over it
/// cast to the sample format and shaped (frames, channels) — (channels, frames) when
/// non-interleaved; int24 samples add a third dimension of 3 bytes. The audio thread copies between RtAudio's buffer and
/// <see cref="Data"/>; Python sees only the view. The buffer holds an export of the bytearray
/// itself until disposed (after the stream closed): Python code reaching the bytearray
/// (<c>view.obj</c>) after releasing every view still cannot resize it, which would move or free
/// <see cref="Data"/> under the audio thread. A view kept after the callback returns keeps the
/// bytearray alive. Created and disposed with the GIL held.
/// </summary>
internal sealed unsafe class PythonBuffer : IDisposable
{
    private readonly PyObject _storage;
    private readonly PyBuffer _export;
    private readonly int _bytesPerFrame;

    private PythonBuffer(PyObject storage, PyBuffer export, PyObject view, int bytes, int bytesPerFrame)
    {
        _storage = storage;
        _export = export;
        View = view;
        Data = (byte*)export.Buffer;
        Bytes = bytes;
        _bytesPerFrame = bytesPerFrame;
    }

    /// <summary>The shaped memoryview handed to the callback every period.</summary>
    internal PyObject View { get; }

    /// <summary>Start of the bytearray's storage; stable until <see cref="Dispose"/>.</summary>
    internal byte* Data { get; }

    /// <summary>Size in bytes of one period.</summary>
    internal int Bytes { get; }

    /// <summary>Bytes of <paramref name="frames"/> frames, at most <see cref="Bytes"/>.</summary>
    internal long PeriodBytes(uint frames) => Math.Min(Bytes, frames * (long)_bytesPerFrame);

    /// <summary>GIL held.</summary>
    internal static PythonBuffer Create(RtAudioFormat format, int frames, int channels, bool nonInterleaved)
    {
        int sampleBytes = RtAudioLimits.SampleBytes(format);
        int bytes = checked(frames * channels * sampleBytes);
        // int24 has no memoryview format: its samples are 3 packed bytes, a third dimension.
        bool packed = format == RtAudioFormat.SInt24;
        int[] dimensions = nonInterleaved ? [channels, frames] : [frames, channels];
        if (packed)
            dimensions = [.. dimensions, sampleBytes];
        using var builtins = Py.Import("builtins");
        using var size = new PyInt(bytes);
        var storage = builtins.InvokeMethod(AttributeNames.Get("bytearray"), size);
        using var raw = builtins.InvokeMethod(AttributeNames.Get("memoryview"), storage);
        using var codeObject = new PyString(packed ? "B" : FormatCode(format));
        var dimensionObjects = dimensions.Select(d => (PyObject)new PyInt(d)).ToArray();
        using var shape = new PyTuple(dimensionObjects);
        foreach (var dimension in dimensionObjects)
            dimension.Dispose();
        var view = raw.InvokeMethod(AttributeNames.Get("cast"), codeObject, shape);
        return new PythonBuffer(storage, storage.GetBuffer(PyBUF.WRITABLE), view, bytes, channels * sampleBytes);
    }

    /// <summary>GIL held. Views Python still holds stay valid: they keep the bytearray alive.</summary>
    public void Dispose()
    {
        View.Dispose();
        _export.Dispose();
        _storage.Dispose();
    }

    private static string FormatCode(RtAudioFormat format) => format switch
    {
        RtAudioFormat.SInt8 => "b",
        RtAudioFormat.SInt16 => "h",
        RtAudioFormat.SInt32 => "i",
        RtAudioFormat.Float32 => "f",
        RtAudioFormat.Float64 => "d",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "not a sample format"),
    };
}
