"""`readiness hub ...`: run and administer a sync hub.

Every command names its database by `--db URL` (a SQLite URL or path, or
`postgresql+psycopg://...`), `--db-file FILE` (a file holding the URL), or the environment
variable READINESS_HUB_DB, in that order; the default is `hub.sqlite3` in the data folder. A URL
with a password belongs in the file or the environment: a command line is visible to every user
of the machine (`ps`). `city add` and `enroll-code` print the id or code alone on their last line.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

DB_ENV = "READINESS_HUB_DB"


def add_db_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="URL",
        help=f"hub database URL or SQLite path (default: ${DB_ENV}, else in the data folder)",
    )
    parser.add_argument(
        "--db-file",
        metavar="FILE",
        help="read the database URL from this file (keeps its password out of the process list)",
    )


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    hub = subparsers.add_parser(
        "hub",
        parents=[common],
        help="run and administer a sync hub",
        description="Run a Readiness hub and manage its cities, devices and questionnaires.",
    )
    commands = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        parser: argparse.ArgumentParser = commands.add_parser(
            name, parents=[common], help=help_text
        )
        add_db_options(parser)
        return parser

    p = command("init", "create or upgrade the hub's database")
    p.add_argument(
        "--app-role",
        metavar="ROLE",
        help="PostgreSQL: grant this (non-owner) role what the server needs",
    )
    p.set_defaults(handler=run_init)

    p = command("serve", "serve the hub's HTTP API")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--max-in-flight", type=int, default=32, metavar="N")
    p.add_argument("--body-timeout", type=float, default=30.0, metavar="SECONDS")
    p.set_defaults(handler=run_serve)

    city = commands.add_parser("city", parents=[common], help="cities of the hub")
    city_commands = city.add_subparsers(dest="city_command", metavar="ACTION", required=True)
    p = city_commands.add_parser("add", parents=[common], help="add a city; prints its id")
    add_db_options(p)
    p.add_argument("name", metavar="NAME")
    p.add_argument("--country", required=True)
    p.set_defaults(handler=run_city_add)
    p = city_commands.add_parser("list", parents=[common], help="list the cities")
    add_db_options(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=run_city_list)

    p = command("enroll-code", "make a one-time enrollment code; prints the code")
    p.add_argument("city", metavar="CITY", help="city id or name")
    p.add_argument("--contributor", required=True, metavar="NAME")
    p.add_argument("--expires-hours", type=float, default=72.0, metavar="H")
    p.set_defaults(handler=run_enroll_code)

    device = commands.add_parser("device", parents=[common], help="enrolled devices")
    device_commands = device.add_subparsers(dest="device_command", metavar="ACTION", required=True)
    p = device_commands.add_parser("list", parents=[common], help="list devices")
    add_db_options(p)
    p.add_argument("city", metavar="CITY", nargs="?")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=run_device_list)

    p = command("revoke", "revoke a device's token (its next request is refused)")
    p.add_argument("device", metavar="DEVICE", help="device id (or a unique beginning)")
    p.set_defaults(handler=run_revoke)

    forms = commands.add_parser("forms", parents=[common], help="questionnaire versions")
    forms_commands = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    p = forms_commands.add_parser(
        "publish",
        parents=[common],
        help="publish a questionnaire file, or a shipped questionnaire by id[@version]",
    )
    add_db_options(p)
    p.add_argument("path", metavar="PATH", help="a definition file, or a shipped id[@version]")
    p.set_defaults(handler=run_forms_publish)

    p = command("import", "apply a signed bundle file to its device's city")
    p.add_argument("file", metavar="FILE")
    p.add_argument(
        "--city",
        metavar="CITY",
        help="the city of a laptop this hub has never seen (checked against a known device's)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=run_import)


def db_url(args: argparse.Namespace) -> str:
    """The database URL from --db, --db-file or READINESS_HUB_DB, else the data folder's SQLite."""
    if getattr(args, "db", None):
        url = str(args.db)
        if _has_password(url):
            print(
                "readiness: note: the password in --db is visible to every user of this machine "
                f"in the process list; use --db-file FILE or ${DB_ENV} instead",
                file=sys.stderr,
            )
        return url
    if getattr(args, "db_file", None):
        return read_db_file(args.db_file)
    from_env = os.environ.get(DB_ENV, "").strip()
    if from_env:
        return from_env
    from app.common.paths import DataPaths

    paths = DataPaths.resolve(args.data_dir)
    paths.root.mkdir(parents=True, exist_ok=True)
    return str(paths.hub_database)


def read_db_file(path: str) -> str:
    """The first non-empty, non-comment line of `path`: the database URL."""
    from app.common.errors import UserError

    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read(64 * 1024)
    except OSError as exc:
        raise UserError(f"cannot read the database URL from {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise UserError(f"{path} is not a text file holding a database URL") from None
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            return line
    raise UserError(f"{path} holds no database URL (an empty file)")


def _has_password(url: str) -> bool:
    from urllib.parse import urlsplit

    try:
        return bool(urlsplit(url).password)
    except ValueError:
        return False


def run_init(args: argparse.Namespace) -> int:
    from app.hub import admin

    url = db_url(args)
    revision = admin.init(url, args.app_role)
    print(f"hub database ready: {admin.describe(url)} (schema {revision})")
    return 0


def run_serve(args: argparse.Namespace) -> int:
    import logging

    try:
        import uvicorn
    except ModuleNotFoundError:
        from app.common.errors import UserError

        raise UserError(
            "the hub server needs its extra packages: pip install 'readiness[hub]'"
        ) from None

    from app.hub.db import safe_url
    from app.hub.server import create_app

    url = db_url(args)
    app = create_app(url, max_in_flight=args.max_in_flight, body_timeout=args.body_timeout)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    print(f"hub on http://{args.host}:{args.port} with {safe_url(app.state.db.url)}", flush=True)
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        limit_concurrency=args.max_in_flight * 2,
        timeout_keep_alive=5,
        proxy_headers=True,
        server_header=False,
        ws="none",
        log_level="info",
    )
    return 0


def run_city_add(args: argparse.Namespace) -> int:
    from app.hub import admin

    city_id = admin.add_city(db_url(args), args.name, args.country)
    print(city_id)
    return 0


def run_city_list(args: argparse.Namespace) -> int:
    from app.cli.output import print_json
    from app.hub import admin

    cities = admin.list_cities(db_url(args))
    if args.json:
        print_json(cities)
        return 0
    for city in cities:
        print(
            f"{city['id']}  {city['name']} ({city['country']})  "
            f"devices {city['devices']}  records {city['records']}"
        )
    return 0


def run_enroll_code(args: argparse.Namespace) -> int:
    from app.hub import admin

    code, expires = admin.enroll_code(db_url(args), args.city, args.contributor, args.expires_hours)
    print(f"one-time code for {args.contributor}, valid until {expires}:")
    print(code)
    return 0


def run_device_list(args: argparse.Namespace) -> int:
    from app.cli.output import print_json
    from app.hub import admin

    devices = admin.list_devices(db_url(args), args.city)
    if args.json:
        print_json(devices)
        return 0
    for d in devices:
        state = (
            f"revoked {d['revoked_at']}"
            if d["revoked_at"]
            else f"last seen {d['last_seen_at'] or '-'}"
        )
        print(f"{d['id']}  {d['city']}  {d['contributor']}  {d['device_name']}  {state}")
    return 0


def run_revoke(args: argparse.Namespace) -> int:
    from app.hub import admin

    result = admin.revoke(db_url(args), args.device)
    note = " (it was already revoked)" if result["already_revoked"] else ""
    print(f"device {result['id']} of {result['contributor']} revoked{note}")
    return 0


def run_forms_publish(args: argparse.Namespace) -> int:
    from app.forms import find_form
    from app.hub import admin

    # a file, or a shipped questionnaire by id[@version]: an installed hub has no checkout
    result = admin.publish_form(db_url(args), find_form(args.path))
    state = "published" if result["new"] else "already published"
    print(f"{state}: {result['id']} {result['version']}")
    print(result["sha256"])
    return 0


def run_import(args: argparse.Namespace) -> int:
    from app.cli.output import print_json
    from app.hub import admin

    result = admin.import_bundle(db_url(args), args.file, args.city)
    if args.json:
        print_json(result)
        return 0
    if result["first_use"]:
        print(
            f"FIRST USE: device {result['signed_by']} was never seen; its key "
            f"({result['key_fingerprint']}) is trusted for this import: check it with the sender"
        )
    print(
        f"{result['city']}: applied {result['applied']}, already there {result['duplicate']}, "
        f"quarantined {result['quarantined']}"
    )
    for reason in result["reasons"]:
        print(f"  quarantined: {reason}")
    return 0
