"""The verbs of an agreement's procedure as people and other systems use them, each declared once
(core.verbs): the service that does it, its label (the transition's, agreements.workflow), the values it takes
and how its button looks. The agreement's page, its step view, the API's ``POST <id>/<verb>/`` and the
transition tests are built from :data:`AGREEMENT_VERBS`; a consultation's reply from :data:`REPLY`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements import services, workflow
from agreements.forms import ReplyForm, VerbForm
from agreements.models import Agreement
from core.verbs import Verb, verb_table

T = workflow.TRANSITIONS
DECISION = "btn-success"
STOP = "btn-outline-danger"
ASIDE = "btn-outline-secondary"

AGREEMENT_VERBS: dict[str, Verb] = verb_table(
    [
        Verb(
            "submit_for_consultation",
            services.agreement_submit_for_consultation,
            T["submit_for_consultation"].label,
            VerbForm,
            takes=("sent_on",),
            required=("sent_on",),
        ),
        Verb("submit", services.agreement_submit, T["submit"].label, VerbForm, takes=()),
        Verb("approve", services.agreement_approve, T["approve"].label, VerbForm, takes=(), style=DECISION),
        Verb("refuse", services.agreement_refuse, T["refuse"].label, VerbForm, takes=("reason",), style=STOP),
        Verb(
            "sign",
            services.agreement_sign,
            T["sign"].label,
            VerbForm,
            takes=("signed_on", "place", "mode", "override_reason"),
            required=("signed_on",),
        ),
        Verb(
            "enter_into_force",
            services.agreement_enter_into_force,
            T["enter_into_force"].label,
            VerbForm,
            takes=("on",),
            required=("on",),
        ),
        Verb("expire", services.agreement_expire, T["expire"].label, VerbForm, takes=("on",), required=("on",)),
        Verb(
            "terminate",
            services.agreement_terminate,
            T["terminate"].label,
            VerbForm,
            takes=("on", "reason"),
            required=("on",),
            style=STOP,
        ),
        Verb("postpone", services.agreement_postpone, T["postpone"].label, VerbForm, takes=("reason",), style=ASIDE),
        Verb("resume", services.agreement_resume, T["resume"].label, VerbForm, takes=()),
        Verb("cancel", services.agreement_cancel, T["cancel"].label, VerbForm, takes=("reason",), style=STOP),
        # Not a transition: the copy owed to the Ministry of Foreign Affairs (Law 70/2020/QH14).
        Verb(
            "record_copy_sent",
            services.agreement_record_copy_sent,
            gettext_lazy("Record the copy sent to the Ministry"),
            VerbForm,
            takes=("on",),
            required=("on",),
        ),
    ]
)

REPLY = Verb("reply", services.consultation_record_reply, gettext_lazy("Record the reply"), ReplyForm)


def agreement_act(*, agreement: Agreement, user, verb: str, values: dict, request=None) -> Agreement:
    """Run the verb named ``verb`` with the values it takes from ``values``: the one entry point of the page's
    step view and the API's ``POST <id>/<verb>/``."""
    declared = AGREEMENT_VERBS.get(verb)
    if declared is None:
        raise ValidationError(_("Unknown action “%(verb)s”.") % {"verb": str(verb)[:40]})
    return declared.run(agreement, keyword="agreement", user=user, values=values, request=request)
