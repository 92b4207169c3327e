"""The assessment and answer services on a real data folder (tests/data/sample-form.yaml)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app.common.errors import NotFoundError, ValidationError
from app.domain import Answer, AnswerState
from app.services import answers as svc
from app.services.assessment_list import list_assessments
from app.services.assessments import (
    create_assessment,
    load_questionnaire_for,
    load_snapshot,
    resolve_assessment_id,
    set_status,
    status_history,
)
from app.services.workspace import Workspace
from app.storage import answers_repo, outbox
from app.storage.records import CITY, RevisionRecord

FORM = Path(__file__).resolve().parents[1] / "data" / "sample-form.yaml"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty, migrated database made once; each test starts from a copy."""
    folder = tmp_path_factory.mktemp("template")
    Workspace.open(folder).close()
    return folder / "readiness.sqlite3"


@pytest.fixture
def ws(tmp_path: Path, template: Path):
    (tmp_path / "data").mkdir()
    shutil.copyfile(template, tmp_path / "data" / "readiness.sqlite3")
    workspace = Workspace.open(tmp_path / "data")
    yield workspace
    workspace.close()


@pytest.fixture
def aid(ws: Workspace) -> str:
    return create_assessment(ws, "Tbilisi", "Georgia", "2026", FORM, "es", "Ana", "pathologist")


def count(ws: Workspace, table: str) -> int:
    with ws.read() as conn:
        return int(conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar())


def test_create_list_and_resolve(ws: Workspace, aid: str) -> None:
    other = create_assessment(ws, "Yerevan", "Armenia", "2026", FORM)
    summaries = {s.id: s for s in list_assessments(ws)}
    assert set(summaries) == {aid, other}
    mine = summaries[aid]
    assert (mine.city, mine.language, mine.status, mine.progress) == ("Tbilisi", "es", "draft", 0.0)
    assert mine.questionnaire_id == "sample-readiness" and len(mine.questionnaire_hash) == 64
    assert mine.pending_sync == 2  # the assessment and its "created" event
    assert resolve_assessment_id(ws, aid[:8]) == aid
    assert resolve_assessment_id(ws, aid.upper()) == aid
    with pytest.raises(NotFoundError):
        resolve_assessment_id(ws, "ffffffff-0000")
    first_chars: dict[str, str] = {}
    for ident in [aid, other] + [
        create_assessment(ws, "City", "Country", str(n), FORM) for n in range(15)
    ]:
        if ident[0] in first_chars:
            with pytest.raises(ValidationError, match="more than one"):
                resolve_assessment_id(ws, ident[0])
            break
        first_chars[ident[0]] = ident
    else:
        pytest.fail("17 ids must share a first hex digit")
    assert ws.contributor is not None and ws.contributor.name == "Ana"
    assert ws.contributor.role == "pathologist"


def test_create_refuses_bad_input_and_writes_nothing(ws: Workspace) -> None:
    before = count(ws, "assessment")
    with pytest.raises(ValidationError, match="city"):
        create_assessment(ws, "  ", "Georgia", "2026", FORM)
    with pytest.raises(ValidationError, match="language"):
        create_assessment(ws, "Tbilisi", "Georgia", "2026", FORM, language="de")
    assert count(ws, "assessment") == before


def test_save_answer_writes_revision_head_and_outbox_together(ws: Workspace, aid: str) -> None:
    first = svc.save_answer(ws, aid, "PATH-04", Answer(value="no"))
    second = svc.save_answer(
        ws, aid, "PATH-04", Answer(value="yes", note="audited", evidence="audit")
    )
    assert second.parents == (first.id,)
    assert second.author is not None and second.author.name == "Ana"
    with ws.read() as conn:
        heads = answers_repo.heads_for_indicator(conn, aid, "PATH-04")
        assert [h.id for h in heads] == [second.id]
        assert {o.record_id for o in outbox.pending(conn)} >= {first.id, second.id}
    city = load_snapshot(ws, aid).answers["PATH-04"]
    assert city.answer.value == "yes" and city.derived and not city.disagreement


@pytest.mark.parametrize(
    ("indicator", "answer", "message"),
    [
        ("NOPE-01", Answer(value="yes"), "unknown indicator 'NOPE-01'"),
        ("PATH-04", Answer(value="maybe"), "PATH-04: unknown option 'maybe'"),
        ("PATH-05", Answer(value=61), "PATH-05: 61 is above the maximum 60"),
        ("PATH-05", Answer(value="fast"), "PATH-05: expected a number"),
        ("PATH-04", Answer(state=AnswerState.NOT_APPLICABLE), "PATH-04: state 'not_applicable'"),
        ("PATH-03", Answer(value=3.0), "PATH-03: is computed"),
        ("BIO-01", Answer(value=("none", "egfr")), "BIO-01: option 'none' excludes"),
    ],
)
def test_invalid_answers_are_refused_before_writing(
    ws: Workspace, aid: str, indicator: str, answer: Answer, message: str
) -> None:
    svc.save_answer(ws, aid, "PATH-04", Answer(value="partial"))
    before = (count(ws, "revision"), count(ws, "outbox"), count(ws, "answer_head"))
    with pytest.raises(ValidationError) as caught:
        svc.save_answer(ws, aid, indicator, answer)
    assert message in str(caught.value)
    assert (count(ws, "revision"), count(ws, "outbox"), count(ws, "answer_head")) == before


def test_city_answer_derivation(ws: Workspace, aid: str) -> None:
    svc.save_answer(ws, aid, "PATH-04", Answer(value="yes"), contributor="Ana")
    svc.save_answer(ws, aid, "QA-03", Answer(value="accredited"), contributor="Ana")
    svc.save_answer(ws, aid, "QA-03", Answer(value="accredited", note="seen"), contributor="Bob")
    svc.save_answer(ws, aid, "PATH-04", Answer(value="no"), contributor="Bob")
    snapshot = load_snapshot(ws, aid)
    agreed = snapshot.answers["QA-03"]
    assert agreed.derived and not agreed.disagreement and agreed.answer.value == "accredited"
    assert [c.contributor.name for c in agreed.contributors] == ["Ana", "Bob"]
    disputed = snapshot.answers["PATH-04"]
    assert disputed.disagreement and disputed.derived
    assert disputed.answer.value == "no"  # the lowest level is what counts
    assert snapshot.score.indicator("PATH-04").disagreement  # type: ignore[union-attr]
    assert snapshot.score.indicator("PATH-04").level == 1  # type: ignore[union-attr]
    assert [d.indicator_id for d in svc.list_disagreements(ws, aid)] == ["PATH-04"]

    with pytest.raises(ValidationError, match="rationale"):
        svc.set_city_answer(ws, aid, "PATH-04", Answer(value="partial"), "  ")
    svc.set_city_answer(ws, aid, "PATH-04", Answer(value="partial"), "audit: half the labs")
    resolved = load_snapshot(ws, aid).answers["PATH-04"]
    assert not resolved.derived and not resolved.disagreement
    assert resolved.answer.value == "partial" and resolved.rationale == "audit: half the labs"
    assert svc.list_disagreements(ws, aid) == []
    assert {s.name for s in load_snapshot(ws, aid).contributors} == {"Ana", "Bob"}


def test_concurrent_heads_show_a_deterministic_conflict(ws: Workspace, aid: str) -> None:
    base = svc.save_answer(ws, aid, "QA-01", Answer(value="no"))
    author = base.author
    assert author is not None
    remote = RevisionRecord(
        id="ffffffff-remote",
        assessment_id=aid,
        indicator_id="QA-01",
        subject=author.id,
        answer=Answer(value="yes"),
        parents=(base.id,),
        author_id=author.id,
        device_id="zz-other-laptop",
        hlc="9999999999999-00000-zz-other-laptop",
        created_at="2026-11-22T10:00:00Z",
        origin="remote",
    )
    svc.save_answer(ws, aid, "QA-01", Answer(value="partial"))
    with ws.write() as conn:
        answers_repo.insert_remote_revisions(conn, [remote])
    city = load_snapshot(ws, aid).answers["QA-01"]
    assert city.conflict
    assert city.answer.value == "yes"  # max (hlc, device, id) wins provisionally
    # Saving again takes all heads as parents and resolves the conflict.
    merged = svc.save_answer(ws, aid, "QA-01", Answer(value="partial"))
    assert len(merged.parents) == 2
    assert not load_snapshot(ws, aid).answers["QA-01"].conflict


def test_status_lifecycle_and_final_is_read_only(ws: Workspace, aid: str) -> None:
    assert set_status(ws, aid, "in_review") == "in_review"
    assert set_status(ws, aid, "final") == "final"
    with pytest.raises(ValidationError, match="final"):
        svc.save_answer(ws, aid, "PATH-04", Answer(value="yes"))
    with pytest.raises(ValidationError, match="needs a reason"):
        set_status(ws, aid, "draft")
    with pytest.raises(ValidationError, match="unknown status"):
        set_status(ws, aid, "archived")
    set_status(ws, aid, "draft", reason="new lab data arrived")
    svc.save_answer(ws, aid, "PATH-04", Answer(value="yes"))
    kinds = [(e["kind"], e.get("to"), e.get("reason")) for e in status_history(ws, aid)]
    assert kinds == [
        ("created", None, None),
        ("status", "in_review", ""),
        ("status", "final", ""),
        ("status", "draft", "new lab data arrived"),
    ]


def test_import_is_all_or_nothing(ws: Workspace, aid: str) -> None:
    good = {
        "PATH-04": "yes",
        "BIO-01": ["egfr", "alk"],
        "QA-01": {"state": "dont_know"},
        "PATH-05": {"value": 4.5, "note": "median of 2025", "evidence": "register"},
    }
    bad = dict(good, **{"QA-03": "platinum"})
    before = count(ws, "revision")
    with pytest.raises(ValidationError, match="QA-03"):
        svc.import_answers(ws, aid, bad, contributor="Bob")
    assert count(ws, "revision") == before
    with pytest.raises(ValidationError, match="UNKNOWN-9"):
        svc.import_answers(ws, aid, {"UNKNOWN-9": 1})
    assert svc.import_answers(ws, aid, good, contributor="Bob") == 4
    assert svc.import_answers(ws, aid, good, contributor="Bob") == 0  # unchanged: nothing new
    answers = load_snapshot(ws, aid).answers
    assert answers["BIO-01"].answer.value == ("egfr", "alk")
    assert answers["PATH-05"].answer.note == "median of 2025"
    assert answers["QA-01"].answer.state is AnswerState.DONT_KNOW


def test_history_says_from_what_to_what_who_when_why(ws: Workspace, aid: str) -> None:
    a = svc.save_answer(ws, aid, "PATH-04", Answer(value="no"), contributor="Ana")
    b = svc.save_answer(ws, aid, "PATH-04", Answer(value="partial"), contributor="Ana")
    c = svc.set_city_answer(ws, aid, "PATH-04", Answer(value="yes"), "site visit")
    history = svc.answer_history(ws, aid, "PATH-04")
    assert [r.id for r in history] == [a.id, b.id, c.id]
    assert history[1].parents == (a.id,) and history[2].subject == CITY
    assert history[2].rationale == "site visit" and history[0].author.name == "Ana"  # type: ignore[union-attr]
    with pytest.raises(NotFoundError):
        svc.answer_history(ws, aid, "NOPE-01")


def test_attachments_are_stored_by_hash(ws: Workspace, aid: str, tmp_path: Path) -> None:
    source = tmp_path / "sop.pdf"
    source.write_bytes(b"%PDF-1.4 fixation SOP")
    sha = svc.add_attachment(ws, source)
    assert svc.add_attachment(ws, source) == sha
    assert (ws.paths.attachments / sha).read_bytes() == source.read_bytes()
    svc.save_answer(ws, aid, "PATH-04", Answer(value="yes"), attachments=[sha])
    with ws.read() as conn:
        assert answers_repo.heads_for_indicator(conn, aid, "PATH-04")[0].attachments == (sha,)
    with pytest.raises(NotFoundError, match="attachment"):
        svc.save_answer(ws, aid, "PATH-04", Answer(value="no"), attachments=["0" * 64])
    with pytest.raises(NotFoundError):
        svc.add_attachment(ws, tmp_path / "missing.pdf")


def test_next_round_copies_city_answers_to_confirm(ws: Workspace, aid: str) -> None:
    from app.services.rounds import start_next_round

    svc.save_answer(ws, aid, "PATH-04", Answer(value="yes"), contributor="Ana")
    svc.save_answer(ws, aid, "QA-03", Answer(value="none"), contributor="Ana")
    svc.save_answer(ws, aid, "QA-03", Answer(value="accredited"), contributor="Bob")  # disputed
    svc.save_answer(ws, aid, "QA-01", Answer(state=AnswerState.DONT_KNOW), contributor="Bob")
    new = start_next_round(ws, aid, "2027")
    snapshot = load_snapshot(ws, new)
    assert snapshot.header.previous_assessment_id == aid and snapshot.header.period == "2027"
    assert snapshot.answers["PATH-04"].answer.value == "yes"
    assert snapshot.answers["PATH-04"].contributors[0].to_confirm
    assert snapshot.answers["QA-01"].answer.state is AnswerState.DONT_KNOW
    assert snapshot.answers["QA-03"].answer.state is AnswerState.UNANSWERED  # nothing agreed


def test_move_to_version_maps_replaced_ids(ws: Workspace, aid: str, tmp_path: Path) -> None:
    from app.services.rounds import move_to_version

    text = FORM.read_text(encoding="utf-8").replace('version: "0.1"', 'version: "0.2"')
    text = text.replace("QA-03", "QA-13").replace(
        "\nlevels:", "\nreplaces: {QA-03: QA-13}\nlevels:", 1
    )
    newer = tmp_path / "sample-0.2.yaml"
    newer.write_text(text, encoding="utf-8")
    svc.save_answer(ws, aid, "QA-03", Answer(value="accredited"))
    svc.save_answer(ws, aid, "PATH-04", Answer(value="partial"))
    assert move_to_version(ws, aid, newer) == aid
    snapshot = load_snapshot(ws, aid)
    assert snapshot.header.questionnaire_version == "0.2"
    assert load_questionnaire_for(ws, aid).version == "0.2"
    assert snapshot.answers["QA-13"].answer.value == "accredited"
    assert snapshot.answers["PATH-04"].answer.value == "partial"
    assert "QA-03" not in snapshot.answers
    assert [r.answer.value for r in svc.answer_history(ws, aid, "QA-03")] == ["accredited"]
    set_status(ws, aid, "final")
    with pytest.raises(ValidationError, match="only a draft"):
        move_to_version(ws, aid, FORM)


def test_demo_is_created_once(ws: Workspace, tmp_path: Path) -> None:
    from app.services.demo import create_demo

    demo = {
        "city": "Ciudad Ejemplo",
        "country": "Pais Ejemplo",
        "period": "2026",
        "language": "es",
        "form": str(FORM),
        "contributors": [
            {
                "name": "Dra. Ana",
                "role": "pathologist",
                "institution": "Hospital Central",
                "answers": {"PATH-04": "yes", "QA-03": "in_progress"},
            },
            {
                "name": "Luis",
                "role": "lab manager",
                "institution": "Lab",
                "answers": {"PATH-04": "partial", "QA-03": "in_progress"},
            },
        ],
        "city_answers": {"PATH-04": {"value": "partial", "rationale": "two of four labs"}},
    }
    source = tmp_path / "demo-answers.json"
    source.write_text(json.dumps(demo), encoding="utf-8")
    first = create_demo(ws, source)
    assert create_demo(ws, source) == first
    assert len(list_assessments(ws)) == 1
    snapshot = load_snapshot(ws, first)
    assert snapshot.header.language == "es"
    assert not snapshot.answers["PATH-04"].derived
    assert (
        snapshot.answers["QA-03"].derived
        and snapshot.answers["QA-03"].answer.value == "in_progress"
    )
    assert {c.institution for c in snapshot.contributors} >= {"Hospital Central", "Lab"}
    broken = dict(demo, contributors=[{"name": "X", "answers": {"PATH-04": "perhaps"}}])
    source.write_text(json.dumps(broken), encoding="utf-8")
    other = Workspace.open(tmp_path / "other")
    try:
        with pytest.raises(ValidationError, match="PATH-04"):
            create_demo(other, source)
        assert list_assessments(other) == []
    finally:
        other.close()


def test_workspace_keeps_device_id_and_clock_moves_forward(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "d") as first:
        device = first.device_id
        aid = create_assessment(first, "Tbilisi", "Georgia", "2026", FORM)
        last = svc.save_answer(first, aid, "PATH-04", Answer(value="yes")).hlc
    with Workspace.open(tmp_path / "d") as again:
        assert again.device_id == device
        assert again.clock.now() > last
