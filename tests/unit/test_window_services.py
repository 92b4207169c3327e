"""Services the window calls instead of reading storage itself: the files attached to a
person's answers, and the questionnaire files kept in the database."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.domain import Answer
from app.services import answers
from app.services.assessments import create_assessment
from app.services.attached_files import AttachedFile, attached_files
from app.services.stored_questionnaires import stored_questionnaire_files
from app.services.workspace import Workspace

FORM = Path(__file__).resolve().parents[1] / "data" / "sample-form.yaml"


@pytest.fixture
def ws(data_dir: Path):
    workspace = Workspace.open(data_dir)
    yield workspace
    workspace.close()


def test_attached_files_are_one_persons_current_ones(ws: Workspace, tmp_path: Path) -> None:
    aid = create_assessment(ws, "Quito", "Ecuador", "2026", FORM, "es", "Ana", "pathologist")
    sop, audit, old = (tmp_path / name for name in ("sop.pdf", "audit.pdf", "old.pdf"))
    for path in (sop, audit, old):
        path.write_bytes(f"%PDF-1.4 {path.stem}".encode())
    sop_sha, audit_sha, old_sha = (answers.add_attachment(ws, p) for p in (sop, audit, old))
    answers.save_answer(ws, aid, "PATH-04", Answer(value="yes"), contributor="Ana",
                        attachments=[old_sha])  # fmt: skip
    ana = answers.save_answer(
        ws, aid, "PATH-04", Answer(value="yes"), contributor="Ana",
        attachments=[sop_sha, audit_sha],
    ).subject  # fmt: skip
    bob = answers.save_answer(
        ws, aid, "QA-01", Answer(value="yes"), contributor="Bob", attachments=[old_sha]
    ).subject

    assert attached_files(ws, aid, ana) == {
        "PATH-04": [AttachedFile(sop_sha, "sop.pdf"), AttachedFile(audit_sha, "audit.pdf")]
    }  # the replaced answer's file is gone, Bob's is his
    assert attached_files(ws, aid, bob) == {"QA-01": [AttachedFile(old_sha, "old.pdf")]}
    assert attached_files(ws, aid, "") == {}


def test_stored_questionnaire_files_skip_what_is_asked(ws: Workspace) -> None:
    create_assessment(ws, "Quito", "Ecuador", "2026", FORM, "es", "Ana", "pathologist")
    stored = stored_questionnaire_files(ws)
    assert [(form_id, body) for form_id, _v, body in stored] == [
        ("sample-readiness", FORM.read_bytes())
    ]
    form_id, version, _body = stored[0]
    assert stored_questionnaire_files(ws, skip={(form_id, version)}) == []
