"""The guides name the maturity levels exactly as the app and the report do."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.forms import find_form, load_questionnaire

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("guide", "lang"),
    [
        ("docs/user-guide.md", "en"),
        ("docs/user-guide.es.md", "es"),
        ("docs/user-guide.fr.md", "fr"),
    ],
)
@pytest.mark.parametrize(
    "form", ["precision-oncology-readiness", "precision-oncology-readiness-core"]
)
def test_level_names_in_the_guides_are_the_questionnaires(guide: str, lang: str, form: str) -> None:
    text = (ROOT / guide).read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| ([1-5]) \| ([^|]+?) \|", text, flags=re.M))
    questionnaire = load_questionnaire(find_form(form))
    shipped = {str(level.level): level.name[lang] for level in questionnaire.levels}
    assert table == shipped
