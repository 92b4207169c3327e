"""`readiness backup list|create|restore BACKUP_OR_latest`: copies of the local database."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "backup",
        parents=[common],
        help="list, create or restore database backups",
        description="Backups of the local database (made daily, before migrations and restores).",
    )
    commands = parser.add_subparsers(dest="backup_command", metavar="ACTION", required=True)
    p = commands.add_parser("list", parents=[common], help="list the backups, newest first")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=run_list)
    p = commands.add_parser("create", parents=[common], help="make a backup now; prints its name")
    p.set_defaults(handler=run_create)
    p = commands.add_parser(
        "restore",
        parents=[common],
        help="put a backup in place of the database (the current one is backed up first)",
    )
    p.add_argument("name", metavar="BACKUP_OR_latest")
    p.set_defaults(handler=run_restore)


def run_list(args: argparse.Namespace) -> int:
    from app.cli.output import print_json
    from app.services.backups import list_backups_in

    # Listing must work even when the database is damaged, so it does not open it.
    backups = list_backups_in(args.data_dir)
    if args.json:
        print_json(
            [
                {"name": b.name, "kind": b.kind, "created_at": b.created_at, "size": b.size}
                for b in backups
            ]
        )
        return 0
    if not backups:
        print("no backups yet")
    for b in backups:
        print(f"{b.name}  {b.kind:<13} {b.created_at}  {b.size / 1024:.0f} KiB")
    return 0


def run_create(args: argparse.Namespace) -> int:
    from app.cli.output import print_created
    from app.services.backups import create_backup
    from app.services.workspace import Workspace

    with Workspace.open(args.data_dir, daily_backup=False) as ws:
        path = create_backup(ws, "manual")
    print_created(path.name)
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from app.services.backups import restore_into

    chosen, saved = restore_into(args.data_dir, args.name)
    if saved is not None:
        print(f"the database it replaced was saved as {saved.name}")
    print(f"restored {chosen.name} ({chosen.created_at})")
    return 0
