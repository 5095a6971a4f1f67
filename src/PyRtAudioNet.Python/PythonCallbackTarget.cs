using PyRtAudioNet.Interop;
using PyRtAudioNet.Python.Interop;
using Python.Runtime;

namespace PyRtAudioNet.Python;

/// <summary>
/// Calls a Python callable on the audio thread once per period, over the stream-owned
/// <see cref="PythonBuffer"/>s: the input is copied in before the call and the output out after
/// it. What the callable gets and returns is its subclass's convention
/// (<see cref="PythonViewCallbackTarget"/>, <see cref="SoundDeviceCallbackTarget"/>). A raised
/// exception aborts the stream and is re-raised with its traceback by the next
/// stop/abort/close.
/// Threading: <see cref="Invoke"/> on the audio thread (takes the GIL per <see cref="Gil"/>);
/// the rest on the owner's thread with the owner's lock held and the GIL not held.
/// </summary>
#pragma warning disable CA1001 // Released by OnClosed, the one release path, which must take the GIL.
internal abstract unsafe class PythonCallbackTarget : StreamCallbackTarget
#pragma warning restore CA1001
{
    private readonly List<nint> _threadStates = new(4);
    private volatile PythonBuffer? _output;
    private volatile PythonBuffer? _input;
    private volatile bool _closed;

    // The exception the callback raised (with its traceback), kept in a Python list: at most one.
    private readonly PyList _errors = new();
    private readonly nint _errorsHandle;
    private volatile bool _failed;

    /// <summary>GIL held.</summary>
    protected PythonCallbackTarget()
    {
#pragma warning disable CS0612 // The raw pointer is what the C API takes; the field keeps it alive.
        _errorsHandle = _errors.Handle;
#pragma warning restore CS0612
    }

    /// <summary>
    /// GIL held: creates the buffers once the granted period is known, before the stream
    /// starts, and hands them to <see cref="OnBuffersCreated"/> (which may raise).
    /// </summary>
    internal void CreateBuffers(RtAudioFormat format, int frames, StreamParameters? output, StreamParameters? input, bool nonInterleaved)
    {
        var outputBuffer = output is null ? null : PythonBuffer.Create(format, frames, (int)output.Channels, nonInterleaved);
        var inputBuffer = input is null ? null : PythonBuffer.Create(format, frames, (int)input.Channels, nonInterleaved);
        try
        {
            OnBuffersCreated(outputBuffer, inputBuffer, (uint)frames);
        }
        catch
        {
            outputBuffer?.Dispose();
            inputBuffer?.Dispose();
            throw;
        }
        _output = outputBuffer;
        _input = inputBuffer;
    }

    /// <summary>GIL held, before the stream starts: the buffers the periods will use (null for a missing direction).</summary>
    protected virtual void OnBuffersCreated(PythonBuffer? output, PythonBuffer? input, uint frames)
    {
    }

    /// <summary>
    /// Audio thread, GIL held: calls the callable for one period (the input buffer filled, the
    /// output buffer copied out afterwards unless this fails). Returns a
    /// <see cref="CallbackResult"/> value, or -1 with a Python error set.
    /// </summary>
    protected abstract int Call(PythonBuffer? output, PythonBuffer? input, uint frames, double streamTime, StreamStatus status);

    /// <summary>Audio thread, GIL held, no Python error set: the callable stopped or aborted the stream, or failed.</summary>
    protected virtual void OnStopping()
    {
    }

    /// <summary>GIL held, once, after close: releases the subclass's Python objects.</summary>
    protected abstract void ReleasePythonObjects();

    protected override int Invoke(void* output, void* input, uint frames, double streamTime, StreamStatus status)
    {
        if (_failed)
            return (int)CallbackResult.Abort;
        var outputBuffer = _output;
        var inputBuffer = _input;
        bool ready = (output is null || outputBuffer is not null) && (input is null || inputBuffer is not null);
        if (_closed || !ready || PythonStreams.IsShutDown || Gil.InterpreterIsFinalizing)
            return (int)CallbackResult.Continue; // the output stays silent
        int gil = Gil.TakeForPeriod(out nint newThreadState);
        if (newThreadState != 0)
            _threadStates.Add(newThreadState);
        int code;
        try
        {
            code = Period(output, input, outputBuffer, inputBuffer, frames, streamTime, status);
        }
        catch
        {
            Gil.ReleaseAfterPeriod(gil);
            throw;
        }
        // Not in a finally: a call from a handler goes through a marshalling stub every period.
        Gil.ReleaseAfterPeriod(gil);
        return code;
    }

    /// <summary>Audio thread, GIL held: one period's copies and call.</summary>
    private int Period(void* output, void* input, PythonBuffer? outputBuffer, PythonBuffer? inputBuffer, uint frames, double streamTime, StreamStatus status)
    {
        if (inputBuffer is not null)
            Buffer.MemoryCopy(input, inputBuffer.Data, inputBuffer.Bytes, inputBuffer.PeriodBytes(frames));
        int code = Call(outputBuffer, inputBuffer, frames, streamTime, status);
        if (code < 0)
            KeepError();
        else if (outputBuffer is not null)
            Buffer.MemoryCopy(outputBuffer.Data, output, outputBuffer.Bytes, outputBuffer.PeriodBytes(frames));
        if (code != (int)CallbackResult.Continue)
            OnStopping();
        return code < 0 ? (int)CallbackResult.Abort : code;
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

    /// <summary>GIL held: releases a new reference, if any.</summary>
    protected static void DecRef(nint reference)
    {
        if (reference != 0)
            PythonCApi.Py_DecRef(reference);
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
            ReleasePythonObjects();
            _errors.Dispose();
        }
    }
}
