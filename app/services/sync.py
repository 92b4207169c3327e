"""Sync with a hub and exchange bundle files: the use cases the faces call.

- `enroll(ws, url, code, token_file=False)`: trade a one-time code for a device token; the token
  goes to the keyring (or, by explicit choice, to a 0600 file), never to the database.
- `sync_now(ws, progress=None, cancel=None)`: push the outbox, pull the city's feed; returns
  `SyncResult(pushed, pulled, conflicts, quarantined, refused)`; `HubUnreachable` (exit 3) when
  offline. `refused` counts this laptop's own changes the hub refused (the CLI exits 4).
- `sync_status(ws)`: enrollment, waiting changes, quarantined ops with reasons, last results.
- `export_bundle(ws, assessment_id, path)` / `import_bundle(ws, path)`: the same records in a
  file; an import is checked completely before anything is written and runs in one transaction.
"""

from __future__ import annotations

import logging
import platform
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.common.clock import iso_utc
from app.common.errors import UserError, ValidationError
from app.services.workspace import Workspace
from app.sync.engine import PAGE_LIMIT, Cancel, Progress, RetryPolicy, SyncResult

__all__ = [
    "Enrollment",
    "ImportResult",
    "SyncResult",
    "SyncStatus",
    "enroll",
    "export_bundle",
    "import_bundle",
    "sync_now",
    "sync_status",
]

log = logging.getLogger("readiness.sync")

from app.services.sync_settings import (  # noqa: E402 - after the logger, kept with the policy
    CITY_COUNTRY,
    CITY_ID,
    CITY_NAME,
    DEVICE_KEYS,
    ENROLLED_AT,
    HUB_DEVICE,
    HUB_URL,
    SIGNING_KEY,
    TOKEN_STORE,
)

DEFAULT_POLICY = RetryPolicy(attempts=4, base=0.25, cap=4.0)


@dataclass(frozen=True)
class Enrollment:
    hub_url: str
    city_id: str
    city_name: str
    country: str
    device_id: str
    token_store: str  # keyring | file

    def to_json(self) -> dict[str, str]:
        return {
            "hub_url": self.hub_url,
            "city_id": self.city_id,
            "city": self.city_name,
            "country": self.country,
            "device_id": self.device_id,
            "token_store": self.token_store,
        }


@dataclass(frozen=True)
class SyncStatus:
    enrollment: Enrollment | None
    pending: int
    acked: int
    quarantined: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, Any]] = field(default_factory=list)
    conflicts: int = 0
    pull_cursor: int = 0
    last_push_ok_at: str | None = None
    last_pull_ok_at: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "enrolled": self.enrollment is not None,
            "hub": self.enrollment.to_json() if self.enrollment else None,
            "pending": self.pending,
            "acked": self.acked,
            "quarantined": self.quarantined,
            "rejected": self.rejected,
            "conflicts": self.conflicts,
            "pull_cursor": self.pull_cursor,
            "last_push_ok_at": self.last_push_ok_at,
            "last_pull_ok_at": self.last_pull_ok_at,
        }


@dataclass(frozen=True)
class ImportResult:
    assessment_id: str
    added: int  # records new to this data folder
    revisions: int
    conflicts: int  # answers of this assessment with concurrent, different heads
    already_present: bool  # nothing was new (importing twice changes nothing)
    signed_by: str = ""  # the device whose key signed the file
    first_use: bool = False  # that device's key was never seen here: trusted from now on
    key_fingerprint: str = ""  # to compare with the sender by another channel

    def to_json(self) -> dict[str, Any]:
        return {
            "assessment_id": self.assessment_id,
            "added": self.added,
            "revisions": self.revisions,
            "conflicts": self.conflicts,
            "already_present": self.already_present,
            "signed_by": self.signed_by,
            "first_use": self.first_use,
            "key_fingerprint": self.key_fingerprint,
        }


@dataclass(frozen=True)
class BundleExport:
    path: Path
    records: int
    size: int


# ---------------------------------------------------------------------------------------------
# Enrollment


def current_enrollment(ws: Workspace) -> Enrollment | None:
    from app.storage import catalog

    with ws.read() as conn:
        values = {
            k: catalog.get_setting(conn, k)
            for k in (HUB_URL, CITY_ID, CITY_NAME, CITY_COUNTRY, HUB_DEVICE, TOKEN_STORE)
        }
    if not values[HUB_URL] or not values[CITY_ID] or not values[HUB_DEVICE]:
        return None
    return Enrollment(
        hub_url=str(values[HUB_URL]),
        city_id=str(values[CITY_ID]),
        city_name=values[CITY_NAME] or "",
        country=values[CITY_COUNTRY] or "",
        device_id=str(values[HUB_DEVICE]),
        token_store=values[TOKEN_STORE] or "keyring",
    )


def enroll(
    ws: Workspace,
    url: str,
    code: str,
    token_file: bool = False,
    *,
    transport: Any = None,
    verify: Any = True,
) -> Enrollment:
    """Enroll this data folder with a hub city. The code is checked by the hub and used once."""
    from app.storage import catalog
    from app.sync import token_store
    from app.sync.client import HubClient, check_hub_url

    hub_url = check_hub_url(url)
    if not (code or "").strip():
        raise ValidationError("give the enrollment code the hub's administrator gave you")
    if not token_file:
        # Refuse before the one-time code is spent, not after.
        problem = token_store.keyring_problem()
        if problem:
            raise token_store.NoKeyring(
                token_store.no_keyring_message(problem, ws.paths.token_file)
            )
    previous = current_enrollment(ws)
    public_key = public_signing_key(ws)
    with HubClient(hub_url, transport=transport, verify=verify) as client:
        answer = client.enroll(code, _device_name(), ws.device_id, public_key)
    where = token_store.save_token(
        answer["token"],
        hub_url=hub_url,
        device_id=answer["device_id"],
        token_file=ws.paths.token_file if token_file else None,
    )
    city = answer["city"]
    with ws.write() as conn:
        for key, value in (
            (HUB_URL, hub_url),
            (CITY_ID, city["id"]),
            (CITY_NAME, city["name"]),
            (CITY_COUNTRY, city["country"]),
            (HUB_DEVICE, answer["device_id"]),
            (TOKEN_STORE, where),
            (ENROLLED_AT, iso_utc()),
        ):
            catalog.set_setting(conn, key, value)
    if previous is not None and previous.device_id != answer["device_id"]:
        if not (previous.token_store == where == token_store.FILE):  # a file was overwritten
            token_store.delete_token(
                previous.token_store,
                hub_url=previous.hub_url,
                device_id=previous.device_id,
                token_file=ws.paths.token_file,
            )
    return Enrollment(
        hub_url, city["id"], city["name"], city["country"], answer["device_id"], where
    )


# ---------------------------------------------------------------------------------------------
# Signing keys: this laptop's own, and the city's devices' public keys


def _private_signing_key(ws: Workspace) -> str:
    """This laptop's Ed25519 key, made on first need and kept in its database."""
    from app.storage import catalog
    from app.sync import signing

    with ws.read() as conn:
        key = catalog.get_setting(conn, SIGNING_KEY)
    if key:
        return str(key)
    with ws.write() as conn:
        key = catalog.get_setting(conn, SIGNING_KEY)
        if not key:
            key = signing.new_private_key()
            catalog.set_setting(conn, SIGNING_KEY, key)
    return str(key)


def public_signing_key(ws: Workspace) -> str:
    from app.sync import signing

    return signing.public_key_of(_private_signing_key(ws))


def known_device_keys(ws: Workspace) -> dict[str, dict[str, str]]:
    """device id -> {"key", "source" (hub | first use), "since"} of the keys this laptop trusts."""
    import json

    from app.storage import catalog

    with ws.read() as conn:
        text = catalog.get_setting(conn, DEVICE_KEYS)
    try:
        found = json.loads(text) if text else {}
    except ValueError:
        found = {}
    return found if isinstance(found, dict) else {}


def _remember_device_keys(ws: Workspace, keys: dict[str, str], source: str) -> None:
    """Trust these public keys. Keys from the hub replace what first use had guessed."""
    import json

    from app.storage import catalog

    if not keys:
        return
    with ws.write() as conn:
        text = catalog.get_setting(conn, DEVICE_KEYS)
        try:
            known = json.loads(text) if text else {}
        except ValueError:
            known = {}
        changed = False
        for device_id, key in keys.items():
            entry = known.get(device_id)
            if entry and (entry.get("key") == key or source != "hub"):
                continue
            known[device_id] = {"key": key, "source": source, "since": ws.now()}
            changed = True
        if changed:
            catalog.set_setting(conn, DEVICE_KEYS, json.dumps(known, sort_keys=True))


def _device_name() -> str:
    return (platform.node() or "laptop")[:100]


def _require_enrollment(ws: Workspace) -> Enrollment:
    enrollment = current_enrollment(ws)
    if enrollment is None:
        raise UserError(
            "this data folder is not enrolled with a hub; run `readiness sync enroll URL CODE` "
            "with the code from the hub's administrator"
        )
    return enrollment


def _token(ws: Workspace, enrollment: Enrollment) -> str:
    from app.sync import token_store
    from app.sync.errors import EnrollmentNeeded

    token = token_store.load_token(
        enrollment.token_store,
        hub_url=enrollment.hub_url,
        device_id=enrollment.device_id,
        token_file=ws.paths.token_file,
    )
    if not token:
        raise EnrollmentNeeded(
            "the hub token of this data folder is missing (keyring entry or token file removed); "
            "unsent changes are kept: enroll again with `readiness sync enroll URL CODE`"
        )
    return token


# ---------------------------------------------------------------------------------------------
# Sync


def sync_now(
    ws: Workspace,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    *,
    transport: Any = None,
    verify: Any = True,
    policy: RetryPolicy = DEFAULT_POLICY,
    sleep: Callable[[float], None] = time.sleep,
    page_limit: int = PAGE_LIMIT,
) -> SyncResult:
    """Push every waiting change, then pull the city's feed. Retrying is always harmless."""
    from app.services.sync_replica import WorkspaceReplica
    from app.sync.client import HubClient
    from app.sync.engine import SyncLoop

    enrollment = _require_enrollment(ws)
    token = _token(ws, enrollment)
    replica = WorkspaceReplica(ws, enrollment.city_id)
    with HubClient(
        enrollment.hub_url, token, enrollment.city_id, transport=transport, verify=verify
    ) as client:
        loop = SyncLoop(
            replica,
            client,
            policy=policy,
            sleep=sleep,
            progress=progress,
            cancel=cancel,
            page_limit=page_limit,
            hub_name=f"the hub at {enrollment.hub_url}",
        )
        result = loop.run()
        if not result.cancelled:
            _install_forms(ws, client)
            _learn_device_keys(ws, client)
    result.quarantined += replica.set_aside
    result.refused += replica.set_aside
    return result


def _install_forms(ws: Workspace, client: Any) -> None:
    """Keep the hub's published questionnaire versions here too (never queued back)."""
    from app.forms import load_questionnaire_bytes
    from app.storage import catalog, sync_inbox
    from app.sync.errors import TransientError

    try:
        listed = client.forms()
    except (TransientError, UserError) as exc:  # the sync itself went through; forms can wait
        log.warning("published questionnaires not fetched: %s", exc)
        return
    wanted = [f for f in listed if isinstance(f.get("sha256"), str)]
    with ws.read() as conn:
        have = sync_inbox.existing(conn, "questionnaire", [f["sha256"] for f in wanted])
    for form in wanted:
        if form["sha256"] in have:
            continue
        try:
            body = client.form_body(form["sha256"])
            questionnaire = load_questionnaire_bytes(body, f"hub form {form['sha256'][:12]}")
        except (TransientError, UserError):
            continue
        with ws.write() as conn:
            catalog.put_questionnaire(
                conn, form["sha256"], questionnaire.id, questionnaire.version, body, ws.now()
            )


def _learn_device_keys(ws: Workspace, client: Any) -> None:
    """The public keys of the city's devices, to check the bundles they sign."""
    from app.sync.errors import TransientError

    try:
        devices = client.device_keys()
    except (TransientError, UserError) as exc:  # the sync itself went through; keys can wait
        log.warning("device keys not fetched: %s", exc)
        return
    _remember_device_keys(ws, devices, "hub")


def sync_status(ws: Workspace) -> SyncStatus:
    from app.services.sync_replica import count_conflicts
    from app.storage import outbox, sync_inbox, sync_repo

    enrollment = current_enrollment(ws)
    with ws.read() as conn:
        counts = outbox.count_by_state(conn)
        quarantined = [
            {
                "op_id": r.op_id,
                "kind": r.record_kind,
                "record_id": r.record_id,
                "reason": r.last_error or "",
            }
            for r in sync_repo.quarantined_ops(conn)
        ]
        rejected = sync_inbox.rejected_records(conn)
        state = sync_repo.sync_state(conn, enrollment.city_id) if enrollment else {}
        conflicts = count_conflicts(conn)
    return SyncStatus(
        enrollment=enrollment,
        pending=counts.get("pending", 0),
        acked=counts.get("acked", 0),
        quarantined=quarantined,
        rejected=rejected,
        conflicts=conflicts,
        pull_cursor=int(state.get("pull_cursor") or 0),
        last_push_ok_at=state.get("last_push_ok_at"),
        last_pull_ok_at=state.get("last_pull_ok_at"),
    )


# ---------------------------------------------------------------------------------------------
# Bundles


def export_bundle(
    ws: Workspace, assessment_id: str, path: str | Path, *, as_demo: bool = False
) -> BundleExport:
    """Write one assessment (records, questionnaire files, attachments) as a bundle file.

    The demo leaves this laptop only when asked for as a demo (`as_demo`); its records then say
    so, and stay a demo wherever they are imported (a hub refuses them)."""
    from app.common.fileio import atomic_write
    from app.services.assessments import require_assessment
    from app.services.sync_replica import WorkspaceReplica
    from app.storage import demo_marks, sync_repo
    from app.sync import bundle, wire

    target = Path(path)
    enrollment = current_enrollment(ws)
    with ws.read() as conn:
        record = require_assessment(conn, assessment_id)
        if demo_marks.is_demo(conn, record.id) and not as_demo:
            raise UserError(
                f"{record.city} is the demo's fictional city: the demo stays on this laptop. "
                f"To give it to someone as a demo: readiness bundle export {record.id[:8]} "
                "--demo -o FILE"
            )
        if as_demo and not demo_marks.is_demo(conn, record.id):
            raise UserError(f"assessment {record.id[:8]} is not a demo; export it without --demo")
        refs = sync_repo.assessment_refs(conn, record.id)
        bodies = sync_repo.record_bodies(conn, refs)
    records = []
    for kind, record_id in refs:
        try:
            records.append(
                wire.check_record(
                    {"kind": kind, "id": record_id, "body": bodies[(kind, record_id)]}
                )
            )
        except (KeyError, wire.WireError) as exc:
            raise UserError(f"cannot export {kind} {record_id}: {exc}") from None
    replica = WorkspaceReplica(ws, enrollment.city_id if enrollment else "")
    blobs = {
        (r.kind, r.id): replica.blob(r.kind, r.id) for r in records if r.kind in wire.BLOB_KINDS
    }
    data = bundle.write_bundle(
        bundle.Bundle(
            assessment_id=record.id,
            device_id=ws.device_id,
            created_at=iso_utc(),
            city=bundle.CityRef(
                record.city,
                record.country,
                record.city_key,
                enrollment.city_id if enrollment else None,
            ),
            records=tuple(records),
            blobs=blobs,
        ),
        _private_signing_key(ws),
    )
    with atomic_write(target) as handle:
        handle.write(data)
    return BundleExport(target, len(records), len(data))


def import_bundle(ws: Workspace, path: str | Path) -> ImportResult:
    """Import a bundle: all checks first, then one transaction. Importing twice changes nothing."""
    from app.common.clock import new_id
    from app.services.sync_replica import apply_records, count_conflicts, store_attachment
    from app.storage import assessments_repo, sync_inbox
    from app.sync import bundle, signing

    try:
        received = bundle.read_bundle_file(path)
    except bundle.BundleError as exc:
        raise ValidationError(f"bundle rejected, nothing was imported: {exc}") from None
    enrollment = current_enrollment(ws)
    hub_city = received.city.hub_city_id
    if enrollment is not None and hub_city is not None and hub_city != enrollment.city_id:
        raise ValidationError(
            f"{path}: bundle rejected, nothing was imported: it holds data of another hub city "
            f"than the one this laptop is enrolled in ({enrollment.city_name})"
        )
    with ws.read() as conn:
        local = assessments_repo.get_assessment(conn, received.assessment_id)
    if local is not None and local.city_key != received.city.city_key:
        raise ValidationError(
            f"{path}: bundle rejected, nothing was imported: assessment "
            f"{received.assessment_id[:8]} belongs to {local.city} here, not {received.city.name}"
        )
    first_use = _check_bundle_signer(ws, received, path)
    _check_bundle_answers(ws, received, path)
    _check_bundle_origin(ws, received, path)
    written: list[Path] = []  # attachment files new here: removed again if the import fails
    try:
        with ws.write() as conn:
            for (kind, sha256), data in received.blobs.items():
                target = ws.paths.attachments / sha256
                if kind == "attachment" and not target.is_file():
                    store_attachment(ws, sha256, data)
                    written.append(target)
            applied = apply_records(ws, conn, received.records, received.blobs, source="bundle")
            if applied.rejected:
                kind, record_id, reason = applied.rejected[0]
                raise ValidationError(
                    f"{path}: bundle rejected, nothing was imported: {kind} {record_id}: {reason}"
                )
            sync_inbox.queue_records(conn, applied.new, new_id, ws.now())
            _keep_demo_here(conn, received.records)
            conflicts = count_conflicts(conn, received.assessment_id)
    except BaseException:
        for target in written:
            target.unlink(missing_ok=True)
        raise
    signer = received.signer
    assert signer is not None  # an unsigned bundle was refused above
    if first_use:
        _remember_device_keys(ws, {signer.device_id: signer.public_key}, "first use")
        log.info("first bundle from device %s: its key is trusted from now on", signer.device_id)
    return ImportResult(
        assessment_id=received.assessment_id,
        added=applied.total,
        revisions=applied.added.get("revision", 0),
        conflicts=conflicts,
        already_present=applied.total == 0,
        signed_by=signer.device_id,
        first_use=first_use,
        key_fingerprint=signing.key_fingerprint(signer.public_key),
    )


def _keep_demo_here(conn: Any, records: Any) -> None:
    """A demo received in a bundle is a demo here too: it is never sent on."""
    from app.storage import demo_marks

    for record in records:
        if record.body.get(demo_marks.DEMO_FIELD) is True:
            if record.kind == "assessment":
                demo_marks.mark_assessment(conn, record.id)
            elif record.kind == "contributor":
                demo_marks.mark_person(conn, record.id)


def _check_bundle_signer(ws: Workspace, received: Any, path: str | Path) -> bool:
    """The bundle must be signed by a key this laptop trusts for its device, or by a device
    never seen (first use: True). Records new here may not claim to come from this laptop."""
    from app.storage import sync_inbox

    def fail(message: str) -> ValidationError:
        return ValidationError(f"{path}: bundle rejected, nothing was imported: {message}")

    signer = received.signer
    if signer is None:
        raise fail("it is not signed (made by an older version?); ask for a new export")
    if signer.device_id == ws.device_id:
        if signer.public_key != public_signing_key(ws):
            raise fail("it claims to come from this laptop, but this laptop did not sign it")
        return False
    known = known_device_keys(ws).get(signer.device_id)
    if known is not None and known.get("key") != signer.public_key:
        raise fail(
            f"it is signed by device {signer.device_id[:8]} with another key than the one "
            f"known here (from {known.get('source', 'an earlier import')}): it may be forged"
        )
    mine = [r for r in received.records if r.body.get("device_id") == ws.device_id]
    if mine:
        with ws.read() as conn:
            for kind in sorted({r.kind for r in mine}):
                ids = [r.id for r in mine if r.kind == kind]
                new = set(ids) - sync_inbox.existing(conn, kind, ids)
                if new:
                    raise fail(
                        f"{kind} {sorted(new)[0][:8]} claims to come from this laptop, which "
                        "never wrote it"
                    )
    return known is None


# Records that keep their content for good once written; a bundle holding one of them with other
# content under the same id is a conflict of content (the hub refuses the same).
_IMMUTABLE = ("contributor", "assessment_event", "revision")


def _check_bundle_origin(ws: Workspace, received: Any, path: str | Path) -> None:
    """Refuse clocks too far ahead of this computer's, and records whose id is already here
    with other content, before anything is written."""
    from app.common.clock import physical_ms, skew_reason, too_far_ahead
    from app.storage import sync_inbox, sync_repo
    from app.sync import wire

    def fail(message: str) -> ValidationError:
        return ValidationError(f"{path}: bundle rejected, nothing was imported: {message}")

    now = physical_ms()
    for record in received.records:
        hlc = record.body.get("hlc")
        if hlc is not None and too_far_ahead(hlc, now):
            reason = skew_reason(hlc, now, "this computer's")
            raise fail(f"{record.kind} {record.id[:8]}: {reason}")
    with ws.read() as conn:
        for kind in _IMMUTABLE:
            incoming = {r.id: r for r in received.records if r.kind == kind}
            present = sync_inbox.existing(conn, kind, list(incoming))
            if not present:
                continue
            local = sync_repo.record_bodies(conn, [(kind, i) for i in sorted(present)])
            for record_id in sorted(present):
                body = local.get((kind, record_id))
                if body is not None and wire.fingerprint(body) != incoming[record_id].fingerprint:
                    raise fail(
                        f"{kind} {record_id[:8]}: a different record with this id is already "
                        "here (a conflict of content: one of the two copies was altered)"
                    )


def _check_bundle_answers(ws: Workspace, received: Any, path: str | Path) -> None:
    """Every questionnaire file must load and every answer must be valid in one of them."""
    from app.forms import load_questionnaire_bytes
    from app.logic.values import check_answer
    from app.services.workspace import remember_questionnaire
    from app.storage import catalog

    def fail(message: str) -> ValidationError:
        return ValidationError(f"{path}: bundle rejected, nothing was imported: {message}")

    questionnaires = {}
    for record in received.records:
        if record.kind != "questionnaire":
            continue
        body = received.blobs[("questionnaire", record.id)]
        try:
            parsed = load_questionnaire_bytes(body, f"questionnaire {record.id[:12]}")
        except UserError as exc:
            raise fail(
                f"questionnaire {record.id[:12]} does not load: {str(exc).splitlines()[0]}"
            ) from None
        if (parsed.id, parsed.version) != (record.body["form_id"], record.body["version"]):
            raise fail(
                f"questionnaire {record.id[:12]} is not {record.body['form_id']} {record.body['version']}"
            )
        remember_questionnaire(body, parsed)
        questionnaires[record.id] = parsed
    with ws.read() as conn:
        for record in received.records:
            if record.kind == "assessment" and record.body["questionnaire"] not in questionnaires:
                sha = record.body["questionnaire"]
                if catalog.questionnaire_body(conn, sha) is None:
                    raise fail(f"the questionnaire {sha[:12]} of the assessment is missing")
                questionnaires[sha] = ws.questionnaire(conn, sha)
    from app.domain import Answer, AnswerState

    for record in received.records:
        if record.kind != "revision":
            continue
        body = record.body
        value = body["value"]
        answer = Answer(
            value=tuple(value) if isinstance(value, list) else value,
            state=AnswerState(body["state"]),
            note=body["note"],
            evidence=body["evidence"],
        )
        problems = []
        for questionnaire in questionnaires.values():
            if not questionnaire.has_indicator(body["indicator_id"]):
                continue
            try:
                check_answer(questionnaire.indicator(body["indicator_id"]), answer)
                break
            except UserError as exc:
                problems.append(str(exc))
        else:
            reason = problems[0] if problems else f"unknown indicator {body['indicator_id']}"
            raise fail(f"revision {record.id[:8]} ({body['indicator_id']}): {reason}")
