"""The JSON wire format of sync: the records that travel, and strict checks of incoming ones.

Every city-scoped record travels as an envelope `{"kind", "id", "body"}`. Records are immutable
and identified by a UUID (or, for questionnaire files and attachments, the SHA-256 of their bytes,
whose content travels separately as a blob). The same envelopes fill push batches, pull pages and
bundle files.

Incoming data is checked field by field before anything is written: unknown or missing fields,
wrong types, over-long texts, malformed ids, clocks and timestamps are refused with a reason that
names the field. Nothing here touches a database or the network.
"""

from __future__ import annotations

import calendar
import functools
import hashlib
import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from app.common.clock import parse_hlc
from app.common.i18n import LANGUAGES
from app.domain import AnswerState, AssessmentStatus
from app.sync.merge import MAX_PARENTS  # one bound for laptops and hub

# Limits of one request and one record (the hub also caps the raw body at MAX_BODY bytes).
MAX_BODY = 1024 * 1024
MAX_BLOB = 64 * 1024 * 1024
MAX_OPS = 200
MAX_PAGE = 1000
MAX_NOTE = 100_000
MAX_TEXT_VALUE = 200_000
MAX_NAME = 200
MAX_RATIONALE = 10_000
MAX_CHOICES = 200
MAX_ATTACHMENTS = 100
MAX_PAYLOAD = 16 * 1024

KINDS = ("questionnaire", "contributor", "assessment", "assessment_event", "revision", "attachment")
BLOB_KINDS = ("questionnaire", "attachment")  # their content travels as a blob named by SHA-256
CITY_SUBJECT = "city"

ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")
SHA_RE = re.compile(r"^[0-9a-f]{64}$")
INDICATOR_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
TIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
EVENT_KIND_RE = re.compile(r"^[a-z_]{1,32}$")
FORM_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,127}$")


class WireError(ValueError):
    """Incoming data that breaks the wire format. `str(err)` names the field."""


@dataclass(frozen=True)
class Record:
    """One record: its kind, id and body (a dict of JSON values, already checked)."""

    kind: str
    id: str
    body: Mapping[str, Any]

    def envelope(self) -> dict[str, Any]:
        return {"kind": self.kind, "id": self.id, "body": dict(self.body)}

    @functools.cached_property
    def canonical(self) -> str:
        """The body as canonical JSON text (what the hub stores and fingerprints)."""
        return canonical_json(self.body)

    @functools.cached_property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.canonical.encode("utf-8")).hexdigest()


def canonical_json(document: Any) -> str:
    """The one text of a JSON value: sorted keys, no spaces, UTF-8 kept as is."""
    return json.dumps(
        document, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def fingerprint(document: Any) -> str:
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


def loads(data: bytes | str, what: str = "request") -> Any:
    """Parse JSON text; refuse invalid, non-UTF-8 or absurdly nested input with WireError."""
    try:
        text = data.decode("utf-8") if isinstance(data, bytes) else data
        return json.loads(text, parse_constant=_no_constant)
    except UnicodeDecodeError:
        raise WireError(f"{what}: not UTF-8 text") from None
    except RecursionError:
        raise WireError(f"{what}: JSON nested too deeply") from None
    except ValueError as exc:
        raise WireError(f"{what}: invalid JSON ({exc})") from None


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not allowed")


# ---------------------------------------------------------------------------------------------
# Field checks


def _id(value: Any, field: str) -> str:
    if not isinstance(value, str) or not ID_RE.match(value):
        raise WireError(f"{field}: expected an id (letters, digits, '.:_-', at most 64)")
    return value


def _opt_id(value: Any, field: str) -> str | None:
    return None if value is None else _id(value, field)


def _sha(value: Any, field: str) -> str:
    if not isinstance(value, str) or not SHA_RE.match(value):
        raise WireError(f"{field}: expected a SHA-256 in lower-case hex")
    return value


def _text(value: Any, field: str, limit: int, *, empty: bool = True) -> str:
    if isinstance(value, str) and len(value) <= limit and "\x00" not in value:
        if (empty or value.strip()) and (value.isascii() or _encodable(value)):
            return value
    if not isinstance(value, str):
        raise WireError(f"{field}: expected text")
    if len(value) > limit:
        raise WireError(f"{field}: longer than {limit:,} characters")
    if not empty and not value.strip():
        raise WireError(f"{field}: must not be empty")
    if "\x00" in value:
        raise WireError(f"{field}: contains a NUL character")
    if not _encodable(value):
        raise WireError(
            f"{field}: contains a character that is not valid Unicode (a lone surrogate)"
        )
    return value


def _encodable(value: str) -> bool:
    """False for text with a lone surrogate (JSON's "\\ud800"), which no UTF-8 store can keep."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _opt_text(value: Any, field: str, limit: int) -> str | None:
    return None if value is None else _text(value, field, limit)


def _time(value: Any, field: str) -> str:
    if not isinstance(value, str) or not TIME_RE.match(value) or not _real_time(value):
        raise WireError(f"{field}: expected a UTC time YYYY-MM-DDTHH:MM:SSZ")
    return value


_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _real_time(value: str) -> bool:
    """Whether a YYYY-MM-DDTHH:MM:SSZ text (digits checked by TIME_RE) names a moment that
    exists: no 13th month, no February 30th, no 25th hour. Two-digit fields compare as text,
    and dates are few, so this stays cheap at 20,000 records."""
    return (
        value[11:13] < "24"
        and value[14:16] < "60"
        and value[17:19] < "60"
        and _real_date(value[:10])
    )


@functools.lru_cache(maxsize=4096)
def _real_date(date: str) -> bool:
    year, month, day = int(date[0:4]), int(date[5:7]), int(date[8:10])
    if not (1970 <= year and 1 <= month <= 12 and 1 <= day <= _DAYS[month - 1]):
        return False
    return not (month == 2 and day == 29 and not calendar.isleap(year))


def _hlc(value: Any, field: str) -> str:
    if not isinstance(value, str) or len(value) > 100:
        raise WireError(f"{field}: expected a hybrid logical clock value")
    try:
        _wall, _counter, device = parse_hlc(value)
    except ValueError:
        raise WireError(f"{field}: expected a hybrid logical clock value") from None
    _id(device, f"{field} (device part)")
    return value


def _int(value: Any, field: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise WireError(f"{field}: expected a whole number from {low} to {high}")
    return value


def _bool(value: Any, field: str) -> bool:
    if not isinstance(value, bool):
        raise WireError(f"{field}: expected true or false")
    return value


def _list(value: Any, field: str, limit: int, item: Callable[[Any, str], Any]) -> list[Any]:
    if not isinstance(value, list):
        raise WireError(f"{field}: expected a list")
    if len(value) > limit:
        raise WireError(f"{field}: more than {limit} items")
    return [item(v, f"{field}[{i}]") for i, v in enumerate(value)]


def _value(value: Any, field: str) -> Any:
    """An answer value in the one JSON encoding: code, list of codes, number or text."""
    if value is None or isinstance(value, str):
        return None if value is None else _text(value, field, MAX_TEXT_VALUE)
    if isinstance(value, bool):
        raise WireError(f"{field}: true/false is not an answer value")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise WireError(f"{field}: not a finite number")
        if isinstance(value, int) and abs(value) > 10**18:
            raise WireError(f"{field}: number out of range")
        return value
    if isinstance(value, list):
        return _list(value, field, MAX_CHOICES, lambda v, f: _text(v, f, MAX_NAME, empty=False))
    raise WireError(f"{field}: expected a code, a list of codes, a number or text")


def _payload(value: Any, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise WireError(f"{field}: expected an object")
    text = canonical_json(value)
    if len(text) > MAX_PAYLOAD:
        raise WireError(f"{field}: larger than {MAX_PAYLOAD:,} characters")
    if not _encodable(text):
        raise WireError(
            f"{field}: contains a character that is not valid Unicode (a lone surrogate)"
        )
    return value


def _fields(body: Any, where: str, spec: Mapping[str, Callable[[Any, str], Any]]) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise WireError(f"{where}: expected an object")
    if body.keys() != spec.keys():
        unknown = sorted(set(body) - set(spec))
        if unknown:
            raise WireError(f"{where}: unknown field {unknown[0]!r}")
        missing = [name for name in spec if name not in body]
        raise WireError(f"{where}: missing field {missing[0]!r}")
    checked = {}
    for name, check in spec.items():
        try:
            checked[name] = check(body[name], name)
        except WireError as exc:  # the full path only when there is something to report
            raise WireError(f"{where}.{exc}") from None
    return checked


def _bounded(limit: int, *, empty: bool = True) -> Callable[[Any, str], str]:
    return functools.partial(_text, limit=limit, empty=empty)


def _opt_bounded(limit: int) -> Callable[[Any, str], str | None]:
    return functools.partial(_opt_text, limit=limit)


def _ids(limit: int, item: Callable[[Any, str], str]) -> Callable[[Any, str], list[str]]:
    """A list of ids (or hashes), checked in one pass; the message names the bad item."""
    pattern = SHA_RE if item is _sha else ID_RE

    def check(value: Any, field: str) -> list[str]:
        if not isinstance(value, list):
            raise WireError(f"{field}: expected a list")
        if len(value) > limit:
            raise WireError(f"{field}: more than {limit} items")
        for index, entry in enumerate(value):
            if not isinstance(entry, str) or not pattern.match(entry):
                item(entry, f"{field}[{index}]")
        return value

    return check


def _choice(options: tuple[str, ...]) -> Callable[[Any, str], str]:
    def check(value: Any, field: str) -> str:
        if value not in options:
            raise WireError(f"{field}: expected one of {', '.join(options)}")
        return str(value)

    return check


def _form_id(value: Any, field: str) -> str:
    if not isinstance(value, str) or not FORM_ID_RE.match(value):
        raise WireError(f"{field}: expected a questionnaire id")
    return value


def _indicator(value: Any, field: str) -> str:
    if not isinstance(value, str) or not INDICATOR_RE.match(value):
        raise WireError(f"{field}: expected an indicator id")
    return value


def _subject(value: Any, field: str) -> str:
    return CITY_SUBJECT if value == CITY_SUBJECT else _id(value, field)


def _event_kind(value: Any, field: str) -> str:
    if not isinstance(value, str) or not EVENT_KIND_RE.match(value):
        raise WireError(f"{field}: expected an event kind")
    return value


SPECS: dict[str, dict[str, Callable[[Any, str], Any]]] = {
    "questionnaire": {
        "sha256": _sha,
        "form_id": _form_id,
        "version": _bounded(64, empty=False),
        "size": lambda v, f: _int(v, f, 1, MAX_BLOB),
    },
    "contributor": {
        "id": _id,
        "name": _bounded(MAX_NAME, empty=False),
        "role": _bounded(MAX_NAME),
        "institution": _bounded(MAX_NAME),
        "device_id": _id,
        "created_at": _time,
    },
    "assessment": {
        "id": _id,
        "city": _bounded(MAX_NAME, empty=False),
        "country": _bounded(MAX_NAME, empty=False),
        "period": _bounded(MAX_NAME, empty=False),
        "language": _choice(LANGUAGES),
        "questionnaire": _sha,
        "created_at": _time,
        "created_by": _opt_id,
        "previous_assessment_id": _opt_id,
        "city_key": _bounded(2 * MAX_NAME + 1, empty=False),
        "device_id": _id,
    },
    "assessment_event": {
        "id": _id,
        "assessment_id": _id,
        "kind": _event_kind,
        "payload": _payload,
        "author_id": _opt_id,
        "device_id": _id,
        "hlc": _hlc,
        "created_at": _time,
    },
    "revision": {
        "id": _id,
        "assessment_id": _id,
        "indicator_id": _indicator,
        "subject": _subject,
        "value": _value,
        "state": _choice(tuple(s.value for s in AnswerState)),
        "note": _bounded(MAX_NOTE),
        "evidence": _opt_bounded(32),
        "attachments": _ids(MAX_ATTACHMENTS, _sha),
        "parents": _ids(MAX_PARENTS, _id),
        "author_id": _opt_id,
        "device_id": _id,
        "hlc": _hlc,
        "created_at": _time,
        "rationale": _bounded(MAX_RATIONALE),
        "to_confirm": _bool,
    },
    "attachment": {
        "sha256": _sha,
        "filename": _bounded(255, empty=False),
        "size": lambda v, f: _int(v, f, 0, MAX_BLOB),
        "media_type": _bounded(255, empty=False),
        "created_at": _time,
    },
}


def _true(value: Any, field: str) -> bool:
    if value is not True:
        raise WireError(f"{field}: expected true (leave the field out otherwise)")
    return True


# Fields a body may leave out. Absent unless set, so every other record keeps its canonical form
# (and fingerprint). `demo`: the record belongs to a demo (a fictional city); hubs refuse it.
OPTIONAL: dict[str, dict[str, Callable[[Any, str], Any]]] = {
    "assessment": {"demo": _true},
    "contributor": {"demo": _true},
}


def record_id_of(kind: str, body: Mapping[str, Any]) -> str:
    """The id field of a record body (the SHA-256 for content-addressed kinds)."""
    return str(body["sha256"] if kind in BLOB_KINDS else body["id"])


def check_body(kind: str, body: Any, where: str = "record") -> dict[str, Any]:
    """A record body checked against its kind's fields and rules."""
    spec = SPECS.get(kind)
    if spec is None:
        raise WireError(f"{where}.kind: unknown record kind {str(kind)[:40]!r}")
    optional = OPTIONAL.get(kind, {})
    given = {k: body[k] for k in optional if k in body} if isinstance(body, dict) else {}
    if given:
        body = {k: v for k, v in body.items() if k not in given}
    checked = _fields(body, f"{where}.body", spec)
    for name, value in given.items():
        try:
            checked[name] = optional[name](value, name)
        except WireError as exc:
            raise WireError(f"{where}.body.{exc}") from None
    if kind == "revision":
        if checked["state"] != AnswerState.ANSWERED.value and checked["value"] is not None:
            raise WireError(f"{where}.body.value: only an answered state carries a value")
        if checked["state"] == AnswerState.ANSWERED.value and checked["value"] is None:
            raise WireError(f"{where}.body.value: an answered state needs a value")
        if checked["id"] in checked["parents"]:
            raise WireError(f"{where}.body.parents: a revision cannot be its own parent")
    elif kind == "assessment_event":
        _check_event_payload(checked["kind"], checked["payload"], f"{where}.body.payload")
    # The HLC is `<13 digits>-<5 digits>-<device>`: its device part starts at character 20.
    if "hlc" in checked and checked["hlc"][20:] != checked["device_id"]:
        raise WireError(f"{where}.body.hlc: its device part is not the record's device_id")
    return checked


def _check_event_payload(kind: str, payload: Mapping[str, Any], where: str) -> None:
    if kind == "status":
        if payload.get("to") not in AssessmentStatus.ALL:
            raise WireError(f"{where}.to: expected one of {', '.join(AssessmentStatus.ALL)}")
    elif kind == "header":
        change = payload.get("questionnaire")
        if change is not None:
            if not isinstance(change, dict):
                raise WireError(f"{where}.questionnaire: expected an object")
            _sha(change.get("to"), f"{where}.questionnaire.to")


def check_record(envelope: Any, where: str = "record") -> Record:
    """An envelope `{"kind", "id", "body"}` checked; the id must match the body's id."""
    if not isinstance(envelope, dict):
        raise WireError(f"{where}: expected an object")
    unknown = sorted(set(envelope) - {"kind", "id", "body"})
    if unknown:
        raise WireError(f"{where}: unknown field {unknown[0]!r}")
    kind = envelope.get("kind")
    if not isinstance(kind, str):
        raise WireError(f"{where}.kind: expected a record kind")
    body = check_body(kind, envelope.get("body"), where)
    record_id = record_id_of(kind, body)
    if envelope.get("id") != record_id:
        raise WireError(f"{where}.id: does not match the id in the body")
    return Record(kind, record_id, body)


# ---------------------------------------------------------------------------------------------
# Push batches and pull pages


@dataclass(frozen=True)
class PushOp:
    op_id: str
    city_id: str
    record: Record | None  # None when the record failed its checks (see `problem`)
    raw: Any = None
    problem: str | None = None


@dataclass(frozen=True)
class PushRequest:
    batch_id: str
    city_id: str
    ops: tuple[PushOp, ...]


def check_push(document: Any) -> PushRequest:
    """A push body. The batch's shape must be right as a whole (else WireError, nothing kept);
    a single op whose record is malformed is kept with its `problem`, to be quarantined."""
    if not isinstance(document, dict):
        raise WireError("push: expected an object")
    unknown = sorted(set(document) - {"batch_id", "city_id", "ops"})
    if unknown:
        raise WireError(f"push: unknown field {unknown[0]!r}")
    batch_id = _id(document.get("batch_id"), "push.batch_id")
    city_id = _id(document.get("city_id"), "push.city_id")
    ops = document.get("ops")
    if not isinstance(ops, list) or not ops:
        raise WireError("push.ops: expected a non-empty list")
    if len(ops) > MAX_OPS:
        raise WireError(f"push.ops: more than {MAX_OPS} operations in one batch")
    checked: list[PushOp] = []
    seen: set[str] = set()
    for index, op in enumerate(ops):
        where = f"push.ops[{index}]"
        if not isinstance(op, dict) or set(op) != {"op_id", "city_id", "record"}:
            raise WireError(f"{where}: expected an object with op_id, city_id and record")
        op_id = _id(op["op_id"], f"{where}.op_id")
        if op_id in seen:
            raise WireError(f"{where}.op_id: appears twice in the batch")
        seen.add(op_id)
        op_city = _id(op["city_id"], f"{where}.city_id")
        try:
            record: Record | None = check_record(op["record"], f"{where}.record")
            problem = None
        except WireError as exc:
            record, problem = None, str(exc)
        checked.append(PushOp(op_id, op_city, record, op["record"], problem))
    return PushRequest(batch_id, city_id, tuple(checked))


@dataclass(frozen=True)
class OpResult:
    op_id: str
    status: str  # applied | duplicate | quarantined
    change_seq: int | None = None
    reason: str | None = None
    flags: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"op_id": self.op_id, "status": self.status}
        if self.change_seq is not None:
            out["change_seq"] = self.change_seq
        if self.reason:
            out["reason"] = self.reason
        if self.flags:
            out["flags"] = list(self.flags)
        return out


OP_STATUSES = ("applied", "duplicate", "quarantined")


def check_push_response(document: Any, op_ids: list[str]) -> list[OpResult]:
    """The hub's answer to a push: one result per op sent, in any order."""
    if not isinstance(document, dict) or not isinstance(document.get("results"), list):
        raise WireError("push response: expected {results: [...]}")
    results: dict[str, OpResult] = {}
    for index, item in enumerate(document["results"]):
        where = f"push response.results[{index}]"
        if not isinstance(item, dict):
            raise WireError(f"{where}: expected an object")
        op_id = _id(item.get("op_id"), f"{where}.op_id")
        status = _choice(OP_STATUSES)(item.get("status"), f"{where}.status")
        seq = item.get("change_seq")
        if seq is not None:
            _int(seq, f"{where}.change_seq", 0, 2**62)
        reason = _opt_text(item.get("reason"), f"{where}.reason", 2000)
        flags = _list(item.get("flags", []), f"{where}.flags", 10, _bounded(40))
        results[op_id] = OpResult(op_id, status, seq, reason, tuple(flags))
    missing = [o for o in op_ids if o not in results]
    if missing:
        raise WireError(f"push response: no result for op {missing[0]}")
    return [results[o] for o in op_ids]


@dataclass(frozen=True)
class PageEntry:
    seq: int
    record: Record | None
    raw: Any = None
    problem: str | None = None
    flags: tuple[str, ...] = ()
    sent_by: str | None = None  # the device that really sent it (None: the coordinator)


@dataclass(frozen=True)
class Page:
    entries: tuple[PageEntry, ...]
    next_since: int
    has_more: bool

    @property
    def records(self) -> list[Record]:
        return [e.record for e in self.entries if e.record is not None]


def check_page(document: Any, since: int) -> Page:
    """A pull page. Its frame must be right (else WireError); a malformed record is kept with its
    problem so the replica can set it aside with the reason instead of losing it."""
    if not isinstance(document, dict):
        raise WireError("changes: expected an object")
    records = document.get("records")
    if not isinstance(records, list) or len(records) > MAX_PAGE:
        raise WireError(f"changes.records: expected a list of at most {MAX_PAGE}")
    next_since = _int(document.get("next_since"), "changes.next_since", 0, 2**62)
    has_more = _bool(document.get("has_more"), "changes.has_more")
    if next_since < since:
        raise WireError("changes.next_since: went backwards")
    entries = []
    last = since
    for index, item in enumerate(records):
        where = f"changes.records[{index}]"
        if not isinstance(item, dict):
            raise WireError(f"{where}: expected an object")
        seq = _int(item.get("seq"), f"{where}.seq", 1, 2**62)
        if seq <= last or seq > next_since:
            raise WireError(f"{where}.seq: out of order")
        last = seq
        flags = tuple(_list(item.get("flags", []), f"{where}.flags", 10, _bounded(40)))
        sent_by = _opt_id(item.get("sent_by"), f"{where}.sent_by")
        envelope = {k: item.get(k) for k in ("kind", "id", "body")}
        try:
            record = check_record(envelope, where)
            entries.append(PageEntry(seq, record, None, None, flags, sent_by))
        except WireError as exc:
            entries.append(PageEntry(seq, None, envelope, str(exc), flags, sent_by))
    return Page(tuple(entries), next_since, has_more)


def blob_sha_ok(data: bytes, sha256: str) -> bool:
    return hashlib.sha256(data).hexdigest() == sha256


# Public names of the field checks, for code that reads other JSON of the sync protocol.
check_id = _id
check_text = _text
check_sha = _sha
