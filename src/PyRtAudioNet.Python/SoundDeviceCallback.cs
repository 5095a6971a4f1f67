using Python.Runtime;

namespace PyRtAudioNet.Python;

/// <summary>
/// A Python stream callback with python-sounddevice's arguments, for
/// <see cref="PythonStreams.OpenSoundDeviceStream"/>. Each period the audio thread calls
/// <c>callable(indata, outdata, frames, time, status)</c> (a duplex stream),
/// <c>callable(outdata, frames, time, status)</c> (output only) or
/// <c>callable(indata, frames, time, status)</c> (input only), with the GIL held and no Python
/// code of the bridge's own in between:
/// <list type="bullet">
/// <item><c>indata</c>/<c>outdata</c>: <c>wrap(view)</c> of each stream-owned memoryview (shaped
/// (frames, channels), or (channels, frames) for non-interleaved streams), called once when
/// the stream opens; the views themselves when <see cref="Wrap"/> is None. The same objects
/// every period: write the output in place.</item>
/// <item><c>time</c>: the <see cref="Time"/> object. Before each call the bridge writes the
/// period's stream time (seconds) into <see cref="Clock"/>, a writable buffer of one C double
/// (an <c>array('d', [0.0])</c>, say) that <c>time</c> reads: no Python object is made or
/// set per period for it.</item>
/// <item><c>status</c>: <c>statuses[s]</c>, s the period's status bits (1: input overflow,
/// 2: output underflow, 4: input underflow, 8: priming output; see <see cref="StreamStatus"/>).</item>
/// </list>
/// The callable returns None. Raising <see cref="Stop"/> stops the stream after this period's
/// output has played; raising <see cref="Abort"/> aborts it; another exception, or another
/// return value (as a TypeError), aborts it and is re-raised with its traceback by the next
/// stop, abort or close. <see cref="Stopping"/>() is called, on the audio thread with the GIL
/// held, each time the callable stops or aborts the stream or fails (what it raises is dropped).
/// One stream takes it over and releases its Python objects when closed: make one per stream.
/// Threading: any thread, GIL held or not.
/// </summary>
public sealed class SoundDeviceCallback
{
    private int _taken;

    /// <summary>Checks every argument (a TypeError-like <see cref="ArgumentException"/> names the bad one).</summary>
    public SoundDeviceCallback(PyObject callable, PyObject time, PyObject clock, PyObject statuses, PyObject stop, PyObject abort, PyObject? wrap = null, PyObject? stopping = null)
    {
        ArgumentNullException.ThrowIfNull(callable);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(statuses);
        ArgumentNullException.ThrowIfNull(stop);
        ArgumentNullException.ThrowIfNull(abort);
        using (Py.GIL())
        {
            Callable = RequireCallable(callable, nameof(callable));
            Wrap = wrap is null || wrap.IsNone() ? null : RequireCallable(wrap, nameof(wrap));
            Stopping = stopping is null || stopping.IsNone() ? null : RequireCallable(stopping, nameof(stopping));
            Stop = ExceptionClass(stop, nameof(stop));
            Abort = ExceptionClass(abort, nameof(abort));
            if (!PySequence.IsSequenceType(statuses) || statuses.Length() != StatusCount)
                throw new ArgumentException($"statuses must be a sequence of {StatusCount} objects, not {statuses.Repr()}", nameof(statuses));
            Statuses = statuses;
            ExportClock(clock).Dispose();
            Clock = clock;
            Time = time;
        }
    }

    /// <summary>How many status objects <see cref="Statuses"/> holds: one per combination of the four status bits (<see cref="StreamStatus"/>).</summary>
    public const int StatusCount = 16;

    /// <summary>Called once per period.</summary>
    public PyObject Callable { get; }

    /// <summary>Passed as the callable's <c>time</c> argument.</summary>
    public PyObject Time { get; }

    /// <summary>Where the bridge writes each period's stream time: one C double.</summary>
    public PyObject Clock { get; }

    /// <summary>Indexed by the period's status bits: the callable's <c>status</c> argument.</summary>
    public PyObject Statuses { get; }

    /// <summary>The exception class (its subclasses too) that stops the stream.</summary>
    public PyObject Stop { get; }

    /// <summary>The exception class (its subclasses too) that aborts the stream.</summary>
    public PyObject Abort { get; }

    /// <summary>Turns each stream-owned memoryview into what the callable gets; null: the views.</summary>
    public PyObject? Wrap { get; }

    /// <summary>Called when the callable stops or aborts the stream or fails; may be null.</summary>
    public PyObject? Stopping { get; }

    /// <summary>GIL held: a writable export of <paramref name="clock"/>, checked to hold one C double.</summary>
    internal static PyBuffer ExportClock(PyObject clock)
    {
        PyBuffer export;
        try
        {
            export = clock.GetBuffer(PyBUF.C_CONTIGUOUS | PyBUF.WRITABLE);
        }
        catch (PythonException e)
        {
            throw new ArgumentException($"clock must be a writable buffer of one C double, not {clock.Repr()} ({e.Message})", nameof(clock));
        }
        if (export.Length != sizeof(double))
        {
            long length = export.Length;
            export.Dispose();
            throw new ArgumentException($"clock must be a writable buffer of one C double, not {length} bytes", nameof(clock));
        }
        return export;
    }

    /// <summary>Marks this as the one stream's; a second stream is refused.</summary>
    internal void TakeOver()
    {
        if (Interlocked.Exchange(ref _taken, 1) != 0)
            throw new ArgumentException("this SoundDeviceCallback already served a stream: make one per stream", "callback");
    }

    private static PyObject RequireCallable(PyObject value, string name) =>
        value.IsCallable() ? value : throw new ArgumentException($"{name} must be callable, not {value.Repr()}", name);

    private static PyObject ExceptionClass(PyObject value, string name)
    {
        using var builtins = Py.Import("builtins");
        using var baseException = builtins.GetAttr(AttributeNames.Get("BaseException"));
        return PyType.IsType(value) && value.IsSubclass(baseException)
            ? value
            : throw new ArgumentException($"{name} must be an exception class, not {value.Repr()}", name);
    }
}
