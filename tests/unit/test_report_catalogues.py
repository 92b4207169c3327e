"""Report texts go through gettext: extracted, translated in es/fr/pt, compiled, all in step."""

from __future__ import annotations

import gettext
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from app.reports import texts

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "resources" / "i18n"
TRANSLATED = ("es", "fr", "pt")


def extracted() -> set[str]:
    found = extract_from_file(
        "python", ROOT / "app" / "reports" / "texts.py", keywords={"N_": None}
    )
    return {message for _line, message, _comments, _context in found}


def test_every_report_text_is_marked_and_in_the_template() -> None:
    assert extracted() == set(texts.messages())
    with open(I18N / "reports.pot", "rb") as f:
        template = read_po(f)
    assert {m.id for m in template if m.id} == set(texts.messages())


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_message_is_translated_and_compiled(lang: str) -> None:
    with open(I18N / lang / "LC_MESSAGES" / "reports.po", "rb") as f:
        catalogue = read_po(f, locale=lang)
    entries = {m.id: m for m in catalogue if m.id}
    missing = [m for m in texts.messages() if m not in entries or not entries[m].string]
    assert not missing, missing[:5]
    assert not [m.id for m in entries.values() if m.fuzzy]
    compiled = gettext.GNUTranslations(open(I18N / lang / "LC_MESSAGES" / "reports.mo", "rb"))
    stale = [m for m in texts.messages() if compiled.gettext(m) != entries[m].string]
    assert not stale, stale[:5]  # run pybabel compile -D reports -d resources/i18n
    formatter = string.Formatter()
    for message in texts.messages():
        fields = {name for _t, name, _f, _c in formatter.parse(message) if name}
        translated = {name for _t, name, _f, _c in formatter.parse(entries[message].string) if name}
        assert fields == translated, message


# Words spelt the same in English and the language, checked once by a reader of each language.
SAME = {
    "es": {"status_final", "col_provisional", "col_id", "no", "none", "provisional_mark"},
    "fr": {
        "questionnaire",
        "version",
        "status_final",
        "col_score",
        "col_id",
        "col_question",
        "col_note",
        "col_action",
        "col_section",
        "col_type",
        "col_source",
        "none",
        "evidence_document",
        "evidence_audit",
        "evidence_observation",
    },
    "pt": {"status_final", "col_id", "none"},
}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_report_label_stays_english(lang: str) -> None:
    english = texts.labels("en")
    local = texts.labels(lang)
    assert {k for k in english if english[k] == local[k]} == SAME[lang]
