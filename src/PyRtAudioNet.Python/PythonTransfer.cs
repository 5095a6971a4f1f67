using PyRtAudioNet.Interop;
using Python.Runtime;

namespace PyRtAudioNet.Python;

/// <summary>
/// The Python objects a transfer stream plays and records: a buffer export of each, held until the
/// stream is closed, so that the memory the audio thread copies cannot move or be freed meanwhile.
/// Threading: <see cref="Export"/> with the GIL held; the release takes the GIL itself (on the
/// thread that closes the stream), never once the interpreter is finalizing (it reclaims them).
/// </summary>
internal static class PythonTransfer
{
    /// <summary>
    /// GIL held: exports <paramref name="play"/> and <paramref name="record"/>, checked against
    /// the stream. Takes ownership of both references (pythonnet's, for the method's arguments):
    /// they are released with the exports, or at once if this throws.
    /// </summary>
    internal static TransferMemory Export(RtAudioFormat format, StreamParameters? output, PyObject? play, IReadOnlyList<int>? outputMap, StreamParameters? input, PyObject? record, IReadOnlyList<int>? inputMap)
    {
        int sampleBytes = RtAudioLimits.SampleBytes(format);
        PyBuffer? played = null;
        PyBuffer? recorded = null;
        try
        {
            long frames = -1;
            played = Direction(output, play, outputMap, writable: false, nameof(play), sampleBytes, ref frames);
            recorded = Direction(input, record, inputMap, writable: true, nameof(record), sampleBytes, ref frames);
            IDisposable?[] held = [played, recorded, play, record];
            var memory = new TransferMemory(played?.Buffer ?? 0, recorded?.Buffer ?? 0, (ulong)frames, () => Release(held));
            played = recorded = null;
            play = record = null;
            return memory;
        }
        finally
        {
            played?.Dispose();
            recorded?.Dispose();
            play?.Dispose();
            record?.Dispose();
        }
    }

    /// <summary>GIL held: one direction's export, its whole frames checked (and equal to <paramref name="frames"/> once set).</summary>
    private static PyBuffer? Direction(StreamParameters? parameters, PyObject? data, IReadOnlyList<int>? map, bool writable, string name, int sampleBytes, ref long frames)
    {
        bool given = data is not null && !data.IsNone();
        if (parameters is null && given)
            throw new ArgumentException($"{name} is given but the stream has no such direction", name);
        if (parameters is not null && !given)
            throw new ArgumentException($"the stream's direction needs {name}", name);
        if (parameters is null)
            return null;
        var export = data!.GetBuffer(writable ? PyBUF.C_CONTIGUOUS | PyBUF.WRITABLE : PyBUF.C_CONTIGUOUS);
        long frameBytes = (long)(map?.Count ?? (int)parameters.Channels) * sampleBytes;
        long length = export.Length;
        string? problem = frameBytes == 0 || length == 0 || length % frameBytes != 0
            ? $"{name} has {length} bytes, not a whole, non-zero number of {frameBytes}-byte frames"
            : frames >= 0 && frames != length / frameBytes
                ? $"{name} holds {length / frameBytes} frames, play {frames}: a duplex transfer records as many frames as it plays"
                : null;
        if (problem is not null)
        {
            export.Dispose();
            throw new ArgumentException(problem, name);
        }
        frames = length / frameBytes;
        return export;
    }

    /// <summary>The exports first, then the objects they export.</summary>
    private static void Release(IDisposable?[] held)
    {
        if (!PythonEngine.IsInitialized || Gil.InterpreterIsFinalizing)
            return; // nothing may touch Python any more: the interpreter reclaims it all
        using (Py.GIL())
        {
            foreach (var reference in held)
                reference?.Dispose();
        }
    }
}
