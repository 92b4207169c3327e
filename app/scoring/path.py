"""The path to the next level: the fewest indicator steps that provably lift the domain's capped
level by one, each with its current and target level, its target answer and the projected score.

How the steps are chosen:

1. Gates first. Every fired gate that holds the domain below the target is lifted: with mode
   `any`, each low gate indicator is raised to the gate's threshold; with mode `all`, one of them
   (this domain's heaviest, else the first listed).
2. Then the score. While the projected score is below the target, raise by one level the
   indicator whose one-level step adds the most (the heaviest weight; on a tie the lowest level,
   then questionnaire order). Taking the largest steps first needs the fewest steps.
3. The projection is re-scored with the same rules as the result (`levels.py`); a path that does
   not reach the target is not offered.
4. Steps are listed gates first, then by gain, and moved after the steps they depend on where the
   questionnaire declares it (`after:`).
"""

from __future__ import annotations

from collections.abc import Mapping

from app.domain import (
    AnswerState,
    AnswerType,
    Domain,
    Indicator,
    IndicatorResult,
    LevelBy,
    LocalText,
    NextStep,
    Questionnaire,
)
from app.scoring.evaluate import references
from app.scoring.levels import (
    MIN_KNOWN,
    counted_level,
    counts,
    domain_figures,
    is_known,
    judge_gate,
)

# What a data-gap step asks for, whatever the indicator: find the answer before changing services.
MEASURE: LocalText = {
    "en": "Measure it first: find out the answer from records or an audit, and start recording it.",
    "es": "Mídalo primero: obtenga la respuesta de los registros o de una auditoría y empiece a "
    "registrarla.",
    "fr": "Mesurez-le d'abord : trouvez la réponse dans les registres ou par un audit, et "
    "commencez à l'enregistrer.",
    "pt": "Meça primeiro: obtenha a resposta nos registros ou por uma auditoria e comece a "
    "registrá-la.",
}
_THEN: LocalText = {"en": "Then:", "es": "Luego:", "fr": "Puis :", "pt": "Depois:"}
_AT_LEAST: LocalText = {"en": "at least", "es": "al menos", "fr": "au moins", "pt": "pelo menos"}
_BELOW: LocalText = {"en": "less than", "es": "menos de", "fr": "moins de", "pt": "menos de"}
_SELECTED: LocalText = {
    "en": "selected",
    "es": "seleccionadas",
    "fr": "sélectionnées",
    "pt": "selecionadas",
}
_LANGS = ("en", "es", "fr", "pt")


def max_level(indicator: Indicator) -> int:
    """The highest level the indicator's mapping can give (5 when an expression decides)."""
    if indicator.level_by in (LevelBy.OPTION, LevelBy.MAX_OPTION):
        return max((o.level for o in indicator.options if o.level is not None), default=5)
    if indicator.level_by in (LevelBy.BAND, LevelBy.COUNT) and indicator.bands:
        return max(b.level for b in indicator.bands)
    return 5


def path_to_next_level(
    questionnaire: Questionnaire,
    domain: Domain,
    level: int,
    results: Mapping[str, IndicatorResult],
    levels: Mapping[str, int] | None = None,
) -> tuple[NextStep, ...]:
    """`levels`: the counted level of every indicator, when the caller has them already."""
    target = level + 1
    base = (
        dict(levels)
        if levels is not None
        else {r.indicator_id: counted_level(r) for r in results.values()}
    )
    conditional = [ind for ind in questionnaire.indicators if ind.relevance is not None]
    projected = dict(base)
    goals: dict[str, tuple[int, str]] = {}  # indicator -> (target level, reason)

    def raise_to(indicator_id: str, goal: int, reason: str) -> None:
        projected[indicator_id] = max(projected[indicator_id], goal)
        old = goals.get(indicator_id)
        goals[indicator_id] = (projected[indicator_id], old[1] if old else reason)

    # A step may open questions whose relevance depends on it; they count as unanswered (level 1)
    # from then on, so the projection never promises more than the result will give.
    current = dict(results)
    for _round in range(3 * len(domain.scored_indicators) + 3):
        _lift_gates(questionnaire, domain, target, current, projected, raise_to)
        members = [
            ind for ind in domain.scored_indicators if ind.id in current and counts(current[ind.id])
        ]
        order = {ind.id: i for i, ind in enumerate(members)}
        total = sum(ind.weight for ind in members) or 1.0
        need = target * total - sum(ind.weight * projected[ind.id] for ind in members)
        tops = {ind.id: max_level(ind) for ind in members}
        while need > 1e-9:
            open_steps = [ind for ind in members if projected[ind.id] < tops[ind.id]]
            if not open_steps:
                return ()  # the target cannot be reached with this questionnaire's mappings
            best = min(open_steps, key=lambda i: (-i.weight, projected[i.id], order[i.id]))
            raise_to(best.id, projected[best.id] + 1, "gain")
            need -= best.weight
        unknown = _unknown_members(members, current, set(goals))
        if len(unknown) > (1 - MIN_KNOWN) * len(members):
            # Opened questions left too little known data: measure the heaviest gap as well.
            best = min(unknown, key=lambda i: (-i.weight, order[i.id]))
            raise_to(best.id, projected[best.id] + 1, "gain")
            continue
        if not _open_dependents(conditional, current, set(goals)):
            break

    members = [
        ind for ind in domain.scored_indicators if ind.id in current and counts(current[ind.id])
    ]
    if len(_unknown_members(members, current, set(goals))) > (1 - MIN_KNOWN) * len(members):
        return ()
    if _level_of(questionnaire, domain, current, projected) < target:
        return ()  # never offer a path that does not arrive
    _drop_spare_steps(questionnaire, domain, target, current, members, base, projected, goals)

    ranked = sorted(
        goals.items(),
        key=lambda item: (
            item[1][1] != "gate",
            -_weight(questionnaire, item[0]) * (item[1][0] - base[item[0]]),
            order.get(item[0], -1),
        ),
    )
    ids = _after_dependencies(questionnaire, [indicator_id for indicator_id, _goal in ranked])
    steps: list[NextStep] = []
    walked = dict(base)
    for indicator_id in ids:
        goal, reason = goals[indicator_id]
        walked[indicator_id] = goal
        steps.append(
            _step(questionnaire, results[indicator_id], base[indicator_id], goal, reason, total,
                  _score_of(questionnaire, domain, current, walked))
        )  # fmt: skip
    return tuple(steps)


def _drop_spare_steps(
    questionnaire: Questionnaire,
    domain: Domain,
    target: int,
    results: Mapping[str, IndicatorResult],
    members: list[Indicator],
    base: Mapping[str, int],
    projected: dict[str, int],
    goals: dict[str, tuple[int, str]],
) -> None:
    """Lower (or drop) every goal that another step made unnecessary, e.g. two gates that share an
    indicator, until lowering any goal by one level would miss the target: no step is to spare."""
    limit = (1 - MIN_KNOWN) * len(members)
    changed = True
    while changed:
        changed = False
        # the lightest, non-gate steps are tried first: they are the likeliest to be spare
        for indicator_id in sorted(
            goals, key=lambda i: (goals[i][1] == "gate", _weight(questionnaire, i))
        ):
            goal, reason = goals[indicator_id]
            trial = dict(projected)
            trial[indicator_id] = goal - 1
            keeps = goal - 1 > base[indicator_id]
            raised = set(goals) if keeps else set(goals) - {indicator_id}
            if _level_of(questionnaire, domain, results, trial) < target:
                continue
            if len(_unknown_members(members, results, raised)) > limit:
                continue
            projected[indicator_id] = goal - 1
            if keeps:
                goals[indicator_id] = (goal - 1, reason)
            else:
                del goals[indicator_id]
            changed = True
            break


def _unknown_members(
    members: list[Indicator], results: Mapping[str, IndicatorResult], raised: set[str]
) -> list[Indicator]:
    return [i for i in members if i.id not in raised and not is_known(results[i.id])]


def _lift_gates(  # type: ignore[no-untyped-def]
    questionnaire: Questionnaire,
    domain: Domain,
    target: int,
    results: Mapping[str, IndicatorResult],
    projected: Mapping[str, int],
    raise_to,
) -> None:
    """Raise the low indicators of every fired gate that holds the domain below the target."""
    for gate in questionnaire.gates:
        if gate.caps.get(domain.id, 5) >= target:
            continue
        judged = judge_gate(gate, results, projected)
        if not judged.fired:
            continue
        if gate.mode == "any":
            for indicator_id in judged.indicators:
                raise_to(indicator_id, gate.min_level, "gate")
        else:
            raise_to(_one_of(questionnaire, domain, judged.indicators), gate.min_level, "gate")


def _open_dependents(
    conditional: list[Indicator], results: dict[str, IndicatorResult], raised: set[str]
) -> bool:
    """Mark not-yet-relevant indicators whose relevance reads a raised one as undecided (they
    then count as gaps). True when any was newly marked."""
    from dataclasses import replace

    changed = False
    for indicator in conditional:
        result = results.get(indicator.id)
        if result is None or counts(result):
            continue
        if result.state is AnswerState.NOT_APPLICABLE or result.national:
            continue
        if references(indicator.relevance or "") & raised:
            results[indicator.id] = replace(result, relevance_pending=True)
            changed = True
    return changed


def _one_of(questionnaire: Questionnaire, domain: Domain, ids: tuple[str, ...]) -> str:
    own = [i for i in ids if questionnaire.domain_of(i).id == domain.id]
    if own:
        return max(own, key=lambda i: (questionnaire.indicator(i).weight, -own.index(i)))
    return ids[0]


def _weight(questionnaire: Questionnaire, indicator_id: str) -> float:
    return questionnaire.indicator(indicator_id).weight


def _figures(
    questionnaire: Questionnaire,
    domain: Domain,
    results: Mapping[str, IndicatorResult],
    levels: Mapping[str, int],
) -> tuple[float | None, int | None, float | None, int | None]:
    caps = [
        gate.caps[domain.id]
        for gate in questionnaire.gates
        if domain.id in gate.caps and judge_gate(gate, results, levels).fired
    ]
    return domain_figures(domain, results, levels, caps)


def _level_of(questionnaire, domain, results, levels) -> int:  # type: ignore[no-untyped-def]
    return _figures(questionnaire, domain, results, levels)[3] or 0


def _score_of(questionnaire, domain, results, levels) -> float | None:  # type: ignore[no-untyped-def]
    return _figures(questionnaire, domain, results, levels)[2]


def _after_dependencies(questionnaire: Questionnaire, ids: list[str]) -> list[str]:
    """Stable reorder: a step comes after the steps its indicator declares it follows."""
    placed: list[str] = []
    pending = list(ids)
    while pending:
        for indicator_id in pending:
            before = [
                dep
                for dep in questionnaire.indicator(indicator_id).after
                if dep in pending and dep != indicator_id
            ]
            if not before:
                break
        else:
            indicator_id = pending[0]  # a declared cycle: keep the ranked order
        placed.append(indicator_id)
        pending.remove(indicator_id)
    return placed


def _step(
    questionnaire: Questionnaire,
    result: IndicatorResult,
    current: int,
    goal: int,
    reason: str,
    total: float,
    projected: float | None,
) -> NextStep:
    indicator = questionnaire.indicator(result.indicator_id)
    measure = not is_known(result)
    if measure:
        action = dict(MEASURE)
    else:
        action = _joined([indicator.actions.get(n, {}) for n in range(current, goal)])
    return NextStep(
        indicator_id=indicator.id,
        reason=reason,
        current_level=current,
        gain=round(indicator.weight * (goal - current) / total, 4),
        action=action,
        target_level=goal,
        projected_score=None if projected is None else round(projected, 4),
        current_value=None if measure else result.value,
        target_value=target_answer(indicator, goal),
        measure=measure,
    )


def _joined(actions: list[LocalText]) -> dict[str, str]:
    """One text per language: the first level's action, then each further level's."""
    out: dict[str, str] = {}
    for lang in {lang for action in actions for lang in action}:
        parts = [action.get(lang) or action.get("en", "") for action in actions]
        parts = [p for p in parts if p]
        out[lang] = f" {_THEN.get(lang, _THEN['en'])} ".join(parts)
    return out


def target_answer(indicator: Indicator, goal: int) -> dict[str, str]:
    """The answer that reaches `goal`, in words: the option(s) at the lowest level at or above it,
    or the threshold of a numeric band."""
    how = indicator.level_by
    if how in (LevelBy.OPTION, LevelBy.MAX_OPTION):
        reaching = [o for o in indicator.options if o.level is not None and o.level >= goal]
        if not reaching:
            return {}
        lowest = min(o.level for o in reaching if o.level is not None)
        chosen = [o for o in reaching if o.level == lowest]
        return {
            lang: " / ".join(o.label.get(lang) or o.label.get("en", o.code) for o in chosen)
            for lang in _LANGS
        }
    if how in (LevelBy.BAND, LevelBy.COUNT) and indicator.bands:
        bands = indicator.bands
        descending = bands[0].level > bands[-1].level  # e.g. days: fewer is better
        if descending:
            worse = next((b for b in bands if b.level < goal), None)
            if worse is None or bands[0].level < goal:
                return {}
            words, number = _BELOW, f"{worse.minimum:g}"
        else:
            band = next((b for b in bands if b.level >= goal), None)
            if band is None:
                return {}
            words, number = _AT_LEAST, f"{band.minimum:g}"
        out = {}
        for lang in _LANGS:
            if how is LevelBy.COUNT:
                suffix = f" {_SELECTED[lang]}"
            elif indicator.type is AnswerType.PERCENT:
                suffix = " %"
            else:
                unit = indicator.unit.get(lang) or indicator.unit.get("en", "")
                suffix = f" {unit}" if unit else ""
            out[lang] = f"{words[lang]} {number}{suffix}"
        return out
    return {}
