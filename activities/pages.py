"""The delegation's page: its particulars (the generic fields), members, partners met, the visits it added to
relationships' timelines, and the status steps the user may take."""

from __future__ import annotations

from django.utils.translation import gettext as _

from activities import workflow
from activities.forms import AwardForm
from activities.models import Award, Conference, Delegation
from activities.verbs import DELEGATION_VERBS
from core.scope import scope_for
from core.views import kept_verb_values, linked_rows, shown_value
from partners.models import Interaction

STATUS_STYLES = {
    "planned": "text-bg-secondary",
    "approved": "text-bg-primary",
    "done": "text-bg-success",
    "postponed": "text-bg-warning",
    "cancelled": "text-bg-dark",
}


def delegation_detail_context(record: Delegation, request) -> dict:
    user = request.user
    may = {action: scope_for(user, action).covers(record.owner) for action in ("change", "approve")}
    # A step refused comes back open with what was typed into it (core.views.keep_verb_values).
    refused, typed = kept_verb_values(request, record)
    steps = [
        (DELEGATION_VERBS[verb], DELEGATION_VERBS[verb].form(typed if verb == refused else None))
        for verb in workflow.allowed_verbs(record.status)
        if may.get(workflow.STEPS[verb].action, False)
    ]
    # The rules the trip would break if approved now: shown beside the approval step, which asks for a reason.
    warnings = workflow.breaches(record) if "approve" in workflow.allowed_verbs(record.status) else []
    return {
        "delegation": record,
        "rule_warnings": [breach.message for breach in warnings],
        "status_style": STATUS_STYLES.get(record.status, "text-bg-secondary"),
        "members": list(record.members.all()),
        "partners_met": list(record.partners.all()),
        "person_trips": record.person_trips,
        "report_due_on": record.report_due_on,
        "timeline": list(
            Interaction.objects.restrict(user).filter(delegations=record).select_related("relationship__partner")
        ),
        "steps": steps,
    }


def permitted_by(conference: Conference) -> str:
    """Who permits the conference (Decision 06/2020/QĐ-TTg, Art. 3): the Prime Minister for participants at minister
    level or above or for sensitive topics, else the chairperson of the provincial People's Committee."""
    if conference.prime_minister_decides:
        return _("The Prime Minister")
    return _("The provincial People's Committee")


def conference_detail_context(record: Conference, request) -> dict:
    """Who permits the conference, the lead time the application needs and whether it went in late: a warning for
    the officer, not a refusal (the conference may still be permitted; Decision 06/2020/QĐ-TTg)."""
    reasons = []
    if record.high_level_participants:
        reasons.append(_("participants at minister level or above"))
    if record.sensitive_topics:
        reasons.append(_("sensitive topics"))
    return {
        "conference": record,
        "permitted_by": permitted_by(record),
        "permission_reasons": reasons,
        "lead_days_required": record.lead_days_required,
        "lead_days": record.lead_days,
        "applied_late": record.applied_late,
    }


def award_detail_context(record: Award, request) -> dict:
    """An award's particulars in an award's words, in the order of its form. The generic page labels each field by
    the model's name for it, and the model's "direction" and "recipients" are the delegations' and the documents'
    words in Vietnamese ("loại đoàn", "nơi nhận"): the form's labels say what they are for an award."""
    labels = AwardForm.Meta.labels
    rows = []
    for name in AwardForm.Meta.fields:
        if name == "date_precision":
            continue  # said by the date itself ("2013")
        field = Award._meta.get_field(name)
        if field.many_to_many:
            value = ", ".join(str(item) for item in linked_rows(record, field, request.user))
        else:
            value = shown_value(record, field)  # as the generic page shows it (the date "2013", a choice's words)
        rows.append((labels.get(name) or field.verbose_name, record.policy.shown(request.user, record, name, value)))
    return {"award": record, "award_rows": rows}
