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
