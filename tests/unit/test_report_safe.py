"""Making user text safe for Paragraph markup and for Excel cells."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from app.reports import texts
from app.reports.safe import EXCEL_CELL_LIMIT, clean, excel_text, para, plain, truncate

NOTE = texts.text("truncated_cell", "en")


def test_para_escapes_every_markup_character() -> None:
    assert para('<img src="/etc/passwd"/> & <b>x') == (
        '&lt;img src="/etc/passwd"/&gt; &amp; &lt;b&gt;x'
    )
    assert para("&bogus;") == "&amp;bogus;"


def test_para_keeps_line_breaks_as_our_own_markup() -> None:
    assert para("a\r\nb\rc\nd") == "a<br/>b<br/>c<br/>d"


def test_control_characters_are_marked_visibly() -> None:
    assert clean("a\x00b\x07c\x1bd\x7f") == "a[U+0000]b[U+0007]c[U+001B]d[U+007F]"
    assert clean("lone \ud800 surrogate") == "lone [U+D800] surrogate"
    assert clean("tab\tand\nnewline stay") == "tab\tand\nnewline stay"


def test_plain_is_one_line_without_controls() -> None:
    assert plain("  Cali\n\x01 <b>\t ") == "Cali [U+0001] <b>"


def test_truncate_appends_the_note_only_when_cut() -> None:
    assert truncate("short", 10, "(cut)") == "short"
    assert truncate("x" * 12, 10, "(cut)") == "x" * 10 + " (cut)"


def test_formula_like_text_is_kept_verbatim_for_excel() -> None:
    for text in ("=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "=cmd|' /C calc'!A0"):
        cell = excel_text(text, NOTE)
        assert cell.text == text
        assert not cell.truncated and not cell.marked_controls


def test_excel_marks_what_it_cannot_store() -> None:
    cell = excel_text("a\x01b\x0bc\r\nd\re", NOTE)
    assert cell.text == "a[U+0001]b[U+000B]c\nd\ne"
    assert cell.marked_controls


def test_excel_truncates_visibly_at_the_cell_limit() -> None:
    cell = excel_text("x" * 200_000, NOTE)
    assert cell.truncated
    assert len(cell.text) == EXCEL_CELL_LIMIT
    assert cell.text.endswith(NOTE.format(n=200_000))
    exact = excel_text("y" * EXCEL_CELL_LIMIT, NOTE)
    assert not exact.truncated and exact.text == "y" * EXCEL_CELL_LIMIT


def test_excel_limit_counts_utf16_units() -> None:
    emoji = "😀" * 20_000  # 40,000 UTF-16 units in 20,000 characters
    cell = excel_text(emoji, NOTE)
    assert cell.truncated
    assert len(cell.text.encode("utf-16-le")) // 2 <= EXCEL_CELL_LIMIT
    assert "\ud83d" not in cell.text  # no half of a pair left at the cut


@given(st.text(min_size=1, max_size=300), st.integers(min_value=1, max_value=200))
def test_truncate_keeps_a_prefix_and_ends_on_a_word_when_one_ends_close_by(
    text: str, limit: int
) -> None:
    cut = truncate(text, limit, "(cut)")
    if len(text) <= limit:
        assert cut == text
        return
    kept = cut.removesuffix(" (cut)")
    assert cut.endswith(" (cut)") and text.startswith(kept) and len(kept) <= limit
    space = max(text[:limit].rfind(" "), text[:limit].rfind("\n"))
    if space > 0 and space >= limit - 40:  # a word ends close to the limit: no half word
        assert text[len(kept)].isspace()  # the cut falls between words


def test_truncate_does_not_cut_mid_word() -> None:
    text = "alpha beta gamma delta"
    assert truncate(text, 13, "(cut)") == "alpha beta (cut)"
