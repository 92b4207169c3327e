"""Ids and time: UUIDs, UTC timestamps and the hybrid logical clock (HLC) of each device.

The HLC orders a device's revisions even when the laptop's wall clock is wrong. It only orders the
timeline and breaks ties; correctness of sync comes from revision parents, never from time.
An HLC value is a fixed-width string `<13-digit ms>-<5-digit counter>-<device>`, so string order is
time order and it survives any JSON or SQL round trip.
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


class HybridClock:
    """A hybrid logical clock for one device (Kulkarni et al. 2014)."""

    def __init__(self, device_id: str, wall_ms: int = 0, counter: int = 0) -> None:
        self.device_id = device_id
        self._wall_ms = wall_ms
        self._counter = counter
        self._lock = threading.Lock()

    @staticmethod
    def _physical_ms() -> int:
        return time.time_ns() // 1_000_000

    def now(self) -> str:
        """A new timestamp, greater than every one this clock has issued or seen."""
        with self._lock:
            physical = self._physical_ms()
            if physical > self._wall_ms:
                self._wall_ms, self._counter = physical, 0
            else:
                self._counter += 1
            return format_hlc(self._wall_ms, self._counter, self.device_id)

    def observe(self, remote: str) -> None:
        """Move past a timestamp received from another device."""
        wall_ms, counter, _device = parse_hlc(remote)
        with self._lock:
            if (wall_ms, counter) > (self._wall_ms, self._counter):
                self._wall_ms, self._counter = wall_ms, counter


def format_hlc(wall_ms: int, counter: int, device_id: str) -> str:
    return f"{wall_ms:013d}-{counter:05d}-{device_id}"


def parse_hlc(value: str) -> tuple[int, int, str]:
    """Split an HLC string; raises ValueError for anything else."""
    wall, counter, device = value.split("-", 2)
    if len(wall) != 13 or len(counter) != 5 or not wall.isdigit() or not counter.isdigit():
        raise ValueError(f"not a hybrid logical clock value: {value!r}")
    return int(wall), int(counter), device


def hlc_to_iso(value: str) -> str:
    """The wall-clock part of an HLC value as an ISO UTC timestamp."""
    wall_ms, _counter, _device = parse_hlc(value)
    return iso_utc(datetime.fromtimestamp(wall_ms / 1000, UTC))
