"""Whether a well-formed record may join a city's feed, and why not.

The hub never refuses a valid revision because of concurrency; it refuses (quarantines, with a
reason) records it cannot make sense of in this city: references to records the city does not
have (another city's assessment, an unknown contributor), a questionnaire file that does not load,
an answer to a question no version of the assessment's questionnaire has, or a value of the
wrong type. Answers that are valid under the assessment's (older) questionnaire are stored, and
flagged `retired` when the newest published version of that questionnaire dropped the question.

Every reference is checked against this city only, so the reasons never reveal another city's
data.

Who and when (the threat model in docs/admin-guide.md): a record names the device that wrote it
and that device's clock. A device may send its own records, and relay records of a laptop that is
not enrolled in the city (they are flagged `relayed`, and the feed says who sent them); it may
never send records in the name of another enrolled device. An author (or an assessment's
creator) must be a contributor registered on the device that wrote the record. A clock more than
`MAX_SKEW_MS` ahead of the hub's own clock is refused, so no device can drag the city's clocks
into the future.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, bindparam, select

from app.common.clock import physical_ms, skew_reason, too_far_ahead
from app.common.errors import UserError
from app.domain import Answer, AnswerState, Questionnaire
from app.domain.version_order import VersionKey, version_key
from app.hub import tables as ht
from app.logic.values import check_answer
from app.sync.wire import CITY_SUBJECT, Record

_CACHE_SIZE = 16
_KNOWN_RECORDS = select(
    ht.record.c.record_id, ht.record.c.fingerprint, ht.record.c.change_seq
).where(
    ht.record.c.city_id == bindparam("city"),
    ht.record.c.kind == bindparam("kind"),
    ht.record.c.record_id.in_(bindparam("ids", expanding=True)),
)


class FormCache:
    """Parsed questionnaires by SHA-256 of their bytes (parsing the full form takes ~0.3 s)."""

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self._items: OrderedDict[str, Questionnaire | str] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def get(self, sha256: str, body: bytes) -> Questionnaire | str:
        """The questionnaire, or the reason it does not load."""
        with self._lock:
            if sha256 in self._items:
                self._items.move_to_end(sha256)
                return self._items[sha256]
        from app.forms import load_questionnaire_bytes

        try:
            parsed: Questionnaire | str = load_questionnaire_bytes(
                body, f"questionnaire {sha256[:12]}"
            )
        except UserError as exc:
            parsed = "the questionnaire file does not load: " + str(exc).splitlines()[0][:300]
        with self._lock:
            self._items[sha256] = parsed
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return parsed


class CityContext:
    """What one city already holds, plus the records accepted earlier in the same batch."""

    def __init__(
        self,
        conn: Connection,
        city_id: str,
        forms: FormCache,
        *,
        sender: str | None = None,
        now_ms: int | None = None,
    ) -> None:
        self.conn = conn
        self.city_id = city_id
        self.forms = forms
        self.sender = sender  # the pushing device's own id (None: the coordinator's import)
        self.now_ms = physical_ms() if now_ms is None else now_ms
        self._enrolled: set[str] | None = None
        self._known: dict[tuple[str, str], bool] = {}
        self._bodies: dict[tuple[str, str], dict[str, Any]] = {}
        self._blobs: dict[str, int | None] = {}
        self._assessment_forms: dict[str, set[str]] = {}
        self._published: dict[str, Questionnaire | None] | None = None
        # (kind, id) -> (fingerprint, change_seq) of records the city already has
        self.existing: dict[tuple[str, str], tuple[str, int]] = {}
        self._questionnaires: dict[str, Questionnaire | str] = {}

    # -- what the city has ---------------------------------------------------------------------

    def preload(self, records: Iterable[Record]) -> None:
        """Look up, in a few queries, every record the batch refers to."""
        wanted: set[tuple[str, str]] = set()
        for r in records:
            wanted.add((r.kind, r.id))
            for ref in _references(r):
                wanted.add(ref)
        by_kind: dict[str, list[str]] = {}
        for kind, record_id in wanted:
            if (kind, record_id) not in self._known:
                by_kind.setdefault(kind, []).append(record_id)
        for kind, ids in by_kind.items():
            for start in range(0, len(ids), 500):
                part = ids[start : start + 500]
                rows = self.conn.execute(
                    _KNOWN_RECORDS, {"city": self.city_id, "kind": kind, "ids": part}
                )
                for rid, fp, seq in rows:
                    self._known[(kind, rid)] = True
                    self.existing[(kind, rid)] = (fp, int(seq))
                for rid in part:
                    self._known.setdefault((kind, rid), False)

    def known(self, kind: str, record_id: str | None) -> bool:
        if record_id is None:
            return True
        key = (kind, record_id)
        if key not in self._known:
            row = self.conn.execute(
                select(ht.record.c.fingerprint, ht.record.c.change_seq).where(
                    ht.record.c.city_id == self.city_id,
                    ht.record.c.kind == kind,
                    ht.record.c.record_id == record_id,
                )
            ).first()
            self._known[key] = row is not None
            if row is not None:
                self.existing[key] = (row[0], int(row[1]))
        return self._known[key]

    def accept(self, record: Record) -> None:
        key = (record.kind, record.id)
        self._known[key] = True
        self._bodies[key] = dict(record.body)
        if record.kind == "assessment_event":
            target = _header_target(record.body)
            if target and record.body["assessment_id"] in self._assessment_forms:
                self._assessment_forms[record.body["assessment_id"]].add(target)

    def body(self, kind: str, record_id: str) -> dict[str, Any] | None:
        key = (kind, record_id)
        if key not in self._bodies:
            text = self.conn.execute(
                select(ht.record.c.body).where(
                    ht.record.c.city_id == self.city_id,
                    ht.record.c.kind == kind,
                    ht.record.c.record_id == record_id,
                )
            ).scalar()
            if text is None:
                return None
            self._bodies[key] = json.loads(text)
        return self._bodies[key]

    def blob_size(self, sha256: str) -> int | None:
        if sha256 not in self._blobs:
            size = self.conn.execute(
                select(ht.blob.c.size).where(
                    ht.blob.c.city_id == self.city_id, ht.blob.c.sha256 == sha256
                )
            ).scalar()
            self._blobs[sha256] = None if size is None else int(size)
        return self._blobs[sha256]

    def questionnaire(self, sha256: str) -> Questionnaire | str:
        if sha256 not in self._questionnaires:
            self._questionnaires[sha256] = self._load_questionnaire(sha256)
        return self._questionnaires[sha256]

    def _load_questionnaire(self, sha256: str) -> Questionnaire | str:
        body = self.conn.execute(
            select(ht.blob.c.content).where(
                ht.blob.c.city_id == self.city_id, ht.blob.c.sha256 == sha256
            )
        ).scalar()
        if body is None:
            return "the questionnaire file was not uploaded"
        return self.forms.get(sha256, bytes(body))

    def assessment_forms(self, assessment_id: str) -> set[str]:
        """The questionnaire versions an assessment has used: created with, then moved to."""
        if assessment_id not in self._assessment_forms:
            forms: set[str] = set()
            body = self.body("assessment", assessment_id)
            if body is not None:
                forms.add(body["questionnaire"])
            rows = self.conn.execute(
                select(ht.record.c.body).where(
                    ht.record.c.city_id == self.city_id,
                    ht.record.c.assessment_id == assessment_id,
                    ht.record.c.kind == "assessment_event",
                )
            )
            for (text,) in rows:
                target = _header_target(json.loads(text))
                if target:
                    forms.add(target)
            for (kind, _rid), accepted in self._bodies.items():
                if kind == "assessment_event" and accepted["assessment_id"] == assessment_id:
                    target = _header_target(accepted)
                    if target:
                        forms.add(target)
            self._assessment_forms[assessment_id] = forms
        return self._assessment_forms[assessment_id]

    def newest_published(self, form_id: str) -> Questionnaire | None:
        if self._published is None:
            self._published = {}
            rows = self.conn.execute(
                select(ht.form.c.sha256, ht.form.c.form_id, ht.form.c.version, ht.form.c.body)
            )
            newest: dict[str, tuple[VersionKey, str, bytes]] = {}
            for sha, fid, version, body in rows:
                key = version_key(version)
                if fid not in newest or key > newest[fid][0]:
                    newest[fid] = (key, sha, bytes(body))
            for fid, (_key, sha, body) in newest.items():
                parsed = self.forms.get(sha, body)
                self._published[fid] = parsed if isinstance(parsed, Questionnaire) else None
        return self._published.get(form_id)

    def enrolled(self) -> set[str]:
        """The ids of the laptops enrolled in this city (revoked ones included)."""
        if self._enrolled is None:
            d = ht.device.c
            self._enrolled = {
                row[0]
                for row in self.conn.execute(
                    select(d.local_device_id).where(d.city_id == self.city_id)
                )
                if row[0]
            }
        return self._enrolled

    # -- the rules -----------------------------------------------------------------------------

    def check(self, record: Record) -> tuple[str | None, tuple[str, ...]]:
        """(reason to quarantine or None, flags) for a record new to this city."""
        reason, flags = self._check_origin(record)
        if reason:
            return reason, ()
        reason, more = self._check_content(record)
        return reason, (flags + more) if not reason else ()

    def _check_origin(self, record: Record) -> tuple[str | None, tuple[str, ...]]:
        """Who wrote the record and when: identity bound to the token, clocks bounded."""
        body = record.body
        writer = (
            body.get("device_id") if record.kind not in ("questionnaire", "attachment") else None
        )
        if writer is None:
            return None, ()
        hlc = body.get("hlc")
        if hlc is not None and too_far_ahead(hlc, self.now_ms):
            return skew_reason(hlc, self.now_ms, "the hub's"), ()
        author = body.get("created_by") if record.kind == "assessment" else body.get("author_id")
        if author is not None:
            person = self.body("contributor", author)
            if person is not None and person["device_id"] != writer:
                return "its author is not registered on the device that wrote it", ()
        if self.sender is None or writer == self.sender:
            return None, ()
        if writer in self.enrolled():
            return (
                "it names another enrolled device of this city as its writer; a device sends "
                "only its own records",
                (),
            )
        return None, ("relayed",)

    def _check_content(self, record: Record) -> tuple[str | None, tuple[str, ...]]:
        body = record.body
        kind = record.kind
        if body.get("demo") is True:  # a fictional city never joins a real city's feed
            return "it belongs to a demo, which stays on the laptop it was opened on", ()
        if kind == "questionnaire":
            size = self.blob_size(record.id)
            if size is None:
                return "the questionnaire file was not uploaded", ()
            parsed = self.questionnaire(record.id)
            if isinstance(parsed, str):
                return parsed, ()
            if (parsed.id, parsed.version) != (body["form_id"], body["version"]):
                return "the questionnaire file does not match its id and version", ()
            return None, ()
        if kind == "attachment":
            size = self.blob_size(record.id)
            if size is None:
                return "the attachment's content was not uploaded", ()
            if size != body["size"]:
                return "the attachment's size does not match its content", ()
            return None, ()
        if kind == "contributor":
            return None, ()
        if kind == "assessment":
            if not self.known("questionnaire", body["questionnaire"]):
                return "its questionnaire is unknown in this city", ()
            if not self.known("contributor", body["created_by"]):
                return "its creator is unknown in this city", ()
            if not self.known("assessment", body["previous_assessment_id"]):
                return "its previous round is unknown in this city", ()
            return None, ()
        if kind == "assessment_event":
            if not self.known("assessment", body["assessment_id"]):
                return "its assessment is unknown in this city", ()
            if not self.known("contributor", body["author_id"]):
                return "its author is unknown in this city", ()
            target = _header_target(body)
            if target and not self.known("questionnaire", target):
                return "the questionnaire it moves to is unknown in this city", ()
            return None, ()
        return self._check_revision(body)

    def _check_revision(self, body: Mapping[str, Any]) -> tuple[str | None, tuple[str, ...]]:
        if not self.known("assessment", body["assessment_id"]):
            return "its assessment is unknown in this city", ()
        if not self.known("contributor", body["author_id"]):
            return "its author is unknown in this city", ()
        if body["subject"] != CITY_SUBJECT and not self.known("contributor", body["subject"]):
            return "the contributor it answers for is unknown in this city", ()
        for sha in body["attachments"]:
            if not self.known("attachment", sha):
                return "an attachment it names is unknown in this city", ()
        indicator_id = body["indicator_id"]
        value = body["value"]
        answer = Answer(
            value=tuple(value) if isinstance(value, list) else value,
            state=AnswerState(body["state"]),
            note=body["note"],
            evidence=body["evidence"],
        )
        problems: list[str] = []
        form_ids: set[str] = set()
        for sha in sorted(self.assessment_forms(body["assessment_id"])):
            parsed = self.questionnaire(sha)
            if isinstance(parsed, str):
                continue
            form_ids.add(parsed.id)
            if not parsed.has_indicator(indicator_id):
                continue
            try:
                check_answer(parsed.indicator(indicator_id), answer)
            except UserError as exc:
                problems.append(str(exc)[:300])
                continue
            return None, self._retired(form_ids | {parsed.id}, indicator_id)
        if problems:
            return problems[0], ()
        return f"question {indicator_id} is not in the assessment's questionnaire", ()

    def _retired(self, form_ids: set[str], indicator_id: str) -> tuple[str, ...]:
        for form_id in form_ids:
            newest = self.newest_published(form_id)
            if newest is not None and not newest.has_indicator(indicator_id):
                return ("retired",)
        return ()


def _header_target(body: Any) -> str | None:
    if body.get("kind") != "header":
        return None
    change = body.get("payload", {}).get("questionnaire")
    target = change.get("to") if isinstance(change, dict) else None
    return target if isinstance(target, str) else None


def _references(record: Record) -> list[tuple[str, str]]:
    body = record.body
    refs: list[tuple[str, str]] = []
    if record.kind == "assessment":
        refs.append(("questionnaire", body["questionnaire"]))
        for key in ("created_by",):
            if body[key]:
                refs.append(("contributor", body[key]))
        if body["previous_assessment_id"]:
            refs.append(("assessment", body["previous_assessment_id"]))
    elif record.kind in ("assessment_event", "revision"):
        refs.append(("assessment", body["assessment_id"]))
        if body["author_id"]:
            refs.append(("contributor", body["author_id"]))
        if record.kind == "revision":
            if body["subject"] != CITY_SUBJECT:
                refs.append(("contributor", body["subject"]))
            refs.extend(("attachment", sha) for sha in body["attachments"])
    return refs
