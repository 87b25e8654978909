"""The register's rows: their flags, worked out over the rows of a period whenever one changes (issue 20, item 4)."""

from __future__ import annotations

from collections import Counter

from reports.choices import SubmissionFlag
from reports.models import ReportingPeriod, Submission
from reports.register import existed_in

# Judged when a register is imported (the order of its rows); kept when the other flags are worked out again.
_IMPORT_FLAGS = {SubmissionFlag.OUT_OF_ORDER}


def flags_of(submission: Submission, listed: Counter, expected_level: str) -> list[str]:
    flags = [flag for flag in submission.flags if flag in _IMPORT_FLAGS]
    if submission.sent_on and submission.received_on and submission.received_on < submission.sent_on:
        flags.append(SubmissionFlag.RECEIVED_BEFORE_SENT)
    if listed[submission.owner_id] > 1:
        flags.append(SubmissionFlag.DUPLICATE)
    owner = submission.owner
    if owner.level != expected_level or not existed_in(owner, submission.reporting_period):
        flags.append(SubmissionFlag.UNIT_NOT_IN_PERIOD)
    return [str(flag) for flag in SubmissionFlag if flag in flags]


def refresh_flags(reporting_period: ReportingPeriod) -> None:
    """Work out the flags of every live row of ``reporting_period`` again (a row listed twice flags both)."""
    rows = list(
        Submission.objects.filter(reporting_period=reporting_period)
        .select_related("owner")
        .unrestricted("a unit listed twice is found among every unit's rows")
    )
    listed = Counter(row.owner_id for row in rows)
    level = reporting_period.regime.reporting_level
    for row in rows:
        row.reporting_period = reporting_period
        flags = flags_of(row, listed, level)
        if flags != row.flags:
            # Derived from the rows, not typed by anyone: written without a new version or history entry.
            Submission.all_objects.filter(pk=row.pk).unrestricted("the flags of a row just checked").update(flags=flags)
    trashed = Submission.all_objects.filter(reporting_period=reporting_period, deleted_at__isnull=False)
    trashed.unrestricted("a trashed row is listed nowhere").update(flags=[])


def send_reminders(reporting_period: ReportingPeriod, units, user, *, request=None) -> list:
    """Remind ``units`` (those of the period's register that have not reported) that their report is owed: one
    reminder a unit, period and day, whatever the number of presses; one audit entry for those written. Returns the
    reminders written now (none for a unit already reminded today)."""
    from django.db import transaction
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from core.audit import audit
    from core.choices import AuditAction
    from reports.models import Reminder

    now = timezone.now()
    today = timezone.localdate(now)
    units = list(units)
    with transaction.atomic():
        done = set(
            Reminder.objects.filter(reporting_period=reporting_period, sent_on=today, unit__in=units)
            .unrestricted("a reminder already sent today to a unit of the register, whoever sent it")
            .values_list("unit_id", flat=True)
        )
        message = _("Please send your report “%(report)s”, due on %(deadline)s.") % {
            "report": str(reporting_period),
            "deadline": f"{reporting_period.deadline:%d/%m/%Y}",
        }
        written = [
            Reminder(
                reporting_period=reporting_period, unit=unit, sent_at=now, sent_on=today, sent_by=user, message=message
            )
            for unit in units
            if unit.pk not in done
        ]
        Reminder.objects.bulk_create(written, ignore_conflicts=True)
        if written:
            audit(
                AuditAction.VERB,
                user=user,
                request=request,
                verb="reports_remind",
                obj=reporting_period,
                unit=reporting_period.regime.recipient,
                detail={
                    "regime": reporting_period.regime.key,
                    "period": reporting_period.period,
                    "units": [reminder.unit.key for reminder in written],
                    "count": len(written),
                },
            )
    return written
