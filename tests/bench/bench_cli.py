"""Command-line save benchmark: `readiness assess answer` against `readiness --help`.

    python tests/bench/bench_cli.py [--runs 7]

Both are new processes of the same interpreter (`python -m app ...`), run alternately in the
same run on the same machine, on a data folder holding the demo questionnaire's assessment;
each save writes a new value, so every run commits a revision. The figures are each command's
median CPU time (user + system of the child, so other programs competing for the cores do not
distort them) and median wall time, the ratio to `--help` (budget: a save <= 3x `--help`), and
the share of a run spent importing (one extra run of each with `-X importtime`, which slows
both) and which packages a save's importing goes to. Exit status 1 when the budget is exceeded. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RATIO_BUDGET = 3.0


def _environment(data: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["READINESS_DATA_DIR"] = str(data)
    env.pop("PYTHONPROFILEIMPORTTIME", None)
    return env


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """(CPU seconds of the child, wall seconds, its stderr) for `python -m app ARGS`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, cwd=ROOT, check=False
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({done.returncode}):\n{done.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, done.stderr


def _prepare(data: Path, env: dict[str, str]) -> str:
    """A data folder with one assessment of the shipped questionnaire; its id."""
    done = subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(data), "assess", "new", "--city", "Lima",
         "--country", "Peru", "--period", "2026", "--form", "precision-oncology-readiness",
         "--contributor", "Ana", "--role", "pathologist"],
        capture_output=True, text=True, env=env, cwd=ROOT, check=True,
    )  # fmt: skip
    return done.stdout.split()[-1]


def _imports(stderr: str) -> tuple[float, dict[str, float]]:
    """Seconds spent importing, and that time by top-level package (each module's own time)."""
    total = 0.0
    by_package: dict[str, float] = {}
    for line in stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        own, cumulative, name = line.split("|")
        if not cumulative.strip().isdigit():
            continue  # the header
        package = name.strip().split(".")[0]
        by_package[package] = by_package.get(package, 0.0) + int(own.split(":")[1]) / 1e6
        if not name.startswith("   "):  # a top-level import: nested ones are inside its figure
            total += int(cumulative) / 1e6
    return total, by_package


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="readiness-bench-cli-") as folder:
        data = Path(folder) / "data"
        env = _environment(data)
        ident = _prepare(data, env)[:8]
        help_cmd = ["-m", "app", "--help"]

        def save_cmd(n: int) -> list[str]:
            return ["-m", "app", "assess", "answer", ident, "PATH-04", str(10 + n % 80)]

        _run(help_cmd, env), _run(save_cmd(0), env)  # warm the file cache for both alike
        helps, saves = [], []
        for n in range(args.runs):
            helps.append(_run(help_cmd, env))
            saves.append(_run(save_cmd(n + 1), env))
        _cpu, traced_wall, traced = _run(["-X", "importtime", *save_cmd(99)], env)
        _cpu, traced_help_wall, traced_help = _run(["-X", "importtime", *help_cmd], env)
    help_cpu = statistics.median(c for c, _w, _e in helps)
    save_cpu = statistics.median(c for c, _w, _e in saves)
    help_wall = statistics.median(w for _c, w, _e in helps)
    save_wall = statistics.median(w for _c, w, _e in saves)
    ratio = save_cpu / help_cpu
    importing, by_package = _imports(traced)
    help_importing, _ = _imports(traced_help)
    print(f"readiness --help           CPU {help_cpu * 1000:5.0f} ms   wall {help_wall * 1000:5.0f} ms"
          f"   importing: {help_importing / traced_help_wall:.0%} of a traced run")  # fmt: skip
    print(f"readiness assess answer    CPU {save_cpu * 1000:5.0f} ms   wall {save_wall * 1000:5.0f} ms"
          f"   importing: {importing / traced_wall:.0%} of a traced run")  # fmt: skip
    print(
        f"ratio (CPU) {ratio:.2f}, wall {save_wall / help_wall:.2f} "
        f"(budget <= {RATIO_BUDGET})   {'ok' if ratio <= RATIO_BUDGET else 'OVER'}"
    )
    largest = sorted(by_package.items(), key=lambda item: -item[1])[:5]
    print(
        "a save's importing by package: "
        + ", ".join(f"{name} {seconds / importing:.0%}" for name, seconds in largest)
    )
    load_after = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, load average {load_before[0]:.2f} before, "
        f"{load_after[0]:.2f} after; {args.runs} runs of each, alternately"
    )
    return 0 if ratio <= RATIO_BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
