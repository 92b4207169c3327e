"""Where `readiness hub ...` takes its database URL from: --db, --db-file, READINESS_HUB_DB."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.cli import hub_cmd
from app.cli.hub_cmd import DB_ENV, db_url
from app.common.errors import UserError

PG = "postgresql+psycopg://owner:s3cret@127.0.0.1/readiness"


def args(**values: object) -> argparse.Namespace:
    return argparse.Namespace(**{"db": None, "db_file": None, "data_dir": None, **values})


def test_precedence_db_then_file_then_environment_then_data_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url_file = tmp_path / "url"
    url_file.write_text("sqlite:///from-file\n", encoding="utf-8")
    monkeypatch.setenv(DB_ENV, "sqlite:///from-env")
    assert (
        db_url(args(db="sqlite:///from-option", db_file=str(url_file))) == "sqlite:///from-option"
    )
    assert db_url(args(db_file=str(url_file))) == "sqlite:///from-file"
    assert db_url(args()) == "sqlite:///from-env"
    monkeypatch.delenv(DB_ENV)
    assert db_url(args(data_dir=str(tmp_path / "d"))) == str(tmp_path / "d" / "hub.sqlite3")
    assert capsys.readouterr().err == ""


def test_a_password_on_the_command_line_gets_a_note(capsys: pytest.CaptureFixture[str]) -> None:
    assert db_url(args(db=PG)) == PG
    err = capsys.readouterr().err
    assert "--db-file" in err and DB_ENV in err
    assert "s3cret" not in err


@given(
    comments=st.lists(st.sampled_from(["", "   ", "# owner", "#x"]), max_size=4),
    url=st.sampled_from([PG, "sqlite:////var/lib/readiness/hub.sqlite3"]),
    ending=st.sampled_from(["", "\n", "\r\n", "\n\n"]),
)
def test_the_url_file_may_hold_comments_and_blank_lines(
    comments: list[str], url: str, ending: str
) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "hub.url")
        path.write_bytes(("\n".join([*comments, f"  {url}  "]) + ending).encode())
        assert hub_cmd.read_db_file(str(path)) == url


@pytest.mark.parametrize(
    ("content", "expected"),
    [(None, "cannot read"), (b"", "no database URL"), (b"# only\n\n", "no database URL"),
     (b"\xff\xfe\x00bad", "not a text file")],
)  # fmt: skip
def test_an_unusable_url_file_is_a_clear_error(
    content: bytes | None, expected: str, tmp_path: Path
) -> None:
    path = tmp_path / "hub.url"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(UserError) as caught:
        hub_cmd.read_db_file(str(path))
    assert str(path) in str(caught.value) and expected in str(caught.value)
