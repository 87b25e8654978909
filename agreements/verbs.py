"""The verbs of an agreement's procedure as people and other systems use them, each declared once
(core.verbs): the service that does it, its label (the transition's, agreements.workflow), the values it takes
how its button looks, and the question asked before an irreversible step (approve, refuse, sign, terminate,
cancel). The agreement's page, its step view, the API's ``POST <id>/<verb>/`` and the
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
        # The decision records its number, date and signer; without every required opinion it needs a written
        # reason (Law 70/2020/QH14, Ch. II; Decree 64/2021/NĐ-CP, Art. 5).
        Verb(
            "approve",
            services.agreement_approve,
            T["approve"].label,
            VerbForm,
            takes=("decision_number", "decision_on", "decision_signer", "override_reason"),
            required=("decision_number", "decision_on", "decision_signer"),
            style=DECISION,
            confirm=gettext_lazy(
                "Approve the signing of this agreement? The decision is recorded and cannot be undone."
            ),
        ),
        Verb(
            "refuse",
            services.agreement_refuse,
            T["refuse"].label,
            VerbForm,
            takes=("reason",),
            style=STOP,
            confirm=gettext_lazy("Refuse the signing of this agreement? The decision cannot be undone."),
        ),
        Verb(
            "sign",
            services.agreement_sign,
            T["sign"].label,
            VerbForm,
            takes=("signed_on", "place", "mode", "override_reason"),
            required=("signed_on",),
            confirm=gettext_lazy("Record the signing of this agreement? A signing cannot be undone."),
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
            confirm=gettext_lazy("Terminate this agreement? Its termination cannot be undone."),
        ),
        Verb("postpone", services.agreement_postpone, T["postpone"].label, VerbForm, takes=("reason",), style=ASIDE),
        Verb("resume", services.agreement_resume, T["resume"].label, VerbForm, takes=()),
        Verb(
            "cancel",
            services.agreement_cancel,
            T["cancel"].label,
            VerbForm,
            takes=("reason",),
            style=STOP,
            confirm=gettext_lazy("Cancel this agreement? A cancelled agreement cannot be taken up again."),
        ),
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
