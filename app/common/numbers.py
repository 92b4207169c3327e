"""Numbers and plural categories for people, in the product's four languages (Babel, CLDR data).

One formatter and one rounding rule for every number a report shows: `round(value, decimals)`
first (as the JSON output rounds), then Babel's pattern for the language (decimal comma, digit
grouping, the space before "%" where the language has one). Group and percent spaces are
no-break spaces, so "2 400 000" and "35 %" never break across lines. Babel is imported on first
use, so importing this module costs nothing.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

NBSP = "\u00a0"
_NARROW_NBSP = "\u202f"  # CLDR's French group separator; some layout engines break at it


def round_half(value: float, decimals: int) -> float:
    """The one rounding rule: Python's `round`, the same the JSON output uses."""
    return round(value, decimals)


def format_number(value: float, lang: str, decimals: int | None = None) -> str:
    """`2400000` -> "2,400,000" (en), "2.400.000" (es, pt), "2 400 000" (fr); with `decimals`
    fixed digits after the separator, else as many as the value has (at most 6)."""
    from babel.numbers import format_decimal

    if decimals is None:
        if isinstance(value, int):
            pattern = "#,##0"
        else:
            digits = f"{float(value):.6f}".rstrip("0").split(".")[1]
            pattern = "#,##0" + ("." + "0" * len(digits) if digits else "")
    else:
        value = round_half(value, decimals)
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = str(format_decimal(value, format=pattern, locale=_locale(lang)))
    return text.replace(_NARROW_NBSP, NBSP)


def format_percent(share: float, lang: str, decimals: int = 0) -> str:
    """A share 0..1 as a percentage: "35%" (en, pt), "35 %" (es, fr)."""
    # Babel's pattern for zero gives the language's order and spacing ("0%", "0 %").
    return with_percent(format_number(share * 100, lang, decimals), lang)


def with_percent(number: str, lang: str) -> str:
    """An already formatted number with the language's percent sign: "62.5%", "62,5 %"."""
    from babel.numbers import format_percent as babel_percent

    sign = str(babel_percent(0, locale=_locale(lang)))
    return sign.replace("0", number, 1).replace(_NARROW_NBSP, NBSP)


def plural_category(count: float, lang: str) -> str:
    """CLDR plural category of `count` in `lang`: "one", "many" or "other"."""
    return str(_locale(lang).plural_form(count))


@lru_cache(maxsize=8)
def _locale(lang: str) -> Any:
    from babel import Locale

    return Locale.parse(lang)
