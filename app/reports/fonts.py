"""The PDF's fonts: DejaVu Sans, shipped in resources/fonts/ and embedded in every report.

DejaVu covers Latin, Greek, Cyrillic, Georgian and Armenian. Scripts that need complex shaping
(Khmer, Burmese, Arabic) still build: missing glyphs show as boxes, and the Excel export keeps
the exact text.
"""

from __future__ import annotations

import threading
from pathlib import Path

from app.common.errors import UserError
from app.common.paths import resources_dir

REGULAR = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
OBLIQUE = "DejaVuSans-Oblique"
FAMILY = "DejaVu"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", OBLIQUE: "DejaVuSans-Oblique.ttf"}
_lock = threading.Lock()
_registered = False


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def register_fonts() -> None:
    """Register the fonts with reportlab once per process (thread-safe)."""
    global _registered
    with _lock:
        if _registered:
            return
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics, ttfonts

        ttfonts.makeToUnicodeCMap = _to_unicode_cmap
        folder = fonts_dir()
        for name, filename in _FILES.items():
            path = folder / filename
            try:
                pdfmetrics.registerFont(ttfonts.TTFont(name, str(path)))
            except (OSError, ttfonts.TTFError) as exc:
                raise UserError(f"{path}: the report font cannot be loaded: {exc}") from exc
        pdfmetrics.registerFontFamily(
            FAMILY, normal=REGULAR, bold=BOLD, italic=OBLIQUE, boldItalic=BOLD
        )
        # `<b>` and `<i>` in our own templates resolve through these mappings.
        for name in (REGULAR, FAMILY):
            addMapping(name, 0, 0, REGULAR)
            addMapping(name, 1, 0, BOLD)
            addMapping(name, 0, 1, OBLIQUE)
            addMapping(name, 1, 1, BOLD)
        _registered = True


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap, with characters beyond U+FFFF written as UTF-16 pairs.

    reportlab writes them as five hex digits, which text extraction (pdftotext, screen readers,
    copy and paste) misreads; the PDF specification wants UTF-16BE.
    """
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo",
        f"<< /Registry ({fontname})",
        f"/Ordering ({fontname})",
        "/Supplement 0",
        ">> def",
        f"/CMapName /{fontname} def",
        "/CMapType 2 def",
        "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>",
        "endcodespacerange",
        f"{len(subset)} beginbfchar",
    ]
    lines += [f"<{i:02X}> <{_utf16_hex(v)}>" for i, v in enumerate(subset)]
    lines += ["endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
    return "\n".join(lines)


def _utf16_hex(code: int) -> str:
    try:
        return chr(code).encode("utf-16-be").hex().upper()
    except (ValueError, UnicodeEncodeError):  # a lone surrogate: nothing sensible to map
        return "FFFD"
