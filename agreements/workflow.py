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

The article numbers and day counts here should be checked against the consolidated texts by the legal
officer of each deployment; the day counts are settings for that reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
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

# Bodies that the content adds (Law 70/2020/QH14: "the bodies concerned").
CONTENT_BODIES: dict[str, tuple[str, Promise]] = {
    "concerns_defence": (B.DEFENCE, _("defence: the military command (Ministry of National Defence)")),
    "concerns_security": (B.POLICE, _("security: the police (Ministry of Public Security)")),
    "concerns_border": (B.BORDER_GUARD, _("the border: the border guard")),
    "concerns_investment": (B.PLANNING_INVESTMENT, _("investment: the planning and investment body")),
    "is_sensitive": (B.MOFA, _("sensitive content: the Ministry of Foreign Affairs")),
}


def required_bodies(agreement) -> dict[str, Promise]:
    """Every body whose written opinion ``agreement`` needs before signing, with the reason."""
    bodies, reason = BASE_BODIES[agreement.signatory_level]
    found = dict.fromkeys(bodies, reason)
    for flag, (body, why) in CONTENT_BODIES.items():
        if getattr(agreement, flag):
            found.setdefault(body, why)
    return found


def missing_opinions(agreement) -> list[str]:
    """Required bodies without an answered consultation."""
    answered = {c.body for c in agreement.consultations.unrestricted("the agreement's own") if c.opinion}
    return [body for body in required_bodies(agreement) if body not in answered]


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


def copy_due(signed_on: dt.date) -> dt.date:
    """When the copy owed to the Ministry of Foreign Affairs is due: ``AGREEMENTS_COPY_DAYS`` days after
    signing (30 by default)."""
    return signed_on + dt.timedelta(days=settings.AGREEMENTS_COPY_DAYS)
