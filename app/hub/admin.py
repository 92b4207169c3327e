"""Hub administration: initialise the database, cities, enrollment codes, devices, forms, imports.

These run with the database URL given to `readiness hub ... --db URL`, normally the owner of the
hub's tables (on PostgreSQL the owner is not subject to row-level security; the server itself
should connect as the non-owner role that `init --app-role` grants).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select, text, update

from app.common.clock import iso_utc, new_id
from app.common.errors import NotFoundError, UserError, ValidationError
from app.hub import security
from app.hub import tables as ht
from app.hub.db import HubDB, safe_url

MAX_NAME = 200
ROLE_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
# What the serving role may do, table by table (nothing is ever deleted).
GRANTS = {
    "hub_city": "SELECT, UPDATE",
    "hub_device": "SELECT, INSERT, UPDATE",
    "hub_enrollment_code": "SELECT, UPDATE",
    "hub_form": "SELECT",
    "hub_record": "SELECT, INSERT",
    "hub_blob": "SELECT, INSERT",
    "hub_applied_op": "SELECT, INSERT",
    "hub_push_batch": "SELECT, INSERT",
    "hub_quarantine": "SELECT, INSERT",
    "alembic_version": "SELECT",
}


@contextmanager
def opened(db_url: str, *, auto_init: bool = True) -> Iterator[HubDB]:
    db = HubDB(db_url)
    try:
        db.require_schema(auto_init=auto_init)
        yield db
    finally:
        db.close()


def init(db_url: str, app_role: str | None = None) -> str:
    """Create or upgrade the hub's tables; on PostgreSQL optionally grant a serving role."""
    db = HubDB(db_url)
    try:
        revision = db.upgrade()
        if app_role:
            if not db.is_postgres:
                raise ValidationError("--app-role applies to PostgreSQL only")
            if not ROLE_RE.match(app_role):
                raise ValidationError(f"{app_role!r} is not a plain role name")
            with db.write() as conn:
                schema = conn.execute(text("SELECT current_schema()")).scalar()
                conn.execute(text(f'GRANT USAGE ON SCHEMA "{schema}" TO {app_role}'))
                for table, rights in GRANTS.items():
                    conn.execute(text(f'GRANT {rights} ON "{schema}".{table} TO {app_role}'))
                conn.execute(
                    text(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA "{schema}" TO {app_role}')
                )
        return revision
    finally:
        db.close()


def describe(db_url: str) -> str:
    return safe_url(HubDB(db_url).url)


def _name(value: str, what: str) -> str:
    cleaned = " ".join((value or "").split())
    if not cleaned:
        raise ValidationError(f"{what} must not be empty")
    if len(cleaned) > MAX_NAME:
        raise ValidationError(f"{what} is longer than {MAX_NAME} characters")
    return cleaned


def name_key(name: str) -> str:
    return " ".join(name.split()).casefold()


def add_city(db_url: str, name: str, country: str) -> str:
    name = _name(name, "the city name")
    country = _name(country, "the country")
    with opened(db_url) as db, db.write() as conn:
        exists = conn.execute(
            select(ht.city.c.id).where(ht.city.c.name_key == name_key(name))
        ).first()
        if exists:
            raise ValidationError(f"a city named {name!r} already exists on this hub ({exists[0]})")
        city_id = new_id()
        conn.execute(
            insert(ht.city).values(
                id=city_id,
                name=name,
                name_key=name_key(name),
                country=country,
                change_seq=0,
                created_at=iso_utc(),
            )
        )
    return city_id


def list_cities(db_url: str) -> list[dict[str, Any]]:
    with opened(db_url) as db, db.read() as conn:
        devices: dict[str, int] = dict(
            conn.execute(
                select(ht.device.c.city_id, func.count())
                .where(ht.device.c.revoked_at.is_(None))
                .group_by(ht.device.c.city_id)
            ).all()
        )
        rows = conn.execute(select(ht.city).order_by(ht.city.c.name_key)).all()
    return [
        {
            "id": r.id,
            "name": r.name,
            "country": r.country,
            "records": int(r.change_seq),
            "devices": int(devices.get(r.id, 0)),
            "created_at": r.created_at,
        }
        for r in rows
    ]


def find_city(conn: Any, ref: str) -> Any:
    """A city by id, unique id prefix, or name (case-insensitive)."""
    ref = (ref or "").strip()
    row = conn.execute(select(ht.city).where(ht.city.c.id == ref)).first()
    if row is None:
        row = conn.execute(select(ht.city).where(ht.city.c.name_key == name_key(ref))).first()
    if row is None and len(ref) >= 4:
        rows = conn.execute(select(ht.city).where(ht.city.c.id.like(f"{ref}%"))).all()
        if len(rows) == 1:
            row = rows[0]
    if row is None:
        raise NotFoundError(f"no city {ref!r} on this hub (see `readiness hub city list`)")
    return row


def enroll_code(db_url: str, city: str, contributor: str, hours: float = 72.0) -> tuple[str, str]:
    """A one-time enrollment code for `contributor` in `city`; returns (code, expires_at)."""
    contributor = _name(contributor, "the contributor name")
    if not 0 < hours <= 24 * 30:
        raise ValidationError("--expires-hours must be between 0 and 720")
    code = security.new_code()
    expires = iso_utc(datetime.now(UTC) + timedelta(hours=hours))
    with opened(db_url) as db, db.write() as conn:
        row = find_city(conn, city)
        conn.execute(
            insert(ht.enrollment_code).values(
                code_hash=security.code_hash(code),
                city_id=row.id,
                contributor=contributor,
                created_at=iso_utc(),
                expires_at=expires,
            )
        )
    return code, expires


def list_devices(db_url: str, city: str | None = None) -> list[dict[str, Any]]:
    with opened(db_url) as db, db.read() as conn:
        query = (
            select(ht.device, ht.city.c.name.label("city_name"))
            .join(ht.city, ht.city.c.id == ht.device.c.city_id)
            .order_by(ht.city.c.name_key, ht.device.c.created_at)
        )
        if city:
            query = query.where(ht.device.c.city_id == find_city(conn, city).id)
        rows = conn.execute(query).all()
    return [
        {
            "id": r.id,
            "city_id": r.city_id,
            "city": r.city_name,
            "contributor": r.contributor,
            "device_name": r.device_name,
            "created_at": r.created_at,
            "last_seen_at": r.last_seen_at,
            "revoked_at": r.revoked_at,
        }
        for r in rows
    ]


def revoke(db_url: str, device_id: str) -> dict[str, Any]:
    """Revoke a device: its next request gets 401. Nothing it sent is removed."""
    device_id = (device_id or "").strip()
    with opened(db_url) as db, db.write() as conn:
        rows = (
            conn.execute(
                select(ht.device).where(ht.device.c.id.like(f"{_escape(device_id)}%", escape="\\"))
            ).all()
            if len(device_id) >= 4
            else []
        )
        if len(rows) != 1:
            raise NotFoundError(f"no single device {device_id!r} (see `readiness hub device list`)")
        row = rows[0]
        if row.revoked_at is None:
            conn.execute(
                update(ht.device).where(ht.device.c.id == row.id).values(revoked_at=iso_utc())
            )
    return {
        "id": row.id,
        "contributor": row.contributor,
        "already_revoked": row.revoked_at is not None,
    }


def _escape(text_value: str) -> str:
    return text_value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def publish_form(db_url: str, path: str | Path) -> dict[str, Any]:
    """Publish a questionnaire version to every city. The same id and version can never be
    republished with different content (devices may hold the old one)."""
    from app.forms import load_questionnaire_bytes

    source = Path(path)
    try:
        body = source.read_bytes()
    except OSError as exc:
        raise NotFoundError(f"{source}: cannot read: {exc.strerror or exc}") from None
    questionnaire = load_questionnaire_bytes(body, str(source))
    sha256 = hashlib.sha256(body).hexdigest()
    with opened(db_url) as db, db.write() as conn:
        f = ht.form.c
        same = conn.execute(select(f.sha256).where(f.sha256 == sha256)).first()
        if same is None:
            clash = conn.execute(
                select(f.sha256).where(
                    f.form_id == questionnaire.id, f.version == questionnaire.version
                )
            ).first()
            if clash is not None:
                raise ValidationError(
                    f"{source}: {questionnaire.id} {questionnaire.version} is already published with "
                    "different content; publish the change as a new version"
                )
            conn.execute(
                insert(ht.form).values(
                    sha256=sha256,
                    form_id=questionnaire.id,
                    version=questionnaire.version,
                    body=body,
                    published_at=iso_utc(),
                )
            )
    return {
        "id": questionnaire.id,
        "version": questionnaire.version,
        "sha256": sha256,
        "new": same is None,
    }


def import_bundle(db_url: str, path: str | Path, city: str | None = None) -> dict[str, Any]:
    """Apply a signed bundle file to the city of the device that signed it, with the same checks
    as a push from that device. The city is never taken from the bundle itself: a device this
    hub knows brings its own city; for a laptop never enrolled (first use of its key) the
    coordinator names the city (`city`, a name or id)."""
    from app.hub.store import HubStore
    from app.sync import bundle, signing

    def refuse(message: str) -> ValidationError:
        return ValidationError(f"{path}: bundle rejected, nothing was imported: {message}")

    try:
        received = bundle.read_bundle_file(path)
    except bundle.BundleError as exc:
        raise ValidationError(f"bundle rejected, nothing was imported: {exc}") from None
    if any(r.body.get("demo") is True for r in received.records):
        raise ValidationError(
            f"{path}: bundle rejected, nothing was imported: it holds the demo of a fictional "
            "city, and a hub never stores a demo"
        )
    signer = received.signer
    if signer is None:
        raise refuse("it is not signed (made by an older version?); ask for a new export")
    with opened(db_url) as db:
        with db.read() as conn:
            d = ht.device.c
            devices = conn.execute(
                select(d.city_id, d.public_key, d.revoked_at).where(
                    d.local_device_id == signer.device_id
                )
            ).all()
            keys = {r.public_key for r in devices if r.public_key}
            if keys and signer.public_key not in keys:
                raise refuse(
                    f"it is signed by device {signer.device_id[:8]} with another key than the "
                    "one it registered at enrollment: it may be forged"
                )
            holders = [r for r in devices if r.public_key == signer.public_key]
            if holders and all(r.revoked_at is not None for r in holders):
                raise refuse(f"it is signed by device {signer.device_id[:8]}, which was revoked")
            cities = {r.city_id for r in devices if r.public_key == signer.public_key}
            row = None
            if cities:
                row = conn.execute(select(ht.city).where(ht.city.c.id.in_(sorted(cities)))).first()
            named = _find_city(conn, city) if city else None
            if row is not None and named is not None and named.id != row.id:
                raise refuse(f"it was signed by a device of {row.name}, not of {named.name}")
            row = row if row is not None else named
        first_use = not cities
        if row is None:
            raise refuse(
                f"it is signed by device {signer.device_id[:8]}, which this hub has never seen; "
                "check its key with the sender and name the city with --city"
            )
        store = HubStore(db)
        with db.write() as conn:
            db.scope(conn, city_id=row.id)
            b = ht.blob.c
            for (_kind, sha256), data in received.blobs.items():
                have = conn.execute(
                    select(b.sha256).where(b.city_id == row.id, b.sha256 == sha256)
                ).first()
                if have is None:
                    conn.execute(
                        insert(ht.blob).values(
                            city_id=row.id,
                            sha256=sha256,
                            size=len(data),
                            content=data,
                            received_at=iso_utc(),
                        )
                    )
        results = store.import_records(row.id, received.records, signer.device_id)
    counts = {
        s: sum(1 for r in results if r.status == s) for s in ("applied", "duplicate", "quarantined")
    }
    reasons = sorted({r.reason for r in results if r.reason})
    return {
        "city_id": row.id,
        "city": row.name,
        **counts,
        "reasons": reasons,
        "signed_by": signer.device_id,
        "first_use": first_use,
        "key_fingerprint": signing.key_fingerprint(signer.public_key),
    }


def _find_city(conn: Any, city: str) -> Any:
    row = conn.execute(
        select(ht.city).where((ht.city.c.id == city) | (ht.city.c.name_key == name_key(city)))
    ).first()
    if row is None:
        raise UserError(f"no city {city!r} on this hub (see `readiness hub city list`)")
    return row
