"""How sync failures are told apart: retry later, act on it, or split the batch."""

from __future__ import annotations

from app.common.errors import HubUnreachable, UserError

__all__ = [
    "BatchRejected",
    "BatchTooLarge",
    "CursorAhead",
    "EnrollmentNeeded",
    "HubRefused",
    "HubUnreachable",
    "KeyMismatch",
    "TransientError",
]


class TransientError(Exception):
    """A failure worth retrying: connection lost, timeout, 5xx, busy (409/429/503)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class EnrollmentNeeded(UserError):
    """The hub refused the device token (revoked, unknown): enroll again. Nothing is lost."""


class HubRefused(UserError):
    """The hub answered, but refused the request (wrong city, bad address, untrusted TLS...)."""


class BatchTooLarge(Exception):
    """413: the batch is over the hub's size limit; send it in halves."""


class BatchRejected(Exception):
    """422 for the batch as a whole: split it to find the op the hub cannot take."""


class CursorAhead(Exception):
    """409 cursor_ahead: the hub's feed is behind this laptop's cursor (a restored hub)."""


class KeyMismatch(Exception):
    """422: the idempotency key was used before with a different body; use a new key."""
