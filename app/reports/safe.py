"""Making user text safe for the two renderers, visibly and without losing meaning.

PDF: reportlab's `Paragraph` reads its text as markup (`<img src>` opens local files, `<a href>`
makes links, an unclosed `<b>` fails the whole build), so every user string goes through `para()`,
which escapes it; markup is only ever built from our own templates.

Excel: openpyxl turns a string starting with "=" into a live formula, raises on control characters
and silently truncates at 32,767 characters. `excel_text()` returns text that is stored verbatim as
a string cell, with control characters and truncation marked where a reader can see them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.sax.saxutils import escape

EXCEL_CELL_LIMIT = 32_767
PDF_NOTE_LIMIT = 20_000  # a text in the PDF appendix; beyond it only the exports have it whole
WORD_BACKTRACK = 40  # a cut moves back to the last space within this many characters

# Characters no renderer may pass on: C0/C1 controls (tab and newline are handled apart),
# lone surrogates (not encodable) and the two XML non-characters.
_PDF_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# What openpyxl refuses (ILLEGAL_CHARACTERS_RE) plus what XML cannot carry at all.
_EXCEL_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_NEWLINES = re.compile("\r\n?")


def marker(char: str) -> str:
    """The visible stand-in for a character that cannot be stored: `[U+0001]`."""
    return f"[U+{ord(char):04X}]"


def _mark(match: re.Match[str]) -> str:
    return marker(match.group(0))


def clean(text: str) -> str:
    """Line endings as "\\n"; control characters, lone surrogates and non-characters marked."""
    return _PDF_UNSAFE.sub(_mark, _NEWLINES.sub("\n", text))


def truncate(text: str, limit: int, note: str) -> str:
    """`text` cut at `limit` characters with `note` (already formatted) appended when cut."""
    if len(text) <= limit:
        return text
    kept = text[:limit]
    space = max(kept.rfind(" "), kept.rfind("\n"))
    if space > 0 and space >= limit - WORD_BACKTRACK:  # end on a whole word close by
        kept = kept[:space]
    return kept.rstrip() + " " + note


def para(text: str) -> str:
    """User text as safe Paragraph markup: escaped, cleaned, line breaks kept."""
    cleaned = clean(text).replace("\t", " ")
    return escape(cleaned).replace("\n", "<br/>")


def plain(text: str) -> str:
    """User text for places that take no markup (outline entries, metadata, canvas strings)."""
    return " ".join(clean(text).split())


@dataclass(frozen=True)
class CellText:
    text: str
    marked_controls: bool  # control characters were replaced by visible markers
    truncated: bool  # the text was cut to fit one cell


def excel_text(text: str, truncated_note: str) -> CellText:
    """Text that openpyxl stores verbatim. `truncated_note` is formatted with `n` (the length)."""
    normalised = _NEWLINES.sub("\n", text)  # XML readers turn a bare CR into LF anyway
    marked = _EXCEL_UNSAFE.sub(_mark, normalised)
    controls = marked != normalised
    # Excel counts UTF-16 code units, not characters.
    if len(marked) <= EXCEL_CELL_LIMIT // 2 or _utf16_units(marked) <= EXCEL_CELL_LIMIT:
        return CellText(marked, controls, False)
    note = truncated_note.format(n=len(marked))
    room = EXCEL_CELL_LIMIT - _utf16_units(note)
    kept = marked.encode("utf-16-le")[: 2 * room].decode("utf-16-le", errors="ignore")
    return CellText(kept + note, controls, True)


def _utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le", errors="surrogatepass")) // 2


# What makes a spreadsheet read a CSV cell as a formula (or, for tab and CR, hide the start).
_CSV_ACTIVE = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """Text for a CSV cell that a spreadsheet never runs: an active first character gets a `'`.

    Only text is prefixed; numbers we write ourselves stay numbers (a negative number is data).
    """
    return "'" + text if text.startswith(_CSV_ACTIVE) else text
