"""The `readiness` command: the composition root of the product.

Each command group lives in its own module with a `register(subparsers, common)` function that adds
its parsers and sets `handler` on them. Handlers receive the parsed arguments and return an exit
status. Groups import their services inside handlers, so `readiness --help` stays fast and the GUI
and hub stacks load only for the commands that need them.

Exit status: 0 success; 1 a problem the user can act on (one line on stderr, no traceback);
2 usage error; 3 hub unreachable.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from app import __version__
from app.common.errors import DefinitionError, UserError

log = logging.getLogger("readiness.cli")

# Command groups in the order `--help` lists them.
_GROUPS = (
    "forms_cmd",
    "score_cmd",
    "assess_cmd",
    "report_cmd",
    "backup_cmd",
    "bundle_cmd",
    "sync_cmd",
    "hub_cmd",
    "gui_cmd",
)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="keep database, backups, attachments, logs and token under DIR",
    )
    parser = argparse.ArgumentParser(
        prog="readiness",
        description="Readiness: precision-oncology readiness assessments for city cancer-care networks.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"readiness {__version__}")
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="start the window offscreen, open the demo, write a PDF and an XLSX, exit 0 if all worked",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    import importlib

    for name in _GROUPS:
        try:
            module = importlib.import_module(f"app.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"app.cli.{name}":
                raise
            continue  # that command group has not landed yet
        module.register(subparsers, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "data_dir"):
        args.data_dir = None
    try:
        if args.self_test:
            from app.cli.gui_cmd import run_self_test

            return int(run_self_test(args))
        handler = getattr(args, "handler", None)
        if handler is None:
            if args.command is None:
                handler = _default_handler(parser)
            else:
                parser.parse_args([args.command, "--help"])
                return 2
        return int(handler(args) or 0)
    except DefinitionError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return err.exit_code
    except UserError as err:
        print(f"readiness: {err}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("readiness: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1


def _default_handler(parser: argparse.ArgumentParser):  # type: ignore[no-untyped-def]
    """`readiness` alone opens the window when the GUI is installed, else prints help."""
    try:
        from app.cli.gui_cmd import run_gui
    except ModuleNotFoundError:

        def show_help(_args: argparse.Namespace) -> int:
            parser.print_help()
            return 0

        return show_help
    return run_gui
