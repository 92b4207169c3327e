"""Ids and time: UUIDs, UTC timestamps and the hybrid logical clock (HLC) of each device.

The HLC orders a device's revisions even when the laptop's wall clock is wrong. It only orders the
timeline and breaks ties; correctness of sync comes from revision parents, never from time.
An HLC value is a fixed-width string `<13-digit ms>-<5-digit counter>-<device>`, so string order is
time order and it survives any JSON or SQL round trip. A counter that would need a sixth digit
carries into the millisecond part instead, so the format holds whatever happens.

A clock received from elsewhere is adopted only when it is at most `MAX_SKEW_MS` ahead of this
computer's own clock: one device with a clock in the far future (broken or hostile) must not drag
every other device's clock there (see `too_far_ahead`).
"""

from __future__ import annotations

import threading
import time
import uuid
from datetime import UTC, datetime


def new_id() -> str:
    """A random UUID as lower-case text."""
    return str(uuid.uuid4())


def utc_now() -> datetime:
    return datetime.now(UTC)


def iso_utc(moment: datetime | None = None) -> str:
    """`2026-11-22T10:42:00Z`: the one timestamp format of files, JSON and the database."""
    moment = (moment or utc_now()).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


MAX_COUNTER = 99_999
MAX_WALL_MS = 9_999_999_999_999
# How far ahead of the receiver's own clock a received clock may be (time zones set wrong are
# up to 14 hours off; a day leaves room for that and still bounds what one device can do).
MAX_SKEW_MS = 24 * 3600 * 1000


def physical_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridClock:
    """A hybrid logical clock for one device (Kulkarni et al. 2014)."""

    def __init__(self, device_id: str, wall_ms: int = 0, counter: int = 0) -> None:
        self.device_id = device_id
        self._wall_ms = wall_ms
        self._counter = counter
        self._lock = threading.Lock()

    def _physical_ms(self) -> int:
        return physical_ms()

    def now(self) -> str:
        """A new timestamp, greater than every one this clock has issued or adopted."""
        with self._lock:
            physical = self._physical_ms()
            if physical > self._wall_ms:
                self._wall_ms, self._counter = physical, 0
            elif self._counter >= MAX_COUNTER:  # carry: the next millisecond, counter from 0
                self._wall_ms, self._counter = self._wall_ms + 1, 0
            else:
                self._counter += 1
            return format_hlc(self._wall_ms, self._counter, self.device_id)

    def observe(self, remote: str) -> bool:
        """Move past a timestamp received from another device, unless it is too far ahead of
        this computer's clock (then it is ignored). True when the clock was adopted."""
        wall_ms, counter, _device = parse_hlc(remote)
        with self._lock:
            if too_far_ahead(remote, self._physical_ms()):
                return False
            if (wall_ms, counter) > (self._wall_ms, self._counter):
                self._wall_ms, self._counter = wall_ms, counter
            return True


def format_hlc(wall_ms: int, counter: int, device_id: str) -> str:
    return f"{wall_ms:013d}-{counter:05d}-{device_id}"


def parse_hlc(value: str) -> tuple[int, int, str]:
    """Split an HLC string; raises ValueError for anything else."""
    wall, counter, device = value.split("-", 2)
    if len(wall) != 13 or len(counter) != 5 or not wall.isdigit() or not counter.isdigit():
        raise ValueError(f"not a hybrid logical clock value: {value!r}")
    return int(wall), int(counter), device


def too_far_ahead(value: str, now_ms: int, skew_ms: int = MAX_SKEW_MS) -> bool:
    """Whether an HLC value is more than `skew_ms` ahead of the clock reading `now_ms`."""
    wall_ms, _counter, _device = parse_hlc(value)
    return wall_ms > now_ms + skew_ms


def skew_reason(value: str, now_ms: int, whose: str) -> str:
    """Why a record with this clock is refused: how far ahead, and what to check."""
    wall_ms, _counter, _device = parse_hlc(value)
    hours = (wall_ms - now_ms) / 3_600_000
    ahead = f"{hours:,.0f} hours" if hours < 24 * 365 else f"{hours / (24 * 365):,.0f} years"
    return (
        f"its clock ({hlc_to_iso(value)}) is {ahead} ahead of {whose} clock, more than the "
        f"{MAX_SKEW_MS // 3_600_000} hours allowed: check the date and time of the computer "
        "that wrote it"
    )


def hlc_to_iso(value: str) -> str:
    """The wall-clock part of an HLC value as an ISO UTC timestamp."""
    wall_ms, _counter, _device = parse_hlc(value)
    return iso_utc(datetime.fromtimestamp(wall_ms / 1000, UTC))
