"""The demo assessment of a fictional city: a filled questionnaire a newcomer can open at once.

It is built from the shipped demo answers file (format below) in one transaction, and only once
per data folder: asking again returns the same assessment.

    {"city": ..., "country": ..., "period": ..., "language": ..., "form": "<form id or path>",
     "contributors": [{"name", "role", "institution", "answers": {answers-file mapping}}],
     "city_answers": {indicator id: {"value" or "state", "rationale"}}}
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.common.errors import UserError, ValidationError
from app.common.i18n import check_language
from app.common.paths import forms_dir
from app.domain import Answer, Contributor
from app.services.workspace import Workspace

DEMO_SETTING = "demo.assessment_id"  # = storage.demo_marks.DEMO_ASSESSMENT
DEMO_FILE = Path("precision-oncology-readiness") / "demo" / "demo-answers.json"


def demo_file() -> Path:
    return forms_dir() / DEMO_FILE


def find_demo(ws: Workspace) -> str | None:
    from app.storage import assessments_repo, catalog

    with ws.read() as conn:
        existing = catalog.get_setting(conn, DEMO_SETTING)
        if existing and assessments_repo.get_assessment(conn, existing) is not None:
            return existing
    return None


def create_demo(ws: Workspace, source: str | Path | None = None) -> str:
    """The demo assessment's id, creating it on first use."""
    existing = find_demo(ws)
    if existing:
        return existing
    from app.logic.answers_file import parse_answers, read_json_file
    from app.services.answers import validate, write_revision
    from app.services.assessments import insert_assessment, read_form
    from app.storage import catalog
    from app.storage.records import CITY

    path = Path(source) if source else demo_file()
    data = read_json_file(path)
    if not isinstance(data, dict):
        raise UserError(f"{path}:1: error: expected a JSON object")
    form = data.get("form")
    if not isinstance(form, str):
        raise UserError(f"{path}:1: error: 'form' must name the questionnaire")
    candidate = path.parent / form
    body, questionnaire = read_form(candidate if candidate.is_file() else form)
    header = {k: _text(data, k, path) for k in ("city", "country", "period")}
    language = data.get("language", "en")
    if not isinstance(language, str):
        raise UserError(f"{path}:1: error: 'language' must be a language code")
    check_language(language)
    people = data.get("contributors") or []
    if not isinstance(people, list):
        raise UserError(f"{path}:1: error: 'contributors' must be a list")
    # Validate everything before writing anything.
    plans: list[tuple[dict[str, Any], dict[str, Answer]]] = []
    for index, person in enumerate(people):
        if not isinstance(person, dict) or not isinstance(person.get("name"), str):
            raise UserError(f"{path}:1: error: contributor {index + 1} needs a name")
        answers = parse_answers(questionnaire, person.get("answers") or {}, source=str(path))
        plans.append((person, answers))
    city_plans: list[tuple[str, Answer, str]] = []
    for indicator_id, entry in (data.get("city_answers") or {}).items():
        if not isinstance(entry, dict):
            raise ValidationError(f"{path}: city answer {indicator_id} must be an object")
        rationale = str(entry.get("rationale") or "").strip()
        fields = {k: v for k, v in entry.items() if k != "rationale"}
        answer = parse_answers(questionnaire, {indicator_id: fields}, source=str(path))[
            indicator_id
        ]
        if not rationale:
            raise ValidationError(f"{path}: city answer {indicator_id} needs a rationale")
        city_plans.append((indicator_id, validate(questionnaire, indicator_id, answer), rationale))

    with ws.write() as conn:
        again = catalog.get_setting(conn, DEMO_SETTING)
        if again:
            return again
        # The demo's own fictional coordinator creates it and sets the city answers: the
        # demo's people exist only inside it, and this laptop's user stays who it was.
        lead = data.get("coordinator")
        if not (isinstance(lead, dict) and isinstance(lead.get("name"), str)):
            lead = {"name": "Demo coordinator"}
        coordinator = _person(ws, conn, lead)
        assessment_id = insert_assessment(
            ws,
            conn,
            header["city"],
            header["country"],
            header["period"],
            language,
            body,
            questionnaire,
            coordinator,
            demo=True,
        )
        for person, answers in plans:
            who = _person(ws, conn, person)
            for indicator_id, answer in answers.items():
                write_revision(ws, conn, assessment_id, indicator_id, who.id, answer, who)
        for indicator_id, answer, rationale in city_plans:
            write_revision(
                ws,
                conn,
                assessment_id,
                indicator_id,
                CITY,
                answer,
                coordinator,
                rationale=rationale,
            )
        catalog.set_setting(conn, DEMO_SETTING, assessment_id)
    return assessment_id


def _person(ws: Workspace, conn: Any, person: dict[str, Any]) -> Contributor:
    """A fictional person of the demo, marked so that they stay inside it."""
    from app.services.contributors import named
    from app.storage import demo_marks

    found = named(
        ws,
        conn,
        person["name"],
        str(person.get("role") or ""),
        str(person.get("institution") or ""),
        in_demo=True,
    )
    if found.registered:
        demo_marks.mark_person(conn, found.contributor.id)
    return found.contributor


def _text(data: dict[str, Any], key: str, path: Path) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise UserError(f"{path}:1: error: {key!r} must be a non-empty text")
    return value.strip()
