"""The assessment status rule every face applies: which changes need a reason.

Statuses move forward draft -> in_review -> final (draft may go straight to final). Any move
back (final -> in_review, final -> draft, in_review -> draft) unlocks or reopens answers that
someone already signed off, so it needs a reason for the audit trail. The status dialog, the
command line and the service all ask this function, so they cannot disagree.
"""

from __future__ import annotations

from app.common.errors import ValidationError
from app.domain.answers import AssessmentStatus

_ORDER = {status: rank for rank, status in enumerate(AssessmentStatus.ALL)}


def needs_reason(current: str, target: str) -> bool:
    """True when moving an assessment from `current` to `target` status needs a reason."""
    return _ORDER[target] < _ORDER[current]


class ReasonRequired(ValidationError):
    """A status change back (reopening) asked for without a reason.

    The message names no way of giving one: each face says how (a field, a command-line option).
    """

    def __init__(self, assessment_id: str, current: str, target: str) -> None:
        self.assessment_id = assessment_id
        self.current = current
        self.target = target
        super().__init__(
            f"assessment {assessment_id[:8]} is {current}; moving it back to {target} needs a reason"
        )


class AssessmentLocked(ValidationError):
    """An answer change asked of a final assessment: it must be reopened first."""

    def __init__(self, assessment_id: str) -> None:
        self.assessment_id = assessment_id
        super().__init__(f"assessment {assessment_id[:8]} is final; reopen it first")
