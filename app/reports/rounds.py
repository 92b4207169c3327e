"""The change since the previous round of a city, in numbers and in words."""

from __future__ import annotations

from app.common.numbers import format_number
from app.reports.data import ReportData


def level_change(data: ReportData, domain_id: str) -> int | None:
    """Levels gained (negative: lost) since the previous round; None when either has no level."""
    before = data.previous_domain(domain_id)
    now = next((d for d in data.summary.domains if d.id == domain_id), None)
    if before is None or now is None or before.level is None or now.level is None:
        return None
    return now.level - before.level


def change_cell(data: ReportData, domain_id: str) -> str:
    """The summary table's cell: "2 → 3 (+1)", "3 (=)", or "—" without a previous level."""
    before = data.previous_domain(domain_id)
    now = next((d for d in data.summary.domains if d.id == domain_id), None)
    if before is None or before.level is None:
        return data.label("none")
    change = level_change(data, domain_id)
    if change is None or now is None or now.level is None:
        return str(before.level)
    if change == 0:
        return f"{now.level} (=)"
    return f"{before.level} → {now.level} ({_signed(change, data.lang)})"


def change_sentence(data: ReportData, domain_id: str) -> str:
    """A domain section's line: the previous round's level and the change; "" for a first round."""
    if data.previous is None:
        return ""
    before = data.previous_domain(domain_id)
    if before is None:
        previous, change_words = data.label("none"), data.label("change_new")
    else:
        previous = before.level_text
        change = level_change(data, domain_id)
        if change is None:
            change_words = data.label("none")
        elif change == 0:
            change_words = data.label("change_none")
        else:
            change_words = _signed(change, data.lang)
    return data.label(
        "change_since", period=data.previous.cover.period, previous=previous, change=change_words
    )


def _signed(change: int, lang: str) -> str:
    return ("+" if change > 0 else "−") + format_number(abs(change), lang)
