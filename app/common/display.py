"""Whether the window can be shown here, said in words before Qt aborts with its own.

On Linux, Qt's xcb platform needs an X display and a handful of xcb libraries; without them
Qt prints a generic "could not load the Qt platform plugin" and aborts. This check names what
is missing instead: a display, or the libraries with the Debian/Ubuntu packages that hold them.
"""

from __future__ import annotations

import ctypes.util
import os
import subprocess
import sys
from collections.abc import Callable, Mapping

# library name (as ctypes.util.find_library takes it) -> Debian/Ubuntu package
XCB_LIBRARIES = {
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-image": "libxcb-image0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-xkb": "libxcb-xkb1",
    "xcb-shape": "libxcb-shape0",
    "xcb-randr": "libxcb-randr0",
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "EGL": "libegl1",
    "fontconfig": "libfontconfig1",
}


def _library_finder() -> Callable[[str], str | None]:
    """Looks libraries up in one `ldconfig -p` listing (one process, not one per library)."""
    try:
        listing = subprocess.run(
            ["/sbin/ldconfig", "-p"], capture_output=True, text=True, timeout=5, check=True
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ctypes.util.find_library
    names = {line.split()[0] for line in listing.splitlines()[1:] if line.strip()}

    def find(name: str) -> str | None:
        prefix = f"lib{name}.so"
        return next((n for n in names if n.startswith(prefix)), None)

    return find


def display_problem(
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    find_library: Callable[[str], str | None] | None = None,
) -> str | None:
    """A sentence saying what keeps the window from showing, or None when nothing does."""
    env = os.environ if env is None else env
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return None
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen and not chosen.startswith("xcb"):
        return None  # offscreen, wayland, vnc...: Qt's own choice, nothing for us to check
    if not chosen and env.get("WAYLAND_DISPLAY"):
        return None
    if not env.get("DISPLAY"):
        return (
            "there is no display to show the window on (DISPLAY is not set): start Readiness "
            "from a desktop session, or run a virtual one with 'xvfb-run scripts/run'"
        )
    find_library = find_library or _library_finder()
    missing = [package for name, package in XCB_LIBRARIES.items() if find_library(name) is None]
    if missing:
        return (
            "the window needs system libraries that are not installed; on Debian or Ubuntu: "
            f"sudo apt-get install {' '.join(missing)}"
        )
    return None
