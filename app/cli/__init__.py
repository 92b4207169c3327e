"""The `readiness` command: the composition root of the product.

Each command group lives in its own module with a `register(subparsers, common)` function that adds
its parsers and sets `handler` on them. Handlers receive the parsed arguments and return an exit
status. Groups import their services inside handlers, so `readiness --help` stays fast and the GUI
and hub stacks load only for the commands that need them.

Exit status: 0 success; 1 a problem the user can act on (one line on stderr, no traceback);
2 usage error; 3 hub unreachable. A bug also exits 1 with one line; its traceback goes to the log
file in the data folder.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
from collections.abc import Sequence

from app import __version__
from app.common.errors import DefinitionError, UserError

log = logging.getLogger("readiness.cli")
_NEGATIVE = re.compile(r"-\d+(\.\d+)?")

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
    _safe_streams()
    parser = build_parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        _place_late_value(parser, args, extras)
    if not hasattr(args, "data_dir"):
        args.data_dir = None
    try:
        _check_data_dir(args.data_dir)
        if args.self_test:
            from app.cli.gui_cmd import run_self_test

            return int(run_self_test(args))
        handler = getattr(args, "handler", None)
        if handler is None:
            if args.command is None:
                handler = _default_handler(parser)
            else:
                print(
                    f"readiness {args.command}: error: give an action "
                    f"(see `readiness {args.command} --help`)",
                    file=sys.stderr,
                )
                return 2
        return int(handler(args) or 0)
    except DefinitionError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return err.exit_code
    except UserError as err:
        from app.cli.hints import with_hint

        print(f"readiness: {with_hint(err)}", file=sys.stderr)
        return err.exit_code
    except KeyboardInterrupt:
        print("readiness: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 1
    except OSError as exc:
        # A folder or file the system refused (permissions, a full disk, a file where a folder
        # should be): something the user can act on, so one line and no traceback.
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"readiness: {where}{exc.strerror or exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # a bug: the traceback goes to a log file, never to the user
        log_file = _log_crash(args.data_dir)
        message = " ".join(str(exc).split())[:300]  # one line, however the bug phrased it
        print(
            f"readiness: unexpected error ({type(exc).__name__}: {message}); details in {log_file}",
            file=sys.stderr,
        )
        return 1


def _safe_streams() -> None:
    """Text that the console cannot show must not crash a command.

    Pipes and files get UTF-8 (like the JSON output); a console keeps its encoding and shows
    characters it lacks as escapes.
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if reconfigure is None or encoding == "utf8":
            continue
        try:
            if stream.isatty():
                reconfigure(errors="backslashreplace")
            else:
                reconfigure(encoding="utf-8", errors="backslashreplace")
        except (OSError, ValueError):
            continue


def _place_late_value(
    parser: argparse.ArgumentParser, args: argparse.Namespace, extras: list[str]
) -> None:
    """Accept VALUE after options (`assess answer ID IND --note N VALUE`).

    argparse fills an optional positional with nothing when an option follows the ones before
    it; commands that take a VALUE mark themselves with `late_value` so it is placed here.
    """
    tokens = extras[1:] if extras[0] == "--" else extras  # after `--` anything is a value
    forced = tokens is not extras
    if (
        len(tokens) == 1
        and (forced or not tokens[0].startswith("-") or _NEGATIVE.fullmatch(tokens[0]))
        and getattr(args, "late_value", False)
        and getattr(args, "value", None) is None
    ):
        args.value = tokens[0]
        return
    parser.error(f"unrecognized arguments: {' '.join(extras)}")


def _check_data_dir(data_dir: str | None) -> None:
    if data_dir is None:
        return
    from pathlib import Path

    folder = Path(data_dir).expanduser()
    if folder.exists() and not folder.is_dir():
        raise UserError(f"--data-dir {data_dir}: is a file, not a folder")


def _silence_stdout() -> None:
    """After the reader of a pipe went away, further writes (and the final flush) go nowhere."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _log_crash(data_dir: str | None) -> str:
    """Append the current traceback to the data folder's log (or a temporary file)."""
    import tempfile
    import traceback
    from pathlib import Path

    from app.common.clock import iso_utc
    from app.common.paths import DataPaths

    text = f"{iso_utc()} readiness {__version__} crashed:\n{traceback.format_exc()}\n"
    candidates = [Path(tempfile.gettempdir()) / "readiness-crash.log"]
    try:
        candidates.insert(0, DataPaths.resolve(data_dir).logs / "readiness.log")
    except Exception:  # noqa: BLE001 - the data folder itself may be what is broken
        pass
    for log_file in candidates:
        try:
            log_file.parent.mkdir(parents=True, exist_ok=True)
            with log_file.open("a", encoding="utf-8") as out:
                out.write(text)
            return str(log_file)
        except OSError:
            continue
    return "no log (no writable folder)"


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
