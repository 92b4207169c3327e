"""The six sheets of the Excel export, one function each (see xlsx.py for the text rules)."""

from __future__ import annotations

from openpyxl.chart import BarChart, RadarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from app.reports.data import RawValue, ReportData
from app.reports.xlsx import HEADER_FONT, HEADER_ROW, SCORE, SHARE, WEIGHT, Column, SheetWriter


def summary(ws: Worksheet, data: ReportData) -> None:
    L = data.labels
    sheet = SheetWriter(
        ws,
        data,
        [
            Column(L["col_domain"], 24),
            Column(L["col_name"], 42),
            Column(L["col_level"], 8, number_format="0"),
            Column(L["col_level_name"], 22),
            Column(L["col_score"], 13, number_format=SCORE),
            Column(L["col_completeness"], 14, number_format=SHARE),
            Column(L["col_dont_know"], 12, number_format=SHARE),
            Column(L["col_provisional"], 12),
            Column(L["col_capped_by"], 16),
            Column(L["col_weight"], 9, number_format=WEIGHT),
            Column(L["col_uncapped"], 13, number_format=SCORE),
        ],
        title=L["sheet_summary"],
    )
    sheet.header()
    for d in data.summary.domains:
        sheet.add(
            [
                d.id,
                d.name,
                d.level,
                d.level_name,
                d.score,
                d.completeness,
                d.dont_know,
                d.provisional,
                d.capped_by_text,
                d.weight,
                d.uncapped_score,
            ]
        )
    last_domain_row = sheet.row
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(sheet.columns))}{last_domain_row}"
    s = data.summary
    bottleneck = next((d for d in s.domains if d.id == s.bottleneck_id), None)
    sheet.row += 1
    sheet.add([L["overall_score"], L["overall_note"], None, None, s.overall_score])
    sheet.add(
        [
            L["bottleneck"],
            bottleneck.name if bottleneck else L["no_bottleneck"],
            bottleneck.level if bottleneck else None,
            bottleneck.level_name if bottleneck else None,
        ]
    )
    for r in (last_domain_row + 2, last_domain_row + 3):
        ws.cell(row=r, column=1).font = HEADER_FONT
    c = data.cover
    sheet.row += 1
    facts = [
        (L["city"], c.city),
        (L["country"], c.country),
        (L["period"], c.period),
        (L["questionnaire"], f"{c.title} ({c.questionnaire})"),
        (L["fingerprint"], c.fingerprint),
        (L["status"], c.status),
        (L["generated"], c.generated),
        (L["assessment_id"], c.assessment_id),
        (c.self_assessed, c.self_assessed_note),
    ]
    for label, value in facts:
        sheet.add([label, value])
        ws.cell(row=sheet.row, column=1).font = HEADER_FONT
    sheet.finish(filter_rows=False)
    _chart(ws, data, last_domain_row)


def _chart(ws: Worksheet, data: ReportData, last_row: int) -> None:
    count = last_row - HEADER_ROW
    if count < 1:
        return
    chart: RadarChart | BarChart
    if count >= 3:
        chart = RadarChart()
        chart.type = "marker"
    else:
        chart = BarChart()
        chart.type = "bar"
    chart.title = data.labels["chart_title"]
    chart.y_axis.scaling.min = 1  # levels and scores run from 1 to 5
    chart.y_axis.scaling.max = 5
    chart.y_axis.majorUnit = 1
    chart.y_axis.delete = False
    chart.x_axis.delete = False
    chart.legend = None
    chart.add_data(
        Reference(ws, min_col=5, min_row=HEADER_ROW, max_row=last_row), titles_from_data=True
    )
    chart.set_categories(Reference(ws, min_col=1, min_row=HEADER_ROW + 1, max_row=last_row))
    chart.height, chart.width = 9, 12
    ws.add_chart(chart, "L2")


def answers(ws: Worksheet, data: ReportData) -> None:
    L = data.labels
    columns = [
        Column(L["col_domain"], 9),
        Column(L["col_id"], 10),
        Column(L["col_question"], 48, wrap=True),
        Column(L["col_answer_code"], 16, wrap=True),
        Column(L["col_answer_label"], 28, wrap=True),
        Column(L["col_state"], 14),
        Column(L["col_level"], 7, number_format="0"),
        Column(L["col_note"], 40, wrap=True),
        Column(L["col_evidence"], 14),
        Column(L["col_source_of_answer"], 20),
        Column(L["col_rationale"], 30, wrap=True),
        Column(L["col_disagreement"], 13),
        Column(L["col_conflict"], 13),
        Column(L["col_flags"], 22, wrap=True),
        Column(L["col_changed_by"], 18),
        Column(L["col_changed_at"], 19),
    ]
    for person in data.contributors:
        columns.append(Column(person.name, 24, wrap=True))
        columns.append(Column(f"{person.name}: {L['col_note']}", 30, wrap=True))
    sheet = SheetWriter(ws, data, columns, title=L["sheet_answers"], frozen_columns=2)
    sheet.header()
    for r in data.answers:
        values: list[RawValue | bool] = [
            r.domain_id,
            r.id,
            r.question,
            r.code,
            r.label,
            r.state_label,
            r.level,
            r.note,
            r.evidence,
            r.how_set,
            r.rationale,
            r.disagreement,
            r.conflict,
            "; ".join(r.flags),
            r.changed_by,
            r.changed_at,
        ]
        for given in r.contributors:
            if given is None:
                values += [None, None]
            else:
                label = given.label + (f" [{L['flag_to_confirm']}]" if given.to_confirm else "")
                values += [label, given.note or None]
        sheet.add(values)
    sheet.finish()


def path(ws: Worksheet, data: ReportData) -> None:
    L = data.labels
    sheet = SheetWriter(
        ws,
        data,
        [
            Column(L["col_domain"], 9),
            Column(L["col_name"], 30, wrap=True),
            Column(L["col_level"], 8, number_format="0"),
            Column(L["col_target_level"], 10, number_format="0"),
            Column("#", 5, number_format="0"),
            Column(L["col_indicator"], 11),
            Column(L["col_question"], 42, wrap=True),
            Column(L["col_reason"], 14),
            Column(L["col_current_level"], 10, number_format="0"),
            Column(L["col_action"], 60, wrap=True),
        ],
        title=L["sheet_path"],
    )
    sheet.header()
    for section in data.domains:
        for number, step in enumerate(section.steps, 1):
            sheet.add(
                [
                    section.row.id,
                    section.row.name,
                    section.row.level,
                    step.target_level,
                    number,
                    step.indicator_id,
                    step.question,
                    step.reason_label,
                    step.current_level,
                    step.action,
                ]
            )
        if not section.steps:
            sheet.add(
                [
                    section.row.id,
                    section.row.name,
                    section.row.level,
                    None,
                    None,
                    None,
                    None,
                    None,
                    None,
                    section.path_note or None,
                ]
            )
    sheet.finish()


def dictionary(ws: Worksheet, data: ReportData) -> None:
    L = data.labels
    sheet = SheetWriter(
        ws,
        data,
        [
            Column(L["col_domain"], 9),
            Column(L["col_section"], 22, wrap=True),
            Column(L["col_id"], 10),
            Column(L["col_type"], 15),
            Column(L["col_question"], 45, wrap=True),
            Column(L["col_unit"], 10),
            Column(L["col_range"], 12),
            Column(L["col_weight"], 8, number_format=WEIGHT),
            Column(L["col_required"], 10),
            Column(L["col_scored"], 9),
            Column(L["col_core"], 9),
            Column(L["col_level_by"], 12),
            Column(L["col_options"], 45, wrap=True),
            Column(L["col_relevance"], 24, wrap=True),
            Column(L["col_source"], 40, wrap=True),
        ],
        title=L["sheet_dictionary"],
    )
    sheet.header()
    for r in data.dictionary:
        sheet.add(
            [
                r.domain_id,
                r.section,
                r.id,
                r.type,
                r.question,
                r.unit,
                r.range,
                r.weight,
                r.required,
                r.scored,
                r.core,
                r.level_by,
                r.options,
                r.relevance,
                r.source,
            ]
        )
    sheet.finish()


def audit(ws: Worksheet, data: ReportData) -> None:
    L = data.labels
    sheet = SheetWriter(
        ws,
        data,
        [
            Column(L["col_when"], 19),
            Column(L["col_who"], 18),
            Column(L["col_device"], 14),
            Column(L["col_indicator"], 11),
            Column(L["col_subject"], 18),
            Column(L["col_from"], 24, wrap=True),
            Column(L["col_to"], 24, wrap=True),
            Column(L["col_state"], 14),
            Column(L["col_note"], 36, wrap=True),
            Column(L["col_rationale"], 30, wrap=True),
            Column(L["col_revision"], 38),
        ],
        title=L["sheet_audit"],
    )
    sheet.header()
    for r in data.audit:
        sheet.add(
            [
                r.when,
                r.who,
                r.device,
                r.indicator_id,
                r.subject,
                r.from_text,
                r.to_text,
                r.state_label,
                r.note,
                r.rationale,
                r.revision_id,
            ]
        )
    sheet.finish()


def contributors(ws: Worksheet, data: ReportData) -> None:
    L = data.labels
    sheet = SheetWriter(
        ws,
        data,
        [
            Column(L["col_name"], 26),
            Column(L["col_role"], 22),
            Column(L["col_institution"], 30),
            Column(L["col_device"], 16),
            Column(L["col_answers"], 12, number_format="0"),
            Column(L["col_id"], 38),
        ],
        title=L["sheet_contributors"],
    )
    sheet.header()
    for p in data.contributors:
        sheet.add([p.name, p.role, p.institution, p.device, p.answers, p.id])
    sheet.finish()
