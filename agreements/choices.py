"""Choices of the agreements app (Law 70/2020/QH14 on International Agreements; Decree 64/2021/NĐ-CP)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AgreementKind(models.TextChoices):
    """What the document is called; every kind is an international agreement under Law 70/2020/QH14, Art. 2."""

    AGREEMENT = "agreement", _("Agreement")
    MOU = "mou", _("Memorandum of understanding")
    MINUTES_OF_TALKS = "minutes_of_talks", _("Minutes of talks")
    HIGH_LEVEL_MINUTES = "high_level_minutes", _("Minutes of a high-level meeting")
    COOPERATION_PLAN = "cooperation_plan", _("Cooperation plan")
    OTHER = "other", _("Other")


class SignatoryLevel(models.TextChoices):
    """On whose behalf the Vietnamese side signs, which decides whom to consult (agreements.workflow): the
    provincial People's Committee (Law 70/2020/QH14, Ch. II), a department of the province, a district People's
    Committee, or a commune People's Committee in a border area (Decree 64/2021/NĐ-CP)."""

    PROVINCIAL = "provincial", _("Provincial People's Committee")
    DEPARTMENT = "department", _("Department of the province")
    BORDER_COMMUNE = "border_commune", _("Commune People's Committee in a border area")
    DISTRICT = "district", _("District People's Committee (before 1 July 2025)")


class AgreementStatus(models.TextChoices):
    """Where an agreement stands in the procedure of Law 70/2020/QH14 (agreements.workflow moves it on).

    These labels are the one wording of a status, on screen and in documents: the annual report writes them in
    Vietnamese (core.choices.vietnamese_label). Their context keeps them apart from the same English words used
    elsewhere ("Draft" is also a kind of document; "Postponed" a relationship's status), since a status reads
    differently in Vietnamese ("Đang dự thảo", not "Dự thảo")."""

    DRAFT = "draft", pgettext_lazy("agreement status", "Draft")
    CONSULTATION = "consultation", pgettext_lazy("agreement status", "Under consultation")
    SUBMITTED = "submitted", pgettext_lazy("agreement status", "Submitted for decision")
    APPROVED = "approved", pgettext_lazy("agreement status", "Approved")
    REFUSED = "refused", pgettext_lazy("agreement status", "Refused")
    SIGNED = "signed", pgettext_lazy("agreement status", "Signed")
    IN_FORCE = "in_force", pgettext_lazy("agreement status", "In force")
    EXPIRED = "expired", pgettext_lazy("agreement status", "Expired")
    TERMINATED = "terminated", pgettext_lazy("agreement status", "Terminated")
    POSTPONED = "postponed", pgettext_lazy("agreement status", "Postponed")
    CANCELLED = "cancelled", pgettext_lazy("agreement status", "Cancelled")


class SigningMode(models.TextChoices):
    """How the agreement was signed: in person, during a delegation's visit, or online, as the reports tell it."""

    IN_PERSON = "in_person", _("In person")
    DURING_DELEGATION = "during_delegation", _("In person, during a delegation's visit")
    ONLINE = "online", _("Online")


class RelationshipEffect(models.TextChoices):
    """What the agreement does to the relationship it belongs to: a new relationship, or the next step of one
    (a periodic high-level meeting's minutes). Reports count "new" agreements differently (issue 4)."""

    ESTABLISHES = "establishes", _("Establishes the relationship")
    RENEWS = "renews", _("Renews or continues the relationship")
    NONE = "none", _("Neither")


class ConsultedBody(models.TextChoices):
    """Bodies whose written opinion is asked before signing (Law 70/2020/QH14, Ch. II; Decree 64/2021/NĐ-CP, Art. 5).
    A body is asked as it exists on the date: planning and investment merged into finance on 1 March 2025
    (Resolution 176/2025/QH15; Decree 45/2025/NĐ-CP), see agreements.workflow.BODY_PERIODS."""

    MOFA = "mofa", _("Ministry of Foreign Affairs")
    FOREIGN_AFFAIRS_DEPARTMENT = "foreign_affairs_department", _("Department of Foreign Affairs")
    JUSTICE = "justice", _("Department of Justice")
    POLICE = "police", _("Police")
    DEFENCE = "defence", _("Military command (defence)")
    BORDER_GUARD = "border_guard", _("Border guard")
    PLANNING_INVESTMENT = "planning_investment", _("Planning and investment (until 28 February 2025)")
    FINANCE = "finance", _("Finance")
    OTHER = "other", _("Other body")


class Opinion(models.TextChoices):
    """What a consulted body answers. Any answer counts as received (agreements.workflow.missing_opinions):
    weighing a disagreement is the deciding leader's task, so it is recorded, not blocked."""

    AGREE = "agree", _("Agrees")
    AGREE_WITH_CONDITIONS = "agree_with_conditions", _("Agrees with conditions")
    DISAGREE = "disagree", _("Disagrees")


class ItemStatus(models.TextChoices):
    """How far an activity of an agreement's implementation plan has got. The annual report lists the activities
    done that were due in its year, with their results (agreements.report)."""

    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Rating(models.TextChoices):
    """The verdict of a periodic evaluation of an agreement's implementation; the annual report quotes the
    latest evaluation of its year (agreements.report)."""

    GOOD = "good", _("Effective")
    FAIR = "fair", _("Partly effective")
    POOR = "poor", _("Not effective")


class DocumentKind(models.TextChoices):
    """What a document in an agreement's file is."""

    DRAFT = "draft", _("Draft")
    OPINION = "opinion", _("Written opinion")
    SIGNED_TEXT = "signed_text", _("Signed text")
    TRANSLATION = "translation", _("Translation")
    OTHER = "other", _("Other")


# Statuses of an agreement that has been signed (counted as signed in its year).
SIGNED_STATUSES = frozenset(
    {AgreementStatus.SIGNED, AgreementStatus.IN_FORCE, AgreementStatus.EXPIRED, AgreementStatus.TERMINATED}
)
