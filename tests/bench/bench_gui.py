"""Window benchmark: cold start, opening a 100-indicator assessment, memory with it open.

    python tests/bench/bench_gui.py [--runs 5]

Every figure is printed beside its baseline, measured in the same run on the same machine:
- start: a new process until the main window is shown with the assessment list, against a new
  process showing a bare PySide6 QMainWindow (budget: ratio <= 2); measured for an ordinary
  restart (the list the window left at its last close is shown, the database being unchanged)
  and after another program wrote the database (the list waits for the database stack);
- opening the demo assessment (the shipped full questionnaire: 104 indicators, 94 scored) until
  its first page of questions is built and painted, with the real threaded task runner
  (budget: <= 150 ms);
- peak memory of a process with that assessment open on each page, against the bare window's
  process (budget: ratio <= 1.6). Read from outside as the child's own high-water mark (`VmHWM`
  in /proc/<pid>/status, so Linux only) while it waits: `getrusage(RUSAGE_SELF)` in the child
  would report the larger of its own peak and the peak of the benchmark process it was forked
  from, which had the database stack loaded - that made the bare window look as large as ours.
Offscreen platform for both sides, so the figures do not depend on a display. The machine's
load average is printed before and after: on a shared machine the ratios move with it. Not
collected by pytest (bench_*.py).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.util import cache_from_source
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START_RATIO_BUDGET = 2.0
OPEN_BUDGET_MS = 150.0
MEMORY_RATIO_BUDGET = 1.6
# An installed or bundled build has its bytecode; a checkout run with PYTHONDONTWRITEBYTECODE
# compiles every module of ours at each start (the bare window has none to compile).
NO_BYTECODE = "; the app's modules are compiled from source at each start (no __pycache__)"

BARE = r"""
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow, QLabel
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setCentralWidget(QLabel("bare"))
window.resize(1180, 760)
window.show()
app.processEvents()
print("READY", flush=True)
print("MEASURE", flush=True)
sys.stdin.readline()
"""

OURS = r"""
import sys, time
sys.path.insert(0, {root!r})
from app.ui.app import application, create_window, shutdown
app = application()
window = create_window({data!r})
window.show()
app.processEvents()
while window.home.model.rowCount() == 0 or not window.isVisible():
    app.processEvents()
    time.sleep(0.001)
print("READY", flush=True)
if {open_it!r}:
    window.open_assessment(window.home.model.rows()[0].id)
    while window.session.current is None or window.runner.busy:
        app.processEvents()
        time.sleep(0.001)
    for page in range(4):
        window.show_page(page)
        app.processEvents()
    window.grab()
print("MEASURE", flush=True)
sys.stdin.readline()
window.close()
shutdown(window)
"""


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env.pop("READINESS_DATA_DIR", None)
    return env


def _peak_kib(pid: int) -> int:
    """The process's own peak resident memory (VmHWM), in KiB."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError as exc:
        raise SystemExit(f"cannot read the peak memory of process {pid}: {exc}") from exc
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise SystemExit(f"/proc/{pid}/status has no VmHWM line")


def _run(code: str) -> tuple[float, int]:
    """Seconds from spawning the process until it printed READY; its peak memory in KiB."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-c", code],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_environment(),
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stdin is not None
    ready = None
    peak = 0
    for line in process.stdout:
        if line.startswith("READY") and ready is None:
            ready = time.perf_counter() - started
        elif line.startswith("MEASURE"):
            peak = _peak_kib(process.pid)  # the child waits on stdin until it is read
            process.stdin.write("\n")
            process.stdin.flush()
    _out, err = process.communicate(timeout=120)
    if process.returncode != 0 or ready is None or not peak:
        raise SystemExit(f"benchmark process failed ({process.returncode}):\n{err}")
    return ready, peak


def _prepare(data: Path) -> str:
    """A data folder with the demo assessment and two more rounds of it."""
    from app.services import demo, rounds
    from app.services.workspace import Workspace

    with Workspace.open(data) as ws:
        demo_id = demo.create_demo(ws)
        rounds.start_next_round(ws, demo_id, "2027")
        rounds.start_next_round(ws, demo_id, "2028")
    return demo_id


def _open_times(data: Path, runs: int) -> tuple[list[float], int]:
    """Milliseconds from asking to open until the first page is built and painted."""
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtWidgets import QApplication

    from app.ui.app import application, create_window, shutdown

    app = application()
    window = create_window(data)
    window.show()
    while window.home.model.rowCount() == 0 or window.runner.busy:
        app.processEvents()
    ids = [row.id for row in window.home.model.rows()]
    times = []
    indicators = 0
    for run in range(runs + 1):
        target = ids[run % len(ids)]
        started = time.perf_counter()
        window.open_assessment(target)
        while (
            window.session.current is None
            or window.session.current.snapshot.header.id != target
            or window.runner.busy
        ):
            app.processEvents()
        window.fill.repaint()  # painted, not only built
        elapsed = (time.perf_counter() - started) * 1000
        indicators = len(window.session.current.snapshot.questionnaire.indicators)
        if run:  # the first open also imports the services and parses the questionnaire
            times.append(elapsed)
        else:
            first = elapsed
    window.close()
    shutdown(window)
    QApplication.processEvents()
    times.insert(0, first)
    return times, indicators


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="readiness-bench-gui-") as folder:
        data = Path(folder) / "data"
        _prepare(data)
        ours_start = OURS.format(root=str(ROOT), data=str(data), open_it=False)
        ours_open = OURS.format(root=str(ROOT), data=str(data), open_it=True)
        database = data / "readiness.sqlite3"
        _run(BARE), _run(ours_start)  # warm the file cache for both sides alike
        bare, warm_start, cold_start, bare_rss, open_rss = [], [], [], [], []
        for _ in range(args.runs):
            seconds, rss = _run(BARE)
            bare.append(seconds)
            bare_rss.append(rss)
            # Written by another program since the last close: the list comes from the database.
            os.utime(database)
            cold_start.append(_run(ours_start)[0])
            # An ordinary restart: the database is as the window left it.
            warm_start.append(_run(ours_start)[0])
            _seconds, rss = _run(ours_open)
            open_rss.append(rss)
        times, indicators = _open_times(data, args.runs * 2)
    bare_s, ours_s = statistics.median(bare), statistics.median(warm_start)
    cold_s = statistics.median(cold_start)
    start_ratio = ours_s / bare_s
    cold_ratio = cold_s / bare_s
    first_ms, warm = times[0], times[1:]
    open_ms = statistics.median(warm)
    open_p95 = sorted(warm)[max(0, int(len(warm) * 0.95) - 1)]
    bare_mib = statistics.median(bare_rss) / 1024
    open_mib = statistics.median(open_rss) / 1024
    memory_ratio = open_mib / bare_mib
    rows = [
        (
            "start to window + list (restart)",
            f"{ours_s * 1000:.0f} ms",
            f"bare window {bare_s * 1000:.0f} ms",
            f"ratio {start_ratio:.2f} (budget <= {START_RATIO_BUDGET})",
            start_ratio <= START_RATIO_BUDGET,
        ),
        (
            "start, database changed since",
            f"{cold_s * 1000:.0f} ms",
            f"bare window {bare_s * 1000:.0f} ms",
            f"ratio {cold_ratio:.2f} (budget <= {START_RATIO_BUDGET})",
            cold_ratio <= START_RATIO_BUDGET,
        ),
        (
            f"open a {indicators}-indicator assessment",
            f"{open_ms:.0f} ms median",
            f"p95 {open_p95:.0f} ms, first {first_ms:.0f} ms",
            f"budget <= {OPEN_BUDGET_MS:.0f} ms",
            open_ms <= OPEN_BUDGET_MS,
        ),
        (
            "peak memory, assessment open",
            f"{open_mib:.0f} MiB",
            f"bare window {bare_mib:.0f} MiB",
            f"ratio {memory_ratio:.2f} (budget <= {MEMORY_RATIO_BUDGET})",
            memory_ratio <= MEMORY_RATIO_BUDGET,
        ),
    ]
    for name, figure, baseline, budget, ok in rows:
        print(f"{name:34} {figure:>14}   {baseline:32} {budget:34} {'ok' if ok else 'OVER'}")
    load_after = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after"
        + (
            ""
            if Path(cache_from_source(str(ROOT / "app" / "ui" / "app.py"))).is_file()
            else NO_BYTECODE
        )
    )
    if args.json:
        print(
            json.dumps(
                {
                    "start_ms": ours_s * 1000,
                    "bare_start_ms": bare_s * 1000,
                    "start_ratio": start_ratio,
                    "start_db_changed_ms": cold_s * 1000,
                    "start_db_changed_ratio": cold_ratio,
                    "open_ms": open_ms,
                    "open_first_ms": first_ms,
                    "open_p95_ms": open_p95,
                    "open_mib": open_mib,
                    "bare_mib": bare_mib,
                    "memory_ratio": memory_ratio,
                    "load_before": load_before[0],
                    "load_after": load_after[0],
                }
            )
        )
    return 0 if all(row[-1] for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
