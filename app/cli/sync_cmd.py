"""`readiness sync enroll|now|status`: sync this data folder with a hub.

`sync now` exits 3 with one line when the hub cannot be reached (a normal state offline);
nothing is lost, waiting changes are sent next time. It exits 4 when the hub refused (or this
laptop set aside) any of this laptop's own changes; `sync status` lists each with its reason.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from app.cli.context import open_workspace


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    sync = subparsers.add_parser(
        "sync",
        parents=[common],
        help="enroll with a hub and sync with it",
        description="Enroll this data folder with a hub city, then send and receive changes.",
    )
    commands = sync.add_subparsers(dest="sync_command", metavar="ACTION", required=True)

    p = commands.add_parser("enroll", parents=[common], help="enroll with a hub using a code")
    p.add_argument("url", metavar="URL", help="the hub's address, e.g. https://hub.example.org")
    p.add_argument("code", metavar="CODE", help="the one-time code from the hub's administrator")
    p.add_argument(
        "--token-file",
        action="store_true",
        help="keep the device token in a file in the data folder (readable only by you) "
        "instead of the system keyring",
    )
    p.set_defaults(handler=run_enroll)

    p = commands.add_parser("now", parents=[common], help="send waiting changes, then receive")
    p.add_argument("--json", action="store_true", help="print the counts as JSON")
    p.set_defaults(handler=run_now)

    p = commands.add_parser("status", parents=[common], help="enrollment and waiting changes")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=run_status)


def run_enroll(args: argparse.Namespace) -> int:
    from app.services import sync

    with open_workspace(args) as ws:
        enrollment = sync.enroll(ws, args.url, args.code, token_file=args.token_file)
    where = (
        "the system keyring"
        if enrollment.token_store == "keyring"
        else f"{ws.paths.token_file} (readable only by you)"
    )
    print(f"enrolled in {enrollment.city_name} ({enrollment.country}) at {enrollment.hub_url}")
    print(f"device token kept in {where}")
    print(enrollment.device_id)
    return 0


def run_now(args: argparse.Namespace) -> int:
    from app.cli.output import print_json
    from app.services import sync

    with open_workspace(args) as ws:
        result = sync.sync_now(ws)
    # Exit 4: some of this laptop's own changes were refused; they stay here, set aside.
    code = 4 if result.refused else 0
    if args.json:
        print_json(result.to_json())
        return code
    print(
        f"sent {result.pushed}, received {result.pulled}, conflicts {result.conflicts}, "
        f"quarantined {result.quarantined}"
    )
    if result.refused:
        print(
            f"{result.refused} change(s) of this laptop were refused; see `readiness sync status` "
            "for the reasons",
            file=sys.stderr,
        )
    elif result.quarantined:
        print("see `readiness sync status` for the reasons", file=sys.stderr)
    return code


def run_status(args: argparse.Namespace) -> int:
    from app.cli.output import print_json
    from app.services import sync

    with open_workspace(args) as ws:
        status = sync.sync_status(ws)
    if args.json:
        print_json(status.to_json())
        return 0
    hub = status.enrollment
    if hub is None:
        print("not enrolled with a hub (readiness sync enroll URL CODE)")
    else:
        print(f"hub: {hub.hub_url}  city: {hub.city_name} ({hub.country})  device: {hub.device_id}")
        print(f"token kept in: {hub.token_store}")
    print(f"waiting to send: {status.pending}  sent: {status.acked}  conflicts: {status.conflicts}")
    print(
        f"last sent: {status.last_push_ok_at or '-'}  last received: {status.last_pull_ok_at or '-'}"
    )
    for item in status.quarantined:
        print(f"quarantined {item['kind']} {item['record_id']}: {item['reason']}")
    for item in status.rejected:
        print(
            f"not stored {item['kind']} {item['record_id']} (from {item['source']}): {item['reason']}"
        )
    return 0
