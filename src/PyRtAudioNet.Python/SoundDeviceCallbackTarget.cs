using System.Text;
using PyRtAudioNet.Interop;
using PyRtAudioNet.Python.Interop;
using Python.Runtime;

namespace PyRtAudioNet.Python;

/// <summary>
/// The convention of <see cref="SoundDeviceCallback"/>: the audio thread builds sounddevice's
/// arguments from objects made once per stream (the wrapped buffers, the period's frame
/// count, the time object, the status objects) and writes the stream time into the clock
/// buffer, so a period makes no Python object and calls nothing in Python but the user's callable. Threading: as <see cref="PythonCallbackTarget"/>.
/// </summary>
#pragma warning disable CS0612 // Raw pointers are what the C API takes; the PyObject fields keep them alive.
internal sealed unsafe class SoundDeviceCallbackTarget : PythonCallbackTarget
{
    private const int MaxArguments = 5;

    private readonly List<PyObject> _owned = [];
    private readonly nint _callable;
    private readonly nint _time;
    private readonly PyBuffer _clockExport;
    private readonly double* _clock;
    private readonly nint _stop;
    private readonly nint _abort;
    private readonly nint _stopping;
    private readonly nint[] _statuses = new nint[SoundDeviceCallback.StatusCount];
    private readonly PyObject? _wrap;
    private readonly string _badResult;
    private nint _indata;
    private nint _outdata;
    private nint _periodFrames;
    private uint _period;

    /// <summary>GIL held: takes over what <paramref name="callback"/> holds (see <see cref="SoundDeviceCallback.TakeOver"/>).</summary>
    internal SoundDeviceCallbackTarget(SoundDeviceCallback callback)
    {
        callback.TakeOver();
        _callable = Own(callback.Callable);
        _time = Own(callback.Time);
        Own(callback.Clock);
        _clockExport = SoundDeviceCallback.ExportClock(callback.Clock); // held until close: the buffer cannot move
        _clock = (double*)_clockExport.Buffer;
        _stop = Own(callback.Stop);
        _abort = Own(callback.Abort);
        _stopping = callback.Stopping is null ? 0 : Own(callback.Stopping);
        _wrap = callback.Wrap;
        if (_wrap is not null)
            Own(_wrap);
        for (int i = 0; i < _statuses.Length; i++)
        {
            using var index = new PyInt(i);
            _statuses[i] = Own(callback.Statuses.GetItem(index));
        }
        Own(callback.Statuses);
        using var stopName = callback.Stop.GetAttr(AttributeNames.Get("__name__"));
        using var abortName = callback.Abort.GetAttr(AttributeNames.Get("__name__"));
        _badResult = $"the stream callback must return None (raise {stopName} or {abortName} to stop), not ";
    }

    /// <summary>Takes over <paramref name="value"/> (released at close); returns its pointer.</summary>
    private nint Own(PyObject value)
    {
        _owned.Add(value);
        return value.Handle;
    }

    protected override void OnBuffersCreated(PythonBuffer? output, PythonBuffer? input, uint frames)
    {
        _period = frames;
        _periodFrames = Own(new PyInt(frames));
        _indata = input is null ? 0 : Wrapped(input);
        _outdata = output is null ? 0 : Wrapped(output);
    }

    private nint Wrapped(PythonBuffer buffer)
    {
        return _wrap is null ? buffer.View.Handle : Own(_wrap.Invoke(buffer.View));
    }

    protected override int Call(PythonBuffer? output, PythonBuffer? input, uint frames, double streamTime, StreamStatus status)
    {
        *_clock = streamTime;
        nint framesObject = frames == _period ? _periodFrames : PythonCApi.PyLong_FromUnsignedLong(frames);
        if (framesObject == 0)
            return -1;
        nint* arguments = stackalloc nint[MaxArguments];
        int count = 0;
        if (_indata != 0)
            arguments[count++] = _indata;
        if (_outdata != 0)
            arguments[count++] = _outdata;
        arguments[count++] = framesObject;
        arguments[count++] = _time;
        arguments[count++] = _statuses[(int)status & (SoundDeviceCallback.StatusCount - 1)];
        nint result = PythonCApi.PyObject_Vectorcall(_callable, arguments, (nuint)count, 0);
        if (framesObject != _periodFrames)
            PythonCApi.Py_DecRef(framesObject);
        if (result == 0)
            return FromException();
        if (result == PythonCApi.None)
        {
            PythonCApi.Py_DecRef(result);
            return (int)CallbackResult.Continue;
        }
        RefuseResult(result);
        PythonCApi.Py_DecRef(result);
        return -1;
    }

    /// <summary>GIL held, a Python error set: the stop or abort class ends the stream (the error cleared); anything else gives -1.</summary>
    private int FromException()
    {
        int code = PythonCApi.PyErr_ExceptionMatches(_stop) != 0 ? (int)CallbackResult.Stop
            : PythonCApi.PyErr_ExceptionMatches(_abort) != 0 ? (int)CallbackResult.Abort
            : -1;
        if (code > 0)
            PythonCApi.PyErr_Clear();
        return code;
    }

    /// <summary>GIL held: sets the TypeError for a return value other than None (rare: managed strings are fine).</summary>
    private void RefuseResult(nint result)
    {
        nint repr = PythonCApi.PyObject_Repr(result);
        if (repr == 0)
            return; // repr() raised: that error stands
        nint size;
        byte* text = PythonCApi.PyUnicode_AsUTF8AndSize(repr, &size);
        string shown = text is null ? "?" : Encoding.UTF8.GetString(text, (int)size);
        PythonCApi.PyErr_Clear();
        PythonCApi.Py_DecRef(repr);
        fixed (byte* message = Encoding.UTF8.GetBytes(_badResult + shown + "\0"))
            PythonCApi.PyErr_SetString(PythonCApi.TypeError, message);
    }

    protected override void OnStopping()
    {
        if (_stopping == 0)
            return;
        nint result = PythonCApi.PyObject_Vectorcall(_stopping, null, 0, 0);
        if (result == 0)
            PythonCApi.PyErr_WriteUnraisable(_stopping);
        else
            PythonCApi.Py_DecRef(result);
    }

    protected override void ReleasePythonObjects()
    {
        _clockExport.Dispose(); // before the object it exports
        foreach (var reference in _owned)
            reference.Dispose();
        _owned.Clear();
    }
}
#pragma warning restore CS0612
