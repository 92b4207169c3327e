"""Storage benchmark: save-answer latency and re-scoring time for a 100-indicator assessment.

    python tests/bench/bench_storage.py [--saves 400]

Each figure is printed beside a baseline measured in the same run on the same disk: a bare
sqlite3 INSERT + COMMIT with the product's pragmas (WAL, synchronous=FULL). Budgets (DESIGN.md
section 10): save p95 <= 15 ms, re-score <= 5 ms. Not collected by pytest (bench_*.py).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

SAVE_BUDGET_MS = 15.0
RESCORE_BUDGET_MS = 5.0


def questionnaire_yaml(domains: int = 10, per_domain: int = 10) -> str:
    """A valid 100-indicator questionnaire (yes/partial/no, single choice, numbers)."""

    def text(s: str) -> str:
        return f"{{en: {s}, es: {s}, fr: {s}, pt: {s}}}"

    actions = "\n".join(f"              {n}: {text(f'Step {n}.')}" for n in range(1, 5))
    lines = [
        "format: 1",
        "id: bench-readiness",
        'version: "1.0"',
        f"title: {text('Bench')}",
        "levels:",
        *[f"  - level: {n}\n    name: {text(f'Level {n}')}" for n in range(1, 6)],
        "domains:",
    ]
    for d in range(domains):
        domain = f"D{d}"
        lines += [
            f"  - id: {domain}",
            f"    name: {text(f'Domain {d}')}",
            "    sections:",
            f"      - id: {domain}-A",
            f"        name: {text('Section')}",
            "        indicators:",
        ]
        for i in range(per_domain):
            ident = f"{domain}-{i:02d}"
            lines += [f"          - id: {ident}", f"            label: {text(f'Question {ident}')}"]
            if i % 3 == 0:
                lines += [
                    "            type: integer",
                    "            min: 0",
                    "            max: 1000",
                    "            bands:",
                ]
                lines += [
                    f"              - {{min: {m}, level: {lv}}}"
                    for m, lv in ((0, 1), (10, 2), (50, 3), (100, 4), (500, 5))
                ]
            else:
                lines += [
                    "            type: yes_partial_no",
                    "            options:",
                    '              - {code: "yes", level: 4}',
                    "              - {code: partial, level: 2}",
                    '              - {code: "no", level: 1}',
                ]
            lines += ["            actions:", actions]
    lines += [
        "gates:",
        "  - id: d0-gate",
        "    indicators: [D0-01]",
        "    below: 2",
        "    caps: {D0: 2, D1: 2}",
        f"    message: {text('Gate')}",
    ]
    return "\n".join(lines) + "\n"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


class RawSqlite:
    """The baseline: a bare sqlite3 INSERT + COMMIT with the product's pragmas, same disk."""

    def __init__(self, folder: Path) -> None:
        self.conn = sqlite3.connect(folder / "raw.sqlite3", isolation_level=None)
        self.conn.execute("PRAGMA journal_mode = WAL")
        self.conn.execute("PRAGMA synchronous = FULL")
        self.conn.execute(
            "CREATE TABLE revision (id TEXT PRIMARY KEY, indicator TEXT, value TEXT, note TEXT)"
        )
        self.n = 0

    def save(self) -> float:
        self.n += 1
        start = time.perf_counter()
        self.conn.execute("BEGIN IMMEDIATE")
        self.conn.execute(
            "INSERT INTO revision VALUES (?, ?, ?, ?)",
            (str(uuid.uuid4()), f"D0-{self.n % 10}", '"yes"', ""),
        )
        self.conn.execute("COMMIT")
        return (time.perf_counter() - start) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=400)
    args = parser.parse_args()

    from app.domain import Answer, AnswerState
    from app.scoring import score
    from app.services.answers import save_answer
    from app.services.assessments import create_assessment, load_snapshot
    from app.services.city_answers import derive
    from app.services.workspace import Workspace
    from app.storage import answers_repo, catalog

    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        form = folder / "bench-form.yaml"
        form.write_text(questionnaire_yaml(), encoding="utf-8")
        baseline = RawSqlite(folder)

        ws = Workspace.open(folder / "data", daily_backup=False)
        aid = create_assessment(ws, "Bench City", "Benchland", "2026", form)
        from app.services.assessments import load_questionnaire_for

        questionnaire = load_questionnaire_for(ws, aid)
        indicators = questionnaire.indicators
        assert len(indicators) == 100

        def answer_for(indicator_id: str) -> Answer:
            if questionnaire.indicator(indicator_id).type.value == "integer":
                return Answer(value=rng.randrange(0, 1000))
            if rng.random() < 0.1:
                return Answer(state=AnswerState.DONT_KNOW)
            return Answer(value=rng.choice(["yes", "partial", "no"]))

        # Fill the assessment (two contributors), then time further saves.
        for person in ("Ana", "Bob"):
            for indicator in indicators:
                save_answer(ws, aid, indicator.id, answer_for(indicator.id), contributor=person)
        # Interleaved with the baseline, so both see the same disk and machine load.
        saves, raw = [], []
        for _ in range(args.saves):
            raw.append(baseline.save())
            indicator = rng.choice(indicators).id
            start = time.perf_counter()
            save_answer(ws, aid, indicator, answer_for(indicator), contributor="Ana")
            saves.append((time.perf_counter() - start) * 1000)

        # Re-scoring: derive the city answers from the heads and score them.
        with ws.read() as conn:
            heads = answers_repo.heads_for_assessment(conn, aid)
            people = catalog.get_contributors(conn, {h.subject for h in heads})
        rescoring, deriving = [], []
        for _ in range(200):
            start = time.perf_counter()
            derivation = derive(questionnaire, heads, people)
            middle = time.perf_counter()
            score(questionnaire, derivation.scoring_answers, derivation.disputed)
            end = time.perf_counter()
            deriving.append((middle - start) * 1000)
            rescoring.append((end - middle) * 1000)
        opening = []
        for _ in range(20):
            start = time.perf_counter()
            load_snapshot(ws, aid, with_revisions=False)
            opening.append((time.perf_counter() - start) * 1000)
        ws.close()

    raw50, raw95 = statistics.median(raw), percentile(raw, 0.95)
    s50, s95 = statistics.median(saves), percentile(saves, 0.95)
    print(f"storage benchmark: {args.saves} saves, 100-indicator assessment, 2 contributors")
    print(f"{'figure':<44}{'value':>10}{'baseline':>12}{'ratio':>8}{'budget':>10}")
    rows = [
        ("save answer p50 (ms)", s50, raw50, None),
        ("save answer p95 (ms)", s95, raw95, SAVE_BUDGET_MS),
        (
            "re-score, scoring only, median (ms)",
            statistics.median(rescoring),
            None,
            RESCORE_BUDGET_MS,
        ),
        (
            "re-score incl. city-answer derivation (ms)",
            statistics.median([a + b for a, b in zip(deriving, rescoring, strict=True)]),
            None,
            RESCORE_BUDGET_MS,
        ),
        ("open assessment (load_snapshot) median (ms)", statistics.median(opening), None, 150.0),
    ]
    within = True
    for label, value, baseline, budget in rows:
        base = f"{baseline:>12.2f}" if baseline else f"{'':>12}"
        ratio = f"{value / baseline:>7.1f}x" if baseline else f"{'':>8}"
        limit = f"{budget:>10.1f}" if budget else f"{'':>10}"
        print(f"{label:<44}{value:>10.2f}{base}{ratio}{limit}")
        if budget is not None and value > budget:
            within = False
    print(
        "baseline: bare sqlite3 BEGIN IMMEDIATE + INSERT + COMMIT, WAL, synchronous=FULL, "
        "interleaved with the saves"
    )
    print("within budget" if within else "OVER BUDGET")
    return 0 if within else 1


if __name__ == "__main__":
    sys.exit(main())
