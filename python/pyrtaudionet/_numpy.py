"""numpy where it can be imported: the package's one optional dependency. Raw streams, blocking
I/O of bytes and the device queries work without it (pyproject.toml)."""

from __future__ import annotations

from typing import Any

try:
    import numpy
except ImportError:  # pragma: no cover - Debian's numpy is a test dependency
    numpy = None  # type: ignore[assignment]


def require_numpy(what: str, without: str) -> Any:
    """numpy, or an ImportError saying that ``what`` needs it and what does ``without``."""
    if numpy is None:
        raise ImportError(f"{what} needs numpy (apt-get install python3-numpy); {without} do not")
    return numpy
