"""Flowables of the PDF report: a paragraph that wraps once per width, headings that become
bookmarks, and a lighter "keep with next"."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, KeepTogether, Paragraph
from reportlab.platypus.flowables import _listWrapOn

ROOM_TO_START = 130.0  # points left on a page below which a heading moves to the next page


class Para(Paragraph):  # type: ignore[misc]
    """A Paragraph that remembers its line breaks for the last width it was wrapped at.

    Tables wrap every cell to measure rows, again for each part when they split, and again to
    draw; line breaking depends only on the width, so repeating it is wasted work.
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        cached = self.__dict__.get("_wrapped")
        if cached is not None and cached[0] == availWidth:
            _width, self.width, self.height, self.blPara, self._wrapWidths = cached
            return self.width, self.height
        result = super().wrap(availWidth, availHeight)
        if getattr(self, "blPara", None) is not None:
            self._wrapped = (availWidth, self.width, self.height, self.blPara, self._wrapWidths)
        return result  # type: ignore[no-any-return]


_FRAG_TEMPLATES: dict[str, Any] = {}


def plain_para(text: str, style: Any) -> Para:
    """A paragraph of plain text (no markup, no entity, no line break) without the XML parse.

    The one text fragment is cloned from a fragment reportlab itself parsed for this style, so
    fonts, colours and sizes are exactly what parsing would give.
    """
    template = _FRAG_TEMPLATES.get(style.name)
    if template is None:
        template = _FRAG_TEMPLATES[style.name] = Paragraph("x", style).frags[0]
    text = text.strip()
    return Para(text, style, frags=[template.clone(text=text)])


class Heading(Para):
    """A heading that also becomes a bookmark and an entry of the document outline."""

    def __init__(
        self, markup_text: Any, style: Any, outline: str = "", level: int = 0, **kwargs: Any
    ) -> None:
        super().__init__(markup_text, style, **kwargs)
        self.outline_title = outline  # "" for the second part of a split heading
        self.outline_level = level


class KeepWithNext(KeepTogether):  # type: ignore[misc]
    """A heading kept with what follows it, without leaving half a page blank.

    reportlab's own version measures the whole group and moves it to the next page whenever it
    does not fit. Here the group starts on this page when there is room for the heading and the
    first lines or rows (what follows then splits as usual); only near the bottom of a page is it
    measured, and moved on when it does not fit.
    """

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        self._wrapInfo = (aW, aH)
        return aW, 0xFFFFFF  # always ask for a split: the decision is made there

    def split(self, aW: float, aH: float) -> list[Flowable]:
        content = list(self._content)
        if aH >= ROOM_TO_START:
            return content
        _width, height = _listWrapOn(content, aW, self.canv)
        if height <= aH:
            return content
        return [self.FrameBreak(), *content]
