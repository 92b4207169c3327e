"""Writes the ten contrasting city profiles (answers files in the CLI format) in this folder.

Each profile sets a target level per domain; every scored question gets the answer that reaches
that level under the shipped questionnaire's own mapping (found by trying the options, counts and
band thresholds), then a few answers are set by hand to tell the profile's story (a gate, data
gaps, national context). Run `.venv/bin/python tests/data/profiles/make_profiles.py` after a
change of the questionnaire; tests/unit/test_profiles.py holds the levels of docs/questionnaire.md.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.domain import Answer, AnswerType, Indicator, LevelBy, Questionnaire
from app.forms import load_questionnaire
from app.scoring import indicator_results

HERE = Path(__file__).resolve().parent
FORM = HERE.parents[2] / "forms" / "precision-oncology-readiness" / "readiness-v1.0.yaml"
DK = {"state": "dont_know"}
NM = {"state": "not_measured"}

# Biosimilars bought through tenders open to them (keeps TX-05 and FIN-08 consistent).
TENDERS = {"FIN-08": ["pooled_procurement", "price_negotiation", "biosimilar_tendering"]}

PROFILES: dict[str, dict[str, Any]] = {
    "01-mature-capital": {
        "levels": {"GOV": 5, "PATH": 5, "BIO": 5, "QA": 5, "TX": 4, "WF": 4, "FIN": 4, "DATA": 4},
        "answers": {**TENDERS},
    },
    "02-emerging-everywhere": {
        "levels": {d: 2 for d in ("GOV", "PATH", "BIO", "QA", "TX", "WF", "FIN", "DATA")},
        # Claims city-wide stage and biomarker monitoring with hospital registries only: the
        # consistency check warns (the level does not change).
        "answers": {"GOV-10": ["stage_at_diagnosis", "biomarker_coverage"]},
    },
    "03-nascent": {
        "levels": {d: 1 for d in ("GOV", "PATH", "BIO", "QA", "TX", "WF", "FIN", "DATA")},
        "answers": {},
    },
    "04-strong-labs-patients-pay": {
        "levels": {"GOV": 3, "PATH": 4, "BIO": 4, "QA": 4, "TX": 3, "WF": 3, "FIN": 4, "DATA": 3},
        "answers": {"FIN-02": 90},  # patients pay ~all of a core test: FIN capped at 2
    },
    "05-medicines-without-tests": {
        "levels": {"GOV": 3, "PATH": 3, "BIO": 3, "QA": 3, "TX": 4, "WF": 3, "FIN": 3, "DATA": 3},
        "answers": {
            "TX-02": 10,
            **TENDERS,
        },  # few medicines have their companion test funded: TX capped at 2
    },
    "06-no-eqa": {
        "levels": {"GOV": 4, "PATH": 4, "BIO": 4, "QA": 4, "TX": 4, "WF": 4, "FIN": 4, "DATA": 4},
        "answers": {"QA-03": 0, **TENDERS},  # no predictive test in EQA: QA and BIO capped at 2
    },
    "07-honest-unknowns": {
        "levels": {"GOV": 3, "PATH": 3, "BIO": 3, "QA": 3, "TX": 3, "WF": 3, "FIN": 3, "DATA": 3},
        "unknown": {
            "WF": 0.6,
            "DATA": 0.3,
        },  # share of each domain's questions answered "don't know"
        "answers": {},
    },
    "08-fixation-not-recorded": {
        "levels": {"GOV": 3, "PATH": 4, "BIO": 3, "QA": 3, "TX": 3, "WF": 3, "FIN": 3, "DATA": 3},
        "answers": {"PATH-04": NM},  # cold ischaemia not recorded: PATH capped at 2
    },
    "09-strong-country-weak-city": {
        "levels": {"GOV": 2, "PATH": 2, "BIO": 2, "QA": 2, "TX": 2, "WF": 2, "FIN": 2, "DATA": 2},
        "national": 5,  # the national plan, HTA, data law... are all at level 5
        "answers": {},
    },
    "10-registry-led-data-weak-lab": {
        "levels": {"GOV": 3, "PATH": 2, "BIO": 2, "QA": 2, "TX": 2, "WF": 2, "FIN": 3, "DATA": 5},
        "answers": {"BIO-07": NM},  # turnaround not measured: BIO capped at 3 (already lower)
    },
}


def encode(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def candidates(ind: Indicator) -> list[Any]:
    plain = [o.code for o in ind.options if not o.exclusive]
    if ind.type is AnswerType.MULTIPLE_CHOICE:
        none = [o.code for o in ind.options if o.exclusive]
        return [tuple(none)] * bool(none) + [tuple(plain[:n]) for n in range(1, len(plain) + 1)]
    if ind.type.is_choice:
        return [o.code for o in ind.options]
    if ind.level_by is LevelBy.BAND:
        values = [b.minimum for b in ind.bands]
        return [int(v) if ind.type is AnswerType.INTEGER or v.is_integer() else v for v in values]
    return []


def computed_inputs(ind_id: str, level: int) -> dict[str, Any]:
    """Inputs of the computed indicators that reach `level`."""
    if ind_id == "WF-01":  # pathologists per million
        per_million = {1: 0, 2: 1, 3: 3, 4: 10, 5: 30}.get(level, 0)
        return {"WF-01a": per_million * 2, "WF-01b": 2_000_000}
    if ind_id == "WF-05":  # new patients per oncologist (fewer is better)
        per_oncologist = {5: 150, 4: 250, 3: 400, 2: 800, 1: 1200}[level]
        return {"WF-05a": 10, "WF-05b": per_oncologist * 10}
    if ind_id == "BIO-05":
        share = {1: 5, 2: 15, 3: 40, 4: 70, 5: 95}[level]
        return {"BIO-05a": share, "BIO-05b": share}
    if ind_id == "WF-03":  # laboratory staff per pathologist, with WF-01a pathologists
        return {}
    if ind_id == "WF-04":
        return {1: {"WF-04a": 0, "WF-04b": 0}, 2: {"WF-04a": 1, "WF-04b": 0},
                3: {"WF-04a": 2, "WF-04b": 0}, 4: {"WF-04a": 1, "WF-04b": 1},
                5: {"WF-04a": 2, "WF-04b": 2}}[level]  # fmt: skip
    return {}


def level_of(q: Questionnaire, answers: dict[str, Answer], ind_id: str) -> int | None:
    return indicator_results(q, answers)[ind_id].level


def fill(q: Questionnaire, profile: dict[str, Any]) -> dict[str, Any]:
    answers: dict[str, Answer] = {}
    national_level = profile.get("national")
    for domain in q.domains:
        goal = profile["levels"][domain.id]
        total = weights = 0.0  # running weighted sum of the city levels chosen so far
        for ind in domain.scored_indicators:
            if ind.national and national_level:
                target = national_level
            else:
                target = goal
            if ind.type is AnswerType.COMPUTED:
                for key, value in computed_inputs(ind.id, target).items():
                    answers[key] = Answer(value)
                continue
            # Keep the domain's running mean at (or just above) the goal: where no option has
            # exactly that level, alternate between the levels around it.
            best: tuple[float, Any, int] | None = None
            for value in candidates(ind):
                level = level_of(q, {**answers, ind.id: Answer(value)}, ind.id)
                if level is None:
                    continue
                if ind.national:
                    distance = abs(level - target)
                else:
                    mean = (total + ind.weight * level) / (weights + ind.weight)
                    distance = abs(mean - target) + (0.01 if mean < target else 0)
                if best is None or distance < best[0]:
                    best = (distance, value, level)
            if best is not None:
                answers[ind.id] = Answer(best[1])
                if not ind.national:
                    total += ind.weight * best[2]
                    weights += ind.weight
    # WF-03: laboratory staff per pathologist, from the pathologists WF-01a gives.
    pathologists = int(answers.get("WF-01a", Answer(0)).value or 0)
    if "WF-03" in {i.id for i in q.indicators} and pathologists:
        per = {1: 0, 2: 1, 3: 3, 4: 5, 5: 6}[profile["levels"]["WF"]]
        answers["WF-03a"] = Answer(per * pathologists)
        answers["WF-03b"] = Answer(per * pathologists)
    out: dict[str, Any] = {key: encode(a.value) for key, a in answers.items()}
    for domain_id, share in profile.get("unknown", {}).items():
        ids = [i.id for i in q.domain(domain_id).indicators if i.type is not AnswerType.COMPUTED]
        for ind_id in ids[: round(len(ids) * share)]:
            out[ind_id] = DK
    out.update(profile["answers"])
    return dict(sorted(out.items()))


def main() -> None:
    q = load_questionnaire(FORM)
    for name, profile in PROFILES.items():
        path = HERE / f"{name}.json"
        path.write_text(json.dumps(fill(q, profile), indent=1, ensure_ascii=False) + "\n")
        print("wrote", path.name)


if __name__ == "__main__":
    main()
