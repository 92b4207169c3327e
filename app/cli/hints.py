"""What to type next: the command-line half of messages that services leave face-neutral.

Services name no command-line options (the window shows the same messages); for the errors where
the fix is a command, the CLI adds it here.
"""

from __future__ import annotations

from app.common.errors import UserError


def with_hint(err: UserError) -> str:
    """The error's message, followed by the command or option that fixes it when there is one."""
    from app.domain.status import AssessmentLocked, ReasonRequired

    if isinstance(err, ReasonRequired):
        return f"{err} (--reason TEXT)"
    if isinstance(err, AssessmentLocked):
        return f"{err} (readiness assess status {err.assessment_id[:8]} draft --reason TEXT)"
    return str(err)
