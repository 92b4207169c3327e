"""The pure merge of answer revisions: heads, conflicts and the provisional winner.

The revisions of one answer key form a small DAG (each names the heads its author saw as
`parents`). The set of revisions only grows, and the state of an answer is a function of that set
alone, so every replica holding the same revisions shows the same thing (RELIABILITY.md 2.1):

- heads = revisions that no other revision of the key names as a parent;
- several heads with the same value (and state) are not a conflict;
- several heads with different values are a conflict, shown with a deterministic provisional
  winner: the maximum of (hlc, device_id, revision_id);
- a resolution is an ordinary revision whose parents are all the heads;
- a revision names at most `MAX_PARENTS` parents (the wire format's bound, the same on laptops
  and hub); a save over more heads first writes merge revisions of the same answer, each over at
  most that many heads (`merge_layers`), so any number of concurrent heads collapses to one.

Time never decides correctness: it only breaks the tie for display.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar


class RevisionLike(Protocol):
    @property
    def id(self) -> str: ...
    @property
    def parents(self) -> Sequence[str]: ...
    @property
    def hlc(self) -> str: ...
    @property
    def device_id(self) -> str: ...


R = TypeVar("R", bound=RevisionLike)


@dataclass(frozen=True)
class Node:
    """A revision reduced to what merging needs; `value` is any comparable representation."""

    id: str
    parents: tuple[str, ...]
    hlc: str
    device_id: str
    value: Hashable = None


def order_key(revision: RevisionLike) -> tuple[str, str, str]:
    return (revision.hlc, revision.device_id, revision.id)


def heads(revisions: Iterable[R]) -> list[R]:
    """The revisions no other revision names as a parent, ordered by `order_key`.

    Only forged parents can form a cycle, which leaves no such revision; then the latest
    revision stands as the head, so the answer never vanishes (and a person can resolve it)."""
    items = list(revisions)
    replaced = {parent for r in items for parent in r.parents}
    seen: set[str] = set()
    found = []
    for r in items:
        if r.id not in replaced and r.id not in seen:
            seen.add(r.id)
            found.append(r)
    if not found and items:
        return [winner(items)]
    return sorted(found, key=order_key)


def winner(candidates: Iterable[R]) -> R:
    """The deterministic provisional winner among heads."""
    return max(candidates, key=order_key)


@dataclass(frozen=True)
class AnswerState:
    heads: tuple[Any, ...]
    winner: Any
    conflict: bool


def answer_state(revisions: Iterable[R], value_of: Any = None) -> AnswerState:
    """Heads, winner and conflict flag of one answer key's revisions (at least one)."""
    current = heads(revisions)
    if not current:
        raise ValueError("an answer key without revisions has no state")
    top = winner(current)
    get = value_of or (lambda r: r.value)
    conflict = len({_hashable(get(r)) for r in current}) > 1
    return AnswerState(tuple(current), top, conflict)


def conflicts(
    revisions: Iterable[R], key_of: Any, value_of: Any = None
) -> dict[Hashable, AnswerState]:
    """Every answer key whose heads hold different values, with its state."""
    grouped: dict[Hashable, list[R]] = defaultdict(list)
    for r in revisions:
        grouped[key_of(r)].append(r)
    found = {}
    for key, items in grouped.items():
        state = answer_state(items, value_of)
        if state.conflict:
            found[key] = state
    return found


MAX_PARENTS = 64  # parents one revision may name; the wire format checks the same bound


def bounded_parents(
    head_ids: Sequence[str], write_merge: Callable[[tuple[str, ...]], str], limit: int = MAX_PARENTS
) -> tuple[str, ...]:
    """The parents a new revision over `head_ids` names: the heads themselves when they fit,
    else the ids of merge revisions written by `write_merge(group)` (each over 2 to `limit`
    parents), layer by layer until at most `limit` remain. Groups are formed in sorted order."""
    if limit < 2:
        raise ValueError("a merge needs room for at least two parents")
    current = sorted(head_ids)
    while len(current) > limit:
        merged = []
        for start in range(0, len(current), limit):
            group = tuple(current[start : start + limit])
            merged.append(group[0] if len(group) == 1 else write_merge(group))
        current = sorted(merged)
    return tuple(current)


def resolution_parents(revisions: Iterable[RevisionLike]) -> tuple[str, ...]:
    """The parents a resolving revision names: every current head."""
    return tuple(sorted(r.id for r in heads(revisions)))


def _hashable(value: Any) -> Hashable:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, Mapping):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value  # type: ignore[no-any-return]
