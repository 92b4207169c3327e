"""Device tokens, enrollment codes and the enrollment rate limit.

A device token has 256 bits of randomness and is stored only as its SHA-256; an enrollment code
is short enough to type (16 characters, ~79 bits), single-use, short-lived and also stored
hashed. Neither is ever logged. Failed enrollment attempts are counted per client address; after
`MAX_FAILURES` within `WINDOW` seconds the address gets 429 until the window has passed.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections import defaultdict, deque

TOKEN_PREFIX = "rdy_"
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L
CODE_LENGTH = 16
MAX_FAILURES = 10
WINDOW = 15 * 60.0


def new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(("code:" + normalise_code(code)).encode("utf-8")).hexdigest()


def bearer_token(header: str | None) -> str | None:
    """The token of an `Authorization: Bearer <token>` header, or None."""
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme.lower() != "bearer" or not value or len(value) > 200:
        return None
    return value


class EnrollLimiter:
    """Counts failed enrollment attempts per client address in a sliding window."""

    def __init__(self, max_failures: int = MAX_FAILURES, window: float = WINDOW) -> None:
        self.max_failures = max_failures
        self.window = window
        self._failures: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _trim(self, key: str, now: float) -> deque[float]:
        items = self._failures[key]
        while items and items[0] <= now - self.window:
            items.popleft()
        return items

    def blocked_for(self, key: str) -> float:
        """Seconds until `key` may try again (0 when it may try now)."""
        now = time.monotonic()
        with self._lock:
            items = self._trim(key, now)
            if len(items) < self.max_failures:
                return 0.0
            return max(1.0, items[0] + self.window - now)

    def failed(self, key: str) -> None:
        with self._lock:
            self._trim(key, time.monotonic()).append(time.monotonic())
