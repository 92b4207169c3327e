"""The pure merge of revisions (RELIABILITY.md 2.1): heads, conflicts, the provisional winner and
resolution, and that the result depends only on the set of revisions, never on their order."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from app.sync import merge
from app.sync.merge import Node


def node(
    rid: str,
    parents: tuple[str, ...] = (),
    hlc: str = "0000000000001-00000-a",
    device: str = "a",
    value: object = "yes",
) -> Node:
    return Node(rid, parents, hlc, device, value)


def test_a_chain_has_one_head() -> None:
    chain = [node("r1"), node("r2", ("r1",), value="no"), node("r3", ("r2",), value="partial")]
    state = merge.answer_state(chain)
    assert [h.id for h in state.heads] == ["r3"] and state.winner.id == "r3" and not state.conflict


def test_concurrent_different_values_conflict_and_the_winner_is_the_largest_clock() -> None:
    base = node("r1")
    mine = node("r2", ("r1",), "0000000000005-00000-a", "a", "yes")
    theirs = node("r3", ("r1",), "0000000000004-00003-b", "b", "no")
    state = merge.answer_state([base, mine, theirs])
    assert state.conflict and {h.id for h in state.heads} == {"r2", "r3"}
    assert state.winner.id == "r2"
    tie = node("r4", ("r1",), "0000000000005-00000-a", "b", "partial")  # same clock: device decides
    assert merge.answer_state([base, mine, theirs, tie]).winner.id == "r4"


def test_concurrent_equal_values_keep_both_heads_without_conflict() -> None:
    state = merge.answer_state(
        [node("r1"), node("r2", ("r1",), value="no"), node("r3", ("r1",), value="no")]
    )
    assert len(state.heads) == 2 and not state.conflict


def test_a_resolution_names_every_head_and_leaves_one() -> None:
    revisions = [node("r1"), node("r2", ("r1",), value="yes"), node("r3", ("r1",), value="no")]
    parents = merge.resolution_parents(revisions)
    assert parents == ("r2", "r3")
    resolved = merge.answer_state(
        [*revisions, node("r4", parents, "0000000000009-00000-a", value="partial")]
    )
    assert [h.id for h in resolved.heads] == ["r4"] and not resolved.conflict


def test_conflicts_groups_by_answer_key() -> None:
    revisions = [
        node("a1", value="yes"),
        node("a2", value="no"),
        node("b1", value="yes"),
        node("b2", value="yes"),
    ]
    found = merge.conflicts(revisions, key_of=lambda r: r.id[0])
    assert set(found) == {"a"}


def test_forged_cyclic_parents_still_leave_one_answer() -> None:
    cycle = [
        node("r1", ("r2",), "0000000000001-00000-a"),
        node("r2", ("r1",), "0000000000002-00000-a", value="no"),
    ]
    state = merge.answer_state(cycle)
    assert [h.id for h in state.heads] == ["r2"] and not state.conflict


def test_list_values_compare_by_content() -> None:
    state = merge.answer_state(
        [node("r1", value=["egfr", "alk"]), node("r2", value=["egfr", "alk"])]
    )
    assert not state.conflict


@st.composite
def dags(draw: st.DrawFn) -> list[Node]:
    count = draw(st.integers(1, 14))
    nodes: list[Node] = []
    for i in range(count):
        parents = (
            tuple(sorted({draw(st.sampled_from(nodes)).id for _ in range(draw(st.integers(0, 2)))}))
            if nodes
            else ()
        )
        clock = f"{draw(st.integers(0, 30)):013d}-{draw(st.integers(0, 3)):05d}-d{draw(st.integers(0, 2))}"
        nodes.append(
            Node(
                f"r{i:02d}",
                parents,
                clock,
                f"d{draw(st.integers(0, 2))}",
                draw(st.sampled_from(["yes", "no", "partial"])),
            )
        )
    return nodes


@settings(max_examples=300, deadline=None, database=None)
@given(revisions=dags(), seed=st.integers(0, 2**32 - 1))
def test_the_state_depends_only_on_the_set_of_revisions(revisions: list[Node], seed: int) -> None:
    rng = random.Random(seed)
    shuffled = revisions[:]
    rng.shuffle(shuffled)
    duplicated = shuffled + rng.sample(revisions, k=min(3, len(revisions)))  # replayed deliveries
    first, second = merge.answer_state(revisions), merge.answer_state(duplicated)
    assert [h.id for h in first.heads] == [h.id for h in second.heads]
    assert first.winner.id == second.winner.id and first.conflict == second.conflict
    named = {p for r in revisions for p in r.parents}
    assert all(h.id not in named for h in first.heads)
    assert first.conflict == (len({h.value for h in first.heads}) > 1)
