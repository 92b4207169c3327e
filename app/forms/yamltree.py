"""Reading a definition file into a small tree of YAML nodes that remember their line.

The tree is built from the parser's events (the libyaml parser when available), not with
`yaml.load`, so that every node keeps its line and so that the dangerous parts of YAML never get
a chance: anchors and aliases (the "billion laughs" bomb), custom tags, and very deep nesting are
refused as soon as the parser meets them. Scalars are resolved with YAML 1.1's safe rules.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor
from yaml.resolver import Resolver

MAX_BYTES = 2 * 1024 * 1024
MAX_NESTING = 40

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = Resolver()
_CONSTRUCTOR = SafeConstructor()
_TAG = "tag:yaml.org,2002:"
_STR_TAG = f"{_TAG}str"
_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null")}
_ALLOWED_TAGS = _SCALAR_TAGS | {f"{_TAG}map", f"{_TAG}seq", "!"}

Scalar = str | int | float | bool | None


class TreeError(Exception):
    """The file cannot be read as plain YAML. `line` is 1-based."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = max(1, line)
        self.message = message


@dataclass(eq=False)
class Node:
    kind: str  # "map", "seq" or "scalar"
    line: int  # 1-based
    value: Scalar = None  # scalars only
    items: list[tuple[Node, Node]] = field(default_factory=list)  # maps only
    children: list[Node] = field(default_factory=list)  # sequences only
    quoted: bool = False  # scalars written in quotes
    raw: str = ""  # scalars: the text as written (`Yes` stays "Yes" where text is wanted)

    def describe(self) -> str:
        """What the node is, in words for messages ("a list", "a number", ...)."""
        if self.kind == "map":
            return "a mapping"
        if self.kind == "seq":
            return "a list"
        if self.value is None:
            return "nothing"
        if isinstance(self.value, bool):
            return "true/false"
        if isinstance(self.value, int | float):
            return "a number"
        return "text"


def read_tree(data: bytes) -> Node:
    """The root node of a one-document YAML file; TreeError for anything that is not plain YAML."""
    if len(data) > MAX_BYTES:
        raise TreeError(1, "the file is larger than 2 MiB")
    if b"\x00" in data:
        raise TreeError(1, "the file is not text (it contains binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise TreeError(line, "the file is not UTF-8 text") from None
    if not text.strip():
        raise TreeError(1, "the file is empty")
    root = _compose(text)
    if root is None:
        raise TreeError(1, "the file is empty (it holds only comments)")
    return root


def _compose(text: str) -> Node | None:
    loader = _Loader(text)
    try:
        return _Composer(loader).run()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = exc.problem or exc.context or "not valid YAML"
        raise TreeError(line, f"not valid YAML: {problem}") from None
    except yaml.YAMLError as exc:  # reader errors: characters YAML does not allow
        line = 1
        position = getattr(exc, "position", None)
        if isinstance(position, int):
            line = text.count("\n", 0, position) + 1
        reason = getattr(exc, "reason", None) or "not valid YAML"
        raise TreeError(line, f"not valid YAML: {reason}") from None
    finally:
        loader.dispose()


class _Composer:
    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader
        self.stack: list[Node] = []
        self.pending_keys: list[Node | None] = []
        self.root: Node | None = None
        self.documents = 0

    def run(self) -> Node | None:
        loader = self.loader
        while loader.check_event():
            event = loader.get_event()  # type: ignore[no-untyped-call]
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.DocumentStartEvent):
                self.documents += 1
                if self.documents > 1:
                    raise TreeError(line, "the file holds more than one YAML document")
            elif isinstance(event, yaml.AliasEvent):
                raise TreeError(line, f"aliases (*{event.anchor}) are not allowed")
            elif isinstance(
                event, yaml.ScalarEvent | yaml.MappingStartEvent | yaml.SequenceStartEvent
            ):
                self._check_node_event(event, line)
                if isinstance(event, yaml.ScalarEvent):
                    self._add(self._scalar(event, line), line)
                else:
                    kind = "map" if isinstance(event, yaml.MappingStartEvent) else "seq"
                    node = Node(kind, line)
                    self._add(node, line)
                    self.stack.append(node)
                    self.pending_keys.append(None)
                    if len(self.stack) > MAX_NESTING:
                        raise TreeError(line, f"nested more than {MAX_NESTING} levels deep")
            elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
                self.stack.pop()
                self.pending_keys.pop()
        return self.root

    def _check_node_event(self, event: yaml.NodeEvent, line: int) -> None:
        if event.anchor is not None:
            raise TreeError(line, f"anchors (&{event.anchor}) are not allowed")
        tag = getattr(event, "tag", None)
        if tag is not None and tag not in _ALLOWED_TAGS:
            shown = "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag
            raise TreeError(line, f"tags ({shown}) are not allowed")

    def _add(self, node: Node, line: int) -> None:
        if not self.stack:
            self.root = node
            return
        parent = self.stack[-1]
        if parent.kind == "seq":
            parent.children.append(node)
            return
        key = self.pending_keys[-1]
        if key is None:
            if node.kind != "scalar":
                raise TreeError(line, "a field name must be plain text, not a list or mapping")
            self.pending_keys[-1] = node
        else:
            parent.items.append((key, node))
            self.pending_keys[-1] = None

    def _scalar(self, event: yaml.ScalarEvent, line: int) -> Node:
        raw: str = event.value
        plain = bool(event.implicit[0]) if event.implicit else False
        tag = event.tag
        if tag is None or tag == "!":
            tag = _RESOLVER.resolve(yaml.ScalarNode, raw, event.implicit)  # type: ignore[no-untyped-call]
        if tag == _STR_TAG or tag not in _SCALAR_TAGS:
            # timestamps and merge keys (`<<`) are read as the text they are
            return Node("scalar", line, raw, quoted=not plain, raw=raw)
        try:
            value = _CONSTRUCTOR.construct_object(yaml.ScalarNode(tag, raw))
        except (ValueError, yaml.YAMLError):
            raise TreeError(line, f"cannot read the value {raw[:40]!r}") from None
        if isinstance(value, float) and not math.isfinite(value):
            raise TreeError(line, f"{raw!r} is not a usable number")
        if not isinstance(value, str | int | float | bool | type(None)):
            return Node("scalar", line, raw, quoted=not plain, raw=raw)
        return Node("scalar", line, value, quoted=not plain, raw=raw)
