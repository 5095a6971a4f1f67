using System.Runtime.InteropServices;
using Python.Runtime;

namespace PyRtAudioNet.Python.Interop;

/// <summary>
/// The few CPython C-API functions the audio thread calls directly (no managed allocation per
/// period, unlike pythonnet's wrappers), resolved once from the interpreter in this process:
/// the python executable itself, or the libpython pythonnet loaded in an embedding host.
/// Every call but the GIL and finalization queries requires the GIL (see <see cref="Gil"/>).
/// </summary>
internal static unsafe class PythonCApi
{
    internal static readonly delegate* unmanaged<int> PyGILState_Ensure;
    internal static readonly delegate* unmanaged<int, void> PyGILState_Release;
    // SuppressGCTransition: the audio thread asks these every period; they only read a variable
    // (no wait, no call back into .NET), so the GC-mode switch around them would cost more than they do.
    internal static readonly delegate* unmanaged[SuppressGCTransition]<nint> PyGILState_GetThisThreadState;
    internal static readonly delegate* unmanaged<nint> ThreadStateUncheckedGet;
    internal static readonly delegate* unmanaged<nint> PyEval_SaveThread;
    internal static readonly delegate* unmanaged<nint, void> PyEval_RestoreThread;
    internal static readonly delegate* unmanaged<nint, void> PyThreadState_Clear;
    internal static readonly delegate* unmanaged<nint, void> PyThreadState_Delete;
    internal static readonly delegate* unmanaged[SuppressGCTransition]<int> IsFinalizing;
    internal static readonly delegate* unmanaged<nint, nint*, nuint, nint, nint> PyObject_Vectorcall;
    internal static readonly delegate* unmanaged<nuint, nint> PyLong_FromUnsignedLong;
    internal static readonly delegate* unmanaged<double, nint> PyFloat_FromDouble;
    internal static readonly delegate* unmanaged<nint, nint> PyLong_AsLong;
    internal static readonly delegate* unmanaged<nint, void> Py_DecRef;
    internal static readonly delegate* unmanaged<nint> PyErr_Occurred;
    internal static readonly delegate* unmanaged<void> PyErr_Clear;
    internal static readonly delegate* unmanaged<int> PyErr_CheckSignals;
    internal static readonly delegate* unmanaged<nint*, nint*, nint*, void> PyErr_Fetch;
    internal static readonly delegate* unmanaged<nint*, nint*, nint*, void> PyErr_NormalizeException;
    internal static readonly delegate* unmanaged<nint, byte*, void> PyErr_SetString;
    internal static readonly delegate* unmanaged<nint, nint, int> PyException_SetTraceback;
    internal static readonly delegate* unmanaged<nint, nint, int> PyList_Append;
    internal static readonly delegate* unmanaged<nint, int> PyErr_ExceptionMatches;
    internal static readonly delegate* unmanaged<nint, void> PyErr_WriteUnraisable;
    internal static readonly delegate* unmanaged<nint, nint> PyObject_Repr;
    internal static readonly delegate* unmanaged<nint, nint*, byte*> PyUnicode_AsUTF8AndSize;
    internal static readonly nint None;
    internal static readonly nint TypeError;
    internal static readonly nint ValueError;

#pragma warning disable CA1810 // One library handle serves every field: resolved in order, in one place.
    static PythonCApi()
#pragma warning restore CA1810
    {
        nint library = OpenInterpreter();
        PyGILState_Ensure = (delegate* unmanaged<int>)Export(library, "PyGILState_Ensure");
        PyGILState_Release = (delegate* unmanaged<int, void>)Export(library, "PyGILState_Release");
        PyGILState_GetThisThreadState = (delegate* unmanaged[SuppressGCTransition]<nint>)Export(library, "PyGILState_GetThisThreadState");
        ThreadStateUncheckedGet = (delegate* unmanaged<nint>)Export(library, "PyThreadState_GetUnchecked", "_PyThreadState_UncheckedGet");
        PyEval_SaveThread = (delegate* unmanaged<nint>)Export(library, "PyEval_SaveThread");
        PyEval_RestoreThread = (delegate* unmanaged<nint, void>)Export(library, "PyEval_RestoreThread");
        PyThreadState_Clear = (delegate* unmanaged<nint, void>)Export(library, "PyThreadState_Clear");
        PyThreadState_Delete = (delegate* unmanaged<nint, void>)Export(library, "PyThreadState_Delete");
        IsFinalizing = (delegate* unmanaged[SuppressGCTransition]<int>)Export(library, "Py_IsFinalizing", "_Py_IsFinalizing");
        PyObject_Vectorcall = (delegate* unmanaged<nint, nint*, nuint, nint, nint>)Export(library, "PyObject_Vectorcall");
        PyLong_FromUnsignedLong = (delegate* unmanaged<nuint, nint>)Export(library, "PyLong_FromUnsignedLong");
        PyFloat_FromDouble = (delegate* unmanaged<double, nint>)Export(library, "PyFloat_FromDouble");
        PyLong_AsLong = (delegate* unmanaged<nint, nint>)Export(library, "PyLong_AsLong");
        Py_DecRef = (delegate* unmanaged<nint, void>)Export(library, "Py_DecRef");
        PyErr_Occurred = (delegate* unmanaged<nint>)Export(library, "PyErr_Occurred");
        PyErr_Clear = (delegate* unmanaged<void>)Export(library, "PyErr_Clear");
        PyErr_CheckSignals = (delegate* unmanaged<int>)Export(library, "PyErr_CheckSignals");
        PyErr_Fetch = (delegate* unmanaged<nint*, nint*, nint*, void>)Export(library, "PyErr_Fetch");
        PyErr_NormalizeException = (delegate* unmanaged<nint*, nint*, nint*, void>)Export(library, "PyErr_NormalizeException");
        PyErr_SetString = (delegate* unmanaged<nint, byte*, void>)Export(library, "PyErr_SetString");
        PyException_SetTraceback = (delegate* unmanaged<nint, nint, int>)Export(library, "PyException_SetTraceback");
        PyList_Append = (delegate* unmanaged<nint, nint, int>)Export(library, "PyList_Append");
        PyErr_ExceptionMatches = (delegate* unmanaged<nint, int>)Export(library, "PyErr_ExceptionMatches");
        PyErr_WriteUnraisable = (delegate* unmanaged<nint, void>)Export(library, "PyErr_WriteUnraisable");
        PyObject_Repr = (delegate* unmanaged<nint, nint>)Export(library, "PyObject_Repr");
        PyUnicode_AsUTF8AndSize = (delegate* unmanaged<nint, nint*, byte*>)Export(library, "PyUnicode_AsUTF8AndSize");
        None = Export(library, "_Py_NoneStruct");
        TypeError = *(nint*)Export(library, "PyExc_TypeError");
        ValueError = *(nint*)Export(library, "PyExc_ValueError");
    }

    /// <summary>The interpreter's symbols: in the python executable, or in the libpython pythonnet was pointed at.</summary>
    private static nint OpenInterpreter()
    {
        nint program = NativeLibrary.GetMainProgramHandle();
        if (NativeLibrary.TryGetExport(program, "PyGILState_Ensure", out _))
            return program;
        string? library = Runtime.PythonDLL;
        if (library is not null && NativeLibrary.TryLoad(library, out nint handle))
            return handle;
        throw new InvalidOperationException($"the CPython C API was found neither in this program nor in Runtime.PythonDLL ({library ?? "unset"})");
    }

    private static nint Export(nint library, params string[] names)
    {
        foreach (var name in names)
        {
            if (NativeLibrary.TryGetExport(library, name, out nint address))
                return address;
        }
        throw new EntryPointNotFoundException($"the Python interpreter exports none of {string.Join(", ", names)}");
    }
}
