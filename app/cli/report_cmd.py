"""`readiness report ID [--pdf FILE] [--xlsx FILE] [--lang en|es|fr|pt]`.

Writes the PDF report and/or the Excel export of one assessment and prints each written path on
its own line. At least one file is required (else a usage error, exit 2).
"""

from __future__ import annotations

import argparse
from typing import Any

from app.common.i18n import LANGUAGES


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    parser = subparsers.add_parser(
        "report",
        parents=[common],
        help="write the PDF report and/or the Excel export of an assessment",
        description=(
            "Write the maturity report of an assessment as PDF and/or its data as an Excel "
            "workbook. Give at least one of --pdf and --xlsx."
        ),
    )
    parser.add_argument("id", metavar="ID", help="the assessment (any unique beginning of its id)")
    parser.add_argument("--pdf", metavar="FILE", help="write the PDF report to FILE")
    parser.add_argument("--xlsx", metavar="FILE", help="write the Excel workbook to FILE")
    parser.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        help="language of the report (default: the assessment's language)",
    )
    parser.set_defaults(handler=run_report, report_parser=parser)


def run_report(args: argparse.Namespace) -> int:
    if not args.pdf and not args.xlsx:
        args.report_parser.error("give --pdf FILE, --xlsx FILE or both")
    from app.services.assessments import resolve_assessment_id
    from app.services.reports import export_report
    from app.services.workspace import Workspace

    ws = Workspace.open(args.data_dir)
    try:
        assessment_id = resolve_assessment_id(ws, args.id)
        written = export_report(ws, assessment_id, pdf=args.pdf, xlsx=args.xlsx, lang=args.lang)
    finally:
        ws.close()
    for path in written:
        print(path)
    return 0
