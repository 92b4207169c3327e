"""What goes into a frozen Readiness bundle, shared by `readiness.spec` and the bundle benchmark.

The bundle keeps only what the window uses: PySide6-Essentials' QtCore, QtGui, QtWidgets and
QtNetwork (for the single-instance socket), the platform plugins that show a window on each
system (plus `offscreen` for the self-test), input methods, styles, SVG and ICO images, and Qt's
own dialog translations for es, fr and pt. Shared libraries that nothing kept depends on any more
are dropped afterwards, by reading each binary's imports.

Used inside a spec file (PyInstaller's own modules are importable there):

    sys.path.insert(0, SPECPATH)
    import bundle_options
    a = Analysis(..., excludes=bundle_options.EXCLUDES)
    a.binaries, a.datas = bundle_options.trim(a.binaries, a.datas)
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

Entry = tuple[str, str, str]  # PyInstaller's TOC entry: (destination, source, typecode)

# Python modules the product never imports, and Qt modules beyond the four it uses.
EXCLUDES = [
    # Qt add-on and unused modules (some are not even in PySide6-Essentials)
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickControls2",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuick3D",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtSpatialAudio",
    "PySide6.QtTextToSpeech",
    "PySide6.QtCharts",
    "PySide6.QtDataVisualization",
    "PySide6.QtGraphs",
    "PySide6.Qt3DCore",
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDesigner",
    "PySide6.QtUiTools",
    "PySide6.QtHelp",
    "PySide6.QtXml",
    "PySide6.QtSvg",
    "PySide6.QtSvgWidgets",
    "PySide6.QtPrintSupport",
    "PySide6.QtConcurrent",
    "PySide6.QtDBus",
    "PySide6.QtStateMachine",
    "PySide6.QtScxml",
    "PySide6.QtBluetooth",
    "PySide6.QtPositioning",
    "PySide6.QtLocation",
    "PySide6.QtSerialPort",
    "PySide6.QtRemoteObjects",
    "PySide6.QtNetworkAuth",
    "PySide6.QtHttpServer",
    "PySide6.scripts",
    # Other GUI toolkits and Qt bindings that hooks might otherwise drag in
    "tkinter",
    "_tkinter",
    "PyQt5",
    "PyQt6",
    "PySide2",
    # Development tools and the standard library's own tests
    "pip",
    "setuptools",
    "pkg_resources",
    "distutils",
    "lib2to3",
    "ensurepip",
    "idlelib",
    "pydoc_data",
    "pydoc",
    "pdb",
    "doctest",  # reportlab imports it only under `if __name__ == "__main__"`
    "unittest",
    "readline",
    "test",
    "pytest",
    "_pytest",
    "IPython",
    # Pillow: reportlab needs PIL.Image itself, not the codecs for formats we never read
    "PIL._avif",
    "PIL._webp",
    "PIL._imagingtk",
    "PIL.ImageTk",
    "PIL.ImageQt",
    "PIL.ImageShow",
    "PIL.ImageCms",  # colour management (and liblcms2): PIL.Image loads it only on request
    "PIL._imagingcms",
    # The hub's server stack stays on the server
    "fastapi",
    "starlette",
    "uvicorn",
    "psycopg",
    "psycopg2",
    # Optional accelerators and test helpers of our libraries
    "numpy",
    "sqlalchemy.testing",
    "reportlab.graphics.testshapes",
    "reportlab.graphics.renderPM",
    "rlPyCairo",
]

# Strip debug symbols from binaries on Linux (Python's own libraries often carry them). Windows
# binaries have none to strip, and macOS ones are signed.
STRIP = sys.platform.startswith("linux")

# Qt plugin folders kept, and within them the plugins dropped (matched on the file's base name).
KEEP_PLUGIN_TYPES = {
    "platforms",
    "platformthemes",
    "platforminputcontexts",
    "styles",
    "iconengines",
    "imageformats",
    "wayland-decoration-client",
    "wayland-shell-integration",
    "wayland-graphics-integration-client",
}
DROP_PLUGINS = {
    "platforms": re.compile(r"eglfs|linuxfb|minimal|vnc|vkkhrdisplay|direct2d|webgl", re.I),
    # The GTK theme needs GTK itself (not bundled) and pulls in cairo and pango; the
    # desktop-portal theme gives native file dialogs where a portal exists.
    "platformthemes": re.compile(r"gtk", re.I),
    "imageformats": re.compile(r"^(?!.*(svg|ico)).*$", re.I),  # keep SVG and ICO only
}
# Qt's translations kept: qtbase (dialog buttons, file dialogs) in the product's languages.
KEEP_TRANSLATIONS = re.compile(r"^qtbase_(es|fr|pt_BR)\.qm$")

_QT_PLUGIN = re.compile(r"(?:^|/)PySide6/(?:Qt/)?plugins/([^/]+)/([^/]+)$")
_QT_TRANSLATION = re.compile(r"(?:^|/)PySide6/(?:Qt/)?translations/([^/]+)$")


def _posix(dest: str) -> str:
    return str(PurePosixPath(*Path(dest).parts)) if os.sep != "/" else dest


def keep_entry(dest: str) -> bool:
    """Whether a bundle file (by its destination path) survives the Qt trimming."""
    dest = _posix(dest)
    plugin = _QT_PLUGIN.search(dest)
    if plugin:
        kind, name = plugin.groups()
        if kind not in KEEP_PLUGIN_TYPES:
            return False
        dropped = DROP_PLUGINS.get(kind)
        return not (dropped and dropped.search(name))
    translation = _QT_TRANSLATION.search(dest)
    if translation:
        return bool(KEEP_TRANSLATIONS.match(translation.group(1)))
    return True


def _base(name: str) -> str:
    base = PurePosixPath(name.replace("\\", "/")).name
    return base.lower() if sys.platform == "win32" else base


def _imports(path: str) -> set[str]:
    from PyInstaller.depend import bindepend

    try:
        return {_base(name) for name, _full in bindepend.get_imports(path)}
    except Exception:  # an unreadable binary: keep whatever it might need
        return {"*"}


def drop_orphans(kept: Iterable[Entry], removed: Iterable[Entry]) -> list[Entry]:
    """Drop the shared libraries that only removed plugins needed.

    A library goes only when a removed plugin imports it and no kept Python extension or Qt
    plugin (the binaries loaded by name at run time) imports it, directly or through another
    library. Anything else stays, so a library loaded some other way is never lost.
    """
    entries = list(kept)
    candidates: set[str] = set()
    for _dest, src, kind in removed:
        if kind != "SYMLINK":
            candidates |= _imports(src)
    if not candidates or "*" in candidates:
        return entries
    by_base: dict[str, list[Entry]] = {}
    for entry in entries:
        by_base.setdefault(_base(entry[0]), []).append(entry)

    def is_root(entry: Entry) -> bool:
        dest, _src, kind = entry
        return kind == "EXTENSION" or bool(_QT_PLUGIN.search(_posix(dest)))

    needed: set[str] = set()
    pending = [e for e in entries if is_root(e)]
    seen: set[str] = set()
    while pending:
        dest, src, kind = pending.pop()
        if dest in seen or kind == "SYMLINK":
            continue
        seen.add(dest)
        names = _imports(src)
        if "*" in names:
            return entries
        for name in names - needed:
            needed.add(name)
            pending.extend(by_base.get(name, []))

    def orphan(entry: Entry) -> bool:
        dest, src, kind = entry
        name = _base(src) if kind == "SYMLINK" else _base(dest)
        return not is_root(entry) and name in candidates and name not in needed

    return [e for e in entries if not orphan(e)]


def trim(binaries: Iterable[Entry], datas: Iterable[Entry]) -> tuple[list[Entry], list[Entry]]:
    """The bundle's binaries and data files without unused Qt plugins, translations and libs."""
    binaries = list(binaries)
    kept_binaries = [e for e in binaries if keep_entry(e[0])]
    removed = [e for e in binaries if not keep_entry(e[0])]
    kept_datas = [e for e in datas if keep_entry(e[0])]
    if sys.platform != "darwin":
        # macOS frameworks are folders of symlinks and resources; there the plugin and
        # translation filters do the work and the frameworks stay whole.
        kept_binaries = drop_orphans(kept_binaries, removed)
    return kept_binaries, kept_datas
