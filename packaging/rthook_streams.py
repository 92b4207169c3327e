"""PyInstaller run-time hook: a windowed program (no console) gets harmless stdout and stderr.

Without a console, Python leaves `sys.stdout` and `sys.stderr` as None, and a library that writes
to them directly would crash the window. Their output goes to the null device instead; the log
file in the data folder's logs/ has everything that matters.
"""

import os
import sys

for _name in ("stdout", "stderr"):
    if getattr(sys, _name) is None:
        setattr(sys, _name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115
