"""The procedure of an international agreement, as fixed by regulation: the allowed transitions, whom the
signatory must consult, and the deadlines. A table, not a configurable engine (DESIGN.md); each rule cites
its basis:

- Law 70/2020/QH14 on International Agreements (in force 1 July 2021), Chapter II: an agreement of a
  provincial body is decided by the provincial People's Committee after the written opinions of the
  Ministry of Foreign Affairs and of the bodies concerned; a copy of the signed agreement goes to the
  Ministry of Foreign Affairs.
- Decree 64/2021/NĐ-CP on agreements signed on behalf of departments of the province, district People's
  Committees and commune People's Committees in border areas: Art. 5 for departments (opinions of the
  Department of Foreign Affairs, the Department of Justice and the bodies concerned, decision of the
  provincial People's Committee); the border-commune procedure adds the opinions of the police, the
  military command and the border guard.
- Resolution 176/2025/QH15 on the structure of the Government (the Ministry of Planning and Investment merged
  into the Ministry of Finance from 1 March 2025) and Decree 45/2025/NĐ-CP on the specialised bodies of
  provincial People's Committees (the departments of planning and investment merged into the departments of
  finance from the same date): a body is consulted as it exists on the date it is asked (``BODY_PERIODS``).

The article numbers and day counts here should be checked against the consolidated texts by the legal
officer of each deployment; the day counts are settings for that reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.choices import AgreementStatus as S
from agreements.choices import ConsultedBody as B
from agreements.choices import SignatoryLevel as L


@dataclass(frozen=True)
class Transition:
    """One verb: the statuses it starts from, the status it leads to, the capability it needs, why, and its
    name for people (its button and its messages)."""

    verb: str
    sources: frozenset[str]
    target: str
    action: str  # the policy's action: "change" for editors, "approve" for leaders
    basis: Promise
    label: Promise


BEFORE_DECISION = frozenset({S.DRAFT, S.CONSULTATION, S.SUBMITTED, S.APPROVED})

TRANSITIONS: dict[str, Transition] = {
    item.verb: item
    for item in [
        Transition(
            "submit_for_consultation",
            frozenset({S.DRAFT}),
            S.CONSULTATION,
            "change",
            _("Law 70/2020/QH14, Ch. II; Decree 64/2021/NĐ-CP, Art. 5: written opinions before the decision"),
            label=_("Ask for opinions"),
        ),
        Transition(
            "submit",
            frozenset({S.CONSULTATION}),
            S.SUBMITTED,
            "change",
            _("Law 70/2020/QH14, Ch. II: the file with the opinions goes to the deciding People's Committee"),
            label=_("Submit for decision"),
        ),
        Transition(
            "approve",
            frozenset({S.SUBMITTED}),
            S.APPROVED,
            "approve",
            _("Law 70/2020/QH14, Ch. II: the provincial People's Committee decides to sign"),
            label=_("Approve"),
        ),
        Transition(
            "refuse",
            frozenset({S.SUBMITTED}),
            S.REFUSED,
            "approve",
            _("Law 70/2020/QH14, Ch. II: the provincial People's Committee decides not to sign"),
            label=_("Refuse"),
        ),
        Transition(
            "sign",
            frozenset({S.APPROVED}),
            S.SIGNED,
            "change",
            _("Law 70/2020/QH14, Ch. II: signing after the decision; every required opinion received"),
            label=_("Record the signing"),
        ),
        Transition(
            "enter_into_force",
            frozenset({S.SIGNED}),
            S.IN_FORCE,
            "change",
            _("Law 70/2020/QH14: entry into force as the agreement provides"),
            label=_("Record entry into force"),
        ),
        Transition(
            "expire",
            frozenset({S.IN_FORCE}),
            S.EXPIRED,
            "change",
            _("Law 70/2020/QH14: the agreement's term ends"),
            label=_("Record expiry"),
        ),
        Transition(
            "terminate",
            frozenset({S.SIGNED, S.IN_FORCE}),
            S.TERMINATED,
            "approve",
            _("Law 70/2020/QH14: termination is decided as signing was"),
            label=_("Terminate"),
        ),
        Transition(
            "postpone",
            BEFORE_DECISION,
            S.POSTPONED,
            "change",
            _("Postponed by the Vietnamese side or the partner (e.g. visits postponed by Covid-19)"),
            label=_("Postpone"),
        ),
        Transition(
            "resume", frozenset({S.POSTPONED}), S.DRAFT, "change", _("Work on the draft resumes"), label=_("Resume")
        ),
        Transition(
            "cancel",
            BEFORE_DECISION | {S.POSTPONED, S.REFUSED},
            S.CANCELLED,
            "change",
            _("Dropped before signing"),
            label=_("Cancel"),
        ),
    ]
}


def transition(verb: str, current: str) -> Transition | None:
    """The transition ``verb`` from ``current``, or None when the table does not allow it."""
    item = TRANSITIONS.get(verb)
    return item if item is not None and current in item.sources else None


def allowed_verbs(current: str) -> list[str]:
    """The verbs allowed from ``current``, in the table's order."""
    return [verb for verb, item in TRANSITIONS.items() if current in item.sources]


# Whom each signatory level consults whatever the content, in the order the texts list them: the consultations
# are created, and listed, in this order.
BASE_BODIES: dict[str, tuple[tuple[str, ...], Promise]] = {
    L.PROVINCIAL: (
        (B.MOFA,),
        _("Law 70/2020/QH14, Ch. II: the provincial People's Committee asks the Ministry of Foreign Affairs"),
    ),
    L.DEPARTMENT: (
        (B.FOREIGN_AFFAIRS_DEPARTMENT, B.JUSTICE),
        _("Decree 64/2021/NĐ-CP, Art. 5: the Department of Foreign Affairs and the Department of Justice"),
    ),
    L.DISTRICT: (
        (B.FOREIGN_AFFAIRS_DEPARTMENT, B.JUSTICE),
        _("Decree 64/2021/NĐ-CP: a district People's Committee as a department (districts ended 1 July 2025)"),
    ),
    L.BORDER_COMMUNE: (
        (B.FOREIGN_AFFAIRS_DEPARTMENT, B.JUSTICE, B.POLICE, B.DEFENCE, B.BORDER_GUARD),
        _("Decree 64/2021/NĐ-CP: a border commune also asks the police, the military command and the border guard"),
    ),
}

# Bodies that the content adds (Law 70/2020/QH14: "the bodies concerned"). Each is named as the texts named it
# when they were written; ``body_on`` gives the body that holds its duties on a given date.
CONTENT_BODIES: dict[str, tuple[str, Promise]] = {
    "concerns_defence": (B.DEFENCE, _("defence: the military command (Ministry of National Defence)")),
    "concerns_security": (B.POLICE, _("security: the police (Ministry of Public Security)")),
    "concerns_border": (B.BORDER_GUARD, _("the border: the border guard")),
    "concerns_investment": (B.PLANNING_INVESTMENT, _("investment: the planning and investment body")),
    "is_sensitive": (B.MOFA, _("sensitive content: the Ministry of Foreign Affairs")),
}


@dataclass(frozen=True)
class BodyPeriod:
    """When a consulted body existed, the body that took over its duties when it ended, and the text that says
    so. A body without a period has always existed, as far as the procedure is concerned."""

    since: dt.date | None
    until: dt.date | None  # its last day
    successor: str
    basis: Promise


# The day the 2025 mergers of ministries and provincial departments took effect.
MERGERS_2025 = dt.date(2025, 3, 1)

# Consulted bodies that did not exist on every date. Resolution 176/2025/QH15 (18 February 2025) on the structure
# of the Government merged the Ministry of Planning and Investment into the Ministry of Finance, from 1 March 2025
# (Decree 29/2025/NĐ-CP on the Ministry of Finance); Decree 45/2025/NĐ-CP on the specialised bodies of provincial
# People's Committees merged each department of planning and investment into the department of finance from the
# same date. The finance body (``B.FINANCE``) has always existed; from that date it is also the investment body.
BODY_PERIODS: dict[str, BodyPeriod] = {
    B.PLANNING_INVESTMENT: BodyPeriod(
        since=None,
        until=MERGERS_2025 - dt.timedelta(days=1),
        successor=B.FINANCE,
        basis=_(
            "Resolution 176/2025/QH15 and Decree 45/2025/NĐ-CP: planning and investment merged into finance on "
            "1 March 2025"
        ),
    ),
}


def body_on(body: str, on: dt.date) -> str:
    """The body that holds the duties of ``body`` on ``on``: itself while it exists, then its successor."""
    seen = {body}
    period = BODY_PERIODS.get(body)
    while period is not None and period.until is not None and on > period.until and period.successor not in seen:
        body = period.successor
        seen.add(body)
        period = BODY_PERIODS.get(body)
    return body


def check_body_on(body: str, on: dt.date | None) -> None:
    """Refuse to ask ``body`` on a date it did not exist (raises ValidationError on ``body``, naming the body that
    held its duties then and the text that says so)."""
    period = BODY_PERIODS.get(body)
    if on is None or period is None:
        return
    if (period.until is not None and on > period.until) or (period.since is not None and on < period.since):
        current = body_on(body, on)
        raise ValidationError(
            {
                "body": gettext(
                    "Consulted body: “%(body)s” did not exist on %(date)s; its duties were those of “%(current)s” "
                    "(%(basis)s). Choose that body."
                )
                % {
                    "body": B(body).label,
                    "date": on.strftime("%d/%m/%Y"),
                    "current": B(current).label,
                    "basis": period.basis,
                }
            }
        )


def answers_for(consultation, body: str, on: dt.date) -> bool:
    """Whether ``consultation`` stands for the opinion of ``body``, required as of ``on``: asked of that body, of
    the body it succeeded (an opinion given before a merger stands), or of the body that held its duties on the
    date it was asked (the successor answers for a body merged away meanwhile)."""
    asked_on = consultation.sent_on or consultation.reply_on or on
    return (
        consultation.body == body
        or body_on(consultation.body, on) == body
        or body_on(body, asked_on) == consultation.body
    )


def consulted_on(agreement, consultations=None) -> dt.date:
    """The date the agreement's written opinions were asked, which decides the bodies asked: the first sending of
    its consultations; without one, the decision to sign or the signing (the opinions came before them); for a
    file not yet sent, today. ``consultations`` are the agreement's rows when the caller has them."""
    if consultations is None:
        consultations = agreement.consultations.unrestricted("the agreement's own")
    sent = [row.sent_on for row in consultations if row.sent_on]
    if sent:
        return min(sent)
    return agreement.decision_on or agreement.signed_on or timezone.localdate()


def required_bodies(agreement, on: dt.date | None = None) -> dict[str, Promise]:
    """Every body whose written opinion ``agreement`` needs before the decision and the signing, with the reason,
    as the bodies existed on ``on`` (by default the day the opinions were asked, ``consulted_on``)."""
    on = on or consulted_on(agreement)
    bodies, reason = BASE_BODIES[agreement.signatory_level]
    found = {body_on(body, on): reason for body in bodies}
    for flag, (body, why) in CONTENT_BODIES.items():
        if getattr(agreement, flag):
            found.setdefault(body_on(body, on), why)
    return found


def missing_opinions(agreement, *, by: dt.date | None = None, consultations=None) -> list[str]:
    """Required bodies without an answered consultation; with ``by``, without one received by that date (an
    opinion that came after a decision did not inform it). ``consultations`` are the agreement's rows when the
    caller has them (all of them: the date asked is read from them too)."""
    if consultations is None:
        consultations = list(agreement.consultations.unrestricted("the agreement's own"))
    on = consulted_on(agreement, consultations)
    answered = [
        row for row in consultations if row.opinion and (by is None or row.reply_on is None or row.reply_on <= by)
    ]
    return [body for body in required_bodies(agreement, on) if not any(answers_for(row, body, on) for row in answered)]


# The Law on International Agreements took effect on 1 July 2021 (Law 70/2020/QH14, final provisions). Agreements
# signed before were concluded under Ordinance 33/2007/PL-UBTVQH12 and the decrees under it, whose rules on the
# copy to the Ministry of Foreign Affairs differ: the copy owed under the Law is not asked of them.
LAW_IN_FORCE = dt.date(2021, 7, 1)


def add_working_days(start: dt.date, days: int) -> dt.date:
    """``start`` plus ``days`` working days (Monday to Friday; public holidays are not known here)."""
    current, left = start, days
    while left > 0:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            left -= 1
    return current


def consultation_due(sent_on: dt.date) -> dt.date:
    """When a reply is due: ``AGREEMENTS_REPLY_WORKING_DAYS`` working days after sending (10 by default)."""
    return add_working_days(sent_on, settings.AGREEMENTS_REPLY_WORKING_DAYS)


def copy_owed(signed_on: dt.date | None) -> bool:
    """Whether an agreement signed on ``signed_on`` owes the Ministry of Foreign Affairs a copy under Law
    70/2020/QH14: those signed since the Law took effect (``LAW_IN_FORCE``)."""
    return signed_on is not None and signed_on >= LAW_IN_FORCE


def copy_due(signed_on: dt.date) -> dt.date:
    """When the copy owed to the Ministry of Foreign Affairs is due: ``AGREEMENTS_COPY_DAYS`` days after
    signing (30 by default)."""
    return signed_on + dt.timedelta(days=settings.AGREEMENTS_COPY_DAYS)
