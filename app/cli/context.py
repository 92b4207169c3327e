"""What command handlers share: opening the workspace the arguments name."""

from __future__ import annotations

import argparse
from typing import Any


def open_workspace(args: argparse.Namespace) -> Any:
    """The workspace of `--data-dir` (or the default folder); use it in a `with` block."""
    from app.services.workspace import Workspace

    return Workspace.open(args.data_dir)
