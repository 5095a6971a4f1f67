using System.Text;
using PyRtAudioNet.Interop;
using Python.Runtime;

namespace PyRtAudioNet.Python;

/// <summary>
/// Calls a Python callable on the audio thread once per period:
/// <c>callback(output, input, frames, stream_time, status)</c> with the stream-owned
/// <see cref="PythonBuffer"/> views (None for a missing direction); it returns None or 0
/// (continue), 1 (stop) or 2 (abort). A raised exception, or another return value, aborts the
/// stream and is re-raised with its traceback by the next stop/abort/close.
/// Threading: <see cref="Invoke"/> on the audio thread (takes the GIL per <see cref="Gil"/>);
/// the rest on the owner's thread with the owner's lock held and the GIL not held.
/// </summary>
#pragma warning disable CA1001 // Released by OnClosed, the one release path, which must take the GIL.
internal sealed unsafe class PythonCallbackTarget : StreamCallbackTarget
#pragma warning restore CA1001
{
    private const int ArgumentCount = 5;
    private static readonly byte[] BadResultMessage = Encoding.UTF8.GetBytes("the stream callback must return None, 0 (continue), 1 (stop) or 2 (abort)\0");

    private readonly PyObject _callable;
    private readonly nint _callableHandle;
    private readonly List<nint> _threadStates = new(4);
    private volatile PythonBuffer? _output;
    private volatile PythonBuffer? _input;
    private volatile bool _closed;
    private int _threadStateOwner;

    // The exception the callback raised (with its traceback), kept in a Python list: at most one.
    private readonly PyList _errors;
    private readonly nint _errorsHandle;
    private volatile bool _failed;

    /// <summary>GIL held. Takes ownership of <paramref name="callable"/>.</summary>
    internal PythonCallbackTarget(PyObject callable)
    {
        _callable = callable;
        _errors = new PyList();
#pragma warning disable CS0612 // The raw pointers are what the C API takes; the fields keep them alive.
        _callableHandle = callable.Handle;
        _errorsHandle = _errors.Handle;
#pragma warning restore CS0612
    }

    /// <summary>GIL held: creates the buffers once the granted period is known, before the stream starts.</summary>
    internal void CreateBuffers(RtAudioFormat format, int frames, StreamParameters? output, StreamParameters? input, bool nonInterleaved)
    {
        _output = output is null ? null : PythonBuffer.Create(format, frames, (int)output.Channels, nonInterleaved);
        _input = input is null ? null : PythonBuffer.Create(format, frames, (int)input.Channels, nonInterleaved);
    }

    protected override int Invoke(void* output, void* input, uint frames, double streamTime, StreamStatus status)
    {
        if (_failed)
            return (int)CallbackResult.Abort;
        var outputBuffer = _output;
        var inputBuffer = _input;
        bool ready = (output is null || outputBuffer is not null) && (input is null || inputBuffer is not null);
        if (_closed || !ready || PythonStreams.IsShutDown || Gil.InterpreterIsFinalizing)
            return (int)CallbackResult.Continue; // the output stays silent
        KeepThreadState();
        int gil = PythonCApi.PyGILState_Ensure();
        try
        {
            return Call(output, input, outputBuffer, inputBuffer, frames, streamTime, status);
        }
        finally
        {
            PythonCApi.PyGILState_Release(gil);
        }
    }

    /// <summary>Audio thread, GIL held.</summary>
    private int Call(void* output, void* input, PythonBuffer? outputBuffer, PythonBuffer? inputBuffer, uint frames, double streamTime, StreamStatus status)
    {
        if (inputBuffer is not null)
            Buffer.MemoryCopy(input, inputBuffer.Data, inputBuffer.Bytes, inputBuffer.PeriodBytes(frames));
        nint* arguments = stackalloc nint[ArgumentCount];
#pragma warning disable CS0612 // Borrowed raw pointers for the vectorcall; the buffers keep them alive.
        arguments[0] = outputBuffer is null ? PythonCApi.None : outputBuffer.View.Handle;
        arguments[1] = inputBuffer is null ? PythonCApi.None : inputBuffer.View.Handle;
#pragma warning restore CS0612
        arguments[2] = PythonCApi.PyLong_FromUnsignedLong(frames);
        arguments[3] = PythonCApi.PyFloat_FromDouble(streamTime);
        arguments[4] = PythonCApi.PyLong_FromUnsignedLong((nuint)status);
        nint result = arguments[2] != 0 && arguments[3] != 0 && arguments[4] != 0
            ? PythonCApi.PyObject_Vectorcall(_callableHandle, arguments, ArgumentCount, 0)
            : 0;
        for (int i = 2; i < ArgumentCount; i++)
        {
            if (arguments[i] != 0)
                PythonCApi.Py_DecRef(arguments[i]);
        }
        int code = result == 0 ? -1 : ToCallbackResult(result);
        if (result != 0)
            PythonCApi.Py_DecRef(result);
        if (code < 0)
        {
            KeepError();
            return (int)CallbackResult.Abort;
        }
        if (outputBuffer is not null)
            Buffer.MemoryCopy(outputBuffer.Data, output, outputBuffer.Bytes, outputBuffer.PeriodBytes(frames));
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

    /// <summary>Audio thread, GIL held: keeps the first raised exception, its traceback attached.</summary>
    private void KeepError()
    {
        nint type, value, traceback;
        PythonCApi.PyErr_Fetch(&type, &value, &traceback);
        PythonCApi.PyErr_NormalizeException(&type, &value, &traceback);
        if (value != 0 && traceback != 0)
            PythonCApi.PyException_SetTraceback(value, traceback);
        if (!_failed && value != 0 && PythonCApi.PyList_Append(_errorsHandle, value) != 0)
            PythonCApi.PyErr_Clear(); // out of memory: the stream still aborts
        _failed = true;
        DecRef(type);
        DecRef(value);
        DecRef(traceback);
    }

    private static void DecRef(nint reference)
    {
        if (reference != 0)
            PythonCApi.Py_DecRef(reference);
    }

    /// <summary>Audio thread, GIL not held: one lasting Python thread state per OS thread.</summary>
    private void KeepThreadState()
    {
        int thread = Environment.CurrentManagedThreadId;
        if (thread == _threadStateOwner)
            return;
        nint threadState = Gil.EnterAudioThread();
        if (threadState != 0)
            _threadStates.Add(threadState);
        _threadStateOwner = thread;
    }

    /// <summary>The callback's .NET or Python exception, once, as a PythonException pythonnet re-raises unchanged.</summary>
    internal override Exception? TakeFault()
    {
        if (base.TakeFault() is { } managed)
            return managed;
        if (!_failed || !PythonEngine.IsInitialized)
            return null;
        using (Py.GIL())
        {
            if (_errors.Length() == 0)
                return null;
            var value = _errors[0];
            _errors.InvokeMethod(AttributeNames.Get("clear")).Dispose();
            var traceback = value.GetAttr(AttributeNames.Get("__traceback__"));
            return new PythonException(value.GetPythonType(), value, traceback.IsNone() ? null : traceback);
        }
    }

    /// <summary>After close: deletes the audio thread's Python thread state and releases the Python objects.</summary>
    internal override void OnClosed()
    {
        _closed = true;
        if (!PythonEngine.IsInitialized || Gil.InterpreterIsFinalizing)
            return; // nothing may touch Python any more: the interpreter reclaims it all
        using (Py.GIL())
        {
            foreach (nint threadState in _threadStates)
                Gil.DeleteThreadState(threadState);
            _threadStates.Clear();
            _output?.Dispose();
            _input?.Dispose();
            _output = _input = null;
            _callable.Dispose();
            _errors.Dispose();
        }
    }
}
