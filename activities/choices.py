"""Choices of the activities registries: delegations out and in (issue 19)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("Outgoing delegation")
    INCOMING = "incoming", _("Incoming delegation")


class DelegationStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    APPROVED = "approved", _("Approved")
    DONE = "done", _("Done")
    POSTPONED = "postponed", _("Postponed")
    CANCELLED = "cancelled", _("Cancelled")


class VisitorLevel(models.TextChoices):
    """The level of an incoming delegation, as the annual summaries count them."""

    HEAD_OF_STATE = "head_of_state", _("Head of state or government")
    MINISTER = "minister", _("Minister")
    AMBASSADOR = "ambassador", _("Ambassador")
    LOCAL_LEADER = "local_leader", _("Local leader")
    NGO = "ngo", _("Non-governmental organisation")
    BUSINESS = "business", _("Business")
    OTHER = "other", _("Other")


class Funding(models.TextChoices):
    STATE_BUDGET = "state_budget", _("State budget")
    PARTNER = "partner", _("Paid by the partner")
    ENTERPRISE = "enterprise", _("Enterprise")
    OTHER = "other", _("Other")


class ConferenceStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    APPLIED = "applied", _("Permission applied for")
    PERMITTED = "permitted", _("Permitted")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class EventKind(models.TextChoices):
    """Events with foreign participation, as the annual summaries name them."""

    FESTIVAL = "festival", _("Festival")
    CULTURAL_DAY = "cultural_day", _("Cultural day")
    ANNIVERSARY = "anniversary", _("Anniversary of diplomatic relations")
    FAIR = "fair", _("Fair or exhibition")
    SPORTS = "sports", _("Sports event")
    CONFERENCE = "conference", _("Meeting or conference")
    FORUM = "forum", _("Forum or workshop")
    CEREMONY = "ceremony", _("Ceremony")
    VISIT = "visit", _("Courtesy visits")
    OTHER = "other", _("Other")


class AwardDirection(models.TextChoices):
    RECEIVED = "received", _("Received from abroad")
    PROPOSED = "proposed", _("Proposed by the unit")


class AwardStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
