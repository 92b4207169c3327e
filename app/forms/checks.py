"""Checks that need the whole questionnaire: expressions, the ids they name, and cycles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.domain.questionnaire import AnswerType, Indicator
from app.forms.fields import Report, at
from app.logic.expressions import Call, Expr, ExpressionError, Ref, parse

if TYPE_CHECKING:
    from app.forms.indicators import ExpressionSite, Registry

# Which results each expression decides: the indicator's value ("ID") and/or its level
# ("level(ID)"). A broken constraint costs the answer its level, so constraints feed levels; two
# constraints may still refer to each other's values, since values never depend on constraints.
DECIDES = {
    "relevance": ("value", "level"),
    "compute": ("value",),
    "level_expression": ("level",),
    "constraint": ("level",),
}
OWN_VALUE_FIELDS = ("constraint", "level_expression")


def check_expressions(indicators: dict[str, Indicator], registry: Registry, report: Report) -> None:
    # The dependency graph has two nodes per indicator: its value ("PATH-01") and its level
    # ("level(PATH-01)"). A level always depends on the value; relevance decides both.
    edges: dict[str, dict[str, ExpressionSite | None]] = {
        f"level({indicator_id})": {indicator_id: None} for indicator_id in registry.lines
    }
    for site in registry.expressions:
        where = at(f"indicator {site.indicator_id}", site.field)
        try:
            expr = parse(site.text)
        except ExpressionError as err:
            report.error(site.line, where, f"{err.message} (column {err.column})")
            continue
        if expr.uses_value() and site.field not in OWN_VALUE_FIELDS:
            report.error(
                site.line,
                where,
                "'value' (the indicator's own value) can be used "
                "only in constraint and level_expression",
            )
        _check_names(expr, indicators, registry, report, site.line, where)
        own = {"value": site.indicator_id, "level": f"level({site.indicator_id})"}
        for source in (own[kind] for kind in DECIDES.get(site.field, ())):
            targets = edges.setdefault(source, {})
            for target in _dependencies(expr, registry):
                targets.setdefault(target, site)
    _check_cycles(edges, report)


def _dependencies(expr: Expr, registry: Registry) -> list[str]:
    """The graph nodes an expression reads: "ID" for values, "level(ID)" for levels."""
    levels: set[str] = set()
    level_args: set[int] = set()
    for node in expr.walk():
        if isinstance(node, Call) and node.name == "level" and isinstance(node.args[0], Ref):
            levels.add(node.args[0].indicator_id)
            level_args.add(id(node.args[0]))
    values = {
        node.indicator_id
        for node in expr.walk()
        if isinstance(node, Ref) and id(node) not in level_args
    }
    found = sorted(values) + [f"level({name})" for name in sorted(levels)]
    return [name for name in found if name.removeprefix("level(").rstrip(")") in registry.lines]


def _check_names(
    expr: Expr,
    indicators: dict[str, Indicator],
    registry: Registry,
    report: Report,
    line: int,
    where: str,
) -> None:
    for node in expr.walk():
        if isinstance(node, Ref) and node.indicator_id not in registry.lines:
            report.error(
                line, where, f"unknown indicator '{node.indicator_id}' (column {node.column})"
            )
        if not isinstance(node, Call) or not node.args or not isinstance(node.args[0], Ref):
            continue
        target = indicators.get(node.args[0].indicator_id)
        if target is None:
            continue  # unknown (reported above) or itself broken (reported where it is)
        problem = _call_problem(node, target)
        if problem:
            report.error(line, where, f"{problem} (column {node.column})")


def check_condition(
    text: str,
    line: int,
    where: str,
    indicators: dict[str, Indicator],
    registry: Registry,
    report: Report,
) -> bool:
    """A consistency check's `when`: parses, names real indicators, never uses `value`.
    Checks only read answers, so they cannot take part in a cycle."""
    try:
        expr = parse(text)
    except ExpressionError as err:
        report.error(line, where, f"{err.message} (column {err.column})")
        return False
    if expr.uses_value():
        report.error(line, where, "'value' cannot be used in a check (name the indicator)")
        return False
    before = len(report.problems)
    _check_names(expr, indicators, registry, report, line, where)
    return len(report.problems) == before


def _call_problem(call: Call, target: Indicator) -> str | None:
    name = f"{call.name}({target.id})"
    if call.name == "level" and not target.scored:
        return f"{name}: {target.id} is not scored, so it has no level"
    if call.name in ("selected", "count_selected") and not target.type.is_choice:
        return f"{call.name}() needs a choice question, and {target.id} is {target.type}"
    if call.name == "count_selected" and target.type is not AnswerType.MULTIPLE_CHOICE:
        return f"count_selected() needs a multiple choice, and {target.id} is {target.type}"
    if call.name == "selected" and len(call.args) == 2:
        code = str(getattr(call.args[1], "value", ""))
        if target.option(code) is None:
            return f"{target.id} has no option '{code}'"
    return None


def _check_cycles(edges: dict[str, dict[str, ExpressionSite | None]], report: Report) -> None:
    """Depth-first search without recursion; each cycle (as a set of nodes) is reported once."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[frozenset[str]] = set()
    for start in sorted(edges):
        if state.get(start):
            continue
        path = [start]
        stack = [iter(sorted(edges.get(start, {})))]
        state[start] = 1
        while stack:
            following = next(stack[-1], None)
            if following is None:
                state[path.pop()] = 2
                stack.pop()
                continue
            seen = state.get(following, 0)
            if seen == 1:
                cycle = path[path.index(following) :] + [following]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    _report_cycle(cycle, edges, report)
            elif seen == 0:
                state[following] = 1
                path.append(following)
                stack.append(iter(sorted(edges.get(following, {}))))


def _report_cycle(
    cycle: list[str], edges: dict[str, dict[str, ExpressionSite | None]], report: Report
) -> None:
    sites = [edges[a][b] for a, b in zip(cycle, cycle[1:], strict=False)]
    site = next(site for site in sites if site is not None)  # only expressions make cycles
    report.error(
        site.line,
        at(f"indicator {site.indicator_id}", site.field),
        f"cycle among relevance/compute/level_expression/constraint: {' -> '.join(cycle)}",
    )
