"""`readiness hub ...` administration commands, through the real command line entry point."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from app.cli import main
from app.hub.db import HubDB
from app.hub.store import HubStore
from tests.sync_support import SAMPLE_FORM, db_params, hub_database, laptop, new_assessment


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_default_hub_lives_in_the_data_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    code, out, _err = run(capsys, "--data-dir", str(data), "hub", "init")
    assert code == 0 and "schema h0002" in out
    assert (data / "hub.sqlite3").is_file()
    code, out, _err = run(
        capsys, "hub", "city", "add", "Kraków", "--country", "Poland", "--data-dir", str(data)
    )
    assert code == 0
    assert re.fullmatch(r"[0-9a-f-]{36}", out.strip().splitlines()[-1])


@pytest.mark.parametrize("kind", [p.values[0] for p in db_params()], ids=["sqlite", "postgres"])
def test_cities_codes_devices_revocation_forms_and_imports(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.sync_support import pg_base_url

    if kind == "postgres" and not pg_base_url():
        pytest.skip("READINESS_TEST_PG_URL not set")
    with hub_database(kind, tmp_path) as url:
        # a URL with a password goes in a file, as the admin guide says (--db would add a note)
        url_file = tmp_path / "hub.url"
        url_file.write_text(url + "\n", encoding="utf-8")
        db = ["--db-file", str(url_file)] if kind == "postgres" else ["--db", url]
        code, out, _ = run(capsys, "hub", "city", "add", "Lima", "--country", "Peru", *db)
        city = out.strip().splitlines()[-1]
        assert code == 0 and len(city) == 36
        code, _out, err = run(capsys, "hub", "city", "add", "  lima ", "--country", "Peru", *db)
        assert code == 1 and "already exists" in err and len(err.strip().splitlines()) == 1

        code, out, _ = run(capsys, "hub", "city", "list", "--json", *db)
        cities = json.loads(out)
        assert [c["name"] for c in cities] == ["Lima"] and cities[0]["devices"] == 0

        code, out, _ = run(capsys, "hub", "enroll-code", "Lima", "--contributor", "Ana Lucía", *db)
        enroll_code = out.strip().splitlines()[-1]
        assert code == 0 and re.fullmatch(r"[A-Z2-9]{4}(-[A-Z2-9]{4}){3}", enroll_code)
        code, _out, err = run(capsys, "hub", "enroll-code", "Atlantis", "--contributor", "X", *db)
        assert code == 1 and "no city" in err

        hub_db = HubDB(url)
        device = HubStore(hub_db).enroll(enroll_code, "laptop", "")
        hub_db.close()
        code, out, _ = run(capsys, "hub", "device", "list", "Lima", "--json", *db)
        devices = json.loads(out)
        assert [d["contributor"] for d in devices] == ["Ana Lucía"] and devices[0][
            "revoked_at"
        ] is None
        assert device["token"] not in out

        code, out, _ = run(capsys, "hub", "revoke", device["device_id"][:8], *db)
        assert code == 0 and "revoked" in out
        code, out, _ = run(capsys, "hub", "device", "list", "--json", *db)
        assert json.loads(out)[0]["revoked_at"]

        code, out, _ = run(capsys, "hub", "forms", "publish", str(SAMPLE_FORM), *db)
        assert code == 0 and len(out.strip().splitlines()[-1]) == 64
        code, out, _ = run(capsys, "hub", "forms", "publish", str(SAMPLE_FORM), *db)
        assert code == 0 and "already published" in out
        changed = tmp_path / "changed.yaml"
        changed.write_text(
            SAMPLE_FORM.read_text(encoding="utf-8").replace(
                "A short questionnaire", "A changed questionnaire"
            ),
            encoding="utf-8",
        )
        code, _out, err = run(capsys, "hub", "forms", "publish", str(changed), *db)
        assert code == 1 and "new version" in err

        _import_a_bundle(url, tmp_path, capsys)


def _import_a_bundle(url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from app.services import sync

    ws = laptop(tmp_path / "ana")
    try:
        assessment = new_assessment(ws)
        sync.export_bundle(ws, assessment, tmp_path / "lima.readiness")
    finally:
        ws.close()
    # A laptop this hub never saw: the coordinator names the city (never taken from the file).
    lima = str(tmp_path / "lima.readiness")
    code, _out, err = run(capsys, "hub", "import", lima, "--json", "--db", url)
    assert code == 1 and "--city" in err and "nothing was imported" in err
    code, out, _ = run(capsys, "hub", "import", lima, "--city", "Lima", "--json", "--db", url)
    result: dict[str, Any] = json.loads(out)
    assert code == 0 and result["applied"] >= 4 and result["quarantined"] == 0
    assert result["first_use"] is True
    code, out, _ = run(capsys, "hub", "import", lima, "--city", "Lima", "--json", "--db", url)
    again = json.loads(out)
    assert again["applied"] == 0 and again["duplicate"] == result["applied"]
    (tmp_path / "bad.readiness").write_bytes(b"not a zip")
    code, _out, err = run(capsys, "hub", "import", str(tmp_path / "bad.readiness"), "--db", url)
    assert code == 1 and "nothing was imported" in err
