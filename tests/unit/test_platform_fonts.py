"""Report fonts come from the product's resources/, never from the computer's own fonts.

A Windows laptop has no DejaVu; a minimal Linux has no Arial. The PDF must look the same and keep
every script it supports everywhere, so reportlab is given the shipped files by path.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from app.common.errors import UserError
from app.reports import fonts

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = {
    "Latin with accents": "São Tomé, Kraków, Niš",
    "Cyrillic": "Тбилиси, Алматы",
    "Georgian": "თბილისი",
    "Armenian": "Երևան",
    "Greek": "Αθήνα",
}


def test_report_fonts_are_the_shipped_files() -> None:
    from reportlab.pdfbase import pdfmetrics

    fonts.register_fonts()
    for name, filename in (
        (fonts.REGULAR, "DejaVuSans.ttf"),
        (fonts.BOLD, "DejaVuSans-Bold.ttf"),
        (fonts.OBLIQUE, "DejaVuSans-Oblique.ttf"),
    ):
        face = pdfmetrics.getFont(name).face
        assert Path(face.filename).resolve() == (ROOT / "resources" / "fonts" / filename).resolve()
    assert (ROOT / "resources" / "fonts" / "LICENSE-DejaVu.txt").is_file()


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_the_shipped_font_has_every_glyph_the_report_promises(script: str) -> None:
    from reportlab.pdfbase.ttfonts import TTFontFile

    face = TTFontFile(str(ROOT / "resources" / "fonts" / "DejaVuSans.ttf"))
    missing = [ch for ch in SCRIPTS[script] if ch != " " and ord(ch) not in face.charToGlyph]
    assert missing == []


def test_a_bundle_without_its_fonts_says_which_file_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    bundle = tmp_path / "_internal"
    (bundle / "resources" / "fonts").mkdir(parents=True)
    monkeypatch.setattr(sys, "_MEIPASS", str(bundle), raising=False)
    monkeypatch.setattr(fonts, "_registered", False)
    with pytest.raises(UserError) as caught:
        fonts.register_fonts()
    assert str(bundle / "resources" / "fonts" / "DejaVuSans.ttf") in str(caught.value)
    assert "font" in str(caught.value)
