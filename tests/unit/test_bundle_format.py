"""Bundle files: a round trip keeps every record and content byte for byte; hostile or damaged
zips are refused by the reader with a reason (the reader works in memory and writes nothing)."""

from __future__ import annotations

import hashlib
import io
import zipfile
from typing import Any

import pytest

from app.common.clock import format_hlc
from app.sync import bundle, wire
from app.sync.bundle import Bundle, BundleError, CityRef
from tests.sync_support import SAMPLE_FORM, hostile_bundles

FORM = SAMPLE_FORM.read_bytes()
FORM_SHA = hashlib.sha256(FORM).hexdigest()
FILE = "Relatório de auditoria — ✓".encode()
FILE_SHA = hashlib.sha256(FILE).hexdigest()
ASSESSMENT = "0b7e4d3c-0000-4000-8000-000000000001"
PERSON = "0b7e4d3c-0000-4000-8000-000000000002"


def records() -> list[wire.Record]:
    bodies: list[tuple[str, dict[str, Any]]] = [
        (
            "questionnaire",
            {
                "sha256": FORM_SHA,
                "form_id": "sample-readiness",
                "version": "0.1",
                "size": len(FORM),
            },
        ),
        (
            "contributor",
            {
                "id": PERSON,
                "name": "Nino Beridze",
                "role": "lab",
                "institution": "",
                "device_id": "dev-a",
                "created_at": "2026-11-22T10:00:00Z",
            },
        ),
        (
            "assessment",
            {
                "id": ASSESSMENT,
                "city": "Тбилиси",
                "country": "საქართველო",
                "period": "2026",
                "language": "en",
                "questionnaire": FORM_SHA,
                "created_at": "2026-11-22T10:00:00Z",
                "created_by": PERSON,
                "previous_assessment_id": None,
                "city_key": "საქართველო/тбилиси",
                "device_id": "dev-a",
            },
        ),
        (
            "assessment_event",
            {
                "id": "0b7e4d3c-0000-4000-8000-000000000003",
                "assessment_id": ASSESSMENT,
                "kind": "created",
                "payload": {"questionnaire": FORM_SHA},
                "author_id": PERSON,
                "device_id": "dev-a",
                "hlc": format_hlc(1, 0, "dev-a"),
                "created_at": "2026-11-22T10:00:00Z",
            },
        ),
        (
            "attachment",
            {
                "sha256": FILE_SHA,
                "filename": "audit.pdf",
                "size": len(FILE),
                "media_type": "application/pdf",
                "created_at": "2026-11-22T10:00:00Z",
            },
        ),
        (
            "revision",
            {
                "id": "0b7e4d3c-0000-4000-8000-000000000004",
                "assessment_id": ASSESSMENT,
                "indicator_id": "BIO-01",
                "subject": PERSON,
                "value": ["egfr", "alk"],
                "state": "answered",
                "note": "מבחן — 测试 — 🧪",
                "evidence": "document",
                "attachments": [FILE_SHA],
                "parents": [],
                "author_id": PERSON,
                "device_id": "dev-a",
                "hlc": format_hlc(2, 0, "dev-a"),
                "created_at": "2026-11-22T10:01:00Z",
                "rationale": "",
                "to_confirm": False,
            },
        ),
    ]
    return [
        wire.check_record({"kind": k, "id": wire.record_id_of(k, b), "body": b}) for k, b in bodies
    ]


def valid_bundle() -> bytes:
    return bundle.write_bundle(
        Bundle(
            assessment_id=ASSESSMENT,
            device_id="dev-a",
            created_at="2026-11-22T11:00:00Z",
            city=CityRef("Тбилиси", "საქართველო", "საქართველო/тбилиси", None),
            records=tuple(records()),
            blobs={("questionnaire", FORM_SHA): FORM, ("attachment", FILE_SHA): FILE},
        )
    )


def test_a_bundle_round_trips_every_record_and_content() -> None:
    data = valid_bundle()
    read = bundle.read_bundle(data)
    assert read.assessment_id == ASSESSMENT and read.city.name == "Тбилиси"
    assert [r.envelope() for r in read.records] == [r.envelope() for r in records()]
    assert read.blobs == {("questionnaire", FORM_SHA): FORM, ("attachment", FILE_SHA): FILE}
    assert bundle.write_bundle(read) == data  # deterministic bytes


def test_the_manifest_lists_a_hash_for_every_entry() -> None:
    import json

    with zipfile.ZipFile(io.BytesIO(valid_bundle())) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        names = set(zf.namelist()) - {"manifest.json"}
        assert set(manifest["entries"]) == names
        for name in names:
            assert manifest["entries"][name]["sha256"] == hashlib.sha256(zf.read(name)).hexdigest()
    assert manifest["format"] == "readiness-bundle" and manifest["format_version"] == 1


CASES = hostile_bundles(valid_bundle())


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_or_damaged_bundles_are_refused(case: str) -> None:
    with pytest.raises(BundleError) as caught:
        bundle.read_bundle(CASES[case])
    assert str(caught.value)


def test_records_that_break_the_wire_format_are_refused() -> None:
    broken = records()
    body = dict(broken[-1].body, value=True)
    envelope = {"kind": "revision", "id": body["id"], "body": body}
    with pytest.raises(BundleError, match="not an answer value"):
        _bundle_with_raw_records([r.envelope() for r in broken[:-1]] + [envelope])


def test_a_revision_of_another_assessment_is_refused() -> None:
    moved = records()
    body = dict(moved[-1].body, assessment_id="0b7e4d3c-0000-4000-8000-0000000000ff")
    with pytest.raises(BundleError, match="another assessment"):
        _bundle_with_raw_records(
            [r.envelope() for r in moved[:-1]]
            + [{"kind": "revision", "id": body["id"], "body": body}]
        )


def _bundle_with_raw_records(envelopes: list[dict[str, Any]]) -> Bundle:
    import json

    data = json.dumps(envelopes).encode()
    entries = {
        "records.json": data,
        f"questionnaires/{FORM_SHA}": FORM,
        f"attachments/{FILE_SHA}": FILE,
    }
    manifest = {
        "format": "readiness-bundle",
        "format_version": 1,
        "assessment_id": ASSESSMENT,
        "device_id": "dev-a",
        "created_at": "2026-11-22T11:00:00Z",
        "city": {
            "name": "Тбилиси",
            "country": "საქართველო",
            "city_key": "საქართველო/тбилиси",
            "hub_city_id": None,
        },
        "entries": {
            n: {"sha256": hashlib.sha256(d).hexdigest(), "size": len(d)} for n, d in entries.items()
        },
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        for name, content in entries.items():
            zf.writestr(name, content)
    return bundle.read_bundle(out.getvalue())
