"""The status steps of a delegation as people and other systems use them, each declared once (core.verbs): the
delegation's page, its step view and the API's ``POST <id>/<verb>/`` are built from :data:`DELEGATION_VERBS`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities import services, workflow
from activities.models import Delegation
from core.forms import style_fields
from core.history import register_reason
from core.verbs import Verb, verb_table

S = workflow.STEPS


class DelegationStepForm(forms.Form):
    """The values the steps take; each step takes its own (``Verb.takes``)."""

    approval_number = forms.CharField(label=gettext_lazy("Approval document number"), max_length=64, required=False)
    approval_on = forms.DateField(label=gettext_lazy("Approval date"), required=False)
    approval_authority = forms.CharField(label=gettext_lazy("Approving authority"), max_length=255, required=False)
    outcomes = forms.CharField(label=gettext_lazy("Outcomes"), max_length=4000, required=False, widget=forms.Textarea)
    override_reason = forms.CharField(
        label=gettext_lazy("Reason for approving despite the rules"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Only when the page warns that the delegation breaks its unit's rules."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


DELEGATION_VERBS: dict[str, Verb] = verb_table(
    [
        Verb(
            "approve",
            services.delegation_approve,
            S["approve"].label,
            DelegationStepForm,
            takes=("approval_number", "approval_on", "approval_authority", "override_reason"),
            required=("approval_number", "approval_on"),
            style="btn-success",
        ),
        Verb(
            "mark_done",
            services.delegation_mark_done,
            S["mark_done"].label,
            DelegationStepForm,
            takes=("outcomes",),
        ),
        Verb(
            "postpone",
            services.delegation_postpone,
            S["postpone"].label,
            DelegationStepForm,
            takes=(),
            style="btn-outline-secondary",
        ),
        Verb(
            "cancel",
            services.delegation_cancel,
            S["cancel"].label,
            DelegationStepForm,
            takes=(),
            style="btn-outline-danger",
            confirm=gettext_lazy("Cancel this delegation?"),
        ),
    ]
)


# The history names a delegation's step as its button does, apart from an agreement's step of the same name.
for _declared in DELEGATION_VERBS.values():
    register_reason(f"delegation_{_declared.name}", _declared.label)


def delegation_act(*, delegation: Delegation, user, verb: str, values: dict, request=None) -> Delegation:
    """Run the verb named ``verb``: the one entry point of the page's step view and the API's action."""
    declared = DELEGATION_VERBS.get(verb)
    if declared is None:
        raise ValidationError(_("Unknown action “%(verb)s”.") % {"verb": str(verb)[:40]})
    return declared.run(delegation, keyword="delegation", user=user, values=values, request=request)
