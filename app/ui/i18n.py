"""The window's language: gettext catalogues for our strings, QTranslator for Qt's own.

`_()` translates through the current catalogue; strings evaluated at import time are marked with
`N_()` and translated where they are shown. `set_language()` switches at run time: it loads the
catalogue, swaps the Qt translator (qtbase) and sets the default QLocale, so numbers and dates
follow the language (decimal comma for es/fr/pt). Widgets then re-translate themselves through
their `retranslate()` methods, called by the main window.
"""

from __future__ import annotations

import gettext
import logging
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from app.common.i18n import DEFAULT_LANGUAGE, LANGUAGES
from app.common.paths import resources_dir

log = logging.getLogger("readiness.ui.i18n")

DOMAIN = "readiness"
# The QLocale each language formats numbers and dates with.
_LOCALE_NAMES = {"en": "en_GB", "es": "es_ES", "fr": "fr_FR", "pt": "pt_PT"}
# Qt ships Brazilian Portuguese only; its dialog strings suit both.
_QT_CATALOGUES = {"es": "qtbase_es", "fr": "qtbase_fr", "pt": "qtbase_pt_BR"}

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = DEFAULT_LANGUAGE
_qt_translator: QTranslator | None = None


def catalogue_dir() -> Path:
    return resources_dir() / "i18n"


def _(message: str) -> str:
    """`message` in the current language (English when no translation exists)."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return _translations.ngettext(singular, plural, count)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction without translating it now."""
    return message


def current_language() -> str:
    return _language


def set_language(lang: str) -> None:
    """Switch the catalogues, the Qt translator and the default locale to `lang`."""
    global _translations, _language, _qt_translator
    if lang not in LANGUAGES:
        lang = DEFAULT_LANGUAGE
    _translations = load_catalogue(lang)
    _language = lang
    QLocale.setDefault(locale_for(lang))
    app = QCoreApplication.instance()
    if app is None:
        return
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    name = _QT_CATALOGUES.get(lang)
    if name:
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(name, folder):
            app.installTranslator(translator)
            _qt_translator = translator
        else:
            log.info("no Qt translation %s in %s", name, folder)


def system_locale_name() -> str:
    """The system's preferred user-interface language, as Qt names it ("es-ES", "C")."""
    system = QLocale.system()
    languages = system.uiLanguages()
    return languages[0] if languages else system.name()


def system_language() -> str:
    """The system's language when the window has it, else English."""
    code = system_locale_name().replace("_", "-").split("-")[0].lower()
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def startup_language(chosen: str) -> str:
    """The language to start in: the one chosen in the settings, else the system's."""
    return chosen if chosen in LANGUAGES else system_language()


def load_catalogue(lang: str) -> gettext.NullTranslations:
    if lang == DEFAULT_LANGUAGE:
        return gettext.NullTranslations()
    try:
        return gettext.translation(DOMAIN, catalogue_dir(), languages=[lang])
    except OSError:
        log.warning("no catalogue for %s in %s", lang, catalogue_dir())
        return gettext.NullTranslations()


def locale_for(lang: str | None = None) -> QLocale:
    locale = QLocale(_LOCALE_NAMES.get(lang or _language, "en_GB"))
    # Group separators make typed numbers ambiguous ("1.000" in Spanish); leave them out.
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return locale


def format_number(value: float | int, decimals: int | None = None) -> str:
    """A number in the current language's style (`2,5` in es/fr/pt)."""
    locale = locale_for()
    if isinstance(value, int) and decimals is None:
        return locale.toString(value)
    if decimals is None:
        text = f"{float(value):.6f}".rstrip("0").rstrip(".")
        decimals = len(text.split(".")[1]) if "." in text else 0
    return locale.toString(float(value), "f", decimals)


def parse_number(text: str) -> float | None:
    """A number typed in the current language's style, or None when it is not one.

    A comma and a dot are both accepted as the decimal mark, whatever the language: people
    paste figures from documents in other languages.
    """
    cleaned = text.strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if not cleaned:
        return None
    # One comma or dot not followed by exactly three digits is a decimal mark in every language:
    # "65,5" and "65.5" both mean 65.5 (an English locale would read "65,5" as 655).
    marks = [c for c in cleaned if c in ",."]
    if len(marks) == 1:
        whole, _mark, fraction = cleaned.replace(",", ".").partition(".")
        if len(fraction) != 3 or not fraction.isdigit():
            number, ok = QLocale.c().toDouble(f"{whole}.{fraction}")
            return number if ok else None
    number, ok = locale_for().toDouble(cleaned)
    if ok:
        return number
    number, ok = QLocale.c().toDouble(cleaned)
    return number if ok else None


def format_date(iso: str) -> str:
    """`YYYY-MM-DD` in the current language's short date format."""
    from PySide6.QtCore import QDate

    day = QDate.fromString(iso[:10], "yyyy-MM-dd")
    if not day.isValid():
        return iso
    return locale_for().toString(day, QLocale.FormatType.ShortFormat)


def format_timestamp(iso: str) -> str:
    """An ISO UTC timestamp as local date and time, written year-month-day ("2026-03-04 14:05"):
    a short locale date such as 03/04/26 reads as two different days on two laptops."""
    from PySide6.QtCore import QDateTime, Qt

    moment = QDateTime.fromString(iso, Qt.DateFormat.ISODate)
    if not moment.isValid():
        return iso
    return moment.toLocalTime().toString("yyyy-MM-dd HH:mm")
