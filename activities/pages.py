"""The delegation's page: its particulars (the generic fields), members, partners met, the visits it added to
relationships' timelines, and the status steps the user may take."""

from __future__ import annotations

from activities import workflow
from activities.models import Delegation
from activities.verbs import DELEGATION_VERBS
from core.scope import scope_for
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
    steps = [
        (DELEGATION_VERBS[verb], DELEGATION_VERBS[verb].form())
        for verb in workflow.allowed_verbs(record.status)
        if may.get(workflow.STEPS[verb].action, False)
    ]
    return {
        "delegation": record,
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
