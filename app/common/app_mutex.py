"""A named Windows mutex held while the window runs, so the installer knows Readiness is open.

The Inno Setup script (packaging/windows/readiness.iss, `AppMutex=`) names the same mutex: setup
and the uninstaller ask the person to close Readiness instead of replacing or removing files
that are in use. Elsewhere this does nothing.
"""

from __future__ import annotations

import sys
from typing import Any

NAME = "Readiness.Running"
_held: list[Any] = []


def hold(platform: str = sys.platform) -> bool:
    """Create (or open) the mutex and keep its handle until the process ends. True if held."""
    if platform != "win32" or _held:
        return bool(_held)
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined,unused-ignore]
    handle = kernel32.CreateMutexW(None, False, NAME)
    if not handle:
        return False  # the window still starts: only the installer's check is lost
    _held.append(handle)
    return True
