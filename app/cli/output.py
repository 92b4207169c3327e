"""Printing for the command line: JSON documents and created ids."""

from __future__ import annotations

import json
import sys
from typing import Any


def print_json(document: Any) -> None:
    """One JSON document on stdout, UTF-8, nothing else."""
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False)
    sys.stdout.buffer.write(text.encode("utf-8") + b"\n")
    sys.stdout.flush()


def print_created(identifier: str) -> None:
    """Commands that create something print its id alone on the last line."""
    print(identifier)
