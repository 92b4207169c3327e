"""`readiness report ID [--pdf FILE] [--xlsx FILE] [--csv DIR] [--lang en|es|fr|pt]`.

Writes the PDF report, the Excel export and/or the tidy CSV tables of one assessment and prints
each written path on its own line. At least one output is required (else a usage error, exit 2).
"""

from __future__ import annotations

import argparse
from typing import Any

from app.common.i18n import LANGUAGES


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "report",
        parents=[common],
        help="write the PDF report, the Excel export and/or the CSV tables of an assessment",
        description=(
            "Write the maturity report of an assessment as PDF, its data as an Excel workbook "
            "and/or its tidy tables as UTF-8 CSV files. Give at least one of --pdf, --xlsx "
            "and --csv."
        ),
    )
    parser.add_argument("id", metavar="ID", help="the assessment (any unique beginning of its id)")
    parser.add_argument("--pdf", metavar="FILE", help="write the PDF report to FILE")
    parser.add_argument("--xlsx", metavar="FILE", help="write the Excel workbook to FILE")
    parser.add_argument(
        "--csv",
        metavar="DIR",
        help="write the tidy tables as CSV files into the existing folder DIR "
        "(<assessment id>_<table>.csv)",
    )
    parser.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        help="language of the report (default: the assessment's language)",
    )
    parser.set_defaults(handler=run_report, report_parser=parser)


def run_report(args: argparse.Namespace) -> int:
    if not args.pdf and not args.xlsx and not args.csv:
        args.report_parser.error("give --pdf FILE, --xlsx FILE, --csv DIR or several")
    from app.services.assessments import resolve_assessment_id
    from app.services.reports import export_report
    from app.services.workspace import Workspace

    ws = Workspace.open(args.data_dir)
    try:
        assessment_id = resolve_assessment_id(ws, args.id)
        written = export_report(
            ws, assessment_id, pdf=args.pdf, xlsx=args.xlsx, lang=args.lang, csv_dir=args.csv
        )
    finally:
        ws.close()
    for path in written:
        print(path)
    return 0
