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
