"""pythonnet's shutdown at interpreter exit, and the repair of what it leaves behind.

pythonnet's ``Loader.Shutdown("full_shutdown")`` (our hostfxr loader's atexit handler, and
``pythonnet.unload`` where the pythonnet package loaded the CLR) ends in ``Runtime.Shutdown``.
Its ``TypeManager.RemoveTypes`` and ``MetaType.Release`` reset the slots of every CLR type still
alive, and of the CLR metatype, to "defaults": ``tp_dealloc`` becomes ``PyType_Type.tp_free``,
which is ``PyObject_GC_Del``. Those types do outlive the shutdown, since modules (ours, the
user's) still hold them and their instances until ``Py_FinalizeEx`` clears them, and every
object freed through the reset slot is released without being untracked from the garbage
collector, without clearing its ``__dict__`` and weak references, and without dropping its
reference to its type. The debug build reports each one (``ResourceWarning: Object of type
... is not untracked before destruction``) and the rest leaks.

:func:`shutdown_with_repair` runs the shutdown between two steps of its own:

1. Before it, every CLR type and CLR object still alive (after a collection, so that garbage
   is freed while pythonnet's own slots still run) is held, so that none is freed through a
   reset slot while the shutdown runs its own collections.
2. After it, each of those types and the metatype whose ``tp_dealloc`` holds the reset value
   gets CPython's ``subtype_dealloc`` there: the slot every class made by a ``class``
   statement has, which untracks, clears the dict and weak references, calls the base
   type's deallocator and drops the type reference. Then the hold is released.

The objects' .NET side is not touched: the shutdown has freed or orphaned their GC handles.
This runs on the main thread at exit, with the GIL held, once.
"""

from __future__ import annotations

import ctypes
import gc
from typing import Any, Callable

# PyTypeObject starts with a PyVarObject (a PyObject and ob_size), then tp_name, tp_basicsize,
# tp_itemsize and tp_dealloc, each pointer-sized. sizeof(PyObject) is object.__basicsize__ (it
# is larger on builds with Py_TRACE_REFS).
_POINTER = ctypes.sizeof(ctypes.c_void_p)
_TP_NAME = object.__basicsize__ + _POINTER
_TP_BASICSIZE = _TP_NAME + _POINTER
_TP_DEALLOC = _TP_NAME + 3 * _POINTER


def _slot(type_: type, offset: int) -> ctypes.c_void_p:
    return ctypes.c_void_p.from_address(id(type_) + offset)


def _subtype_dealloc() -> int:
    """CPython's subtype_dealloc, read off a class made here (it is not exported)."""

    class Probe:
        pass

    # The layout above is checked on the probe before any slot is written.
    name = ctypes.cast(_slot(Probe, _TP_NAME).value, ctypes.c_char_p).value
    basicsize = ctypes.c_ssize_t.from_address(id(Probe) + _TP_BASICSIZE).value
    if name != b"Probe" or basicsize != Probe.__basicsize__:
        raise RuntimeError(f"unexpected PyTypeObject layout (tp_name {name!r}, tp_basicsize {basicsize})")
    return int(_slot(Probe, _TP_DEALLOC).value or 0)


def _clr_metatype() -> type:
    import System  # type: ignore[import-not-found]

    return type(System.Object)


def shutdown_with_repair(shutdown: Callable[[], Any]) -> None:
    """Runs pythonnet's ``shutdown`` and gives the CLR types that survive it a correct deallocator."""
    metatype = _clr_metatype()
    gc.collect()
    # type() and issubclass() only: isinstance() would ask arbitrary objects for __class__.
    survivors = [o for o in gc.get_objects() if issubclass(type(o), metatype) or issubclass(type(type(o)), metatype)]
    reset_dealloc = ctypes.cast(ctypes.pythonapi.PyObject_GC_Del, ctypes.c_void_p).value
    subtype_dealloc = _subtype_dealloc()
    try:
        shutdown()
    finally:
        for type_ in [metatype, *(o for o in survivors if issubclass(type(o), metatype))]:
            slot = _slot(type_, _TP_DEALLOC)
            if slot.value == reset_dealloc:
                slot.value = subtype_dealloc
        del survivors
