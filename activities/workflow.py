"""The steps of a delegation's status (issue 19, item 1), as one table: verb, the statuses it leaves from, the status
it reaches, and the capability it needs (core.policy). The services apply it; the page and the API offer only the
steps it allows from the current status.

The caps, the plan and personnel checks of item 2 (rules configurable per province, each citing its source) are not
built yet: a delegation is approved here with its approval document only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from activities.choices import DelegationStatus as S


@dataclass(frozen=True)
class Step:
    verb: str
    sources: frozenset[str]
    target: str
    action: str
    label: Promise


STEPS: dict[str, Step] = {
    step.verb: step
    for step in (
        # The approval of a trip is decided by the competent leader: the approver's capability, as an agreement's.
        Step("approve", frozenset({S.PLANNED, S.POSTPONED}), S.APPROVED, "approve", _("Approve the delegation")),
        Step("mark_done", frozenset({S.PLANNED, S.APPROVED}), S.DONE, "change", _("Record the delegation as done")),
        Step("postpone", frozenset({S.PLANNED, S.APPROVED}), S.POSTPONED, "change", _("Postpone")),
        Step("cancel", frozenset({S.PLANNED, S.APPROVED, S.POSTPONED}), S.CANCELLED, "change", _("Cancel")),
    )
}


def allowed_verbs(status: str) -> list[str]:
    """The verbs the table allows from ``status``, in the table's order."""
    return [verb for verb, step in STEPS.items() if status in step.sources]
