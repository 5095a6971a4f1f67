"""Loading the .NET runtime and pythonnet into this interpreter.

With the ``pythonnet`` package installed, its own loader is used
(``pythonnet.load("coreclr", ...)``). Without it (pythonnet's NuGet package ships
only ``Python.Runtime.dll``) .NET is hosted here through ``hostfxr`` with ctypes,
the way the ``dotnet`` host does, and ``Python.Runtime.Loader.Initialize`` is called.
Either way ``import clr`` works afterwards, and the loader's shutdown is registered
with :mod:`atexit` *before* anything that must run ahead of it (handlers run
last-registered-first).
"""

from __future__ import annotations

import atexit
import ctypes
import glob
import importlib.util
import os
import shutil
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from . import _clr_exit

LIB_DIR = Path(__file__).resolve().parent / "_lib"
RUNTIME_CONFIG = LIB_DIR / "PyRtAudioNet.Python.runtimeconfig.json"
PYTHON_RUNTIME = LIB_DIR / "Python.Runtime.dll"
ASSEMBLIES = ("PyRtAudioNet.dll", "PyRtAudioNet.Python.dll")

# hostfxr status codes worth explaining (see dotnet/runtime docs/design/features/host-error-codes.md).
_HOSTFXR_ERRORS = {
    0x80008083: "the .NET runtime could not be located",
    0x80008096: "the .NET framework required by the runtimeconfig (Microsoft.NETCore.App 10.0) is not installed",
    0x8000808C: "a different .NET runtime is already loaded in this process",
    0x80008093: "the runtimeconfig.json is invalid",
}
_HDT_GET_FUNCTION_POINTER = 6
_HDT_LOAD_ASSEMBLY = 7
_INSTALL_HINT = (
    "install the .NET 10 runtime (https://learn.microsoft.com/dotnet/core/install/linux-debian) "
    "or point DOTNET_ROOT at an installation"
)


_NATIVE_HINT = "install RtAudio 5 and the JACK client library (Debian/Ubuntu: apt-get install librtaudio6 libjack-jackd2-0)"


class ClrLoadError(ImportError):
    """The .NET runtime or PyRtAudioNet's assemblies could not be loaded; the message says what to do."""


_loaded = False


def load() -> None:
    """Makes ``import clr`` work and loads PyRtAudioNet's assemblies. Idempotent."""
    global _loaded
    if _loaded:
        return
    _require_assemblies()
    sigint = signal.getsignal(signal.SIGINT)
    if importlib.util.find_spec("pythonnet") is not None:
        _load_with_pythonnet()
    elif "clr" not in sys.modules:
        _host_with_hostfxr()
    _restore_sigint(sigint)
    import clr  # type: ignore[import-not-found]

    for name in ASSEMBLIES:
        clr.AddReference(str(LIB_DIR / name))
    _loaded = True


def _restore_sigint(handler: Any) -> None:
    """Puts Python's SIGINT handler back over the one the .NET runtime installs when it starts.
    The runtime's handler restores the previous one and sends the signal to the process again,
    where any thread may take it — an audio thread, say — and then the main thread's wait
    (``wait()``, ``Event.wait``, a blocking ``read``) is not interrupted: Ctrl+C would act only
    once the wait ended. Only the main thread may set handlers; from another one (or if Python
    does not handle SIGINT), nothing changes."""
    if handler is None or threading.current_thread() is not threading.main_thread():
        return
    signal.signal(signal.SIGINT, handler)


def _require_assemblies() -> None:
    missing = [p.name for p in (RUNTIME_CONFIG, PYTHON_RUNTIME, *(LIB_DIR / a for a in ASSEMBLIES)) if not p.is_file()]
    if missing:
        raise ClrLoadError(
            f"PyRtAudioNet's .NET assemblies are missing from {LIB_DIR} ({', '.join(missing)}): "
            "run `make build` in the repository root"
        )


def find_dotnet_root() -> Path:
    """The .NET installation, searched as the dotnet host does."""
    candidates: list[str] = []
    if os.environ.get("DOTNET_ROOT"):
        candidates.append(os.environ["DOTNET_ROOT"])
    dotnet = shutil.which("dotnet")
    if dotnet:
        candidates.append(str(Path(dotnet).resolve().parent))
    candidates += ["/usr/share/dotnet", "/usr/lib/dotnet"]
    for candidate in candidates:
        if glob.glob(os.path.join(candidate, "host", "fxr", "*", "libhostfxr.so")):
            return Path(candidate)
    raise ClrLoadError(f"no .NET installation found (looked in {', '.join(candidates)}): {_INSTALL_HINT}")


def _hostfxr_path(root: Path) -> Path:
    def version_key(path: str) -> tuple[int, ...]:
        version = Path(path).parent.name.split("-")[0]
        return tuple(int(part) for part in version.split(".") if part.isdigit())

    return Path(max(glob.glob(str(root / "host" / "fxr" / "*" / "libhostfxr.so")), key=version_key))


def _check(status: int, what: str) -> None:
    status &= 0xFFFFFFFF
    if status not in (0, 1, 2):  # Success, Success_HostAlreadyInitialized, Success_DifferentRuntimeProperties
        reason = _HOSTFXR_ERRORS.get(status, "see https://github.com/dotnet/runtime/blob/main/docs/design/features/host-error-codes.md")
        raise ClrLoadError(f"{what} failed with 0x{status:08X}: {reason}; {_INSTALL_HINT}")


_ComponentEntryPoint = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_int)
_LoadAssembly = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p)
_GetFunctionPointer = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_void_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)
)


def _host_with_hostfxr() -> None:
    root = find_dotnet_root()
    os.environ.setdefault("DOTNET_ROOT", str(root))
    hostfxr = ctypes.CDLL(str(_hostfxr_path(root)))
    hostfxr.hostfxr_initialize_for_runtime_config.argtypes = [ctypes.c_char_p, ctypes.c_void_p, ctypes.POINTER(ctypes.c_void_p)]
    hostfxr.hostfxr_initialize_for_runtime_config.restype = ctypes.c_int32
    hostfxr.hostfxr_get_runtime_delegate.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(ctypes.c_void_p)]
    hostfxr.hostfxr_get_runtime_delegate.restype = ctypes.c_int32
    hostfxr.hostfxr_close.argtypes = [ctypes.c_void_p]
    hostfxr.hostfxr_close.restype = ctypes.c_int32

    context = ctypes.c_void_p()
    _check(hostfxr.hostfxr_initialize_for_runtime_config(str(RUNTIME_CONFIG).encode(), None, ctypes.byref(context)),
           f"hostfxr_initialize_for_runtime_config({RUNTIME_CONFIG.name})")

    def runtime_delegate(kind: int, name: str) -> int:
        delegate = ctypes.c_void_p()
        _check(hostfxr.hostfxr_get_runtime_delegate(context, kind, ctypes.byref(delegate)), f"hostfxr_get_runtime_delegate({name})")
        return int(delegate.value or 0)

    try:
        load_assembly = _LoadAssembly(runtime_delegate(_HDT_LOAD_ASSEMBLY, "load_assembly"))
        get_function_pointer = _GetFunctionPointer(runtime_delegate(_HDT_GET_FUNCTION_POINTER, "get_function_pointer"))
    finally:
        hostfxr.hostfxr_close(context)
    # Python.Runtime goes into the default load context, where PyRtAudioNet's assemblies (clr.AddReference)
    # find it by name; the isolated context that load_assembly_and_get_function_pointer gives a component
    # would make the import slower.
    _check(load_assembly(str(PYTHON_RUNTIME).encode(), None, None), f"loading {PYTHON_RUNTIME}")

    def entry_point(method: str) -> ctypes._CFuncPtr:  # type: ignore[name-defined]
        pointer = ctypes.c_void_p()
        _check(get_function_pointer(b"Python.Runtime.Loader, Python.Runtime", method.encode(), None, None, None, ctypes.byref(pointer)),
               f"finding Python.Runtime.Loader.{method} in {PYTHON_RUNTIME}")
        return _ComponentEntryPoint(pointer.value)

    initialize, shutdown = entry_point("Initialize"), entry_point("Shutdown")
    # Loader.Initialize rejects a null pointer: an empty UTF-8 string means "this process's Python".
    empty = ctypes.create_string_buffer(b"")
    if initialize(ctypes.cast(empty, ctypes.c_void_p), 0) != 0:
        raise ClrLoadError("Python.Runtime.Loader.Initialize failed (see the message above on stderr)")
    command = ctypes.create_string_buffer(b"full_shutdown")

    def shutdown_pythonnet() -> None:
        # Loader.Shutdown acts only on this exact command.
        shutdown(ctypes.cast(command, ctypes.c_void_p), len(command.value))

    atexit.register(_clr_exit.shutdown_with_repair, shutdown_pythonnet)


def _load_with_pythonnet() -> None:
    """The pythonnet package registers its ``unload`` (the same shutdown) with atexit when it loads
    the CLR: it is registered again here, wrapped in the repair. Loaded here, nothing was
    registered in between; loaded earlier by the user, the shutdown now runs before the handlers
    registered in between."""
    import pythonnet  # type: ignore[import-not-found]

    if "clr" not in sys.modules:
        pythonnet.load("coreclr", runtime_config=str(RUNTIME_CONFIG))
    atexit.unregister(pythonnet.unload)
    atexit.register(_clr_exit.shutdown_with_repair, pythonnet.unload)


def require_native_bridge() -> None:
    """Loads the native bridge (and through it the system's RtAudio and libjack) now, so that a
    missing library fails the import with what to install, not the first stream."""
    from PyRtAudioNet import RtAudio  # type: ignore[import-not-found]

    try:
        RtAudio.GetVersion()
    except Exception as error:
        if type(error).__name__ != "DllNotFoundException":
            raise
        # The loader's own message says which file is missing.
        raise ClrLoadError(f"the native bridge could not be loaded ({getattr(error, 'Message', error)}): {_NATIVE_HINT}") from None
