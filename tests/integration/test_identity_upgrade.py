"""Data written by earlier versions, where the demo's coordinator became the laptop's user and
real answers were attributed to her: found once, listed in a one-time notice, and reassigned to
the right contributor as new revisions that keep the original ones."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.domain import Answer, AnswerState
from app.services import contributors
from app.services.assessments import load_snapshot
from app.services.identity_upgrade import misattributed, notice, reassign
from app.services.workspace import Workspace
from app.storage import answers_repo, demo_marks
from app.storage.records import CITY
from tests.identity_support import old_data as _old_data

CHOICES = ["yes", "partial", "no"]


def _revisions(ws: Workspace, assessment_id: str) -> dict[str, Any]:
    with ws.read() as conn:
        return {r.id: r for r in answers_repo.revisions_for_assessment(conn, assessment_id)}


def test_old_data_is_found_once_and_corrected_with_new_revisions(tmp_path: Path) -> None:
    folder = tmp_path / "old"
    demo, real, marta = _old_data(folder, {"PATH-04": "yes"}, {"QA-02": "partial"})
    with Workspace.open(folder, daily_backup=False) as ws:
        [group] = notice(ws)
        assert group.assessment_id == real and group.person.id == marta
        assert (group.own, group.city_answers) == (("PATH-04",), ("QA-02",))
        assert notice(ws) == []  # one time only
        assert misattributed(ws) == [group]  # still listed on request until corrected
        # The demo's coordinator is nobody's identity any more; her record still travels, since
        # the history of a real assessment names her.
        assert ws.contributor is None
        assert contributors.who_is_answering(ws, real).name == "Rosa Quispe"
        with ws.read() as conn:
            assert marta in demo_marks.demo_people(conn)
            assert marta not in {r[0] for r in conn.execute(demo_marks.demo_record_ids())}
            assert demo in demo_marks.demo_assessments(conn)

        before = _revisions(ws, real)
        target, moved = reassign(ws, real, group.person.name, "Rosa Quispe")
        assert target.name == "Rosa Quispe" and moved == 2
        after = _revisions(ws, real)
        assert {k: after[k] for k in before} == before  # history kept as it was
        added = [after[k] for k in after if k not in before]
        assert all(r.author_id == target.id and "reassigned" in r.rationale for r in added)

        snapshot = load_snapshot(ws, real, with_revisions=True)
        assert [c.name for c in snapshot.contributors] == ["Rosa Quispe"]  # what reports list
        assert group.person.name in {r.author.name for r in snapshot.revisions if r.author}
        city = snapshot.answers
        assert [e.contributor.name for e in city["PATH-04"].contributors] == ["Rosa Quispe"]
        assert city["PATH-04"].answer.value == "yes"
        assert city["QA-02"].answer.value == "partial" and not city["QA-02"].derived
        assert misattributed(ws) == []


def test_cli_lists_and_reassigns(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "old"
    _demo, real, _marta = _old_data(folder, {"PATH-04": "no"}, {})

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--data-dir", str(folder), *args])
        out, err = capsys.readouterr()
        return code, out, err

    code, out, _ = run("assess", "misattributed", "--json")
    [entry] = json.loads(out)
    assert code == 0 and entry["id"] == real and entry["answers"] == ["PATH-04"]
    code, _, err = run("assess", "reassign", real[:8], "--from", "Nobody", "--to", "Rosa Quispe")
    assert code == 1 and entry["person"] in err and "Traceback" not in err
    code, out, _ = run(
        "assess", "reassign", real[:8], "--from", entry["person"], "--to", "Rosa Quispe"
    )
    assert code == 0 and "1 answer(s)" in out
    code, out, _ = run("assess", "misattributed")
    assert code == 0 and "no answers" in out


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    own=st.dictionaries(st.sampled_from(["PATH-04", "QA-02"]), st.sampled_from(CHOICES)),
    city=st.dictionaries(st.sampled_from(["PATH-04", "QA-02"]), st.sampled_from(CHOICES)),
    already=st.dictionaries(st.sampled_from(["PATH-04", "QA-02"]), st.sampled_from(CHOICES)),
)
def test_reassignment_keeps_every_original_revision(
    tmp_path_factory: pytest.TempPathFactory,
    own: dict[str, str],
    city: dict[str, str],
    already: dict[str, str],
) -> None:
    """Whatever was misattributed, and whatever the right person had already answered: the
    original revisions stay byte for byte, nothing stays attributed to the demo person, and the
    right person's own earlier answers win over the moved ones."""
    folder = tmp_path_factory.mktemp("old")
    _demo, real, marta = _old_data(folder, own, city)
    with Workspace.open(folder, daily_backup=False) as ws:
        from app.services.answers import save_answer

        for indicator, value in already.items():
            save_answer(ws, real, indicator, Answer(value=value), contributor="Rosa Quispe")
        found = misattributed(ws)
        if not own and not city:
            assert found == []
            return
        before = _revisions(ws, real)
        target, moved = reassign(ws, real, marta, "Rosa Quispe")
        assert moved == len(own) + len(city)
        after = _revisions(ws, real)
        assert {k: after[k] for k in before} == before
        assert misattributed(ws) == []
        with ws.read() as conn:
            heads = answers_repo.heads_for_assessment(conn, real)
        mine = {h.indicator_id: h.answer.value for h in heads if h.subject == target.id}
        assert mine == {**own, **already}
        assert all(h.answer.state is AnswerState.UNANSWERED for h in heads if h.subject == marta)
        assert {h.indicator_id: h.answer.value for h in heads if h.subject == CITY} == city
