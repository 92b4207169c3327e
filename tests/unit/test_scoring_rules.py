"""The scoring rules an expert panel signs, held as properties over random answers and gates:

- skipping a question or answering "don't know" never yields a higher level or score than any
  honest answer, and skipping never differs from "don't know";
- every path to the next level reaches it, and no step of it can be left out or made smaller;
- every fired gate caps the level and the counting score of each domain it names;
- the overall figure is the weighted mean of the capped domain scores, so it never exceeds the
  weighted mean of the displayed levels by one level or more.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain import (
    Answer,
    AnswerState,
    AnswerType,
    Band,
    Domain,
    Gate,
    Indicator,
    IndicatorResult,
    LevelBy,
    Option,
    Questionnaire,
    ScoreResult,
    Section,
)
from app.scoring import score
from app.scoring.aggregate import aggregate

EN = {"en": "x"}


def actions(ind_id: str) -> dict[int, dict[str, str]]:
    return {n: {"en": f"{ind_id}: {n}->{n + 1}"} for n in range(1, 5)}


def ladder(ind_id: str, weight: float = 1.0, **extra: object) -> Indicator:
    """A five-option ladder: option 'l<n>' gives level n."""
    return Indicator(
        id=ind_id,
        type=AnswerType.SINGLE_CHOICE,
        label={"en": ind_id},
        options=tuple(Option(f"l{n}", {"en": f"level {n}"}, n) for n in range(1, 6)),
        level_by=LevelBy.OPTION,
        weight=weight,
        allow_not_applicable=True,
        allow_not_measured=True,
        actions=actions(ind_id),
        **extra,  # type: ignore[arg-type]
    )


def days(ind_id: str, weight: float = 1.0) -> Indicator:
    """Fewer days is better: bands descend."""
    bands = (Band(0, 5), Band(5, 4), Band(10, 3), Band(20, 2), Band(40, 1))
    return Indicator(
        id=ind_id,
        type=AnswerType.INTEGER,
        label={"en": ind_id},
        bands=bands,
        level_by=LevelBy.BAND,
        weight=weight,
        minimum=0,
        allow_not_measured=True,
        actions=actions(ind_id),
    )


DAYS_FOR_LEVEL = {5: 2, 4: 7, 3: 15, 2: 30, 1: 60}
LAB = ("LAB-01", "LAB-02", "LAB-03", "LAB-04")
FIN = ("FIN-01", "FIN-02", "FIN-03")
IDS = LAB + FIN


def build(gates: tuple[Gate, ...] = (), relevance: bool = True) -> Questionnaire:
    lab = Domain(
        "LAB",
        {"en": "Laboratory"},
        sections=(
            Section(
                "LAB-A",
                EN,
                (
                    ladder("LAB-01", 2),
                    days("LAB-02"),
                    ladder("LAB-03", after=("LAB-01",)),
                    # Asked only when LAB-01 reaches level 3 or more.
                    ladder("LAB-04", 1.5, relevance="level(LAB-01) >= 3" if relevance else None),
                ),
            ),
        ),
    )
    fin = Domain(
        "FIN",
        {"en": "Financing"},
        weight=2,
        sections=(Section("FIN-A", EN, (ladder("FIN-01"), ladder("FIN-02", 3), ladder("FIN-03"))),),
    )
    return Questionnaire("q", "1", {"en": "Q"}, (lab, fin), gates=gates)


def answer_for(indicator_id: str, level: int) -> Answer:
    if indicator_id == "LAB-02":
        return Answer(DAYS_FOR_LEVEL[level])
    return Answer(f"l{level}")


GAP = st.sampled_from([AnswerState.DONT_KNOW, AnswerState.NOT_MEASURED, AnswerState.UNANSWERED])
ENTRY = st.one_of(st.integers(1, 5), GAP, st.just(AnswerState.NOT_APPLICABLE))
GATES = st.lists(
    st.builds(
        lambda ids, below, cap_lab, cap_fin, mode, n: Gate(
            f"g{n}", tuple(ids), min_level=below, caps={"LAB": cap_lab, "FIN": cap_fin}, mode=mode
        ),
        st.lists(st.sampled_from(IDS), min_size=1, max_size=3, unique=True),
        st.integers(2, 5),
        st.integers(1, 5),
        st.integers(1, 5),
        st.sampled_from(["any", "all"]),
        st.integers(0, 10_000),
    ),
    max_size=3,
    unique_by=lambda g: g.id,
)


def answers_from(entries: dict[str, int | AnswerState]) -> dict[str, Answer]:
    out: dict[str, Answer] = {}
    for ind_id, entry in entries.items():
        if isinstance(entry, int):
            out[ind_id] = answer_for(ind_id, entry)
        elif entry is AnswerState.NOT_APPLICABLE and ind_id == "LAB-02":
            continue  # LAB-02 does not allow not applicable: leave it unanswered
        elif entry is not AnswerState.UNANSWERED:
            out[ind_id] = Answer(state=entry)
    return out


def no_higher(worse: ScoreResult, better: ScoreResult) -> None:
    """`worse` (a gap where `better` has an honest answer) is never above `better`."""
    for domain_id, low in worse.domains.items():
        high = better.domains[domain_id]
        if low.level is not None:
            assert high.level is not None and low.level <= high.level
            assert low.score is not None and high.score is not None
            assert low.score <= high.score + 1e-9
    if worse.overall_score is not None:
        assert better.overall_score is not None
        assert worse.overall_score <= better.overall_score + 1e-9


@settings(max_examples=300, deadline=None)
@given(
    st.fixed_dictionaries({i: ENTRY for i in IDS}),
    GATES,
    st.lists(st.sampled_from(IDS), min_size=1, max_size=4, unique=True),
    st.data(),
)
def test_skipping_or_dont_know_never_scores_above_an_honest_answer(
    entries, gates, hidden, data
) -> None:  # type: ignore[no-untyped-def]
    q = build(tuple(gates))
    honest = dict(entries)
    for ind_id in hidden:
        honest[ind_id] = data.draw(st.integers(1, 5), label=f"honest {ind_id}")
    skipped = {**honest, **{i: AnswerState.UNANSWERED for i in hidden}}
    unknown = {**honest, **{i: AnswerState.DONT_KNOW for i in hidden}}
    by_skip = score(q, answers_from(skipped))
    by_dont_know = score(q, answers_from(unknown))
    by_answer = score(q, answers_from(honest))
    no_higher(by_skip, by_answer)
    no_higher(by_dont_know, by_answer)
    # Skipping and "don't know" are the same data gap for the figures.
    for domain_id, skip in by_skip.domains.items():
        known = by_dont_know.domains[domain_id]
        assert (skip.level, skip.score, skip.insufficient_data) == (
            known.level,
            known.score,
            known.insufficient_data,
        )
    assert by_skip.overall_score == by_dont_know.overall_score


def test_skipping_the_question_that_decides_relevance_does_not_hide_a_low_answer() -> None:
    q = build()
    base = {"LAB-02": Answer(2), "LAB-03": Answer("l5")}
    # Honest: LAB-01 at 3 opens LAB-04, answered at level 1.
    honest = score(q, {**base, "LAB-01": Answer("l3"), "LAB-04": Answer("l1")})
    # Skipping LAB-01 leaves LAB-04's relevance undecided: it counts as a gap, not as absent.
    skipped = score(q, base)
    lab04 = skipped.indicator("LAB-04")
    assert lab04 is not None and lab04.relevance_pending and not lab04.relevant
    assert skipped.domains["LAB"].score is not None and honest.domains["LAB"].score is not None
    assert skipped.domains["LAB"].score < honest.domains["LAB"].score


def test_half_dont_know_scores_the_same_as_half_skipped() -> None:
    q = build()
    known = {
        "LAB-01": Answer("l4"),
        "LAB-02": Answer(3),
        "FIN-01": Answer("l4"),
        "FIN-02": Answer("l3"),
    }
    gaps = ("LAB-03", "LAB-04", "FIN-03")
    dont_know = score(q, {**known, **{i: Answer(state=AnswerState.DONT_KNOW) for i in gaps}})
    skipped = score(q, known)
    assert dont_know.overall_score == skipped.overall_score
    assert [d.level for d in dont_know.domains.values()] == [
        d.level for d in skipped.domains.values()
    ]


# --- the path to the next level ---------------------------------------------------------------


def apply_steps(
    entries: dict[str, int | AnswerState], steps: dict[str, int]
) -> dict[str, int | AnswerState]:
    out = dict(entries)
    out.update(steps)
    return out


def level_after(q: Questionnaire, entries: dict[str, int | AnswerState], domain_id: str) -> int:
    return score(q, answers_from(entries)).domains[domain_id].level or 0


@settings(max_examples=400, deadline=None)
@given(st.fixed_dictionaries({i: ENTRY for i in IDS}), GATES, st.booleans())
def test_every_path_reaches_the_next_level_with_no_step_to_spare(entries, gates, relevance) -> None:  # type: ignore[no-untyped-def]
    q = build(tuple(gates), relevance)
    result = score(q, answers_from(entries))
    for domain_id, domain in result.domains.items():
        if domain.level is None or domain.level == 5:
            assert domain.next_level == ()
            continue
        target = domain.level + 1
        steps = domain.next_level
        if not steps:
            continue  # only when a relevance hides what a step would need (asserted below)
        goals = {s.indicator_id: s.target_level for s in steps}
        assert all(s.target_level > s.current_level for s in steps)
        reasons = [s.reason for s in steps]
        ids = [s.indicator_id for s in steps]
        if not ("LAB-01" in ids and "LAB-03" in ids):  # a declared dependency may reorder
            assert reasons == sorted(reasons, key=lambda r: r != "gate"), "gates come first"
        if relevance and ("LAB-01" in goals or "LAB-04" in goals):
            # LAB-01 decides whether LAB-04 applies. Stage two sees levels, not relevance, so a
            # step that answers LAB-01 or raises the undecided LAB-04 is exact only once that
            # answer is given; the path is then recomputed (docs/architecture.md).
            continue
        after = apply_steps(entries, goals)
        reached = score(q, answers_from(after)).domains[domain_id]
        assert reached.level is not None and reached.level >= target
        assert reached.score is not None and steps[-1].projected_score is not None
        assert steps[-1].projected_score == pytest.approx(reached.score, abs=1e-3)
        # Minimal: any step one level lower (or left out) no longer reaches the target.
        for step in steps:
            smaller = dict(goals)
            smaller[step.indicator_id] = step.target_level - 1
            if smaller[step.indicator_id] <= step.current_level:
                smaller.pop(step.indicator_id)
            assert level_after(q, apply_steps(entries, smaller), domain_id) < target
        # A data gap is measured, not serviced.
        for step in steps:
            gap = not isinstance(entries[step.indicator_id], int)
            assert step.measure == gap or (relevance and step.indicator_id == "LAB-04")
            if step.measure:
                assert step.current_value is None and "Measure" in step.action["en"]


@settings(max_examples=200, deadline=None)
@given(st.fixed_dictionaries({i: ENTRY for i in IDS}), GATES)
def test_declared_dependencies_order_the_steps(entries, gates) -> None:  # type: ignore[no-untyped-def]
    result = score(build(tuple(gates)), answers_from(entries))
    ids = [s.indicator_id for s in result.domains["LAB"].next_level]
    if "LAB-01" in ids and "LAB-03" in ids:
        assert ids.index("LAB-01") < ids.index("LAB-03")


def test_path_shows_values_and_joins_every_level_action() -> None:
    q = build()
    answers = {
        "LAB-01": Answer("l1"),
        "LAB-02": Answer(60),
        "LAB-03": Answer("l1"),
        "LAB-04": Answer(state=AnswerState.NOT_APPLICABLE),
    }
    lab = score(q, answers).domains["LAB"]
    assert lab.level == 1
    # Needs 4 weighted levels above 1 * 4: LAB-01 (weight 2) to 3 is the fewest steps.
    [step] = lab.next_level
    assert (step.indicator_id, step.current_level, step.target_level) == ("LAB-01", 1, 3)
    assert step.action["en"] == "LAB-01: 1->2 Then: LAB-01: 2->3"
    assert step.current_value == "l1" and step.target_value["en"] == "level 3"
    assert step.projected_score == pytest.approx(2.0)


def test_target_of_a_band_where_fewer_is_better() -> None:
    from app.scoring.path import target_answer

    assert target_answer(days("D"), 4)["en"] == "less than 10"
    assert target_answer(days("D"), 5)["en"] == "less than 5"


# --- gates and the overall figure -------------------------------------------------------------


def results_from(entries: dict[str, int | AnswerState]) -> dict[str, IndicatorResult]:
    out = {}
    for ind_id, entry in entries.items():
        if isinstance(entry, int):
            out[ind_id] = IndicatorResult(ind_id, AnswerState.ANSWERED, entry)
        elif entry in (AnswerState.DONT_KNOW, AnswerState.NOT_MEASURED):
            out[ind_id] = IndicatorResult(ind_id, entry, 1, data_gap=True)
        else:
            out[ind_id] = IndicatorResult(ind_id, entry, None)
    return out


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries({i: ENTRY for i in IDS}), GATES)
def test_every_gate_caps_what_it_names_and_overall_follows_capped_levels(entries, gates) -> None:  # type: ignore[no-untyped-def]
    q = build(tuple(gates))
    result = aggregate(q, results_from(entries))
    for gate in q.gates:
        counted = [
            entries[i] for i in gate.indicators if entries[i] is not AnswerState.NOT_APPLICABLE
        ]
        low = [e for e in counted if not isinstance(e, int) or e < gate.min_level]
        should_fire = bool(low) and (gate.mode == "any" or len(low) == len(counted))
        for domain_id, cap in gate.caps.items():
            domain = result.domains[domain_id]
            [judged] = [j for j in domain.gates if j.gate_id == gate.id]
            assert judged.fired == should_fire
            if should_fire and domain.level is not None:
                assert domain.level <= cap and domain.score is not None and domain.score <= cap
    levelled = [(d.level, d.score, q.domain(i).weight) for i, d in result.domains.items()]
    if result.overall_score is None:
        assert result.insufficient_domains or all(s is None for _l, s, _w in levelled)
        return
    total = sum(w for lvl, _s, w in levelled if lvl is not None)
    mean_level = sum(lvl * w for lvl, _s, w in levelled if lvl is not None) / total
    mean_score = sum(s * w for lvl, s, w in levelled if lvl is not None and s is not None) / total
    assert result.overall_score == pytest.approx(mean_score)
    assert mean_level - 1e-9 <= result.overall_score < mean_level + 1
    assert math.isfinite(result.overall_score)


# --- national context -------------------------------------------------------------------------


def test_national_context_is_reported_apart_and_never_weighs_on_the_city() -> None:
    from dataclasses import replace

    q = build()
    lab = q.domains[0]
    national = replace(lab.sections[0].indicators[2], scope="national")  # LAB-03
    section = replace(lab.sections[0], indicators=(*lab.sections[0].indicators[:2], national,
                                                   lab.sections[0].indicators[3]))  # fmt: skip
    q = replace(q, domains=(replace(lab, sections=(section,)), q.domains[1]))
    answers = {"LAB-01": Answer("l4"), "LAB-02": Answer(3), "LAB-04": Answer("l4")}
    low, high = (score(q, {**answers, "LAB-03": Answer(code)}) for code in ("l1", "l5"))
    assert low.domains["LAB"].score == high.domains["LAB"].score
    assert [r.indicator_id for r in low.domains["LAB"].national] == ["LAB-03"]
    assert low.indicator("LAB-03") is not None and low.indicator("LAB-03").level == 1  # type: ignore[union-attr]
    assert "LAB-03" not in [r.indicator_id for r in low.domains["LAB"].indicators]


def test_shipped_national_indicators_are_declared() -> None:
    from app.forms import load_questionnaire

    q = load_questionnaire("forms/precision-oncology-readiness/readiness-v1.0.yaml")
    national = sorted(i.id for i in q.indicators if i.national)
    assert national == sorted(
        ["GOV-01", "GOV-02", "GOV-03", "GOV-08", "GOV-09", "FIN-04", "FIN-06", "DATA-06", "WF-08"]
    )
    gate_ids = {i for gate in q.gates for i in gate.indicators}
    assert not gate_ids & set(national)


# --- consistency checks -----------------------------------------------------------------------


def test_shipped_consistency_checks_warn_and_never_change_a_level() -> None:
    from app.forms import load_questionnaire
    from app.scoring import indicator_results, score_to_json

    q = load_questionnaire("forms/precision-oncology-readiness/readiness-v1.0.yaml")
    assert {c.id for c in q.checks} >= {
        "biosimilars-without-tenders",
        "citywide-monitoring-without-registry",
    }
    base: dict[str, Answer] = {}
    consistent = {**base, "TX-05": Answer("yes"), "FIN-08": Answer(("biosimilar_tendering",))}
    contradicting = {**base, "TX-05": Answer("yes"), "FIN-08": Answer(("price_negotiation",))}
    assert score(q, consistent).checks == ()
    warned = score(q, contradicting)
    [check] = warned.checks
    assert check.check_id == "biosimilars-without-tenders"
    assert check.indicators == ("TX-05", "FIN-08")
    document = score_to_json(warned, q, "fr")
    assert document["checks"][0]["id"] == "biosimilars-without-tenders"
    assert "FIN-08" in document["checks"][0]["message"]
    # A warning never moves a figure: the same as scoring without the checks.
    plain = aggregate(q, indicator_results(q, contradicting))
    assert plain.domains == warned.domains and plain.overall_score == warned.overall_score
    registry = {
        "GOV-10": Answer(("stage_at_diagnosis", "biomarker_coverage")),
        "DATA-01": Answer("hospital_based"),
        "DATA-02": Answer(60),
    }
    assert [c.check_id for c in score(q, registry).checks] == [
        "citywide-monitoring-without-registry"
    ]
    assert score(q, {**registry, "DATA-01": Answer("population_based_reporting")}).checks == ()
    # Unanswered parts never warn.
    assert score(q, {"TX-05": Answer("yes")}).checks == ()


# --- the shipped questionnaire ----------------------------------------------------------------


def _shipped() -> Questionnaire:
    from app.forms import load_questionnaire

    return load_questionnaire("forms/precision-oncology-readiness/readiness-v1.0.yaml")


SHIPPED = _shipped()
SHIPPED_IDS = [i.id for i in SHIPPED.indicators if i.scored]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(st.integers(1, 5), GAP), min_size=len(SHIPPED_IDS), max_size=len(SHIPPED_IDS)
    )
)
def test_shipped_paths_reach_the_next_level(entries) -> None:  # type: ignore[no-untyped-def]
    from app.scoring.path import max_level

    levels = {
        ind_id: (min(e, max_level(SHIPPED.indicator(ind_id))) if isinstance(e, int) else e)
        for ind_id, e in zip(SHIPPED_IDS, entries, strict=True)
    }
    national = {i.id for i in SHIPPED.indicators if i.national}

    def results(entries: dict[str, int | AnswerState]) -> dict[str, IndicatorResult]:
        out = results_from(entries)
        return {k: replace(r, national=k in national) for k, r in out.items()}

    before = aggregate(SHIPPED, results(levels))
    for domain_id, domain in before.domains.items():
        if domain.level is None or domain.level == 5:
            continue
        assert domain.next_level, f"{domain_id} at {domain.level} has no path"
        after = dict(levels)
        after.update({s.indicator_id: s.target_level for s in domain.next_level})
        reached = aggregate(SHIPPED, results(after)).domains[domain_id]
        assert reached.level is not None and reached.level >= domain.level + 1
        assert domain.next_level[-1].projected_score == pytest.approx(reached.score, abs=1e-3)
