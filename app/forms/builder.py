"""A whole definition file (as a node tree) -> `Questionnaire`, collecting every problem found."""

from __future__ import annotations

import re

from app.domain.questionnaire import (
    Domain,
    Gate,
    Indicator,
    LevelDefinition,
    Questionnaire,
    Section,
)
from app.forms.checks import check_condition, check_expressions
from app.forms.fields import Fields, Report, at
from app.forms.indicators import Registry, peek_id, read_indicator
from app.forms.yamltree import Node
from app.logic.expression_lexer import INDICATOR_ID

FORMAT = 1
TOP_FIELDS = (
    "format",
    "id",
    "version",
    "title",
    "description",
    "replaces",
    "levels",
    "domains",
    "gates",
)
LEVEL_FIELDS = ("level", "name", "description")
DOMAIN_FIELDS = ("id", "name", "description", "weight", "sections")
SECTION_FIELDS = ("id", "name", "indicators")
GATE_FIELDS = ("id", "indicators", "mode", "below", "caps", "message")

QUESTIONNAIRE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
VERSION = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
DOMAIN_ID = re.compile(r"[A-Z][A-Z0-9]*")
SECTION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
GATE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def build_questionnaire(root: Node, report: Report) -> Questionnaire | None:
    """The questionnaire in `root`; None when the file is too broken to say more."""
    if root.kind != "map":
        report.error(root.line, "", "the file must hold a mapping (format, id, version, ...)")
        return None
    f = Fields(
        root,
        "",
        report,
        TOP_FIELDS,
        required=("format", "id", "version", "title", "levels", "domains"),
    )
    if not f.has("format"):
        return None
    version_of_format = f.integer("format")
    if version_of_format is None:
        return None
    if version_of_format != FORMAT:
        f.error(
            "format",
            f"{version_of_format} is not supported (this version of "
            f"Readiness reads format {FORMAT})",
        )
        return None
    registry = Registry()
    domains = _domains(f, registry)
    indicators = {ind.id: ind for domain in domains for ind in domain.indicators}
    check_expressions(indicators, registry, report)
    _check_consistency_checks(indicators, registry, report)
    _check_after(indicators, report)
    domain_ids = {domain.id for domain in domains}
    form_id = f.string("id", pattern=QUESTIONNAIRE_ID, hint="use lower-case letters, digits, '-'")
    version = f.string("version", pattern=VERSION, hint="use letters, digits, '.', '-', '_'")
    return Questionnaire(
        id=form_id or "",
        version=version or "",
        title=f.text("title", required=True),
        description=f.text("description"),
        levels=_levels(f),
        domains=domains,
        gates=_gates(f, indicators, registry, domain_ids),
        replaces=_replaces(f, registry),
    )


def _levels(f: Fields) -> tuple[LevelDefinition, ...]:
    found: dict[int, LevelDefinition] = {}
    for item in f.items("levels", required=True):
        lf = Fields(item, "levels", f.report, LEVEL_FIELDS, required=("level", "name"))
        number = lf.level("level")
        if number is None:
            continue
        where = f"levels, level {number}"
        lf.where = where
        if number in found:
            lf.report.error(lf.line_of("level"), where, "given twice")
            continue
        found[number] = LevelDefinition(
            level=number, name=lf.text("name", required=True), description=lf.text("description")
        )
    if f.has("levels"):
        missing = [str(n) for n in range(1, 6) if n not in found]
        if missing:
            f.error("levels", f"level {', '.join(missing)} missing: define levels 1 to 5")
    return tuple(found[n] for n in sorted(found))


def _domains(f: Fields, registry: Registry) -> tuple[Domain, ...]:
    domains: list[Domain] = []
    seen: dict[str, int] = {}
    section_lines: dict[str, int] = {}
    for item in f.items("domains", required=True):
        name = peek_id(item)
        df = Fields(
            item,
            f"domain {name}" if name else "domain",
            f.report,
            DOMAIN_FIELDS,
            required=("id", "name", "sections"),
        )
        if not df.ok:
            continue
        domain_id = df.string("id", pattern=DOMAIN_ID, hint="use upper-case letters and digits")
        if domain_id is not None and domain_id in seen:
            df.error("id", f"{domain_id} is already used on line {seen[domain_id]}")
            domain_id = None
        weight = df.number("weight", 1.0)
        if weight is not None and weight <= 0:
            df.error("weight", f"must be above 0 (got {weight:g})")
        sections = tuple(
            section
            for node in df.items("sections", required=True)
            if (section := _section(node, df.report, registry, section_lines)) is not None
        )
        name_text = df.text("name", required=True)
        description = df.text("description")
        if domain_id is None:
            continue
        seen[domain_id] = item.line
        domains.append(
            Domain(
                id=domain_id,
                name=name_text,
                description=description,
                weight=float(weight) if weight is not None and weight > 0 else 1.0,
                sections=sections,
            )
        )
    return tuple(domains)


def _section(
    node: Node, report: Report, registry: Registry, seen: dict[str, int]
) -> Section | None:
    name = peek_id(node)
    sf = Fields(
        node,
        f"section {name}" if name else "section",
        report,
        SECTION_FIELDS,
        required=("id", "name", "indicators"),
    )
    if not sf.ok:
        return None
    section_id = sf.string("id", pattern=SECTION_ID, hint="use letters, digits, '-' and '_'")
    if section_id is not None and section_id in seen:
        sf.error("id", f"{section_id} is already used on line {seen[section_id]}")
        section_id = None
    if section_id is not None:
        seen[section_id] = node.line
    label = sf.text("name", required=True)
    indicators: list[Indicator] = []
    for item in sf.items("indicators", required=True):
        indicator = read_indicator(item, report, registry)
        if indicator is not None:
            indicators.append(indicator)
    if section_id is None:
        return None
    return Section(id=section_id, name=label, indicators=tuple(indicators))


def _gates(
    f: Fields, indicators: dict[str, Indicator], registry: Registry, domain_ids: set[str]
) -> tuple[Gate, ...]:
    gates: list[Gate] = []
    seen: dict[str, int] = {}
    for item in f.items("gates"):
        name = peek_id(item)
        where = f"gate {name}" if name else "gate"
        gf = Fields(
            item,
            where,
            f.report,
            GATE_FIELDS,
            required=("id", "indicators", "below", "caps", "message"),
        )
        if not gf.ok:
            continue
        gate_id = gf.string("id", pattern=GATE_ID, hint="use letters, digits, '-' and '_'")
        if gate_id is not None and gate_id in seen:
            gf.error("id", f"{gate_id} is already used on line {seen[gate_id]}")
            gate_id = None
        members = _gate_indicators(gf, indicators, registry)
        mode = gf.string("mode", "any")
        if mode not in ("any", "all"):
            gf.error("mode", f"'{mode}' is not any or all")
        below = gf.integer("below")
        if below is not None and not 2 <= below <= 5:
            gf.error("below", f"must be 2 to 5 (a gate fires on levels below it; got {below})")
        caps = _caps(gf, domain_ids)
        message = gf.text("message", required=True)
        if gate_id is None or below is None:
            continue
        seen[gate_id] = item.line
        gates.append(
            Gate(
                id=gate_id,
                indicators=members,
                min_level=below,
                caps=caps,
                mode=mode or "any",
                message=message,
            )
        )
    return tuple(gates)


def _check_after(indicators: dict[str, Indicator], report: Report) -> None:
    for indicator in indicators.values():
        for other in indicator.after:
            if other not in indicators:
                report.error(
                    indicator.line,
                    f"indicator {indicator.id}",
                    f"after: unknown indicator '{other}'",
                )


def _check_consistency_checks(
    indicators: dict[str, Indicator], registry: Registry, report: Report
) -> None:
    seen: dict[str, int] = {}
    for check, where in registry.checks:
        if check.id in seen:
            report.error(check.line, where, f"check id {check.id} is already used on line "
                         f"{seen[check.id]}")  # fmt: skip
        seen.setdefault(check.id, check.line)
        check_condition(check.when, check.line, f"{where}: when", indicators, registry, report)
        for other in check.indicators:
            if other not in indicators:
                report.error(check.line, where, f"indicators: unknown indicator '{other}'")


def _gate_indicators(
    gf: Fields, indicators: dict[str, Indicator], registry: Registry
) -> tuple[str, ...]:
    members: list[str] = []
    for node in gf.items("indicators", required=True):
        if node.kind != "scalar" or not isinstance(node.value, str):
            gf.error("indicators", f"expected an indicator id, got {node.describe()}", node.line)
            continue
        indicator_id = node.value
        if indicator_id not in registry.lines:
            if registry.lines:  # with no indicators read at all, the real problem is elsewhere
                gf.error("indicators", f"unknown indicator '{indicator_id}'", node.line)
        elif indicator_id in indicators and not indicators[indicator_id].scored:
            gf.error("indicators", f"{indicator_id} is not scored, so it has no level", node.line)
        elif indicator_id in indicators and indicators[indicator_id].national:
            gf.error(
                "indicators",
                f"{indicator_id} is national context, so it cannot cap a city's level",
                node.line,
            )
        elif indicator_id in members:
            gf.error("indicators", f"{indicator_id} is listed twice", node.line)
        else:
            members.append(indicator_id)
    return tuple(members)


def _caps(gf: Fields, domain_ids: set[str]) -> dict[str, int]:
    caps: dict[str, int] = {}
    pairs = gf.mapping("caps")
    node = gf.node("caps")
    if node is not None and node.kind == "map" and not pairs:
        gf.error("caps", "name at least one domain and the highest level it may show")
    for key, value in pairs:
        domain_id = key.raw
        level = value.value
        if domain_id not in domain_ids:
            if domain_ids:
                gf.error("caps", f"unknown domain '{domain_id}'", key.line)
        elif isinstance(level, bool) or not isinstance(level, int):
            gf.error(
                "caps", f"{domain_id}: expected a level 1-5, got {value.describe()}", value.line
            )
        elif not 1 <= level <= 5:
            gf.error("caps", f"{domain_id}: level {level} is outside 1-5", value.line)
        else:
            caps[domain_id] = level
    return caps


def _replaces(f: Fields, registry: Registry) -> dict[str, str]:
    replaces: dict[str, str] = {}
    for key, value in f.mapping("replaces"):
        old, new = key.raw, value.value
        where = at("replaces", old)
        if not INDICATOR_ID.fullmatch(old):
            f.report.error(key.line, where, f"'{old}' is not an indicator id")
        elif old in registry.lines:
            f.report.error(key.line, where, f"{old} is replaced, so it cannot be used here too")
        elif not isinstance(new, str) or new not in registry.lines:
            f.report.error(value.line, where, f"unknown indicator '{value.raw}'")
        else:
            replaces[old] = new
    return replaces
