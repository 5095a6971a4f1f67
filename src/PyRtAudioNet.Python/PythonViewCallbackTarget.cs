using System.Text;
using PyRtAudioNet.Interop;
using PyRtAudioNet.Python.Interop;
using Python.Runtime;

namespace PyRtAudioNet.Python;

/// <summary>
/// The low-level convention of <see cref="PythonStreams.OpenStream"/>:
/// <c>callback(output, input, frames, stream_time, status)</c> with the stream-owned memoryviews
/// (None for a missing direction) and plain numbers; it returns None or 0 (continue), 1 (stop)
/// or 2 (abort). Threading: as <see cref="PythonCallbackTarget"/>.
/// </summary>
internal sealed unsafe class PythonViewCallbackTarget : PythonCallbackTarget
{
    private const int ArgumentCount = 5;
    private static readonly byte[] BadResultMessage = Encoding.UTF8.GetBytes("the stream callback must return None, 0 (continue), 1 (stop) or 2 (abort)\0");

    private readonly PyObject _callable;
    private readonly nint _callableHandle;

    /// <summary>GIL held. Takes ownership of <paramref name="callable"/>.</summary>
    internal PythonViewCallbackTarget(PyObject callable)
    {
        _callable = callable;
#pragma warning disable CS0612 // The raw pointer is what the C API takes; the field keeps it alive.
        _callableHandle = callable.Handle;
#pragma warning restore CS0612
    }

    protected override int Call(PythonBuffer? output, PythonBuffer? input, uint frames, double streamTime, StreamStatus status)
    {
        nint* arguments = stackalloc nint[ArgumentCount];
#pragma warning disable CS0612 // Borrowed raw pointers for the vectorcall; the buffers keep them alive.
        arguments[0] = output is null ? PythonCApi.None : output.View.Handle;
        arguments[1] = input is null ? PythonCApi.None : input.View.Handle;
#pragma warning restore CS0612
        arguments[2] = PythonCApi.PyLong_FromUnsignedLong(frames);
        arguments[3] = PythonCApi.PyFloat_FromDouble(streamTime);
        arguments[4] = PythonCApi.PyLong_FromUnsignedLong((nuint)status);
        nint result = arguments[2] != 0 && arguments[3] != 0 && arguments[4] != 0
            ? PythonCApi.PyObject_Vectorcall(_callableHandle, arguments, ArgumentCount, 0)
            : 0;
        for (int i = 2; i < ArgumentCount; i++)
            DecRef(arguments[i]);
        if (result == 0)
            return -1;
        int code = ToCallbackResult(result);
        PythonCApi.Py_DecRef(result);
        return code;
    }

    /// <summary>GIL held: None → 0, an int 0/1/2 → itself; anything else sets a Python error and gives -1.</summary>
    private static int ToCallbackResult(nint result)
    {
        if (result == PythonCApi.None)
            return (int)CallbackResult.Continue;
        nint value = PythonCApi.PyLong_AsLong(result);
        if (value is >= 0 and <= 2)
            return (int)value;
        bool notAnInt = value == -1 && PythonCApi.PyErr_Occurred() != 0;
        PythonCApi.PyErr_Clear();
        fixed (byte* message = BadResultMessage)
            PythonCApi.PyErr_SetString(notAnInt ? PythonCApi.TypeError : PythonCApi.ValueError, message);
        return -1;
    }

    protected override void ReleasePythonObjects() => _callable.Dispose();
}
