"""The wire format: valid records pass unchanged; anything malformed is refused with a reason that
names the field; push batches and pull pages are checked as frames."""

from __future__ import annotations

from typing import Any

import pytest

from app.common.clock import format_hlc
from app.sync import wire
from app.sync.wire import WireError

REVISION: dict[str, Any] = {
    "id": "4a1f0d52-7c1b-4c52-9f0e-2b3f4f7c8a10",
    "assessment_id": "a-1",
    "indicator_id": "QA-01",
    "subject": "city",
    "value": "yes",
    "state": "answered",
    "note": "",
    "evidence": None,
    "attachments": [],
    "parents": ["p-1"],
    "author_id": None,
    "device_id": "dev-1",
    "hlc": format_hlc(1_700_000_000_000, 3, "dev-1"),
    "created_at": "2026-11-22T10:00:00Z",
    "rationale": "",
    "to_confirm": False,
}


def envelope(**changes: Any) -> dict[str, Any]:
    body = dict(REVISION, **changes)
    return {"kind": "revision", "id": body["id"], "body": body}


def test_a_valid_record_passes_and_keeps_its_fingerprint() -> None:
    record = wire.check_record(envelope())
    assert record.envelope() == envelope()
    assert record.fingerprint == wire.check_record(envelope()).fingerprint
    assert record.fingerprint != wire.check_record(envelope(note="x")).fingerprint


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"value": True}, "value"),
        ({"value": float("nan")}, "value"),
        ({"value": {"a": 1}}, "value"),
        ({"value": ["egfr", 3]}, "value[1]"),
        ({"value": None}, "value"),
        ({"state": "dont_know"}, "value"),
        ({"state": "maybe"}, "state"),
        ({"note": "x" * 100_001}, "note"),
        ({"note": "a\x00b"}, "note"),
        ({"hlc": "yesterday"}, "hlc"),
        ({"created_at": "2026-11-22 10:00"}, "created_at"),
        ({"indicator_id": "../etc"}, "indicator_id"),
        ({"parents": ["4a1f0d52-7c1b-4c52-9f0e-2b3f4f7c8a10"]}, "parents"),
        ({"parents": ["p"] * 65}, "parents"),
        ({"to_confirm": "no"}, "to_confirm"),
        ({"attachments": ["not-a-hash"]}, "attachments[0]"),
        ({"extra": 1}, "extra"),
    ],
)
def test_malformed_revisions_are_refused_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(WireError) as caught:
        wire.check_record(envelope(**changes))
    assert field in str(caught.value)


def test_the_envelope_id_must_match_and_the_kind_must_be_known() -> None:
    with pytest.raises(WireError, match="does not match"):
        wire.check_record(dict(envelope(), id="other"))
    with pytest.raises(WireError, match="unknown record kind"):
        wire.check_record(dict(envelope(), kind="user"))
    missing = envelope()
    del missing["body"]["note"]
    with pytest.raises(WireError, match="missing field 'note'"):
        wire.check_record(missing)


def test_json_that_is_invalid_or_too_deep_is_refused() -> None:
    for text in (b"{", b"\xff", b"NaN", b"[" * 100_000 + b"]" * 100_000):
        with pytest.raises(WireError):
            wire.loads(text)


def test_a_push_keeps_malformed_ops_to_quarantine_and_refuses_a_broken_frame() -> None:
    good = {"op_id": "o1", "city_id": "c1", "record": envelope()}
    bad = {"op_id": "o2", "city_id": "c1", "record": envelope(value=True)}
    request = wire.check_push({"batch_id": "b1", "city_id": "c1", "ops": [good, bad]})
    assert request.ops[0].record is not None and request.ops[1].record is None
    assert "value" in (request.ops[1].problem or "")
    with pytest.raises(WireError, match="more than 200"):
        wire.check_push(
            {
                "batch_id": "b1",
                "city_id": "c1",
                "ops": [dict(good, op_id=f"o{i}") for i in range(201)],
            }
        )
    with pytest.raises(WireError, match="twice"):
        wire.check_push({"batch_id": "b1", "city_id": "c1", "ops": [good, good]})
    with pytest.raises(WireError):
        wire.check_push({"batch_id": "b1", "city_id": "c1", "ops": []})


def test_a_page_must_be_in_order_and_within_its_cursor() -> None:
    item = {"seq": 5, **envelope()}
    page = wire.check_page({"records": [item], "next_since": 5, "has_more": False}, since=4)
    assert [r.id for r in page.records] == [REVISION["id"]]
    with pytest.raises(WireError, match="out of order"):
        wire.check_page({"records": [item, item], "next_since": 5, "has_more": False}, since=4)
    with pytest.raises(WireError, match="backwards"):
        wire.check_page({"records": [], "next_since": 3, "has_more": False}, since=4)
    broken = {"seq": 6, "kind": "revision", "id": "x", "body": {}}
    kept = wire.check_page({"records": [item, broken], "next_since": 6, "has_more": True}, since=4)
    assert kept.entries[1].record is None and kept.entries[1].problem
