"""Every answer names the person who gave it: the demo never becomes the user, a shared laptop
switches who is answering, and names never fall back to someone else."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli import main
from app.common.errors import ValidationError
from app.domain import Answer
from app.services import contributors
from app.services.answers import answer_history, save_answer, set_city_answer
from app.services.assessments import create_assessment, load_snapshot, status_history
from app.services.demo import create_demo
from app.services.identity_upgrade import demo_names
from app.services.workspace import Workspace

ROOT = Path(__file__).resolve().parents[2]
FORM = ROOT / "tests" / "data" / "sample-form.yaml"
DEMO_PEOPLE = demo_names()


@pytest.fixture
def run(tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    data = tmp_path / "data"

    def invoke(*args: str) -> tuple[int, str, str]:
        try:
            code = main(["--data-dir", str(data), *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out, err

    invoke.data = data  # type: ignore[attr-defined]
    return invoke


def _new(run, *extra: str) -> str:  # type: ignore[no-untyped-def]
    code, out, err = run(
        "assess", "new", "--city", "Cusco", "--country", "Peru", "--period", "2026",
        "--form", str(FORM), *extra,
    )  # fmt: skip
    assert code == 0, err
    return out.strip().splitlines()[-1]


def _authors(run, ident: str, indicator: str) -> list[str]:  # type: ignore[no-untyped-def]
    code, out, err = run("assess", "history", ident, indicator, "--json")
    assert code == 0, err
    return [entry["by"] for entry in json.loads(out)]


def test_demo_names_are_read_from_the_shipped_file() -> None:
    assert len(DEMO_PEOPLE) >= 2  # else every check below that excludes them is vacuous


@pytest.mark.parametrize("demo_first", [True, False], ids=["demo-first", "no-demo"])
def test_readme_order_attributes_answers_to_the_named_contributor(run, demo_first: bool) -> None:  # type: ignore[no-untyped-def]
    if demo_first:
        assert run("demo")[0] == 0
    ident = _new(run, "--contributor", "Rosa Quispe", "--role", "city coordinator")
    code, out, err = run("assess", "answer", ident, "PATH-04", "yes")
    assert code == 0, err
    assert "Rosa Quispe (city coordinator)" in out  # the command says who answered
    code, _, err = run("assess", "resolve", ident, "PATH-05", "4.5", "--rationale", "lab audit")
    assert code == 0, err
    assert run("assess", "status", ident, "in_review")[0] == 0
    assert _authors(run, ident, "PATH-04") == ["Rosa Quispe"]
    assert _authors(run, ident, "PATH-05") == ["Rosa Quispe"]
    code, out, _ = run("assess", "contributors", ident, "--json")
    assert [p["name"] for p in json.loads(out)] == ["Rosa Quispe"]
    with Workspace.open(run.data, daily_backup=False) as ws:
        assert {e["by"] for e in status_history(ws, ident)} == {"Rosa Quispe"}
        # The demo's people never became this laptop's user.
        user = ws.contributor
        assert user is not None and user.name not in DEMO_PEOPLE


def test_a_new_name_is_registered_with_a_line_and_never_falls_back(run) -> None:  # type: ignore[no-untyped-def]
    run("demo")
    ident = _new(run, "--contributor", "Rosa Quispe")
    code, out, err = run("assess", "answer", ident, "PATH-04", "no", "--contributor", "Luis Mamani")
    assert code == 0, err
    assert "registered Luis Mamani as a new contributor" in out
    code, out, _ = run("assess", "answer", ident, "PATH-04", "yes", "--contributor", "Luis Mamani")
    assert "registered" not in out  # known now
    # A demo person's name outside the demo is a new, real person, never the fictional one.
    fictional = sorted(DEMO_PEOPLE)[0]
    code, out, _ = run("assess", "answer", ident, "PATH-01", "3", "--contributor", fictional)
    assert code == 0 and "registered" in out
    with Workspace.open(run.data, daily_backup=False) as ws:
        demo = load_snapshot(ws, create_demo(ws), with_revisions=False)
        real = load_snapshot(ws, ident, with_revisions=False)
        demo_ids = {c.id for c in demo.contributors}
        assert not demo_ids & {c.id for c in real.contributors}
    assert _authors(run, ident, "PATH-04") == ["Luis Mamani", "Luis Mamani"]


def test_a_bad_answer_registers_nobody(run) -> None:  # type: ignore[no-untyped-def]
    ident = _new(run, "--contributor", "Rosa Quispe")
    code, _, err = run("assess", "answer", ident, "PATH-05", "not-a-number", "--contributor", "Zoe")
    assert code != 0 and "Traceback" not in err
    code, out, _ = run("assess", "contributors", ident, "--json")
    assert "Zoe" not in [p["name"] for p in json.loads(out)]


def test_demo_keeps_its_people_inside(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "d", daily_backup=False) as ws:
        demo = create_demo(ws)
        assert ws.contributor is None  # opening the demo made nobody this laptop's user
        inside = contributors.who_is_answering(ws, demo)
        assert inside.name in DEMO_PEOPLE  # playing in the demo is done as its coordinator
        real = create_assessment(ws, "Cusco", "Peru", "2026", FORM)
        me = contributors.who_is_answering(ws, real)
        assert me.name not in DEMO_PEOPLE
        with pytest.raises(ValidationError):
            save_answer(ws, real, "PATH-04", Answer(value="yes"), contributor=inside.id)
        picks = contributors.contributors_of(ws, real)
        assert all(p.name not in DEMO_PEOPLE for p in picks)


def test_switch_is_remembered_per_assessment(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "d", daily_backup=False) as ws:
        first = create_assessment(ws, "Cusco", "Peru", "2026", FORM, contributor="Rosa")
        second = create_assessment(ws, "Lima", "Peru", "2026", FORM, contributor="Ana")
        switched = contributors.switch_contributor(ws, first, "Luis", "pathologist")
        assert switched.registered and switched.contributor.role == "pathologist"
        assert contributors.who_is_answering(ws, first).name == "Luis"
        assert contributors.who_is_answering(ws, second).name == "Ana"
        save_answer(ws, first, "PATH-04", Answer(value="yes"))
        set_city_answer(ws, first, "PATH-04", Answer(value="yes"), "agreed")
        authors = [r.author.name for r in answer_history(ws, first, "PATH-04") if r.author]
        assert authors == ["Luis", "Luis"]
    with Workspace.open(tmp_path / "d", daily_backup=False) as ws:  # survives a restart
        assert contributors.who_is_answering(ws, first).name == "Luis"


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    turns=st.lists(
        st.tuples(st.sampled_from(["Ana", "Bob"]), st.sampled_from(["yes", "partial", "no"])),
        min_size=2,
        max_size=8,
    ),
    demo_first=st.booleans(),
)
def test_alternating_contributors_on_one_laptop_are_named_in_the_merge(
    tmp_path_factory: pytest.TempPathFactory, turns: list[tuple[str, str]], demo_first: bool
) -> None:
    """Two people taking turns at one laptop (switching before each answer): every revision
    names who gave it, and the merge view lists each person's last answer under their name."""
    with Workspace.open(tmp_path_factory.mktemp("shared"), daily_backup=False) as ws:
        if demo_first:
            create_demo(ws)
        ident = create_assessment(ws, "Cusco", "Peru", "2026", FORM, contributor="Ana")
        last: dict[str, str] = {}
        for name, value in turns:
            contributors.switch_contributor(ws, ident, name)
            save_answer(ws, ident, "PATH-04", Answer(value=value))
            last[name] = value
        history = answer_history(ws, ident, "PATH-04")
        assert [r.author.name if r.author else None for r in history] == [n for n, _ in turns]
        assert all(r.author is not None and r.subject == r.author.id for r in history)
        city = load_snapshot(ws, ident, with_revisions=False).answers["PATH-04"]
        shown = {e.contributor.name: e.answer.value for e in city.contributors}
        assert shown == last
        assert city.disagreement == (len(set(last.values())) > 1)


def test_a_contributor_from_another_laptop_can_be_chosen_but_is_never_the_default(
    tmp_path: Path,
) -> None:
    from app.storage import catalog

    with Workspace.open(tmp_path / "d", daily_backup=False) as ws:
        ident = create_assessment(ws, "Cusco", "Peru", "2026", FORM, contributor="Rosa")
        elsewhere = contributors.Contributor("0" * 8 + "-0000-4000-8000-" + "0" * 12, "Luis")
        with ws.write() as conn:
            catalog.insert_contributor(
                conn,
                contributors.Contributor(elsewhere.id, "Luis", device_id="laptop-b"),
                ws.now(),
            )
            contributors.remember(conn, ident, elsewhere.id)
        assert contributors.who_is_answering(ws, ident).name == "Luis"  # chosen: kept
        with ws.write() as conn:
            catalog.delete_setting(conn, contributors.ANSWERING + ident)
        assert contributors.who_is_answering(ws, ident).name == "Rosa"  # creator, this laptop
        luis = catalog_contributor(ws, elsewhere.id)
        pulled = create_assessment(ws, "Lima", "Peru", "2026", FORM, contributor=luis)
        with ws.write() as conn:  # as if pulled from the hub: no choice made on this laptop
            catalog.delete_setting(conn, contributors.ANSWERING + pulled)
        assert contributors.who_is_answering(ws, pulled).name != "Luis"


def catalog_contributor(ws: Workspace, contributor_id: str) -> contributors.Contributor:
    from app.storage import catalog

    with ws.read() as conn:
        found = catalog.get_contributor(conn, contributor_id)
    assert found is not None
    return found
