"""The steps of a provincial report as people and other systems use them, each declared once (core.verbs): the
report's page, its step view and the API's action are built from :data:`REPORT_VERBS`."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import style_fields
from core.history import register_reason
from core.verbs import Verb, verb_table
from reports import services, workflow
from reports.models import Report

S = workflow.STEPS


class ReportStepForm(forms.Form):
    """The values the steps take; each step takes its own (``Verb.takes``)."""

    received_on = forms.DateField(label=gettext_lazy("Date received"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason"), max_length=4000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class FigureChoiceForm(forms.Form):
    """The value a flagged figure states, among its sources', and why."""

    code = forms.CharField(max_length=64, widget=forms.HiddenInput)
    value = forms.CharField(label=gettext_lazy("Value"), max_length=40)
    reason = forms.CharField(
        label=gettext_lazy("Why this value"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


REPORT_VERBS: dict[str, Verb] = verb_table(
    [
        Verb("review", services.report_review, S["review"].label, ReportStepForm, takes=()),
        Verb("approve", services.report_approve, S["approve"].label, ReportStepForm, takes=(), style="btn-success"),
        Verb(
            "send_back",
            services.report_send_back,
            S["send_back"].label,
            ReportStepForm,
            takes=("reason",),
            required=("reason",),
            style="btn-outline-danger",
        ),
        Verb(
            "submit",
            services.report_submit,
            S["submit"].label,
            ReportStepForm,
            takes=(),
            confirm=gettext_lazy("Send this report? Its text and figures are frozen as they are now."),
        ),
        Verb("receive", services.report_receive, S["receive"].label, ReportStepForm, takes=("received_on",)),
        Verb(
            "return_report",
            services.report_return_report,
            S["return_report"].label,
            ReportStepForm,
            takes=("reason",),
            required=("reason",),
            style="btn-outline-danger",
        ),
        Verb(
            "reopen",
            services.report_reopen,
            S["reopen"].label,
            ReportStepForm,
            takes=("reason",),
            required=("reason",),
            style="btn-outline-secondary",
        ),
    ]
)
FIGURE_VERBS: dict[str, Verb] = {
    "choose_figure": Verb(
        "choose_figure",
        services.report_choose_figure,
        gettext_lazy("Choose the value"),
        FigureChoiceForm,
        required=("code", "value", "reason"),
    )
}

# The history names a report's step as its button does, apart from other records' steps of the same name.
for _declared in [*REPORT_VERBS.values(), *FIGURE_VERBS.values()]:
    register_reason(f"report_{_declared.name}", _declared.label)


def report_act(*, report: Report, user, verb: str, values: dict, request=None) -> Report:
    """Run the verb named ``verb``: the one entry point of the page's step view and the API's action."""
    declared = REPORT_VERBS.get(verb)
    if declared is None:
        raise ValidationError(_("Unknown action “%(verb)s”.") % {"verb": str(verb)[:40]})
    return declared.run(report, keyword="report", user=user, values=values, request=request)
