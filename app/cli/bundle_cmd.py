"""`readiness bundle export ID -o FILE` and `readiness bundle import FILE`: data by email or USB."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    bundle = subparsers.add_parser(
        "bundle",
        parents=[common],
        help="export or import an assessment as a bundle file",
        description="Move an assessment between laptops (or to the hub) as one .readiness file.",
    )
    commands = bundle.add_subparsers(dest="bundle_command", metavar="ACTION", required=True)

    p = commands.add_parser("export", parents=[common], help="write an assessment to a file")
    p.add_argument("id", metavar="ID", help="assessment id (any unique beginning)")
    p.add_argument("-o", "--output", required=True, metavar="FILE", help="e.g. lima-2026.readiness")
    p.add_argument(
        "--demo",
        action="store_true",
        help="export the demo (it stays a demo wherever it is imported; hubs refuse it)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=run_export)

    p = commands.add_parser("import", parents=[common], help="import a bundle file")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=run_import)


def run_export(args: argparse.Namespace) -> int:
    from app.cli.context import open_workspace
    from app.cli.output import print_json
    from app.services import sync
    from app.services.assessments import resolve_assessment_id

    with open_workspace(args) as ws:
        assessment_id = resolve_assessment_id(ws, args.id)
        made = sync.export_bundle(ws, assessment_id, args.output, as_demo=args.demo)
    if args.json:
        print_json({"path": str(made.path), "records": made.records, "size": made.size})
        return 0
    print(f"wrote {made.records} records ({made.size:,} bytes) of {assessment_id[:8]}")
    print(made.path)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from app.cli.context import open_workspace
    from app.cli.output import print_json
    from app.services import sync

    with open_workspace(args) as ws:
        result = sync.import_bundle(ws, args.file)
    if args.json:
        print_json(result.to_json())
        return 0
    if result.first_use:
        print(
            f"FIRST USE: this is the first bundle from device {result.signed_by}; its key "
            f"({result.key_fingerprint}) is trusted from now on: check it with the sender"
        )
    if result.already_present:
        print("nothing new: everything in this bundle was already here")
    else:
        print(
            f"imported {result.added} records ({result.revisions} answer changes); "
            f"conflicts: {result.conflicts}"
        )
    print(result.assessment_id)
    return 0
