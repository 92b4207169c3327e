"""Properties of the sync guards: clocks stay valid and bounded whatever they receive, any number
of concurrent heads collapses through revisions that each name at most MAX_PARENTS parents, and
the wire format refuses impossible times and text no UTF-8 store can keep."""

from __future__ import annotations

import calendar
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.common.clock import (
    MAX_COUNTER,
    MAX_SKEW_MS,
    HybridClock,
    format_hlc,
    parse_hlc,
    too_far_ahead,
)
from app.sync import merge, wire

NOW = 1_800_000_000_000


class FixedClock(HybridClock):
    """A clock whose computer time is set by the test."""

    def __init__(self, device_id: str, physical: int) -> None:
        super().__init__(device_id)
        self.physical = physical

    def _physical_ms(self) -> int:
        return self.physical


received = st.builds(
    lambda wall, counter: format_hlc(wall, counter, "peer"),
    st.one_of(
        st.integers(0, 9_999_999_999_999),
        st.integers(NOW - 10**9, NOW + 2 * MAX_SKEW_MS),
        st.just(9_999_999_999_999),
    ),
    st.integers(0, MAX_COUNTER),
)
steps = st.lists(
    st.one_of(
        st.tuples(st.just("now"), st.integers(0, 3)),
        st.tuples(st.just("observe"), received),
        st.tuples(st.just("tick"), st.integers(-(10**8), 10**8)),  # the computer's clock moves
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(steps)
def test_a_clock_stays_valid_increasing_and_bounded_whatever_it_receives(
    actions: list[tuple[str, object]],
) -> None:
    clock = FixedClock("me", NOW)
    issued: list[str] = []
    highest_physical = NOW
    for action, arg in actions:
        if action == "tick":
            clock.physical = max(0, clock.physical + int(arg))  # type: ignore[call-overload]
            highest_physical = max(highest_physical, clock.physical)
        elif action == "observe":
            adopted = clock.observe(str(arg))
            assert adopted == (not too_far_ahead(str(arg), clock.physical))
        else:
            for _ in range(int(arg) + 1):  # type: ignore[call-overload]
                issued.append(clock.now())
    stamps = [parse_hlc(h)[:2] for h in issued]  # parses: the format held
    assert stamps == sorted(stamps) and len(set(stamps)) == len(stamps)
    for wall, counter in stamps:
        assert counter <= MAX_COUNTER
        assert wall <= highest_physical + MAX_SKEW_MS + len(issued)  # carries add 1 ms each


def test_a_full_counter_carries_into_the_next_millisecond() -> None:
    clock = FixedClock("me", NOW)
    assert clock.observe(format_hlc(NOW + 5, MAX_COUNTER - 1, "peer"))
    assert clock.now() == format_hlc(NOW + 5, MAX_COUNTER, "me")
    assert clock.now() == format_hlc(NOW + 6, 0, "me")
    for _ in range(MAX_COUNTER + 5):  # a whole counter's worth within one computer millisecond
        parse_hlc(clock.now())


def test_a_far_future_clock_is_never_adopted() -> None:
    clock = FixedClock("me", NOW)
    assert not clock.observe(format_hlc(9_999_999_999_999, MAX_COUNTER, "evil"))
    assert not clock.observe(format_hlc(NOW + MAX_SKEW_MS + 1, 0, "evil"))
    assert parse_hlc(clock.now())[:2] == (NOW, 0)
    assert clock.observe(format_hlc(NOW + MAX_SKEW_MS, 0, "peer"))


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 700), st.integers(2, 80))
def test_any_number_of_heads_collapses_to_one_through_bounded_merges(
    count: int, limit: int
) -> None:
    heads = [merge.Node(f"h{n:04d}", ("base",), f"{n:013d}-00000-d", "d") for n in range(count)]
    written: list[merge.Node] = []

    def write_merge(group: tuple[str, ...]) -> str:
        assert 2 <= len(group) <= limit
        node = merge.Node(f"m{len(written):04d}", group, "9" * 13 + "-00000-d", "d")
        written.append(node)
        return node.id

    parents = merge.bounded_parents([h.id for h in heads], write_merge, limit)
    assert 1 <= len(parents) <= limit
    final = merge.Node("final", parents, "9" * 13 + "-99999-d", "d")
    assert merge.heads([*heads, *written, final]) == [final]
    if count <= limit:
        assert not written and sorted(parents) == sorted(h.id for h in heads)


def _revision_body(**changes: object) -> dict[str, object]:
    body: dict[str, object] = {
        "id": "r1",
        "assessment_id": "a1",
        "indicator_id": "QA-01",
        "subject": "city",
        "value": "yes",
        "state": "answered",
        "note": "",
        "evidence": None,
        "attachments": [],
        "parents": [],
        "author_id": None,
        "device_id": "dev",
        "hlc": format_hlc(NOW, 0, "dev"),
        "created_at": "2026-11-22T10:00:00Z",
        "rationale": "",
        "to_confirm": False,
    }
    body.update(changes)
    return body


@settings(max_examples=300, deadline=None)
@given(st.datetimes(min_value=datetime(1970, 1, 1), max_value=datetime(9999, 12, 31)))
def test_every_real_moment_is_a_valid_time(moment: datetime) -> None:
    text = moment.replace(tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert wire.check_body("revision", _revision_body(created_at=text))["created_at"] == text


@settings(max_examples=300, deadline=None)
@given(
    st.integers(1970, 2400),
    st.integers(0, 99),
    st.integers(0, 99),
    st.integers(0, 99),
    st.integers(0, 99),
    st.integers(0, 99),
)
def test_impossible_times_are_refused(
    year: int, month: int, day: int, hour: int, minute: int, second: int
) -> None:
    text = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:{second:02d}Z"
    try:
        datetime(year, month, day, hour, minute, second)
        real = True
    except ValueError:
        real = False
    if real:
        wire.check_body("revision", _revision_body(created_at=text))
    else:
        with pytest.raises(wire.WireError, match="created_at"):
            wire.check_body("revision", _revision_body(created_at=text))


def test_leap_days_follow_the_calendar() -> None:
    for year in (1900, 2000, 2024, 2025, 2100):
        text = f"{year}-02-29T00:00:00Z"
        if calendar.isleap(year):
            wire.check_body("revision", _revision_body(created_at=text))
        else:
            with pytest.raises(wire.WireError):
                wire.check_body("revision", _revision_body(created_at=text))


@pytest.mark.parametrize("field", ["note", "rationale", "value"])
def test_a_lone_surrogate_is_refused_naming_the_field(field: str) -> None:
    with pytest.raises(wire.WireError, match=field):
        wire.check_body("revision", _revision_body(**{field: "ok \ud800 ok"}))
    payload = {"kind": "status", "payload": {"to": "draft", "why": "\udfff"}}
    with pytest.raises(wire.WireError, match="payload"):
        wire.check_body(
            "assessment_event",
            {
                "id": "e1",
                "assessment_id": "a1",
                **payload,
                "author_id": None,
                "device_id": "dev",
                "hlc": format_hlc(NOW, 0, "dev"),
                "created_at": "2026-11-22T10:00:00Z",
            },
        )


def test_a_clock_naming_another_device_is_refused() -> None:
    with pytest.raises(wire.WireError, match="hlc"):
        wire.check_body("revision", _revision_body(hlc=format_hlc(NOW, 0, "someone-else")))
