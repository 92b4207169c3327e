"""PySide6, imported once for the whole window, without the source scan it runs on every import.

To support its opt-in `from __feature__ import snake_case` syntax, PySide6 replaces `__import__`
and, after each later import, reads the new module's whole source (`inspect.getsource`) to see
whether it mentions "PySide6". For the database stack alone that is some 300 files: about a
quarter of a second and ~15 MiB of source lines kept in `linecache`, on every start. The product
never selects a feature, so the answer only has to be right for modules that use Qt, and those
can be told by what they imported: that check replaces the scan here. Import this module before
any other of the window's modules (app.ui.app does).
"""

from __future__ import annotations

import sys
import types

import PySide6.QtCore  # noqa: F401 - installs the import hook tamed below

_QT_PACKAGES = ("PySide6", "shiboken6")


def uses_qt(module: types.ModuleType) -> bool:
    """Whether `module` imported a Qt module or class (looked up in its namespace, not its text)."""
    for value in list(vars(module).values()):
        if isinstance(value, types.ModuleType):
            name = value.__name__
        elif isinstance(value, type):
            name = value.__module__
        else:
            continue
        if isinstance(name, str) and name.startswith(_QT_PACKAGES):
            return True
    return False


def quiet_feature_scan() -> bool:
    """Replace PySide6's per-import source scan; False when this PySide6 has none to replace."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    setattr(feature, "_mod_uses_pyside", uses_qt)  # noqa: B010 - a private name of PySide6
    return True


quiet_feature_scan()
