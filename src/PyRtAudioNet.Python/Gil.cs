using System.Runtime.CompilerServices;
using PyRtAudioNet.Python.Interop;
using Python.Runtime;

namespace PyRtAudioNet.Python;

/// <summary>
/// Every GIL rule of the bridge, in one place.
/// <list type="number">
/// <item>pythonnet releases the GIL while a .NET <em>method</em> called from Python runs (not
/// during property access): such a method uses Python — including disposing a
/// <see cref="PyObject"/> — only inside <see cref="Py.GIL"/>. The exception: the
/// <see cref="PythonBlockingPort"/> entries, which ctypes calls with the GIL held; they touch no
/// Python object.</item>
/// <item>Nothing waits for the audio thread while holding the GIL, whoever the caller is
/// (Python, a .NET host embedding Python, a pythonnet shutdown handler): every wait of
/// <see cref="RtAudio"/> — for its per-object lock, as in CPython's zlib module, and for the
/// audio thread — runs inside <see cref="ReleasedWhile"/> (installed as its
/// <c>BlockingWait</c>). Anything that can wait is a method, never a property.</item>
/// <item>The audio thread takes the GIL only through <see cref="TakeForPeriod"/>, never once
/// interpreter finalization has begun (from 3.11 on, such a thread is killed by
/// <c>pthread_exit</c>); it leaves its output silent instead.</item>
/// <item>Each audio thread keeps one Python thread state for its lifetime (one
/// <c>PyGILState_Ensure</c> never released, made by the first <see cref="TakeForPeriod"/>),
/// deleted by <see cref="DeleteThreadState"/> once its stream is closed.</item>
/// <item>Open streams are closed before pythonnet shuts down (<see cref="PythonStreams.CloseAll"/>,
/// registered as a pythonnet shutdown handler and, by the Python package, with atexit after
/// the loader's shutdown so that it runs first).</item>
/// </list>
/// </summary>
internal static unsafe class Gil
{
    /// <summary>Whether the interpreter is finalizing (any thread, GIL not needed).</summary>
    internal static bool InterpreterIsFinalizing => PythonCApi.IsFinalizing() != 0;

    /// <summary>Whether the calling thread holds the GIL.</summary>
    internal static bool IsHeldByCurrentThread()
    {
        nint current = PythonCApi.ThreadStateUncheckedGet();
        return current != 0 && current == PythonCApi.PyGILState_GetThisThreadState();
    }

    /// <summary>Runs <paramref name="wait"/> with the GIL released if the calling thread holds it.</summary>
    internal static int ReleasedWhile(Func<int> wait)
    {
        if (!PythonEngine.IsInitialized || !IsHeldByCurrentThread())
            return wait();
        nint state = PythonCApi.PyEval_SaveThread();
        try
        {
            return wait();
        }
        finally
        {
            PythonCApi.PyEval_RestoreThread(state);
        }
    }

    /// <summary>
    /// Whether a signal handler raised (Ctrl+C: KeyboardInterrupt), run here if the calling thread
    /// holds the GIL — Python runs handlers only on the main thread. The exception is then set
    /// on this thread, for the caller to return to Python with (ctypes raises it). Installed as the
    /// <c>BlockingWait</c> interruption test. Any thread; false where the GIL is not held.
    /// </summary>
    internal static bool SignalRaised() =>
        PythonEngine.IsInitialized && IsHeldByCurrentThread() && PythonCApi.PyErr_CheckSignals() != 0;

    /// <summary>
    /// Audio thread, GIL not held, interpreter not finalizing: takes the GIL for one period, to
    /// be given back with <see cref="ReleaseAfterPeriod"/>. The thread's first call also gives it
    /// its lasting Python thread state, returned in <paramref name="newThreadState"/> (else 0)
    /// for its owner to delete.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int TakeForPeriod(out nint newThreadState)
    {
        newThreadState = PythonCApi.PyGILState_GetThisThreadState() == 0 ? NewThreadState() : 0;
        return PythonCApi.PyGILState_Ensure();
    }

    /// <summary>Audio thread: gives back the GIL of one <see cref="TakeForPeriod"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void ReleaseAfterPeriod(int state) => PythonCApi.PyGILState_Release(state);

    /// <summary>GIL not held, the thread without one: creates its lasting thread state (one <c>PyGILState_Ensure</c> never released).</summary>
    private static nint NewThreadState()
    {
        PythonCApi.PyGILState_Ensure();
        return PythonCApi.PyEval_SaveThread();
    }

    /// <summary>GIL held: deletes a thread state from <see cref="TakeForPeriod"/> whose thread runs no more Python.</summary>
    internal static void DeleteThreadState(nint threadState)
    {
        PythonCApi.PyThreadState_Clear(threadState);
        PythonCApi.PyThreadState_Delete(threadState);
    }
}
