"""The four languages of the product and how a text picks one.

Questionnaire content carries its own translations (a `LocalText` mapping per string); the
application's own strings go through gettext catalogues in `resources/i18n/` (see `app.ui`).
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES: tuple[str, ...] = ("en", "es", "fr", "pt")
DEFAULT_LANGUAGE = "en"
LANGUAGE_NAMES: Mapping[str, str] = {
    "en": "English",
    "es": "Español",
    "fr": "Français",
    "pt": "Português",
}
# Languages that write decimals with a comma.
DECIMAL_COMMA: frozenset[str] = frozenset({"es", "fr", "pt"})


def pick(text: Mapping[str, str] | None, lang: str) -> str:
    """The text in `lang`, falling back to English, then to any language, then to ''."""
    if not text:
        return ""
    return text.get(lang) or text.get(DEFAULT_LANGUAGE) or next(iter(text.values()), "")


def check_language(lang: str) -> str:
    from app.common.errors import ValidationError

    if lang not in LANGUAGES:
        raise ValidationError(f"unknown language {lang!r}: use one of {', '.join(LANGUAGES)}")
    return lang


def format_number(value: float, lang: str, decimals: int | None = None) -> str:
    """A number for people: `2.5` in English, `2,5` in Spanish, French and Portuguese."""
    if decimals is None:
        text = f"{value:g}" if isinstance(value, float) else str(value)
    else:
        text = f"{value:.{decimals}f}"
    return text.replace(".", ",") if lang in DECIMAL_COMMA else text
