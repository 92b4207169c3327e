"""Readiness: offline readiness assessment for precision oncology."""

__version__ = "0.1.0"
