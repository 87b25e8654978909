"""Delegations out and in (issue 19, item 1): who went abroad or came, for what, when, who paid, whether the trip was
in the annual foreign-affairs plan, its approval, its members, the partners met and the report owed after it.

A delegation belongs to the Vietnamese unit that sends or hosts it (its owner). Its person-trips are its members
listed, else the count declared when the list is not kept (activities.services refuses a delegation with neither).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.functional import lazy
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activities.choices import (
    AwardDirection,
    AwardStatus,
    ConferenceStatus,
    DelegationStatus,
    Direction,
    EventKind,
    Funding,
    VisitorLevel,
)
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
    # Unknown until someone says: a delegation a document names without saying whether it was planned is counted
    # neither in the plan nor as arising (activities.indicators).
    in_annual_plan = models.BooleanField(
        _("in the annual plan approved by the Prime Minister"),
        null=True,
        blank=True,
        default=None,
        help_text=_("No: a delegation arising during the year. Empty: not known."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DelegationStatus.choices, default=DelegationStatus.PLANNED
    )
    approval_number = models.CharField(_("approval document number"), max_length=64, blank=True)
    approval_on = models.DateField(_("approval date"), null=True, blank=True)
    approval_authority = models.CharField(_("approving authority"), max_length=255, blank=True)
    # Approvals that activities.workflow asks for beside the trip's own (issue 19, item 2).
    plan_exception_approval = models.CharField(
        _("approval of a trip outside the annual plan"),
        max_length=255,
        blank=True,
        help_text=_("Document number and date, for a delegation arising during the year."),
    )
    personnel_approval = models.CharField(
        _("central personnel approval"),
        max_length=255,
        blank=True,
        help_text=_("Document number and date, for an official whose trips abroad are approved centrally."),
    )
    # The rules the approver decided to set aside, and why: kept on the delegation and in the audit log.
    rules_override_breaches = models.JSONField(
        _("rules set aside at approval"), default=list, blank=True, editable=False
    )
    rules_override_reason = models.TextField(_("reason for approving despite the rules"), blank=True, editable=False)
    rules_override_by = optional_link(
        settings.AUTH_USER_MODEL, _("approved despite the rules by"), on_delete=models.SET_NULL, editable=False
    )
    report_days = models.PositiveSmallIntegerField(
        _("trip report due (days after return)"),
        default=REPORT_DAYS_DEFAULT,
        validators=[MinValueValidator(0, message=_("Trip report due: the number of days cannot be negative."))],
    )
    report_received_on = models.DateField(_("trip report received on"), null=True, blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    # An incoming delegation's stay, as the host unit prepares it.
    programme = models.TextField(_("programme"), blank=True, help_text=_("Incoming: the visit's programme."))
    protocol_notes = models.TextField(
        _("protocol notes"),
        blank=True,
        help_text=_("Incoming: reception, precedence, gifts, interpreting, security."),
    )
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

    search_fields = ("purpose", "leader_name", "leader_position", "organisation", "outcomes", "programme", "notes")
    partial_dates = {"departs_on": "date_precision"}
    # Counted in the reports of the period it departs in (activities.indicators); frozen with them (issue 20, item 3).
    period_date = "departs_on"

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
        _end_not_before_start(self, "departs_on", "returns_on", errors, _("a delegation"))
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


capfirst_lazy = lazy(capfirst, str)


def _count(label):
    """A number of people or things, never negative."""
    return models.PositiveIntegerField(
        label,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(0, message=format_lazy("{}: {}", capfirst_lazy(label), _("cannot be negative.")))
        ],
    )


def _end_not_before_start(record, start: str, end: str, errors: dict, what) -> None:
    first, last = getattr(record, start), getattr(record, end)
    if first and last and last < first:
        errors[end] = _("End date: %(what)s cannot end (%(end)s) before it starts (%(start)s).") % {
            "what": what,
            "end": f"{last:%d/%m/%Y}",
            "start": f"{first:%d/%m/%Y}",
        }


class DelegationRules(RegistryModel):
    """The caps a province (or another unit) sets on its delegations abroad, checked when one is approved against
    what the unit has approved already that year (activities.workflow). Empty caps are not checked. One set per
    unit; each deployment enters the figures of the rules it applies and names them in ``source``."""

    source = models.CharField(
        _("source of the rules"),
        max_length=255,
        help_text=_("The document that sets these caps, e.g. the province's regulation on foreign-affairs work."),
    )
    leader_trips_per_year = models.PositiveSmallIntegerField(
        _("trips abroad per head of delegation per year"), null=True, blank=True
    )
    members_per_delegation = models.PositiveSmallIntegerField(_("members per delegation"), null=True, blank=True)
    days_per_trip = models.PositiveSmallIntegerField(_("days per trip"), null=True, blank=True)
    countries_per_trip = models.PositiveSmallIntegerField(_("countries per trip"), null=True, blank=True)
    trips_per_year = models.PositiveIntegerField(_("delegations abroad per year"), null=True, blank=True)
    state_budget_per_year_vnd = models.DecimalField(
        _("state budget for trips abroad per year (VND)"),
        max_digits=18,
        decimal_places=0,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=_("State budget per year (VND): cannot be negative."))],
    )
    key_leaders = models.TextField(
        _("key leaders not abroad at the same time"),
        blank=True,
        help_text=_("One name per line, as written for the head of delegation; two of them are never away together."),
    )
    outside_plan_needs_approval = models.BooleanField(
        _("a trip outside the annual plan needs its own approval"), default=True
    )
    personnel_approval_needed = models.BooleanField(
        _("officials flagged need the central personnel approval"), default=True
    )

    search_fields = ("source", "key_leaders")

    class Meta:
        verbose_name = _("delegation rules")
        verbose_name_plural = _("delegation rules")
        ordering = ["owner__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"],
                condition=models.Q(deleted_at__isnull=True),
                name="delegationrules_one_per_unit",
                violation_error_message=_("Owner unit: this unit has its rules already; change them there."),
            )
        ]

    def __str__(self) -> str:
        return str(_("Rules for the delegations of %(unit)s") % {"unit": self.owner})

    def key_leader_names(self) -> list[str]:
        return [line.strip() for line in self.key_leaders.splitlines() if line.strip()]


class Conference(RegistryModel):
    """An international conference or workshop held by the unit (Decision 06/2020/QĐ-TTg on the organisation and
    management of international conferences and workshops in Viet Nam): who organises it with whom, when and
    where, the foreign participants, who permits it and when the application went in."""

    title = models.CharField(_("title"), max_length=500)
    organiser = models.CharField(_("organiser"), max_length=255)
    co_organisers_domestic = models.TextField(_("domestic co-organisers"), blank=True)
    co_organisers_foreign = models.TextField(_("foreign co-organisers"), blank=True)
    partners = models.ManyToManyField(Partner, verbose_name=_("partners"), blank=True, related_name="conferences")
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    date_precision = models.CharField(
        _("start date known to the"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    online = models.BooleanField(_("online or partly online"), default=False)
    foreign_participants = _count(_("foreign participants"))
    countries = models.ManyToManyField(Country, verbose_name=_("participants' countries"), blank=True, related_name="+")
    # The conferences the Prime Minister permits (Decision 06/2020/QĐ-TTg, Art. 3): with participants at the level of
    # head of state or government, minister or equivalent; or on politics, security, defence, ethnicity, religion,
    # human rights, borders, territory, national sovereignty or state secrets. Others are permitted locally.
    high_level_participants = models.BooleanField(
        _("participants at minister level or above"),
        default=False,
        help_text=_("Heads of state or government, ministers or equivalent of other countries or organisations."),
    )
    sensitive_topics = models.BooleanField(
        _("sensitive topics"),
        default=False,
        help_text=_(
            "Politics, security, defence, ethnicity, religion, human rights, borders, territory, sovereignty or "
            "state secrets."
        ),
    )
    applied_on = models.DateField(_("application submitted on"), null=True, blank=True)
    permission_authority = models.CharField(_("permitting authority"), max_length=255, blank=True)
    permission_number = models.CharField(_("permission document number"), max_length=64, blank=True)
    permission_on = models.DateField(_("permission date"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ConferenceStatus.choices, default=ConferenceStatus.PLANNED
    )
    outcome = models.TextField(_("outcome"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    search_fields = ("title", "organiser", "co_organisers_domestic", "co_organisers_foreign", "place", "notes")
    partial_dates = {"starts_on": "date_precision"}
    period_date = "starts_on"

    # Days between the application and the opening (Decision 06/2020/QĐ-TTg): at least these many when the Prime
    # Minister permits the conference, else the other figure. Each deployment's legal officer confirms them.
    LEAD_DAYS_PRIME_MINISTER = 40
    LEAD_DAYS_LOCAL = 30

    class Meta:
        verbose_name = _("international conference")
        verbose_name_plural = _("international conferences")
        ordering = [models.F("starts_on").desc(nulls_last=True), "title", "pk"]
        constraints = [
            in_order("starts_on", "ends_on", _("End date: a conference cannot end before it starts.")),
            in_order("applied_on", "permission_on", _("Permission date: a permission cannot predate its application.")),
        ]

    def __str__(self) -> str:
        return self.title if len(self.title) <= 100 else f"{self.title[:99]}…"

    @property
    def prime_minister_decides(self) -> bool:
        return self.high_level_participants or self.sensitive_topics

    @property
    def lead_days_required(self) -> int:
        return self.LEAD_DAYS_PRIME_MINISTER if self.prime_minister_decides else self.LEAD_DAYS_LOCAL

    @property
    def lead_days(self) -> int | None:
        """Days from the application to the opening, where both are known to the day."""
        if self.applied_on is None or self.starts_on is None or self.date_precision != DatePrecision.DAY:
            return None
        return (self.starts_on - self.applied_on).days

    @property
    def applied_late(self) -> bool:
        return self.lead_days is not None and self.lead_days < self.lead_days_required

    def clean(self) -> None:
        super().clean()
        errors = {}
        _end_not_before_start(self, "starts_on", "ends_on", errors, _("a conference"))
        if self.applied_on and self.permission_on and self.permission_on < self.applied_on:
            errors["permission_on"] = _(
                "Permission date: a permission (%(permission)s) cannot predate its application (%(applied)s)."
            ) % {"permission": f"{self.permission_on:%d/%m/%Y}", "applied": f"{self.applied_on:%d/%m/%Y}"}
        if errors:
            raise ValidationError(errors)


class PressVisit(RegistryModel):
    """Foreign reporters working in the unit's territory (Decree 88/2012/NĐ-CP on the information and press
    activities of foreign press agencies): the agency, its country, the reporters, when, on what and where, the
    Ministry of Foreign Affairs' permit and the officer who accompanied them."""

    agency = models.CharField(_("press agency"), max_length=255)
    country = optional_link(Country, _("country"))
    reporter_count = models.PositiveIntegerField(
        _("number of reporters"),
        validators=[MinValueValidator(1, message=_("Number of reporters: at least one."))],
    )
    reporter_names = models.TextField(_("reporters"), blank=True, help_text=_("One name per line."))
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    date_precision = models.CharField(
        _("start date known to the"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    topics = models.TextField(_("topics"), blank=True)
    places = models.CharField(_("places"), max_length=500, blank=True)
    permit_number = models.CharField(_("permit of the Ministry of Foreign Affairs (number)"), max_length=64, blank=True)
    permit_on = models.DateField(_("permit date"), null=True, blank=True)
    accompanying_officer = models.CharField(_("accompanying officer"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    search_fields = ("agency", "reporter_names", "topics", "places", "accompanying_officer", "notes")
    partial_dates = {"starts_on": "date_precision"}
    period_date = "starts_on"

    class Meta:
        verbose_name = _("foreign press visit")
        verbose_name_plural = _("foreign press visits")
        ordering = [models.F("starts_on").desc(nulls_last=True), "agency", "pk"]
        constraints = [in_order("starts_on", "ends_on", _("End date: a visit cannot end before it starts."))]

    def __str__(self) -> str:
        return f"{self.agency} ({self.reporter_count})"

    def reporter_name_list(self) -> list[str]:
        return [line.strip() for line in self.reporter_names.splitlines() if line.strip()]

    def clean(self) -> None:
        super().clean()
        errors = {}
        _end_not_before_start(self, "starts_on", "ends_on", errors, _("a visit"))
        names = self.reporter_name_list()
        if self.reporter_count is not None and len(names) > self.reporter_count:
            errors["reporter_count"] = _("Number of reporters: %(count)s, but %(names)s names are listed.") % {
                "count": self.reporter_count,
                "names": len(names),
            }
        if errors:
            raise ValidationError(errors)


class Event(RegistryModel):
    """An event with foreign participation held or joined by the unit: a festival, a cultural day, an anniversary of
    diplomatic relations, a fair, a sports event, a ceremony."""

    name = models.CharField(_("name"), max_length=500)
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices, default=EventKind.OTHER)
    edition = models.PositiveSmallIntegerField(_("edition"), null=True, blank=True, help_text=_("E.g. 5 for the 5th."))
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    date_precision = models.CharField(
        _("start date known to the"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    organiser = models.CharField(_("organiser"), max_length=500, blank=True)
    place = models.CharField(_("place"), max_length=255, blank=True)
    countries = models.ManyToManyField(Country, verbose_name=_("countries taking part"), blank=True, related_name="+")
    country_count = _count(_("number of countries taking part"))
    organisation_count = _count(_("number of international organisations taking part"))
    partners = models.ManyToManyField(Partner, verbose_name=_("partners"), blank=True, related_name="events")
    description = models.TextField(_("description"), blank=True)

    search_fields = ("name", "organiser", "place", "description")
    partial_dates = {"starts_on": "date_precision"}
    period_date = "starts_on"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = [models.F("starts_on").desc(nulls_last=True), "name", "pk"]
        constraints = [in_order("starts_on", "ends_on", _("End date: an event cannot end before it starts."))]

    def __str__(self) -> str:
        return self.name if len(self.name) <= 100 else f"{self.name[:99]}…"

    def clean(self) -> None:
        super().clean()
        errors = {}
        _end_not_before_start(self, "starts_on", "ends_on", errors, _("an event"))
        if errors:
            raise ValidationError(errors)


class Award(RegistryModel):
    """An award received from a foreign state or organisation, or one the unit proposes (for foreigners, or for its
    people from a foreign state): the award and its class, how many, the recipients, the decision."""

    direction = models.CharField(
        _("direction"), max_length=16, choices=AwardDirection.choices, default=AwardDirection.RECEIVED
    )
    name = models.CharField(_("award"), max_length=255, help_text=_("E.g. Lao Itxala order."))
    award_class = models.CharField(_("class"), max_length=64, blank=True, help_text=_("E.g. second class."))
    count = models.PositiveIntegerField(
        _("number"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1, message=_("Number: at least one, or leave it empty when not known."))],
    )
    awarding_country = optional_link(Country, _("awarding state"))
    awarding_organisation = models.CharField(_("awarding organisation"), max_length=255, blank=True)
    recipients = models.TextField(_("recipients"), blank=True, help_text=_("Organisations or persons."))
    partners = models.ManyToManyField(Partner, verbose_name=_("partners"), blank=True, related_name="awards")
    status = models.CharField(_("status"), max_length=16, choices=AwardStatus.choices, default=AwardStatus.GRANTED)
    decision_number = models.CharField(_("decision number"), max_length=64, blank=True)
    decided_on = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date known to the"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    notes = models.TextField(_("notes"), blank=True)

    search_fields = ("name", "award_class", "awarding_organisation", "recipients", "notes")
    partial_dates = {"decided_on": "date_precision"}
    period_date = "decided_on"

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = [models.F("decided_on").desc(nulls_last=True), "name", "award_class", "pk"]

    def __str__(self) -> str:
        return f"{self.name}, {self.award_class}" if self.award_class else self.name

    def clean(self) -> None:
        super().clean()
        if self.direction == AwardDirection.RECEIVED and self.status == AwardStatus.PROPOSED:
            raise ValidationError({"status": _("Status: an award received is granted, not proposed.")})
