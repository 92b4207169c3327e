"""One indicator of a definition file -> `Indicator`, with every rule of docs/form-format.md."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.domain.questionnaire import (
    AnswerType,
    Band,
    Check,
    Indicator,
    LevelBy,
    LocalText,
    Option,
)
from app.forms.fields import Fields, Report, at, read_text
from app.forms.yamltree import Node
from app.logic.expression_lexer import INDICATOR_ID

INDICATOR_FIELDS = (
    "id", "type", "core", "label", "help", "guidance", "source", "required", "scored", "weight",
    "unit", "min", "max", "decimals", "not_applicable", "not_measured", "relevance", "constraint",
    "constraint_message", "options", "level_by", "bands", "level_expression", "compute", "actions",
    "scope", "after", "checks",
)  # fmt: skip
CHECK_FIELDS = ("id", "when", "indicators", "message")
SCOPES = ("city", "national")
OPTION_FIELDS = ("code", "label", "level", "exclusive")
BAND_FIELDS = ("min", "level")
EXPRESSION_FIELDS = ("relevance", "constraint", "compute", "level_expression")

OPTION_CODE = re.compile(r"[a-z0-9][a-z0-9_]*")
CHECK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
NOT_SCORED_TYPES = (AnswerType.DATE, AnswerType.TEXT, AnswerType.LONG_TEXT)
NUMBER_TYPES = (AnswerType.INTEGER, AnswerType.DECIMAL, AnswerType.PERCENT, AnswerType.COMPUTED)

# The built-in options of yes_partial_no, in the order they are shown.
YES_PARTIAL_NO_LABELS: dict[str, LocalText] = {
    "yes": {"en": "Yes", "es": "Sí", "fr": "Oui", "pt": "Sim"},
    "partial": {"en": "Partial", "es": "Parcialmente", "fr": "Partiellement", "pt": "Parcialmente"},
    "no": {"en": "No", "es": "No", "fr": "Non", "pt": "Não"},
}

# Which level_by fits which answer types (expression and none fit every type).
LEVEL_BY_TYPES: dict[LevelBy, tuple[AnswerType, ...]] = {
    LevelBy.OPTION: (AnswerType.YES_PARTIAL_NO, AnswerType.SINGLE_CHOICE),
    LevelBy.MAX_OPTION: (AnswerType.MULTIPLE_CHOICE,),
    LevelBy.COUNT: (AnswerType.MULTIPLE_CHOICE,),
    LevelBy.BAND: NUMBER_TYPES,
}


@dataclass(frozen=True)
class ExpressionSite:
    """An expression in the file, kept for the checks that need every indicator."""

    indicator_id: str
    field: str
    text: str
    line: int


@dataclass
class Registry:
    """What the indicators read so far have in common: their ids and their expressions."""

    lines: dict[str, int] = field(default_factory=dict)  # every indicator id seen -> its line
    expressions: list[ExpressionSite] = field(default_factory=list)
    checks: list[tuple[Check, str]] = field(default_factory=list)  # with where, for messages


def peek_id(node: Node) -> str | None:
    """The `id` field of a mapping, before its fields are checked (for naming it in messages)."""
    if node.kind != "map":
        return None
    for key, value in node.items:
        if key.value == "id" and value.kind == "scalar" and isinstance(value.value, str):
            return value.value
    return None


def default_level_by(answer_type: AnswerType) -> LevelBy:
    if answer_type in (AnswerType.YES_PARTIAL_NO, AnswerType.SINGLE_CHOICE):
        return LevelBy.OPTION
    if answer_type is AnswerType.MULTIPLE_CHOICE:
        return LevelBy.MAX_OPTION
    if answer_type in NUMBER_TYPES:
        return LevelBy.BAND
    return LevelBy.NONE


def read_indicator(node: Node, report: Report, registry: Registry) -> Indicator | None:
    name = peek_id(node)
    where = f"indicator {name}" if name else "indicator"
    f = Fields(node, where, report, INDICATOR_FIELDS, required=("id", "type", "label"))
    if not f.ok:
        return None
    indicator_id = f.string("id", pattern=INDICATOR_ID, hint="ids look like PATH-04")
    if indicator_id is None:
        return None
    if indicator_id in registry.lines:
        f.error("id", f"{indicator_id} is already used on line {registry.lines[indicator_id]}")
        return None
    registry.lines[indicator_id] = node.line
    type_name = f.string("type")
    if type_name is None:
        return None
    try:
        answer_type = AnswerType(type_name)
    except ValueError:
        f.error("type", f"unknown type '{type_name}' (use {', '.join(AnswerType)})")
        return None
    return _IndicatorReader(f, indicator_id, answer_type, registry).read(node.line)


class _IndicatorReader:
    def __init__(self, f: Fields, indicator_id: str, answer_type: AnswerType, registry: Registry):
        self.f = f
        self.id = indicator_id
        self.type = answer_type
        self.registry = registry

    def read(self, line: int) -> Indicator:
        f = self.f
        weight = f.number("weight", 1.0)
        if weight is not None and weight <= 0:
            f.error("weight", f"must be above 0 (got {weight:g})")
        minimum, maximum, decimals, unit = self._numbers()
        level_by, scored = self._level_by()
        options = self._options(level_by)
        bands = self._bands(level_by, minimum)
        expressions = self._expressions(level_by)
        actions = self._actions(scored)
        return Indicator(
            id=self.id,
            type=self.type,
            label=f.text("label", required=True),
            help=f.text("help"),
            guidance=f.text("guidance"),
            source=f.string("source", "", free=True) or "",
            required=f.boolean("required", True),
            scored=scored,
            core=f.boolean("core", False),
            weight=float(weight) if weight is not None and weight > 0 else 1.0,
            options=options,
            level_by=level_by,
            bands=bands,
            level_expression=expressions.get("level_expression"),
            compute=expressions.get("compute"),
            relevance=expressions.get("relevance"),
            constraint=expressions.get("constraint"),
            constraint_message=f.text("constraint_message"),
            unit=unit,
            minimum=minimum,
            maximum=maximum,
            decimals=decimals,
            allow_not_applicable=f.boolean("not_applicable", False),
            allow_not_measured=f.boolean("not_measured", False),
            actions=actions,
            scope=self._scope(scored),
            after=self._after(),
            checks=self._checks(),
            line=line,
        )

    def _checks(self) -> tuple[Check, ...]:
        """Consistency checks; their `when` is validated once every indicator is read."""
        found: list[Check] = []
        for item in self.f.items("checks"):
            name = peek_id(item)
            where = at(f"indicator {self.id}", f"checks {name}" if name else "checks")
            cf = Fields(
                item, where, self.f.report, CHECK_FIELDS, required=("id", "when", "message")
            )
            if not cf.ok:
                continue
            check_id = cf.string("id", pattern=CHECK_ID, hint="use letters, digits, '-' and '_'")
            when = cf.string("when", free=True)
            message = cf.text("message", required=True)
            members: list[str] = [self.id]
            for node in cf.items("indicators"):
                if node.kind != "scalar" or not isinstance(node.value, str):
                    cf.error("indicators", f"expected an indicator id, got {node.describe()}",
                             node.line)  # fmt: skip
                elif node.value not in members:
                    members.append(node.value)
            if check_id is None or not when:
                continue
            check = Check(check_id, when, tuple(members), message, item.line)
            self.registry.checks.append((check, where))
            found.append(check)
        return tuple(found)

    def _scope(self, scored: bool) -> str:
        scope = self.f.string("scope", "city") or "city"
        if scope not in SCOPES:
            self.f.error("scope", f"'{scope}' is not city or national")
            return "city"
        if scope == "national" and not scored:
            self.f.error("scope", "only a scored indicator can be national context")
        return scope

    def _after(self) -> tuple[str, ...]:
        """Indicator ids whose steps come first; checked against every id once all are read."""
        found: list[str] = []
        for node in self.f.items("after"):
            if node.kind != "scalar" or not isinstance(node.value, str):
                self.f.error("after", f"expected an indicator id, got {node.describe()}", node.line)
            elif node.value == self.id:
                self.f.error("after", f"{self.id} cannot come after itself", node.line)
            else:
                found.append(node.value)
        return tuple(found)

    def _numbers(self) -> tuple[float | None, float | None, int | None, LocalText]:
        f = self.f
        numeric = self.type in NUMBER_TYPES
        for key in ("min", "max", "unit", "decimals"):
            if f.has(key) and not numeric:
                f.error(key, f"only number types have {key} (this is {self.type})")
        if not numeric:
            return None, None, None, {}
        percent = self.type is AnswerType.PERCENT
        minimum = f.number("min", 0.0 if percent else None)
        maximum = f.number("max", 100.0 if percent else None)
        if percent:
            for key, value in (("min", minimum), ("max", maximum)):
                if value is not None and not 0 <= value <= 100:
                    f.error(key, f"a percent lies between 0 and 100 (got {value:g})")
        if minimum is not None and maximum is not None and minimum > maximum:
            f.error("max", f"max {maximum:g} is below min {minimum:g}")
        decimals = f.integer("decimals")
        if decimals is not None:
            if self.type is AnswerType.INTEGER:
                f.error("decimals", "an integer has no decimals")
                decimals = None
            elif not 0 <= decimals <= 10:
                f.error("decimals", f"must be 0 to 10 (got {decimals})")
                decimals = None
        return minimum, maximum, decimals, f.text("unit")

    def _level_by(self) -> tuple[LevelBy, bool]:
        f = self.f
        given: LevelBy | None = None
        name = f.string("level_by")
        if name is not None:
            try:
                given = LevelBy(name)
            except ValueError:
                f.error("level_by", f"unknown level_by '{name}' (use {', '.join(LevelBy)})")
        scored_default = self.type not in NOT_SCORED_TYPES or (
            given is not None and given is not LevelBy.NONE
        )
        scored = f.boolean("scored", scored_default)
        if given is None:
            if not scored:
                level_by = LevelBy.NONE
            elif f.has("level_expression"):
                level_by = LevelBy.EXPRESSION
            else:
                level_by = default_level_by(self.type)
        else:
            level_by = given
        if f.has("scored") and not scored and level_by is not LevelBy.NONE:
            f.error("level_by", "scored is false, so the indicator takes no level_by")
            level_by = LevelBy.NONE
        if f.has("scored") and scored and level_by is LevelBy.NONE:
            f.error("scored", "the indicator is scored but nothing gives it a level (level_by)")
        fits = LEVEL_BY_TYPES.get(level_by)
        if fits is not None and self.type not in fits:
            f.error("level_by", f"'{level_by}' does not fit type {self.type}")
            level_by = default_level_by(self.type)  # go on checking as if it were omitted
        return level_by, scored and level_by is not LevelBy.NONE

    def _options(self, level_by: LevelBy) -> tuple[Option, ...]:
        f = self.f
        if not self.type.is_choice:
            if f.has("options"):
                f.error("options", f"only choice types have options (this is {self.type})")
            return ()
        needs_level = level_by in (LevelBy.OPTION, LevelBy.MAX_OPTION)
        read: dict[str, Option] = {}
        items = f.items("options", required=True)
        for item in items:
            option = self._option(item, needs_level, read)
            if option is not None:
                read[option.code] = option
        if self.type is AnswerType.YES_PARTIAL_NO:
            return self._yes_partial_no(read, needs_level)
        if not f.has("options"):
            f.error("options", f"a {self.type} indicator needs options")
        elif self.type is AnswerType.SINGLE_CHOICE and len(items) == 1:
            f.error("options", "a single choice needs at least two options")
        return tuple(read.values())

    def _option(self, node: Node, needs_level: bool, read: dict[str, Option]) -> Option | None:
        where = at(f"indicator {self.id}", "option")
        code_node = next((v for k, v in node.items if k.value == "code"), None)
        code = _option_code(code_node)
        if code is not None:
            where = at(f"indicator {self.id}", f"option '{code}'")
        f = Fields(node, where, self.f.report, OPTION_FIELDS, required=("code",))
        if not f.ok or code_node is None:
            return None
        if code is None:
            f.error("code", f"expected an option code, got {code_node.describe()}")
            return None
        if not OPTION_CODE.fullmatch(code):
            f.error("code", f"'{code}' is not valid: use lower-case letters, digits and '_'")
            return None
        ypn = self.type is AnswerType.YES_PARTIAL_NO
        if ypn and code not in YES_PARTIAL_NO_LABELS:
            f.report.error(f.line_of("code"), where, "the code must be yes, partial or no")
            return None
        if code in read:
            f.report.error(f.line_of("code"), where, "given twice")
            return None
        label = f.text("label", required=not ypn) or (
            YES_PARTIAL_NO_LABELS.get(code, {}) if ypn else {}
        )
        level = f.level("level")
        if needs_level and not f.has("level"):
            f.report.error(f.line, where, "level is missing")
        exclusive = f.boolean("exclusive", False)
        if f.has("exclusive") and self.type is not AnswerType.MULTIPLE_CHOICE:
            f.error("exclusive", "only options of a multiple choice can be exclusive")
            exclusive = False
        return Option(code=code, label=dict(label), level=level, exclusive=exclusive)

    def _yes_partial_no(self, read: dict[str, Option], needs_level: bool) -> tuple[Option, ...]:
        if needs_level:
            if not self.f.has("options"):
                self.f.error("options", "give the levels of yes, partial and no")
            else:
                for code in YES_PARTIAL_NO_LABELS:
                    if code not in read:
                        self.f.error("options", f"option '{code}' is missing (it needs a level)")
        return tuple(
            read.get(code) or Option(code=code, label=dict(label))
            for code, label in YES_PARTIAL_NO_LABELS.items()
        )

    def _bands(self, level_by: LevelBy, minimum: float | None) -> tuple[Band, ...]:
        f = self.f
        uses_bands = level_by in (LevelBy.BAND, LevelBy.COUNT)
        if not uses_bands:
            if f.has("bands"):
                f.error("bands", "bands are used only with level_by band or count")
            return ()
        if not f.has("bands"):
            f.error("bands", f"level_by {level_by} needs bands")
            return ()
        bands: list[Band] = []
        for number, item in enumerate(f.items("bands", required=True), start=1):
            where = at(f"indicator {self.id}", f"band {number}")
            bf = Fields(item, where, f.report, BAND_FIELDS, required=BAND_FIELDS)
            low, level = bf.number("min"), bf.level("level")
            if low is None or level is None:
                continue
            if bands and low <= bands[-1].minimum:
                previous = bands[-1].minimum
                message = f"min {low:g} is not above the previous band's min {previous:g}"
                f.report.error(bf.line_of("min"), where, message)
                continue
            bands.append(Band(minimum=float(low), level=level))
        if not bands:
            return ()
        first = bands[0].minimum
        if level_by is LevelBy.COUNT and first != 0:
            f.error("bands", f"count bands must start at min 0 (the first starts at {first:g})")
        if level_by is LevelBy.BAND:
            if minimum is None:
                f.error(
                    "bands",
                    f"the first band starts at {first:g} but the indicator has no "
                    "min, so lower values have no level: give min",
                )
            elif first > minimum:
                f.error(
                    "bands",
                    f"the first band starts at {first:g}, above the indicator's min "
                    f"{minimum:g}, so values in between have no level",
                )
        return tuple(bands)

    def _expressions(self, level_by: LevelBy) -> dict[str, str]:
        f = self.f
        found: dict[str, str] = {}
        for key in EXPRESSION_FIELDS:
            text = f.string(key)
            if text is None:
                continue
            found[key] = text
            self.registry.expressions.append(ExpressionSite(self.id, key, text, f.line_of(key)))
        if "compute" in found and self.type is not AnswerType.COMPUTED:
            f.error("compute", f"only computed indicators have compute (this is {self.type})")
        if self.type is AnswerType.COMPUTED and not f.has("compute"):
            f.error("compute", "a computed indicator needs compute (the expression)")
        if level_by is LevelBy.EXPRESSION and not f.has("level_expression"):
            f.error("level_expression", "level_by expression needs level_expression")
        if f.has("level_expression") and level_by is not LevelBy.EXPRESSION:
            f.error("level_expression", "used only with level_by: expression")
        return found

    def _actions(self, scored: bool) -> dict[int, LocalText]:
        f = self.f
        actions: dict[int, LocalText] = {}
        for key, value in f.mapping("actions"):
            level = key.value
            if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 4:
                f.error("actions", f"'{key.raw}' is not a level 1-4", line=key.line)
                continue
            if level in actions:
                f.error("actions", f"level {level} is given twice", line=key.line)
                continue
            where = at(f"indicator {self.id}", f"actions {level}")
            actions[level] = read_text(value, where, key.line, f.report, required=True)
        if scored:
            if not f.has("actions"):
                f.error("actions", "a scored indicator needs actions for levels 1 to 4")
            else:
                for level in range(1, 5):
                    if level not in actions:
                        f.error("actions", f"missing the action for level {level}")
        return actions


def _option_code(node: Node | None) -> str | None:
    if node is None or node.kind != "scalar":
        return None
    if isinstance(node.value, bool):
        # YAML 1.1 reads an unquoted yes/no as a boolean: turn it back into the code.
        raw = node.raw.lower()
        return raw if raw in ("yes", "no") else ("yes" if node.value else "no")
    return node.value if isinstance(node.value, str) else None
