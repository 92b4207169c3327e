"""The tidy tables of the export: the same in the XLSX (one sheet each) and as CSV files.

Made to be stacked across cities and languages without hand work: every row carries the
assessment's identity; column names, states, options and other codes are stable English codes
whatever the report language (labels sit in separate `*_label` columns); booleans are 0/1;
timestamps are real date-times in UTC; a multiple choice is both a code list and one 0/1 column
per option; people appear as ids in rows, never as column headers; no notes below the data.
Library-free: `xlsx_tidy` and `csv_export` write these tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from app import __version__
from app.common.i18n import LANGUAGES
from app.reports.data import (
    Confidence,
    ContributorAnswerRow,
    IndicatorRow,
    RawValue,
    ReportData,
)

Cell = str | int | float | date | datetime | None

FORMAT_VERSION = "1"  # of these tables' columns; raised when a column changes meaning or goes

KEY_COLUMNS = (
    "assessment_id",
    "city",
    "country",
    "period",
    "round",
    "questionnaire_id",
    "questionnaire_version",
    "language",
)
VALUE_COLUMNS = ("value_code", "value_number", "value_date", "value_text")
ANSWER_COLUMNS = (
    "domain_id",
    "indicator_id",
    "type",
    "state",
    *VALUE_COLUMNS,
    "level",
    "scored",
    "how_set",
    "set_by",
    "set_at_utc",
    "computed_from",
    "disagreement",
    "conflict",
    "data_gap",
    "to_confirm",
    "evidence",
    "domain_label",
    "question_label",
    "state_label",
    "value_label",
    "how_set_label",
    "evidence_label",
    "note",
    "rationale",
)
CONTRIBUTOR_ANSWER_COLUMNS = (
    "indicator_id",
    "contributor_id",
    "role",
    "state",
    *VALUE_COLUMNS,
    "evidence",
    "to_confirm",
    "changed_at_utc",
    "state_label",
    "value_label",
    "evidence_label",
    "note",
)
# Data confidence counts (confidence.py), on each domain's row.
CONFIDENCE_COLUMNS = (
    "n_asked",
    "n_answered",
    "n_dont_know",
    "n_not_measured",
    "n_not_applicable",
    "n_unanswered",
    "n_evidence_document",
    "n_evidence_data",
    "n_evidence_estimate",
    "n_evidence_none",
    "n_disagreements",
    "n_settled_by_coordinator",
    "n_unresolved",
)
DOMAIN_COLUMNS = (
    "domain_id",
    "level",
    "score",
    "completeness",
    "dont_know",
    "provisional",
    "capped_by",
    "weight",
    "previous_level",  # in the previous round of this city (its rows follow in the same table)
    "previous_score",
    "level_change",
    "domain_label",
    "level_label",
    *CONFIDENCE_COLUMNS,
)
CHOICE_COLUMNS = ("list_name", "code", *(f"label_{lang}" for lang in LANGUAGES))
DATETIME_COLUMNS = frozenset({"set_at_utc", "changed_at_utc", "generated_at_utc"})


@dataclass(frozen=True)
class Table:
    name: str  # a stable code: the sheet name and the CSV file's stem
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def tables(data: ReportData) -> tuple[Table, ...]:
    """Every tidy table of one assessment, in export order.

    With a previous round, its rows follow this round's in the answers, contributor answers and
    domains tables (the key columns tell the rounds apart); answers only when both rounds use
    the same questionnaire version, so that the option columns are the same.
    """
    merged = []
    for build in (answers_table, contributor_answers_table, domains_table):
        table = build(data)
        if data.previous is not None:
            before = build(data.previous)
            if before.columns == table.columns:
                table = Table(table.name, table.columns, table.rows + before.rows)
        merged.append(table)
    return (*merged, choices_table(data), version_table(data))


def _previous(data: ReportData, domain_id: str) -> tuple[Cell, Cell, Cell]:
    from app.reports.rounds import level_change

    before = data.previous_domain(domain_id)
    if before is None:
        return (None, None, None)
    return (before.level, before.score, level_change(data, domain_id))


def key(data: ReportData) -> tuple[Cell, ...]:
    c = data.cover
    return (
        c.assessment_id,
        c.city,
        c.country,
        c.period,
        c.round,
        c.questionnaire_id,
        c.questionnaire_version,
        data.lang,
    )


def option_columns(data: ReportData) -> tuple[tuple[str, str, str], ...]:
    """(column, indicator id, option code) for every option of every multiple choice."""
    return tuple(
        (f"{r.id}__{code}", r.id, code)
        for r in data.answers
        if r.type_code == "multiple_choice"
        for code in r.options
    )


def answers_table(data: ReportData) -> Table:
    options = option_columns(data)
    rows = []
    for r in data.answers:
        selected = _codes(r.code) if r.type_code == "multiple_choice" else ()
        rows.append(
            (
                *key(data),
                r.domain_id,
                r.id,
                r.type_code,
                r.state,
                *_value_cells(r.type_code, r.code),
                r.level,
                int(r.scored),
                r.how_set_code,
                r.changed_by or None,
                utc(r.changed_at_iso),
                ",".join(r.computed_from) or None,
                int(r.disagreement),
                int(r.conflict),
                int(r.data_gap),
                int(r.to_confirm),
                r.evidence_code or None,
                r.domain_name,
                r.question,
                r.state_label,
                r.label,
                r.how_set or None,
                r.evidence or None,
                r.note or None,
                r.rationale or None,
                *(
                    (int(code in selected) if r.state == "answered" else None)
                    if indicator_id == r.id
                    else None
                    for _column, indicator_id, code in options
                ),
            )
        )
    columns = (*KEY_COLUMNS, *ANSWER_COLUMNS, *(column for column, _i, _c in options))
    return Table("answers_tidy", columns, tuple(rows))


def contributor_answers_table(data: ReportData) -> Table:
    roles = {p.id: p.role for p in data.contributors}
    rows = []
    for r in data.answers:
        for given in r.contributors:
            if given is not None:
                rows.append(_contributor_row(data, r, given, roles.get(given.contributor_id, "")))
    return Table("contributor_answers", (*KEY_COLUMNS, *CONTRIBUTOR_ANSWER_COLUMNS), tuple(rows))


def _contributor_row(
    data: ReportData, r: IndicatorRow, given: ContributorAnswerRow, role: str
) -> tuple[Cell, ...]:
    return (
        *key(data),
        r.id,
        given.contributor_id,
        role or None,
        given.state,
        *_value_cells(r.type_code, given.code),
        given.evidence_code or None,
        int(given.to_confirm),
        utc(given.changed_at_iso),
        given.state_label,
        given.label,
        given.evidence or None,
        given.note or None,
    )


def domains_table(data: ReportData) -> Table:
    counts = {c.domain_id: _counts(c) for c in data.confidence if c.domain_id}
    blank: tuple[Cell, ...] = (None,) * len(CONFIDENCE_COLUMNS)
    rows = tuple(
        (
            *key(data),
            d.id,
            d.level,
            d.score,
            d.completeness,
            d.dont_know,
            int(d.provisional),
            ",".join(d.capped_by) or None,
            d.weight,
            *_previous(data, d.id),
            d.name,
            d.level_text,
            *counts.get(d.id, blank),
        )
        for d in data.summary.domains
    )
    return Table("domains", (*KEY_COLUMNS, *DOMAIN_COLUMNS), rows)


def _counts(c: Confidence) -> tuple[Cell, ...]:
    return (
        c.asked,
        c.answered,
        c.dont_know,
        c.not_measured,
        c.not_applicable,
        c.unanswered,
        c.evidence_document,
        c.evidence_data,
        c.evidence_estimate,
        c.evidence_none,
        c.disagreements,
        c.settled,
        c.unresolved,
    )


def choices_table(data: ReportData) -> Table:
    rows = tuple((c.list_name, c.code, *c.labels) for c in data.choices)
    return Table("choices", CHOICE_COLUMNS, rows)


def version_table(data: ReportData) -> Table:
    c = data.cover
    facts: tuple[tuple[str, Cell], ...] = (
        ("format_version", FORMAT_VERSION),
        ("product", f"Readiness {__version__}"),
        ("assessment_id", c.assessment_id),
        ("round", c.round),
        ("previous_assessment_id", c.previous_assessment_id or None),
        ("questionnaire_id", c.questionnaire_id),
        ("questionnaire_version", c.questionnaire_version),
        ("questionnaire_sha256", c.fingerprint),
        ("language", data.lang),
        ("generated_at_utc", utc(data.generated_at)),
    )
    return Table("version", ("field", "value"), facts)


def _codes(code: RawValue) -> tuple[str, ...]:
    return tuple(c for c in str(code).split(",") if c) if code not in (None, "") else ()


def _value_cells(type_code: str, code: RawValue) -> tuple[Cell, Cell, Cell, Cell]:
    """The value in exactly one typed column: code (choices), number, date or text."""
    if code is None or code == "":
        return (None, None, None, None)
    if type_code in ("yes_partial_no", "single_choice", "multiple_choice"):
        return (str(code), None, None, None)
    if isinstance(code, int | float) and not isinstance(code, bool):
        return (None, code, None, None)
    if type_code == "date":
        try:
            return (None, None, date.fromisoformat(str(code)), None)
        except ValueError:  # stored dates are validated; keep anything else readable as text
            return (None, None, None, str(code))
    return (None, None, None, str(code))


def utc(iso: str) -> datetime | None:
    """ISO 8601 UTC text -> a naive date-time in UTC (spreadsheets store no time zone)."""
    if not iso:
        return None
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is not None:
        from datetime import UTC

        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment
