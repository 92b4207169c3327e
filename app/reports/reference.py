"""The reference parts of a report: method, data dictionary and audit trail.

Read from the questionnaire and the revisions as they are; nothing is scored here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from app.domain import Answer, Domain, Indicator
from app.reports import texts
from app.reports.data import AuditRow, DictionaryRow, GateRow, LevelRow, Method
from app.reports.values import (
    answer_words,
    bound_text,
    raw_value,
    state_label,
    timestamp_text,
)

if TYPE_CHECKING:
    from app.reports.build import _Builder

JUDGEMENT_MARK = "product judgement"


def source_text(b: _Builder, source: str) -> str:
    """A threshold's source as written (citations stay as published), with the definition's
    English "product judgement" mark in the report language."""
    return _JUDGEMENT.sub(b.t("product_judgement"), source)


_JUDGEMENT = re.compile(re.escape(JUDGEMENT_MARK), re.IGNORECASE)


def method(b: _Builder) -> Method:
    levels = tuple(
        LevelRow(d.level, b.pick(d.name), b.pick(d.description))
        for d in sorted(b.q.levels, key=lambda d: d.level)
    )
    gates = tuple(
        GateRow(
            id=g.id,
            message=b.pick(g.message),
            fires_when=b.t(
                "gate_all" if g.mode == "all" else "gate_any",
                ids=", ".join(g.indicators),
                level=g.min_level,
            ),
            caps=", ".join(f"{d} ≤ {n}" for d, n in g.caps.items()),
        )
        for g in b.q.gates
    )
    weights = tuple(
        (
            d.id,
            b.pick(d.name),
            float(b.snap.score.domain_weights.get(d.id, d.weight)),
        )
        for d in b.q.domains
    )
    judgement = tuple(
        (ind.id, source_text(b, ind.source))
        for ind in b.q.indicators
        if JUDGEMENT_MARK in ind.source.casefold()
    )
    return Method(
        levels=levels,
        paragraphs=texts.paragraphs("method_text", b.lang),
        gates=gates,
        weights=weights,
        judgement_note=b.t("judgement_note"),
        judgement=judgement,
        fonts_note=b.t("fonts_note"),
    )


def dictionary_row(
    b: _Builder, domain: Domain, section: Mapping[str, str], ind: Indicator
) -> DictionaryRow:
    lines: list[str] = []
    for option in ind.options:
        line = f"{option.code}: {b.pick(option.label)}"
        if option.level is not None:
            line += f" → {option.level}"
        lines.append(line)
    prefix = "n ≥ " if ind.level_by == "count" else "≥ "
    for band in ind.bands:
        lines.append(f"{prefix}{bound_text(band.minimum, b.lang)} → {band.level}")
    if ind.level_expression:
        lines.append(ind.level_expression)
    if ind.compute:
        lines.append(f"= {ind.compute}")
    low = "" if ind.minimum is None else bound_text(ind.minimum, b.lang)
    high = "" if ind.maximum is None else bound_text(ind.maximum, b.lang)
    span = ""
    if low and high:
        span = b.t("range_from_to", low=low, high=high)
    elif low:  # open-ended: "at least 0", never "0 to "
        span = b.t("range_at_least", low=low)
    elif high:
        span = b.t("range_at_most", high=high)
    return DictionaryRow(
        domain_id=domain.id,
        section=b.pick(section),
        id=ind.id,
        type=str(ind.type),
        question=b.pick(ind.label),
        unit=b.pick(ind.unit),
        range=span,
        weight=float(ind.weight),
        required=ind.required,
        scored=ind.scored,
        core=ind.core,
        level_by=str(ind.level_by),
        options="\n".join(lines),
        relevance=ind.relevance or "",
        source=source_text(b, ind.source),
    )


def audit(b: _Builder) -> tuple[AuditRow, ...]:
    revisions = sorted(b.snap.revisions, key=lambda r: (r.created_at, r.hlc, r.id))
    by_id = {r.id: r for r in revisions}
    rows = []
    for rev in revisions:
        ind = b.q.indicator(rev.indicator_id) if b.q.has_indicator(rev.indicator_id) else None
        before = " | ".join(
            revision_words(b, ind, by_id[p].answer) for p in rev.parents if p in by_id
        )
        subject = (
            b.t("subject_city") if rev.subject == "city" else b.names.get(rev.subject, rev.subject)
        )
        rows.append(
            AuditRow(
                when=timestamp_text(rev.created_at),
                who=rev.author.name if rev.author else "",
                device=rev.device_id,
                indicator_id=rev.indicator_id,
                subject=subject,
                from_text=before,
                to_text=revision_words(b, ind, rev.answer),
                state_label=state_label(rev.answer.state, b.labels),
                note=rev.answer.note,
                rationale=rev.rationale,
                revision_id=rev.id,
            )
        )
    return tuple(rows)


def revision_words(b: _Builder, ind: Indicator | None, answer: Answer) -> str:
    if ind is None:  # an indicator retired from this questionnaire version
        value = raw_value(answer.value)
        return str(value) if value is not None else state_label(answer.state, b.labels)
    return answer_words(ind, answer, b.lang, b.labels)
