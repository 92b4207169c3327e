"""The flowables of the PDF report, section by section.

User text reaches a paragraph only through `cell()` / `para()` (escaped), so no markup of ours
wraps it: each styled run is a paragraph of its own, which also keeps layout fast (reportlab
breaks single-style paragraphs several times faster than mixed ones). Long free text is cut in
the PDF with a visible marker; the Excel export keeps it whole.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, PageBreak, Spacer, Table

from app.common.numbers import format_number, format_percent
from app.reports import texts
from app.reports.chart import ChartPoint, domain_chart
from app.reports.data import DomainSection, IndicatorRow, ReportData, StepRow
from app.reports.fonts import BOLD, REGULAR
from app.reports.pdf_flow import Heading, Para
from app.reports.pdf_styles import (
    ACCENT,
    APPX_FACT,
    APPX_FLAG,
    APPX_META,
    APPX_PERSON,
    APPX_PERSON_NOTE,
    APPX_TITLE,
    BADGE,
    BODY,
    CELL,
    CELL_BOLD,
    CELL_FLAG,
    CELL_HEAD,
    CELL_NOTE,
    CELL_WARN,
    COVER_CITY,
    COVER_KICKER,
    COVER_SUB,
    H1,
    H2,
    H3,
    HEADLINE,
    INK,
    NOTE,
    PROVISIONAL,
    SECTION_BG,
    WARNING,
    cell,
    cells,
    grid_style,
)
from app.reports.rounds import change_cell, change_sentence
from app.reports.safe import PDF_NOTE_LIMIT, para, plain, truncate
from app.reports.typography import colon

TABLE_TEXT_LIMIT = 600  # answers and questions inside the domain tables
CHUNK = 1500  # characters per paragraph of a long appendix text
# A row splits across pages only when at least this many points of it go on each page: short
# rows move whole; only rows too tall for any page are cut.
SPLIT_IN_ROW = 160


def story(data: ReportData, width: float) -> list[Flowable]:
    flow: list[Flowable] = []
    flow += cover(data, width)
    flow.append(PageBreak())
    flow += summary(data, width)
    for section in data.domains:
        flow.append(PageBreak())
        flow += domain(data, section, width)
    flow.append(PageBreak())
    flow += method(data, width)
    flow.append(PageBreak())
    flow += appendix(data, width)
    return flow


# -- helpers


def _colon(data: ReportData) -> str:
    return colon(data.lang)


def _cut(data: ReportData, text: str, limit: int) -> str:
    """Text cut where the PDF has no full copy of it: the marker points to the exports."""
    return truncate(text, limit, data.label("truncated_pdf_export", n=len(text)))


def _cut_for_appendix(data: ReportData, text: str, limit: int) -> str:
    """A table cell of a text the appendix prints whole (up to PDF_NOTE_LIMIT): say so."""
    if len(text) > PDF_NOTE_LIMIT:
        return _cut(data, text, limit)
    return truncate(text, limit, data.label("truncated_pdf", n=len(text)))


def _long(data: ReportData, text: str, style: ParagraphStyle, prefix: str = "") -> list[Flowable]:
    """A long text as several paragraphs cut at spaces: each flows across pages cheaply."""
    whole = prefix + _cut(data, text, PDF_NOTE_LIMIT)
    parts: list[Flowable] = []
    while whole:
        piece = whole[:CHUNK]
        if len(whole) > CHUNK:
            space = max(piece.rfind(" "), piece.rfind("\n"))
            piece = piece[: space + 1] if space > CHUNK // 2 else piece
        parts.append(cell(piece, style))
        whole = whole[len(piece) :]
    return parts


def _table(
    rows: Sequence[Sequence[object]], widths: Sequence[float], header_rows: int = 1
) -> Table:
    widths = _fit_header_words(rows[0], widths) if header_rows else list(widths)
    rows, commands = _flatten(rows, widths)
    table = Table(
        rows, colWidths=list(widths), repeatRows=header_rows, splitInRow=SPLIT_IN_ROW, hAlign="LEFT"
    )
    table.setStyle(grid_style(header_rows))
    if commands:
        table.setStyle(commands)
    return table


CELL_PADDING = 6.5  # left + right padding of a table cell (grid_style), with a little room


def _fit_header_words(header: Sequence[object], widths: Sequence[float]) -> list[float]:
    """Widen a column whose header has a word longer than the column ("Completeness" must
    never break as "Completene/ss"), taking the room from the widest other column."""
    fitted = list(widths)
    for index, head in enumerate(header):
        if not isinstance(head, Para):
            continue
        style = head.style
        words = head.getPlainText().split()
        need = max((stringWidth(w, style.fontName, style.fontSize) for w in words), default=0)
        need += CELL_PADDING
        if need > fitted[index]:
            donor = max((i for i in range(len(fitted)) if i != index), key=fitted.__getitem__)
            extra = need - fitted[index]
            fitted[index] += extra
            fitted[donor] -= extra
    return fitted


def _flatten(
    rows: Sequence[Sequence[object]], widths: Sequence[float]
) -> tuple[list[list[object]], list[tuple[object, ...]]]:
    """One-line plain paragraphs become plain strings, which a table draws without any layout.

    Most cells (headers, levels, short answers) hold one short line; as strings they cost a
    fraction of a paragraph. The cell keeps the paragraph's font; anything that would wrap,
    or carries markup, stays a paragraph.
    """
    out: list[list[object]] = []
    commands: list[tuple[object, ...]] = []
    for r, row in enumerate(rows):
        new_row: list[object] = []
        for c, value in enumerate(row):
            text = _one_line(value, widths[c] - 6) if c < len(widths) else None
            if text is None:
                new_row.append(value)
                continue
            style = value.style  # type: ignore[attr-defined]
            new_row.append(text)
            if style.fontName != REGULAR:
                commands.append(("FONTNAME", (c, r), (c, r), style.fontName))
            if style.alignment == TA_CENTER:
                commands.append(("ALIGN", (c, r), (c, r), "CENTER"))
        out.append(new_row)
    return out, commands


def _one_line(value: object, room: float) -> str | None:
    if not isinstance(value, Para) or len(value.frags) != 1 or value.style.fontSize != 8:
        return None
    frag = value.frags[0]
    text = getattr(frag, "text", None)
    if not isinstance(text, str) or frag.fontName != value.style.fontName:
        return None
    if value.style.textColor != INK or stringWidth(text, frag.fontName, 8) > room:
        return None
    return text


def _heads(data: ReportData, *keys: str) -> list[object]:
    return [cell(data.label(key), CELL_HEAD) for key in keys]


def _heading(text: str, style: ParagraphStyle, level: int = 0) -> Heading:
    return Heading(para(text), style, plain(text), level)


def _level_name(data: ReportData, level: int | None) -> str:
    if level is None:
        return data.label("none")
    for row in data.method.levels:
        if row.level == level:
            return f"{level} · {row.name}"
    return str(level)


def _id_cell(indicator_id: str) -> object:
    """Ids are usually short: a plain string (drawn directly, in the column's bold font) is
    cheaper than a paragraph; a long one becomes a paragraph so it wraps inside its column."""
    if len(indicator_id) <= 9:
        return plain(indicator_id)
    return cell(indicator_id, CELL_BOLD)


def _named(code: str, name: str) -> str:
    return f"{code} · {name}" if name else code


# -- cover


def cover(data: ReportData, width: float) -> list[Flowable]:
    c = data.cover
    flow: list[Flowable] = [
        Spacer(1, 40),
        Heading(para(data.label("report")), COVER_KICKER, plain(data.title)),
        cell(c.city, COVER_CITY),
        cell(" · ".join(x for x in (c.country, c.period) if x), COVER_SUB),
        Spacer(1, 18),
        cell(c.title, BODY),
        Spacer(1, 10),
    ]
    badge = Table([[cell(c.self_assessed.upper(), BADGE)]], colWidths=[170], hAlign="LEFT")
    # Every table names its font: the default would pull an unembedded Helvetica into the file.
    badge.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("BACKGROUND", (0, 0), (-1, -1), ACCENT),
            ("TOPPADDING", (0, 0), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
    )
    flow += [badge, Spacer(1, 6), cell(c.self_assessed_note, NOTE), Spacer(1, 16)]
    facts = [
        ("questionnaire", [c.title, c.questionnaire]),
        ("fingerprint", [c.fingerprint]),
        ("status", [c.status]),
        ("generated", [c.generated]),
        ("assessment_id", [c.assessment_id]),
    ]
    rows = [[cell(data.label(key), CELL_BOLD), [cell(v) for v in values]] for key, values in facts]
    table = _table(rows, [130, width - 130], header_rows=0)
    flow += [table, Spacer(1, 16), cell(data.label("contributors"), H2)]
    if data.contributors:
        people: list[list[object]] = [_heads(data, "col_name", "col_role", "col_institution")]
        people += [
            [
                cell(_cut(data, p.name, 300)),
                cell(_cut(data, p.role, 300)),
                cell(_cut(data, p.institution, 300)),
            ]
            for p in data.contributors
        ]
        flow.append(_table(people, [width * 0.34, width * 0.28, width * 0.38]))
    else:
        flow.append(cell(data.label("no_contributors"), BODY))
    return flow


# -- executive summary


def summary(data: ReportData, width: float) -> list[Flowable]:
    s = data.summary
    flow: list[Flowable] = [_heading(data.label("summary"), H1)]
    points = [ChartPoint(d.id, d.score, d.score_text) for d in s.domains]
    chart = domain_chart(points, width * 0.56, 230)
    facts = [
        cell(data.label("overall_score"), H3),
        cell(s.overall_text, HEADLINE),
        cell(data.label("overall_note"), NOTE),
        cell(data.label("bottleneck"), H3),
        cell(s.bottleneck_text, BODY),
    ]
    # The chart's text alternative, printed: the PDF is not tagged, so no hidden /Alt can carry it.
    values = ", ".join(f"{d.id} {d.score_text}" for d in s.domains)
    alternative = cell(data.label("chart_alt", values=values), CELL_NOTE)
    top = Table(
        [[[cell(data.label("profile"), CELL_NOTE), chart, alternative], facts]],
        colWidths=[width * 0.58, width * 0.42],
        hAlign="LEFT",
    )
    top.setStyle(
        [
            ("FONTNAME", (0, 0), (-1, -1), REGULAR),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ]
    )
    flow += [top, cell(data.label("levels_by_domain"), H2)]
    rows: list[list[object]] = [
        _heads(
            data,
            "col_domain",
            "col_level",
            "col_score",
            "col_completeness",
            "col_provisional",
            "col_capped_by",
        )
    ]
    if data.previous is not None:
        period = data.previous.cover.period
        rows[0].append(cell(data.label("col_change", period=period), CELL_HEAD))
    for d in s.domains:
        provisional = data.label("provisional_mark") if d.provisional else ""
        rows.append(
            [
                cells((d.id, CELL_BOLD), (d.name, CELL)),
                cell(d.level_text),
                plain(d.score_text),
                plain(d.completeness_text),
                cells((provisional, CELL_WARN)),
                cell(d.capped_by_text or data.label("none")),
            ]
        )
        if data.previous is not None:
            rows[-1].append(change_cell(data, d.id))
    shares: tuple[float, ...] = (0.27, 0.19, 0.12, 0.13, 0.15, 0.14)
    if data.previous is not None:
        shares = (0.23, 0.17, 0.1, 0.12, 0.13, 0.11, 0.14)
    table = _table(rows, [w * width for w in shares])
    table.setStyle([("ALIGN", (2, 1), (3, -1), "CENTER")])
    flow += [table, *_confidence(data, width), cell(data.label("priorities"), H2)]
    if s.priorities:
        flow.append(_steps_table(data, s.priorities, width, with_domain=True))
    else:
        flow.append(cell(data.label("no_priorities"), BODY))
    return flow


def _confidence(data: ReportData, width: float) -> list[Flowable]:
    """Data confidence per domain and overall: a table and two plain sentences."""
    if not data.confidence:
        return []
    names = {d.id: d.name for d in data.summary.domains}
    keys = ("col_domain", "col_answered", "col_dont_know", "col_not_measured")
    rows: list[list[object]] = [_heads(data, *keys, "col_evidence_groups", "col_disagreements")]
    for c in data.confidence:
        share = [format_percent(c.share(n), data.lang) for n in (c.answered, c.dont_know)]
        share.append(format_percent(c.share(c.not_measured), data.lang))
        evidence = " · ".join(
            format_number(n, data.lang)
            for n in (c.evidence_document, c.evidence_data, c.evidence_estimate)
        )
        settled = data.label("disagreements_settled", settled=c.settled, unresolved=c.unresolved)
        rows.append(
            [
                cells((c.domain_id, CELL_BOLD), (names.get(c.domain_id, ""), CELL))
                if c.domain_id
                else cell(data.label("all_domains"), CELL_BOLD),
                *share,
                evidence,
                cells((format_number(c.disagreements, data.lang), CELL), (settled, CELL_NOTE))
                if c.disagreements
                else "0",
            ]
        )
    table = _table(rows, [w * width for w in (0.27, 0.12, 0.12, 0.12, 0.15, 0.22)])
    table.setStyle([("ALIGN", (1, 1), (4, -1), "CENTER"), ("FONTNAME", (0, -1), (-1, -1), BOLD)])
    whole = data.confidence[-1]
    sentence = texts.plural("confidence_sentence", whole.asked, data.lang).format(
        n=format_number(whole.asked, data.lang),
        answered=format_percent(whole.share(whole.answered), data.lang),
        dont_know=format_percent(whole.share(whole.dont_know), data.lang),
        not_measured=format_percent(whole.share(whole.not_measured), data.lang),
    )
    if whole.disagreements:
        differing = texts.plural("disagreements_sentence", whole.disagreements, data.lang).format(
            n=format_number(whole.disagreements, data.lang),
            settled=format_number(whole.settled, data.lang),
            unresolved=format_number(whole.unresolved, data.lang),
        )
    else:
        differing = data.label("no_disagreements")
    return [
        cell(data.label("confidence"), H2),
        cell(f"{sentence} {differing}", BODY),
        table,
        cell(data.label("confidence_note"), NOTE),
    ]


def _steps_table(
    data: ReportData, steps: Sequence[StepRow], width: float, with_domain: bool
) -> Table:
    keys = (["col_domain"] if with_domain else []) + ["col_indicator", "col_action"]
    rows: list[list[object]] = [[cell("#", CELL_HEAD), *_heads(data, *keys)]]
    for number, step in enumerate(steps, 1):
        row: list[object] = [str(number)]
        if with_domain:
            row.append(cell(step.domain_name))
        row.append(cells((step.indicator_id, CELL_BOLD), (_cut(data, step.question, 400), CELL)))
        level = data.label("level_n", level=step.current_level)
        reason = f"{step.reason_label} · {level} → {step.target_level}"
        row.append(cells((_cut(data, step.action, 1500), CELL), (reason, CELL_NOTE)))
        rows.append(row)
    widths = [0.05, 0.2, 0.3, 0.45] if with_domain else [0.05, 0.38, 0.57]
    table = _table(rows, [w * width for w in widths])
    table.setStyle([("ALIGN", (0, 1), (0, -1), "CENTER")])
    return table


# -- one domain


def domain(data: ReportData, section: DomainSection, width: float) -> list[Flowable]:
    d = section.row
    flow: list[Flowable] = [_heading(_named(d.id, d.name), H1)]
    if section.description:
        flow.append(cell(section.description, BODY))
    flow += [Spacer(1, 4), cell(section.headline, HEADLINE)]
    if d.provisional:
        flow.append(cell(data.label("provisional_mark"), PROVISIONAL))
    flow.append(cell(f"{section.score_line} · {section.completeness_line}", BODY))
    since = change_sentence(data, d.id)
    if since:
        flow.append(cell(since, BODY))
    flow += [cell(note, WARNING) for note in section.capped_notes]
    if not section.capped_notes and d.level is not None:
        flow.append(cell(data.label("not_capped"), NOTE))
    flow += [cell(note, WARNING) for note in section.pending_notes]
    if d.provisional:
        flow.append(cell(data.label("provisional_note"), NOTE))

    flow.append(cell(section.path_title, H2))
    if section.steps:
        flow.append(_steps_table(data, section.steps, width, with_domain=False))
    else:
        flow.append(cell(section.path_note or data.label("none"), BODY))

    flow.append(cell(data.label("indicators"), H2))
    flow.append(_indicator_table(data, section.indicators, width))

    flow.append(cell(data.label("data_gaps"), H2))
    if section.gaps:
        flow += [
            cell(f"{r.id} · {_cut(data, r.question, 300)}{_colon(data)}{r.state_label}", BODY)
            for r in section.gaps
        ]
    else:
        flow.append(cell(data.label("data_gaps_none"), BODY))
    if section.unanswered:
        flow.append(cell(data.label("unanswered_list", ids=", ".join(section.unanswered)), NOTE))
    return flow


def _indicator_table(data: ReportData, rows: Sequence[IndicatorRow], width: float) -> Table:
    table_rows: list[list[object]] = [
        _heads(data, "col_id", "col_question", "col_answer", "col_level")
    ]
    section_rows: list[int] = []
    current = None
    for row in rows:
        if row.section and row.section != current:
            current = row.section
            section_rows.append(len(table_rows))
            table_rows.append([cell(row.section, CELL_BOLD), "", "", ""])
        answer = cells(
            (_cut_for_appendix(data, row.label, TABLE_TEXT_LIMIT), CELL),
            (" · ".join(row.flags), CELL_FLAG),
        )
        table_rows.append(
            [
                _id_cell(row.id),
                cell(_cut_for_appendix(data, row.question, TABLE_TEXT_LIMIT)),
                answer,
                str(row.level) if row.level is not None else data.label("none"),
            ]
        )
    table = _table(table_rows, [w * width for w in (0.12, 0.42, 0.36, 0.1)])
    table.setStyle([("FONTNAME", (0, 1), (0, -1), BOLD), ("ALIGN", (3, 1), (3, -1), "CENTER")])
    for index in section_rows:
        table.setStyle(
            [
                ("SPAN", (0, index), (-1, index)),
                ("BACKGROUND", (0, index), (-1, index), SECTION_BG),
                # A section's title row never stays alone at the foot of a page.
                ("NOSPLIT", (0, index), (-1, min(index + 1, len(table_rows) - 1))),
            ]
        )
    return table


# -- method


def method(data: ReportData, width: float) -> list[Flowable]:
    m = data.method
    flow: list[Flowable] = [_heading(data.label("method"), H1)]
    flow.append(cell(data.label("method_levels"), H2))
    rows: list[list[object]] = [_heads(data, "col_level", "col_name", "col_definition")]
    rows += [[str(lv.level), cell(lv.name, CELL_BOLD), cell(lv.description)] for lv in m.levels]
    levels = _table(rows, [0.08 * width, 0.22 * width, 0.7 * width])
    levels.setStyle([("ALIGN", (0, 1), (0, -1), "CENTER")])
    flow.append(levels)
    flow.append(cell(data.label("method_scoring"), H2))
    flow += [cell(text, BODY) for text in m.paragraphs]
    flow.append(cell(data.label("method_gates"), H2))
    if m.gates:
        gates: list[list[object]] = [_heads(data, "col_gate", "col_fires_when", "col_caps")]
        gates += [
            # The gate's translated name leads; its id is a reference, not a heading.
            [
                cells((g.message or g.id, CELL_BOLD), (g.id, CELL_NOTE)),
                cell(g.fires_when),
                cell(g.caps),
            ]
            for g in m.gates
        ]
        flow.append(_table(gates, [0.45 * width, 0.35 * width, 0.2 * width]))
    else:
        flow.append(cell(data.label("method_no_gates"), BODY))
    flow.append(cell(data.label("method_weights"), H2))
    weights: list[list[object]] = [_heads(data, "col_domain", "col_weight")]
    weights += [[cell(_named(i, n)), _number(w)] for i, n, w in m.weights]
    table = _table(weights, [0.8 * width, 0.2 * width])
    table.setStyle([("ALIGN", (1, 1), (1, -1), "CENTER")])
    flow.append(table)
    flow.append(cell(data.label("method_judgement"), H2))
    flow.append(cell(m.judgement_note, BODY))
    if m.judgement:
        items: list[list[object]] = [_heads(data, "col_indicator", "col_source")]
        items += [[_id_cell(i), cell(_cut(data, src, 600))] for i, src in m.judgement]
        table = _table(items, [0.15 * width, 0.85 * width])
        table.setStyle([("FONTNAME", (0, 1), (0, -1), BOLD)])
        flow.append(table)
    flow += [Spacer(1, 8), cell(m.fonts_note, NOTE)]
    return flow


def _number(weight: float) -> str:
    return str(int(weight)) if weight == int(weight) else f"{weight:g}"


# -- appendix


def appendix(data: ReportData, width: float) -> list[Flowable]:
    flow: list[Flowable] = [_heading(data.label("appendix"), H1)]
    flow.append(cell(data.label("appendix_intro"), BODY))
    current = None
    for row in data.answers:
        if row.domain_id != current:
            current = row.domain_id
            flow.append(_heading(_named(row.domain_id, row.domain_name), H2, level=1))
        flow += _appendix_entry(data, row)
    return flow


def _appendix_entry(data: ReportData, row: IndicatorRow) -> list[Flowable]:
    """Paragraphs, not a table: notes of any length flow across pages like body text."""
    level = _level_name(data, row.level) if row.scored else data.label("none")
    facts = [f"{data.label('col_level')}{_colon(data)}{level}"]
    if row.evidence:
        facts.append(f"{data.label('col_evidence')}{_colon(data)}{row.evidence}")
    said = data.label("city_answer") + _colon(data)
    flow: list[Flowable] = [
        cell(f"{row.id} · {_cut(data, row.question, PDF_NOTE_LIMIT)}", APPX_TITLE)
    ]
    if len(row.label) <= CHUNK:  # the usual short answer shares one paragraph with its facts
        flow.append(cell(" · ".join([said + row.label, *facts]), APPX_FACT))
    else:
        flow += [*_long(data, row.label, APPX_FACT, said), cell(" · ".join(facts), APPX_FACT)]
    if row.flags:
        flow.append(cell(" · ".join(row.flags), APPX_FLAG))
    # A derived city answer carries a contributor's note, printed below with that contributor.
    repeated = row.derived and any(a is not None and a.note == row.note for a in row.contributors)
    if row.note and not repeated:
        flow += _long(data, row.note, APPX_FACT, data.label("col_note") + _colon(data))
    if row.rationale:
        flow += _long(data, row.rationale, APPX_FACT, data.label("col_rationale") + _colon(data))
    if row.how_set:
        flow.append(cell(row.how_set, APPX_META))
    for answer in (a for a in row.contributors if a is not None):
        words = answer.label
        if answer.evidence:
            words += f" ({answer.evidence})"
        if answer.to_confirm:
            words += f" [{data.label('flag_to_confirm')}]"
        name = _cut(data, answer.name, 200)
        flow += _long(data, words, APPX_PERSON, f"{name} · {answer.changed_at}{_colon(data)}")
        if answer.note:
            flow += _long(data, answer.note, APPX_PERSON_NOTE)
    return flow
