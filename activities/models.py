"""Delegations out and in (issue 19, item 1): who went abroad or came, for what, when, who paid, whether the trip was
in the annual foreign-affairs plan, its approval, its members, the partners met and the report owed after it.

A delegation belongs to the Vietnamese unit that sends or hosts it (its owner). Its person-trips are its members
listed, else the count declared when the list is not kept (activities.services refuses a delegation with neither).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activities.choices import DelegationStatus, Direction, Funding, VisitorLevel
from core.choices import DatePrecision
from core.models import ChildModel, Country, RegistryModel, in_order, optional_link
from partners.models import Interaction, Partner

# The trip report is due this many days after the return unless the delegation says otherwise (issue 19: "the trip
# report due (configurable, default 15 days after return)"); each deployment's legal officer confirms the figure
# against the rules on the unified management of foreign-affairs activities in force.
REPORT_DAYS_DEFAULT = 15


class Delegation(RegistryModel):
    """A delegation sent abroad by a Vietnamese unit, or a foreign delegation it hosts."""

    direction = models.CharField(_("direction"), max_length=16, choices=Direction.choices, default=Direction.OUTGOING)
    purpose = models.TextField(_("purpose"))
    leader_name = models.CharField(_("head of delegation"), max_length=255, blank=True)
    leader_position = models.CharField(_("position of the head of delegation"), max_length=255, blank=True)
    # Trips abroad of officials whose personnel are managed centrally need the central personnel body's approval
    # (the rules on the management of trips abroad of officials under central management).
    needs_central_personnel_approval = models.BooleanField(
        _("needs central personnel approval"),
        default=False,
        help_text=_("The head or a member is an official whose trips abroad are approved by a central body."),
    )
    organisation = models.CharField(
        _("sending or host organisation"),
        max_length=255,
        blank=True,
        help_text=_("Outgoing: the organisation that sends the delegation. Incoming: the host in the province."),
    )
    countries = models.ManyToManyField(Country, verbose_name=_("destination countries"), blank=True, related_name="+")
    partners = models.ManyToManyField(Partner, verbose_name=_("partners met"), blank=True, related_name="delegations")
    origin_country = optional_link(Country, _("country of origin"))
    level = models.CharField(_("level"), max_length=16, choices=VisitorLevel.choices, blank=True)
    departs_on = models.DateField(
        _("start date"), null=True, blank=True, help_text=_("Outgoing: departure. Incoming: arrival.")
    )
    date_precision = models.CharField(
        _("start date known to the"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    returns_on = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Outgoing: return. Incoming: departure.")
    )
    funding = models.CharField(_("funding"), max_length=16, choices=Funding.choices, blank=True)
    state_budget_vnd = models.DecimalField(
        _("state budget (VND)"),
        max_digits=18,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=_("State budget (VND): cannot be negative."))],
    )
    in_annual_plan = models.BooleanField(
        _("in the annual plan approved by the Prime Minister"),
        default=False,
        help_text=_("Unticked: a delegation arising during the year."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DelegationStatus.choices, default=DelegationStatus.PLANNED
    )
    approval_number = models.CharField(_("approval document number"), max_length=64, blank=True)
    approval_on = models.DateField(_("approval date"), null=True, blank=True)
    approval_authority = models.CharField(_("approving authority"), max_length=255, blank=True)
    report_days = models.PositiveSmallIntegerField(
        _("trip report due (days after return)"),
        default=REPORT_DAYS_DEFAULT,
        validators=[MinValueValidator(0, message=_("Trip report due: the number of days cannot be negative."))],
    )
    report_received_on = models.DateField(_("trip report received on"), null=True, blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    member_count = models.PositiveIntegerField(
        _("number of members"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=_("Number of members: cannot be negative."))],
        help_text=_("Declare the number when the list of members is not kept."),
    )
    notes = models.TextField(_("notes"), blank=True)
    # The visits this delegation added to the timelines of the relationships it met (activities.services).
    interactions = models.ManyToManyField(
        Interaction, verbose_name=_("timeline entries"), blank=True, editable=False, related_name="delegations"
    )

    search_fields = ("purpose", "leader_name", "leader_position", "organisation", "outcomes", "notes")
    partial_dates = {"departs_on": "date_precision"}

    class Meta:
        verbose_name = _("delegation")
        # "đoàn" alone is the indicators' measure ("164 đoàn"); the registry's name says both ways.
        verbose_name_plural = pgettext_lazy("registry", "delegations")
        ordering = [models.F("departs_on").desc(nulls_last=True), "purpose", "pk"]
        constraints = [
            in_order("departs_on", "returns_on", _("End date: a delegation cannot end before it starts.")),
        ]
        indexes = [models.Index(fields=["direction", "status", "departs_on"], name="delegation_dir_status_idx")]

    def __str__(self) -> str:
        purpose = self.purpose if len(self.purpose) <= 80 else f"{self.purpose[:79]}…"
        return f"{self.get_direction_display()}: {purpose}"

    @property
    def person_trips(self) -> int:
        """The members listed, else the number declared."""
        listed = self.members.count() if self.pk else 0
        return listed or (self.member_count or 0)

    @property
    def report_due_on(self) -> dt.date | None:
        """When the trip report is due: the return plus the delegation's days (outgoing only)."""
        if self.direction != Direction.OUTGOING or self.returns_on is None:
            return None
        return self.returns_on + dt.timedelta(days=self.report_days)

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.departs_on and self.returns_on and self.returns_on < self.departs_on:
            errors["returns_on"] = _("End date: a delegation cannot end (%(end)s) before it starts (%(start)s).") % {
                "end": f"{self.returns_on:%d/%m/%Y}",
                "start": f"{self.departs_on:%d/%m/%Y}",
            }
        if self.direction == Direction.INCOMING and self.origin_country_id and self.origin_country.iso2 == "VN":
            errors["origin_country"] = _(
                "Country of origin: an incoming delegation comes from abroad, not from Viet Nam."
            )
        if self.direction == Direction.OUTGOING and self.level:
            errors["level"] = _("Level: only an incoming delegation has a level.")
        if self.report_received_on and self.returns_on and self.report_received_on < self.returns_on:
            errors["report_received_on"] = _("Trip report received on: a report cannot come before the return.")
        if errors:
            raise ValidationError(errors)


class DelegationMember(ChildModel):
    """One person of a delegation: one person-trip."""

    delegation = models.ForeignKey(
        Delegation, verbose_name=_("delegation"), on_delete=models.CASCADE, related_name="members"
    )
    name = models.CharField(_("full name"), max_length=255)
    position = models.CharField(_("position"), max_length=255, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    scope_parent = "delegation"
    search_fields = ("name", "position", "organisation")

    class Meta:
        verbose_name = _("delegation member")
        verbose_name_plural = _("delegation members")
        ordering = ["delegation", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["delegation", "name"],
                name="delegationmember_unique_delegation_name",
                violation_error_message=_("Full name: this person is already a member of the delegation."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.position})" if self.position else self.name
