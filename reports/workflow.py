"""The steps of a provincial report (issue 20, item 3), as one table: verb, the statuses it leaves from, the status it
reaches, and the capability it needs (core.policy). Drafted by the foreign-affairs department, reviewed, approved
by the leader who signs it (or sent back to be corrected, with what to correct), sent; the receiving body receives
it or returns it with a reason; a report sent can only be changed by reopening it, with a reason, as the next
revision (Decree 09/2019/NĐ-CP, Art. 5: a report is sent by the head of the reporting body, and a correction is a
new report)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from reports.choices import ReportStatus as S


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
        Step("review", frozenset({S.DRAFTING}), S.REVIEWED, "change", _("Mark as reviewed")),
        Step("approve", frozenset({S.REVIEWED}), S.APPROVED, "approve", _("Approve the report")),
        # The leader does not approve it as it is: back to drafting, with what to correct.
        Step("send_back", frozenset({S.REVIEWED, S.APPROVED}), S.DRAFTING, "approve", _("Send back for corrections")),
        Step("submit", frozenset({S.APPROVED}), S.SUBMITTED, "change", _("Send the report")),
        Step("receive", frozenset({S.SUBMITTED}), S.RECEIVED, "receive", _("Record as received")),
        Step("return_report", frozenset({S.SUBMITTED, S.RECEIVED}), S.RETURNED, "receive", _("Return the report")),
        Step("reopen", frozenset({S.SUBMITTED, S.RECEIVED, S.RETURNED}), S.DRAFTING, "change", _("Reopen")),
    )
}

# Where the text and the figures may still be changed: before the report is sent. A change after the review or the
# approval takes the report back to drafting (reports.services.report_update).
EDITABLE = frozenset({S.DRAFTING, S.REVIEWED, S.APPROVED})


def allowed_verbs(status: str) -> list[str]:
    return [verb for verb, step in STEPS.items() if status in step.sources]
