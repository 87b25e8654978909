"""What the register asks of its users on the home page (core.todo; issue 20, item 7), declared on SUBMISSIONS.

- A province's officers (the ``change`` action) see their province's reports due within 30 days, or overdue and not
  sent (or sent back), with the day the receiving body last reminded them; each leads to the province's calendar.
- The receiving body (the ``receive`` action: accounts.roles) sees the periods whose deadline passed in the last
  year with the units that have not reported; each leads to the period's register, where it reminds them.

The rows are worked out from the regimes' dates (reports.calendar), not read from stored periods: they are lists.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.todo import Todo
from reports.calendar import reports_due, units_not_reported
from reports.choices import ReportStatus

SUBMISSION_TODOS = (
    Todo(
        key="reports-due",
        title=_("Reports due"),
        action="change",
        rows=reports_due,
        explanation=_("Your province's reports due within 30 days, or overdue and not sent."),
        due=lambda row: row.deadline,
        note=lambda row: row.note(),
        link=lambda row: row.calendar_url(),
    ),
    Todo(
        key="units-not-reported",
        title=_("Units that have not reported"),
        action="receive",
        rows=units_not_reported,
        explanation=_("Periods whose deadline passed in the last year: remind the units from the register."),
        due=lambda row: row.period.deadline,
        note=lambda row: row.note(),
        link=lambda row: row.register_url(),
    ),
)


def _reports(status: str):
    """The reports in ``status`` that ``user`` may ``action``, the nearest deadline first."""

    def rows(user, action: str, today):
        from reports.models import Report

        return (
            Report.objects.restrict(user, action)
            .filter(status=status)
            .select_related("owner", "reporting_period__regime")
            .order_by("reporting_period__deadline", "pk")
        )

    return rows


# A report on its way (reports.workflow): the leader approves what was reviewed, the officers reopen what the
# receiving body returned, the receiving body receives what was sent.
REPORT_TODOS = (
    Todo(
        key="reports-to-approve",
        title=_("Reports waiting for your approval"),
        action="approve",
        rows=_reports(ReportStatus.REVIEWED),
        explanation=_("Reviewed by the foreign-affairs department: approve them so that they can be sent."),
        due=lambda row: row.reporting_period.deadline,
    ),
    Todo(
        key="reports-returned",
        title=_("Reports returned"),
        action="change",
        rows=_reports(ReportStatus.RETURNED),
        explanation=_("The receiving body returned them with a reason: reopen, correct and send them again."),
        due=lambda row: row.reporting_period.deadline,
        note=lambda row: row.return_reason,
    ),
    Todo(
        key="reports-to-receive",
        title=_("Reports sent, not yet received"),
        action="receive",
        rows=_reports(ReportStatus.SUBMITTED),
        explanation=_("Record them as received, or return them with a reason."),
        due=lambda row: row.reporting_period.deadline,
    ),
)
