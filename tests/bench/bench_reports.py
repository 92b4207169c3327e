"""Benchmark of the reports (run as a script: `python tests/bench/bench_reports.py`).

Budgets (DESIGN.md section 10), measured in one run on the same machine:
- the demo assessment's PDF report <= 2x a plain reportlab document of the same page count;
- the demo assessment's XLSX export <= 1 s.

Imports and font registration are warmed up first, so both sides are timed as steady-state
builds. Times are CPU time of this process (`time.process_time`), so other programs competing
for the two cores do not distort them; the report and the plain document are timed alternately,
several times, and the figures are the fastest runs, with the median of the paired ratios
printed as a check. Exit status 1 when a budget is exceeded.
"""

from __future__ import annotations

import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

RUNS = 7
PDF_RATIO_BUDGET = 2.0
XLSX_BUDGET_S = 1.0


def best_of(runs: int, work: Callable[[], object]) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(runs):
        started = time.process_time()
        result = work()
        best = min(best, time.process_time() - started)
    return best, result


def demo_snapshot(data_dir: Path):  # type: ignore[no-untyped-def]
    from app.services.assessments import load_snapshot
    from app.services.demo import create_demo
    from app.services.workspace import Workspace

    with Workspace.open(data_dir) as ws:
        return load_snapshot(ws, create_demo(ws))


def plain_document(paragraphs: int, embedded: bool = False) -> tuple[bytes, int]:
    """A plain reportlab document: headings and body paragraphs in the standard fonts
    (or, with `embedded`, in the report's embedded DejaVu fonts, for context)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles = getSampleStyleSheet()
    if embedded:
        from app.reports.fonts import BOLD, REGULAR, register_fonts

        register_fonts()
        styles["BodyText"].fontName = REGULAR
        styles["Heading2"].fontName = BOLD
    text = (
        "The city laboratory network reports biomarker results to the treating team within "
        "ten working days for most requests, with quality checks documented. "
    ) * 4
    story = []
    for index in range(paragraphs):
        if index % 6 == 0:
            story.append(Paragraph(f"Section {index // 6 + 1}", styles["Heading2"]))
        story.append(Paragraph(text, styles["BodyText"]))
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, initialFontName="DejaVuSans" if embedded else None)
    doc.build(story)
    return out.getvalue(), int(doc.page)


def paragraphs_for(pages: int) -> int:
    """How many paragraphs make a plain document of exactly `pages` pages (or the nearest)."""
    low, high = 1, 64
    while plain_document(high)[1] < pages:
        high *= 2
    while low < high:
        middle = (low + high) // 2
        if plain_document(middle)[1] < pages:
            low = middle + 1
        else:
            high = middle
    return low


def startup_overhead(folder: Path) -> dict[str, float]:
    """Wall-clock seconds of what `readiness report` does before any report work, in fresh
    processes (imports are cold there): Python alone, importing SQLAlchemy, opening the
    workspace, and the whole command writing the CSV tables (the smallest output)."""
    import subprocess

    def wall(*code: str) -> float:
        started = time.perf_counter()
        subprocess.run([sys.executable, *code], check=True, capture_output=True, cwd=ROOT)
        return time.perf_counter() - started

    def best(*code: str) -> float:
        return min(wall(*code) for _ in range(3))

    open_ws = (
        f"from app.services.workspace import Workspace;Workspace.open({str(folder)!r}).close()"
    )
    with tempfile.TemporaryDirectory(prefix="bench-csv-") as out:
        from app.services.demo import find_demo
        from app.services.workspace import Workspace

        with Workspace.open(folder) as ws:
            demo_id = find_demo(ws)
        command = ("-m", "app", "--data-dir", str(folder), "report", str(demo_id), "--csv", out)
        return {
            "python": best("-c", "pass"),
            "import sqlalchemy": best("-c", "import sqlalchemy"),
            "open workspace": best("-c", open_ws),
            "report --csv": best(*command),
        }


def main() -> int:
    from app.reports.build import build_report
    from app.reports.pdf import render_pdf
    from app.reports.xlsx import render_xlsx

    with tempfile.TemporaryDirectory(prefix="bench-reports-") as folder:
        snapshot = demo_snapshot(Path(folder))
        startup = startup_overhead(Path(folder))
    indicators = len(snapshot.questionnaire.indicators)
    build_s, data = best_of(RUNS, lambda: build_report(snapshot, "es"))

    def pdf() -> int:
        return render_pdf(data, io.BytesIO())  # type: ignore[arg-type]

    def xlsx() -> None:
        render_xlsx(data, io.BytesIO())  # type: ignore[arg-type]

    pdf()  # warm-up: imports, fonts
    xlsx()
    plain_document(10)
    pages = pdf()
    count = paragraphs_for(pages)
    _bytes, plain_pages = plain_document(count)
    report_runs, plain_runs = [], []
    for _ in range(RUNS):
        report_runs.append(best_of(1, pdf)[0])
        plain_runs.append(best_of(1, lambda: plain_document(count))[0])
    report_s, plain_s = min(report_runs), min(plain_runs)
    paired = sorted(r / p for r, p in zip(report_runs, plain_runs, strict=True))
    xlsx_s, _ = best_of(RUNS, xlsx)
    embedded_s, _ = best_of(RUNS, lambda: plain_document(count, embedded=True))

    ratio = report_s / plain_s
    print(
        f"demo assessment: {indicators} indicators, {len(snapshot.revisions)} revisions, "
        f"{len(snapshot.contributors)} contributors"
    )
    print(f"ReportData build (es):           {build_s * 1000:8.1f} ms")
    print(f"PDF report (es):                 {report_s * 1000:8.1f} ms  {pages} pages")
    print(f"plain reportlab document:        {plain_s * 1000:8.1f} ms  {plain_pages} pages")
    print(f"  (same, in the embedded fonts:  {embedded_s * 1000:8.1f} ms; for context only)")
    print(
        f"ratio report / plain:            {ratio:8.2f}   budget <= {PDF_RATIO_BUDGET:.1f}"
        f"  (median of {RUNS} paired runs: {paired[len(paired) // 2]:.2f})"
    )
    print(
        f"XLSX export:                     {xlsx_s * 1000:8.1f} ms  budget <= "
        f"{XLSX_BUDGET_S * 1000:.0f} ms"
    )
    print("readiness report start-up (wall clock, fresh processes, best of 3; no budget):")
    for name, seconds in startup.items():
        print(f"  {name + ':':30} {seconds * 1000:8.1f} ms")
    over = []
    if ratio > PDF_RATIO_BUDGET:
        over.append("PDF")
    if xlsx_s > XLSX_BUDGET_S:
        over.append("XLSX")
    print("over budget: " + ", ".join(over) if over else "all within budget")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
