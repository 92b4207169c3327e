"""Foundations every other package may use: errors, paths, ids and clocks, i18n, file I/O.

Nothing in here imports another `app` package or a third-party library besides platformdirs.
"""
