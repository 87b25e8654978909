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


# A provincial report (issue 20, items 2 and 3) -------------------------------------------------------------------


def report_create(*, instance, user, request=None, m2m=None, children=()):
    """Create a report for a regime and period; a report started empty starts from the outline's sentences."""
    from core.services import record_create
    from reports.drafting import initial_sections

    if not any((text or "").strip() for text in (instance.sections or {}).values()) and instance.reporting_period_id:
        instance.sections = initial_sections(instance.reporting_period.regime)
    return record_create(instance=instance, user=user, request=request, m2m=m2m, children=children)


def report_update(*, instance, user, expected_version: int, request=None, m2m=None, children=()):
    """Save the report's text and particulars while it is not sent: a report sent is changed only by reopening it,
    with a reason (report_reopen). A change after its review or approval takes it back to drafting: what the leader
    approved is what is sent."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from core.audit import atomic
    from core.services import record_update, reread
    from reports import workflow
    from reports.choices import ReportStatus

    with atomic():
        stored = reread(instance)
        if stored.status not in workflow.EDITABLE:
            raise ValidationError(
                _("This report has been sent: to change it, reopen it with a reason (it becomes revision %(next)s).")
                % {"next": stored.revision + 1}
            )
        if stored.status != ReportStatus.DRAFTING:
            instance.status = ReportStatus.DRAFTING
            instance.approved_by, instance.approved_at = None, None
        return record_update(
            instance=instance, user=user, expected_version=expected_version, request=request, m2m=m2m, children=children
        )


def report_problems(report) -> list[str]:
    """What stops a report from being approved or sent (reports.drafting.problem_lines)."""
    from reports.drafting import build, problem_lines

    return problem_lines(build(report).problems)


def _ensure_complete(report) -> None:
    """Refuse the step while the report has problems (report_problems), each its own message, or lacks the number
    and the place it is issued with (Decree 30/2020/NĐ-CP, Art. 8 and Appendix I: a document states its number and
    symbol, place and date of issue; the date is the day it is sent unless written). Asked at the review, the
    approval and the sending: the leader approves the document as it goes out."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    problems = report_problems(report)
    unset = [
        str(report._meta.get_field(name).verbose_name)
        for name in ("number", "place")
        if not getattr(report, name) or (name == "number" and str(report.number).startswith("…"))
    ]
    problems += [_("Write its %(field)s (on the report's form).") % {"field": name} for name in unset]
    if problems:
        raise ValidationError([_("The report cannot go further yet:"), *problems])


def _move(*, report, user, verb: str, request=None, detail=None, **changes):
    """Apply the step ``verb`` of reports.workflow with ``changes``, or refuse it."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from core.services import record_step, reread
    from reports import workflow

    stored = reread(report)
    step = workflow.STEPS[verb]
    if step.action == "receive" and stored.is_contribution:
        raise ValidationError(
            _("A department's or a commune's part goes to its province, which compiles it: it is not received here.")
        )
    if stored.status not in step.sources:
        allowed = ", ".join(str(workflow.STEPS[name].label) for name in workflow.allowed_verbs(stored.status))
        raise ValidationError(
            _("“%(verb)s” is not allowed for a report that is “%(status)s”; allowed: %(allowed)s.")
            % {"verb": step.label, "status": stored.get_status_display(), "allowed": allowed or "—"}
        )
    stored.policy.ensure(user, step.action, stored, request=request)
    return record_step(
        stored,
        version=report.version,
        target=step.target,
        user=user,
        verb=f"report_{verb}",
        audit_verb=f"report_{verb}",
        request=request,
        detail=detail,
        **changes,
    )


def report_review(*, report, user, request=None):
    """Reviewed: refused, like approval, while a required section is empty or a figure is unresolved or missing."""
    from core.audit import atomic

    with atomic():
        _ensure_complete(report)
        return _move(report=report, user=user, verb="review", request=request, sent_back_reason="")


def report_send_back(*, report, user, reason: str, request=None):
    """The leader sends the report back to be corrected, with what to correct: in drafting again, its approval
    withdrawn; the editor reads the reason on the report's page until marking it reviewed again."""
    from core.audit import atomic

    with atomic():
        return _move(
            report=report,
            user=user,
            verb="send_back",
            request=request,
            detail={"reason": reason},
            sent_back_reason=reason,
            approved_by=None,
            approved_at=None,
        )


def report_approve(*, report, user, request=None):
    """The leader approves what is sent: refused while a required section is empty or a figure is unresolved."""
    from django.utils import timezone

    from core.audit import atomic

    with atomic():
        _ensure_complete(report)
        return _move(
            report=report, user=user, verb="approve", request=request, approved_by=user, approved_at=timezone.now()
        )


def _changed_figures(previous: dict | None, current: dict) -> list[dict]:
    """The figures whose value differs between two revisions' contents, with both values."""
    if not previous:
        return []
    before, after = previous.get("figures", {}), current.get("figures", {})
    changed = []
    for code, figure in after.items():
        old = before.get(code)
        if old is None or old.get("value") != figure.get("value"):
            changed.append(
                {
                    "code": code,
                    "label": figure["label"],
                    "before": old.get("text") if old else None,
                    "after": figure.get("text"),
                }
            )
    return changed


def report_submit(*, report, user, request=None):
    """Send the report: it freezes what it says now as its revision (text and every figure), and writes the
    receiving body's register row (date sent, the revision). Sending a revision already sent changes nothing: the
    report and its register row are returned as they are (a second press, a retried request)."""
    from django.utils import timezone

    from core.audit import atomic
    from core.services import reread
    from reports.choices import ReportStatus, SubmissionSource
    from reports.drafting import build
    from reports.models import ReportRevision, Submission, figure_values

    with atomic():
        stored = reread(report)
        if stored.status in (ReportStatus.SUBMITTED, ReportStatus.RECEIVED):
            stored.policy.ensure(user, "change", stored, request=request)
            if stored.revisions.filter(revision=stored.revision).exists():
                return stored
        _ensure_complete(stored)
        now = timezone.now()
        stored.issued_on = stored.issued_on or timezone.localdate(now)
        content = build(stored).as_content()
        previous = stored.revisions.filter(revision=stored.revision - 1).first()
        changed = _changed_figures(previous.content if previous else None, content)
        content["changed_figures"] = changed
        stored = _move(
            report=report,
            user=user,
            verb="submit",
            request=request,
            detail={"revision": stored.revision, "changed_figures": [item["code"] for item in changed]},
            return_reason="",
            issued_on=stored.issued_on,
        )
        ReportRevision.objects.create(
            report=stored,
            revision=stored.revision,
            content=content,
            figure_values=figure_values(content["figures"]),
            sent_at=now,
            sent_by=user,
        )
        if stored.is_contribution:
            # A department's or a commune's part goes to its province, which compiles it: no row in the register.
            return stored
        row = (
            Submission.objects.unrestricted("the register row of the report being sent")
            .filter(owner=stored.owner, reporting_period=stored.reporting_period)
            .first()
        )
        if row is None:
            row = Submission(owner=stored.owner, reporting_period=stored.reporting_period, created_by=user)
        row.sent_on = timezone.localdate(now)
        row.received_on = row.returned_on = None
        row.return_reason = ""
        row.revision = stored.revision
        row.source = SubmissionSource.PRODUCT
        if changed:
            row.note = _revision_note(stored.revision, changed)
        row.updated_by = user
        row.version = (row.version or 0) + (1 if row.pk else 0)
        row._change_reason = "report_submit"
        row.full_clean()
        row.save()
    return stored


def _revision_note(revision: int, changed: list[dict]) -> str:
    from django.utils.translation import gettext as _

    return _("Revision %(revision)s; figures changed: %(figures)s.") % {
        "revision": revision,
        "figures": "; ".join(f"{item['label']}: {item['before'] or '—'} → {item['after']}" for item in changed),
    }


def _register_row(report):
    from reports.models import Submission

    return (
        Submission.objects.unrestricted("the register row of the report in hand")
        .filter(owner=report.owner, reporting_period=report.reporting_period)
        .first()
    )


def report_receive(*, report, user, received_on=None, request=None):
    """The receiving body records the report as received (today unless a date is given) in its register."""
    from django.utils import timezone

    from core.audit import atomic

    with atomic():
        stored = _move(report=report, user=user, verb="receive", request=request)
        row = _register_row(stored)
        if row is not None:
            row.received_on = received_on or timezone.localdate()
            row.version += 1
            row.updated_by = user
            row._change_reason = "report_receive"
            row.full_clean()
            row.save()
    return stored


def report_return_report(*, report, user, reason: str, request=None):
    """The receiving body returns the report with a reason; the province reopens it and sends the next revision."""
    from django.utils import timezone

    from core.audit import atomic

    with atomic():
        stored = _move(
            report=report,
            user=user,
            verb="return_report",
            request=request,
            return_reason=reason,
            detail={"reason": reason},
        )
        row = _register_row(stored)
        if row is not None:
            row.returned_on = timezone.localdate()
            row.return_reason = reason
            row.version += 1
            row.updated_by = user
            row._change_reason = "report_return_report"
            row.full_clean()
            row.save()
    return stored


def report_reopen(*, report, user, reason: str, request=None):
    """Reopen a report sent, with a reason: it becomes the next revision, in drafting; the revision sent is kept."""
    from core.audit import atomic
    from core.services import reread

    with atomic():
        current = reread(report)
        stored = _move(
            report=report,
            user=user,
            verb="reopen",
            request=request,
            detail={"reason": reason, "revision": current.revision + 1},
            revision=current.revision + 1,
            approved_by=None,
            approved_at=None,
        )
        stored.revisions.filter(revision=current.revision).update(reopen_reason=reason)
    return stored


def report_choose_figure(*, report, user, code: str, value: str, reason: str, request=None):
    """The author chooses the value a flagged figure states (one of its sources') and says why; kept on the report."""
    from django.core.exceptions import ValidationError
    from django.utils.translation import gettext as _

    from core.audit import atomic
    from core.services import record_save_verb, reread
    from reports import workflow
    from reports.drafting import figures

    with atomic():
        stored = reread(report)
        stored.policy.ensure(user, "change", stored, request=request)
        if stored.status not in workflow.EDITABLE:
            raise ValidationError(_("This report has been sent: to change it, reopen it with a reason."))
        figure = figures(stored).get(code)
        if figure is None or not figure["candidates"]:
            raise ValidationError(_("This figure has nothing to choose between."))
        if value not in [item["value"] for item in figure["candidates"]]:
            raise ValidationError(_("Choose one of the values the sources give."))
        if not (reason or "").strip():
            raise ValidationError({"reason": _("Say why the report states this value.")})
        stored.figure_choices = {**stored.figure_choices, code: {"value": value, "reason": reason.strip()}}
        if stored.status != "drafting":
            stored.status, stored.approved_by, stored.approved_at = "drafting", None, None
        stored.updated_by = user
        record_save_verb(
            stored,
            user=user,
            verb="report_choose_figure",
            reason="report_choose_figure",
            request=request,
            detail={"code": code, "value": value},
        )
    return stored
