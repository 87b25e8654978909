"""Core models: Vietnamese units through time, reference data, the base classes of every registry,
the audit log, jobs and declared figures."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.choices import (
    PROVINCE_KINDS,
    AuditAction,
    JobStatus,
    Qualifier,
    SubdivisionKind,
    UnitKind,
    UnitLevel,
)
from core.policy import OwnedPolicy, ReferencePolicy, UnitPolicy, exempt
from core.scope import ScopedManager
from core.text import clean_text, fold


def bilingual(name_vi: str, name_en: str) -> str:
    """The name in the active language, falling back to the other one."""
    if (get_language() or "vi").startswith("en"):
        return name_en or name_vi
    return name_vi or name_en


def optional_link(to, verbose_name=None, *, related_name: str = "+", on_delete=models.PROTECT, **options):
    """A foreign key that may be left empty (NULL in the database, blank on forms). What it points to is
    protected from deletion unless ``on_delete`` says otherwise."""
    return models.ForeignKey(
        to, on_delete, verbose_name=verbose_name, null=True, blank=True, related_name=related_name, **options
    )


def in_order(first: str, then: str, message) -> models.CheckConstraint:
    """A constraint that the field ``then`` is not below ``first`` where both are given: a unit's end after
    its start, an agreement's entry into force after its signing, a range's upper value above its value.
    Named ``<model>_<then>_not_below_<first>``."""
    return models.CheckConstraint(
        condition=models.Q(**{f"{then}__isnull": True})
        | models.Q(**{f"{first}__isnull": True})
        | models.Q(**{f"{then}__gte": models.F(first)}),
        name=f"%(class)s_{then}_not_below_{first}",
        violation_error_message=message,
    )


def unique_live(*fields: str, message) -> models.UniqueConstraint:
    """A constraint that ``fields`` are unique among a registry's records outside the trash: a record in the
    trash does not stop a new one, and restoring it is refused while the new one lives (core.services).
    Named ``<model>_unique_<fields>``."""
    return models.UniqueConstraint(
        fields=list(fields),
        condition=models.Q(deleted_at__isnull=True),
        name=f"%(class)s_unique_{'_'.join(fields)}",
        violation_error_message=message,
    )


def _actor(label) -> models.ForeignKey:
    """The user who did something to a row; kept as empty if the account is ever removed."""
    return optional_link(settings.AUTH_USER_MODEL, label, on_delete=models.SET_NULL, editable=False)


class TrackedModel(models.Model):
    """Who made and changed a row and when, its version for optimistic locking, and a folded text
    column for search without diacritics (``search_fields`` lists what goes in it)."""

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now, editable=False)
    created_by = _actor(_("created by"))
    updated_by = _actor(_("updated by"))
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    search_text = models.TextField(editable=False, blank=True, default="")

    search_fields: ClassVar[tuple[str, ...]] = ()
    # A child row (an agreement's consultation, a partner's spelling) has no owner of its own: the
    # foreign key named here leads to the record whose owner decides its scope.
    scope_parent: ClassVar[str] = ""
    # Dates that may be known only to the month or the year, each with the field that says how far
    # (``{"signed_on": "signed_precision"}``): shown and exported as documents write them ("2013").
    partial_dates: ClassVar[dict[str, str]] = {}
    # Fields whose stored value is a code that has words elsewhere (a declared figure's indicator): how the record's
    # page shows each, ``{"indicator": function(record) -> str}``.
    shown_values: ClassVar[dict[str, Callable]] = {}
    # The field that puts the record in a reporting period: a date (a delegation's departure), or a period written
    # as core.periods reads it (a declared figure's "2017-H1"). While a report of that period is sent, the record
    # cannot be changed (issue 20, item 3; core.services.register_freeze_check). Empty: no period of its own (a
    # child row is in its parent's).
    period_date: ClassVar[str] = ""
    # Whether a status step of a record in a frozen period is refused too (a delegation's "done" changes what is
    # counted); a record whose procedure runs long after its date says False (an agreement, after its signature).
    freeze_steps: ClassVar[bool] = True

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # Normalising text is not a business rule: every stored string is NFC (DESIGN.md, "text").
        for model_field in self._meta.concrete_fields:
            if isinstance(model_field, models.CharField | models.TextField):
                value = getattr(self, model_field.attname)
                if isinstance(value, str):
                    setattr(self, model_field.attname, clean_text(value))
        self.search_text = self.build_search_text()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """``<app>:<model>`` with the primary key: the URL name every record type registers."""
        return reverse(f"{self._meta.app_label}:{self._meta.model_name}", kwargs={"pk": self.pk})

    def refusal_to_trash(self) -> str | None:
        """Why this record may not be moved to the trash whoever asks (core.services.record_delete), or None: a
        record type whose own steps keep a record (a report sent) says so here."""
        return None

    def history_key_label(self, field_name: str, key: str) -> str:
        """A key of a field of several texts (a JSON object) as the record's history names it (core.history): the
        key itself, unless the record type knows a name people read (a report's section by its title)."""
        return key

    def validate_unique(self, exclude=None):
        # A key is unique across every unit, whoever checks it: the check must see rows out of the user's scope.
        with exempt("uniqueness is checked across every unit"):
            super().validate_unique(exclude)

    def validate_constraints(self, exclude=None):
        with exempt("constraints are checked across every unit"):
            super().validate_constraints(exclude)

    def clean_fields(self, exclude=None):
        # Django checks that a foreign key's target exists in any unit; which targets a user may choose is the
        # form's and the serializer's question (their choices ask the policy).
        with exempt("a foreign key's target exists"):
            super().clean_fields(exclude)

    @classmethod
    def scope_prefix(cls) -> str | None:
        """The lookup from this model to the owning Unit (``"owner__"``), or None for reference data."""
        return f"{cls.scope_parent}__owner__" if cls.scope_parent else None

    def scope_unit(self):
        """The unit whose scope decides who may change this row; None for reference data."""
        if self.scope_parent and getattr(self, f"{self.scope_parent}_id"):
            return getattr(self, self.scope_parent).scope_unit()
        return None

    def period_span(self) -> tuple[dt.date, dt.date] | None:
        """The first and last day that put this record in a reporting period (``period_date``; a child row's are its
        parent's), or None: undated, or of no period."""
        from core.periods import Period

        if not self.period_date:
            if self.scope_parent and getattr(self, f"{self.scope_parent}_id"):
                return getattr(self, self.scope_parent).period_span()
            return None
        value = getattr(self, self.period_date)
        if isinstance(value, dt.date):
            return value, value
        try:
            period = Period.parse(value) if value else None
        except ValidationError:
            return None  # a period that cannot be read is refused by the record's own validation
        return (period.start, period.end) if period else None

    def build_search_text(self) -> str:
        parts = []
        for name in self.search_fields:
            value = getattr(self, name, "")
            if isinstance(value, list | tuple):
                parts.extend(str(item) for item in value)
            elif value:
                parts.append(str(value))
        return " ".join(fold(part) for part in parts if part)


class Unit(TrackedModel):
    """A Vietnamese unit: province (current or legacy), district (legacy), commune or ward,
    an organisation (department, agency, People's Committee, association) or a central body.

    Units have a validity period and successors (the 2025 merger, Resolution 202/2025/QH15).
    Records stay with the unit that made them; the successor's users see them (DOMAIN.md).
    ``root`` is the top of the unit's tree (its province or central body), kept for the scope gate.
    """

    key = models.CharField(
        _("key"),
        max_length=80,
        unique=True,
        validators=[
            RegexValidator(
                r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$",
                _("Use lower-case letters without diacritics, digits, hyphens and dots (da-nang.so-ngoai-vu)."),
            )
        ],
        help_text=_("Stable identifier used in the API."),
    )
    code = models.CharField(_("official code"), max_length=20, blank=True)
    name = models.CharField(_("name"), max_length=200)
    full_name = models.CharField(_("full name"), max_length=255, blank=True)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=UnitKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=UnitLevel.choices, editable=False)
    parent = optional_link("self", _("parent unit"), related_name="children")
    root = models.ForeignKey("self", null=True, blank=True, editable=False, on_delete=models.PROTECT, related_name="+")
    is_legacy = models.BooleanField(_("legacy unit"), default=False, help_text=_("Abolished or merged."))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid until"), null=True, blank=True)
    successors = models.ManyToManyField(
        "self", through="UnitSuccession", symmetrical=False, related_name="predecessors", blank=True
    )
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = ScopedManager()
    policy = UnitPolicy()
    search_fields = ("name", "full_name", "name_en", "key", "code")

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["is_legacy", "level", "name", "key"]
        constraints = [in_order("valid_from", "valid_to", _("A unit cannot end before it starts."))]
        indexes = [models.Index(fields=["level", "is_legacy"], name="unit_level_legacy_idx")]

    def __str__(self) -> str:
        # "(cũ)" tells a legacy unit from today's of the same name (Đà Nẵng, and Đà Nẵng before 1 July 2025).
        return _("%(name)s (legacy)") % {"name": self.name} if self.ended else self.name

    def save(self, *args, **kwargs):
        self.level = self.level_for(self.kind)
        self.root_id = self.parent.root_id if self.parent_id and self.parent.root_id else self.parent_id
        super().save(*args, **kwargs)
        if self.root_id is None:
            # A top-level unit is its own root; set after the first save gives it a key.
            Unit.objects.filter(pk=self.pk).update(root_id=self.pk)
            self.root_id = self.pk

    def get_absolute_url(self) -> str:
        return reverse("core:unit", kwargs={"key": self.key})

    @property
    def ended(self) -> bool:
        """No longer exists: flagged legacy, or valid only until a day now past (a unit whose end was recorded
        without the flag)."""
        return self.is_legacy or (self.valid_to is not None and self.valid_to < timezone.localdate())

    @classmethod
    def scope_prefix(cls) -> str:
        return ""

    @staticmethod
    def level_for(kind: str) -> str:
        if kind in PROVINCE_KINDS:
            return UnitLevel.PROVINCE
        if kind == UnitKind.DISTRICT:
            return UnitLevel.DISTRICT
        if kind in {UnitKind.COMMUNE, UnitKind.WARD, UnitKind.SPECIAL_ZONE}:
            return UnitLevel.COMMUNE
        if kind == UnitKind.CENTRAL_BODY:
            return UnitLevel.CENTRAL
        return UnitLevel.ORGANISATION

    def clean(self) -> None:
        super().clean()
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A unit cannot be its own parent.")})
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                raise ValidationError({"parent": _("This parent would make a loop in the unit tree.")})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class UnitSuccession(models.Model):
    """A legacy unit's successor: many-to-many, dated, with its legal basis."""

    predecessor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="succession_out")
    successor = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="succession_in")
    effective_on = models.DateField(_("effective on"))
    basis = models.CharField(_("legal basis"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit successions")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"],
                name="unit_succession_unique",
                violation_error_message=_("This succession is already recorded."),
            ),
            models.CheckConstraint(
                condition=~models.Q(predecessor=models.F("successor")),
                name="unit_succession_not_self",
                violation_error_message=_("A unit cannot succeed itself."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor}"


class BilingualModel(TrackedModel):
    """Reference data named in Vietnamese and English, read by everyone, kept in history."""

    name_en = models.CharField(_("English name"), max_length=200)
    name_vi = models.CharField(_("Vietnamese name"), max_length=200)
    history = HistoricalRecords(inherit=True, excluded_fields=["search_text"])

    objects = ScopedManager()
    policy = ReferencePolicy()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return bilingual(self.name_vi, self.name_en)


class Country(BilingualModel):
    """A country (ISO 3166-1) with its Vietnamese names (Babel, corrected to the official forms)."""

    iso2 = models.CharField(_("ISO code"), max_length=2, unique=True)
    iso3 = models.CharField(_("ISO alpha-3"), max_length=3, blank=True)
    numeric = models.CharField(_("ISO numeric"), max_length=3, blank=True)
    official_name_vi = models.CharField(_("official Vietnamese name"), max_length=255, blank=True)
    aliases = models.JSONField(_("other spellings"), default=list, blank=True)

    search_fields = ("name_vi", "name_en", "official_name_vi", "iso2", "iso3", "aliases")

    class Meta:
        verbose_name = _("country")
        verbose_name_plural = _("countries")
        ordering = ["name_vi", "iso2"]


class ForeignSubdivision(TrackedModel):
    """A place inside a foreign country, keyed by its ISO 3166-2 code; cities without one are
    curated with the code of their region and a suffix (``KR-41.YONGIN``)."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="subdivisions"
    )
    name = models.CharField(_("name"), max_length=200)
    name_vi = models.CharField(_("Vietnamese name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=24, choices=SubdivisionKind.choices, default=SubdivisionKind.OTHER)
    parent = optional_link("self", _("parent"), related_name="children")
    aliases = models.JSONField(_("other spellings"), default=list, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords(excluded_fields=["search_text"])

    objects = ScopedManager()
    policy = ReferencePolicy()
    search_fields = ("name", "name_vi", "code", "aliases")

    class Meta:
        verbose_name = _("foreign subdivision")
        verbose_name_plural = _("foreign subdivisions")
        ordering = ["country__name_vi", "name", "code"]

    def __str__(self) -> str:
        return bilingual(self.name_vi, self.name)

    def clean(self) -> None:
        super().clean()
        if self.parent_id and self.country_id and self.parent.country_id != self.country_id:
            raise ValidationError({"parent": _("The parent must be in the same country.")})


class Field(BilingualModel):
    """A field of cooperation (economy, education and training, border security...), bilingual."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    aliases = models.JSONField(_("other codes"), default=list, blank=True)

    search_fields = ("name_vi", "name_en", "code", "aliases")

    class Meta:
        verbose_name = _("field of cooperation")
        verbose_name_plural = _("fields of cooperation")
        ordering = ["name_vi", "code"]


class Currency(BilingualModel):
    """A currency (ISO 4217)."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO numeric"), max_length=3, blank=True)
    minor_units = models.PositiveSmallIntegerField(_("decimal places"), null=True, blank=True)

    search_fields = ("code", "name_vi", "name_en")

    class Meta:
        verbose_name = _("currency")
        verbose_name_plural = _("currencies")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} – {bilingual(self.name_vi, self.name_en)}"


class LiveManager(ScopedManager):
    """Rows not in the trash."""

    def get_queryset(self):
        return super().get_queryset().filter(deleted_at__isnull=True)


class RegistryModel(TrackedModel):
    """Base of every registry record: owned by a unit, versioned, kept in history, deletable to a
    trash that an editor can restore from; purge is a separate audited act (DESIGN.md)."""

    owner = models.ForeignKey(Unit, verbose_name=_("owner unit"), on_delete=models.PROTECT, related_name="+")
    deleted_at = models.DateTimeField(_("deleted at"), null=True, blank=True, editable=False, db_index=True)
    deleted_by = optional_link(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, editable=False)
    history = HistoricalRecords(inherit=True, excluded_fields=["search_text"])

    objects = LiveManager()
    all_objects = ScopedManager()
    policy = OwnedPolicy()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @classmethod
    def scope_prefix(cls) -> str:
        return "owner__"

    def scope_unit(self) -> Unit | None:
        """The unit whose scope decides who may change this row (``scope_prefix`` names the same path)."""
        return self.owner if self.owner_id else None


class ChildModel(TrackedModel):
    """Base of a row that belongs to one parent record and is edited with it (a partner's spelling, an
    agreement's implementation plan): in the parent's scope (``scope_parent``), kept in history, deleted
    with its parent rather than to a trash of its own."""

    history = HistoricalRecords(inherit=True, excluded_fields=["search_text"])

    objects = ScopedManager()
    policy = OwnedPolicy()

    class Meta:
        abstract = True

    def get_absolute_url(self) -> str:
        """The parent's page, where the row is shown and edited."""
        return getattr(self, self.scope_parent).get_absolute_url()


class DeclaredFigure(RegistryModel):
    """A figure as a document states it, for a unit and period: the only source for periods
    before the product existed (the 2012 totals the 2013 summary compares with). Where a
    computed value exists too, the computed one wins and the difference is shown."""

    shown_values = {"indicator": lambda figure: figure.indicator_label()}
    # A report of a period states the figures declared for it (core.indicators).
    period_date = "period"

    indicator = models.CharField(_("indicator"), max_length=64, db_index=True)
    period = models.CharField(_("period"), max_length=16, db_index=True, help_text=_("2013, 2017-H1 or 2016/2020"))
    value = models.DecimalField(_("value"), max_digits=24, decimal_places=4)
    value_max = models.DecimalField(_("upper value"), max_digits=24, decimal_places=4, null=True, blank=True)
    qualifier = models.CharField(_("qualifier"), max_length=16, choices=Qualifier.choices, default=Qualifier.EXACT)
    # Money is kept in the currency the document states it in ("200 triệu kíp" is 200,000,000 LAK), never
    # converted: an indicator in one currency takes only that currency (core.indicators).
    currency = models.CharField(
        _("currency"), max_length=3, blank=True, help_text=_("ISO 4217 code when the figure is money: VND, USD, LAK.")
    )
    source_document = models.CharField(_("source document"), max_length=255)
    source_date = models.DateField(_("date of the source"), null=True, blank=True)
    quote = models.TextField(_("quote"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    search_fields = ("indicator", "period", "source_document", "quote", "notes")

    class Meta:
        verbose_name = _("declared figure")
        verbose_name_plural = _("declared figures")
        # The unique constraint makes this order total; units in their own order.
        ordering = ["-period", "indicator", "owner", "source_document"]
        constraints = [
            # A document may state one figure twice, in other words ("khoảng 200 tỷ đồng", later "gần 200 tỷ
            # đồng"): each wording is held; the same wording twice is one statement.
            unique_live(
                "owner",
                "indicator",
                "period",
                "source_document",
                "qualifier",
                "value",
                message=_("This document already declares this figure for this unit and period."),
            ),
            in_order("value", "value_max", _("The upper value must not be below the value.")),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_label()} {self.period}: {self.value_display()}"

    def indicator_label(self) -> str:
        from core.indicators import catalogue

        indicator = catalogue().get(self.indicator)
        return str(indicator.label) if indicator else self.indicator

    def other_sources(self, user):
        """The same figure (unit, indicator, period) as stated by other documents, that ``user`` may see."""
        return (
            DeclaredFigure.objects.restrict(user)
            .filter(owner=self.owner_id, indicator=self.indicator, period=self.period)
            .exclude(pk=self.pk)
        )

    def value_display(self) -> str:
        """``khoảng 57.800.000 USD``, ``10.000.000.000–20.000.000.000 VND``: the qualifier, the value grouped as
        Vietnamese writes numbers, and the currency."""
        from django.utils.formats import number_format

        def shown(number) -> str:
            return number_format(number.normalize(), force_grouping=True) if number is not None else ""

        value = shown(self.value)
        if self.qualifier == Qualifier.RANGE and self.value_max is not None:
            value = f"{value}–{shown(self.value_max)}"
        elif self.qualifier != Qualifier.EXACT:
            value = f"{self.get_qualifier_display()} {value}"
        return f"{value} {self.currency}" if self.currency else value

    def clean(self) -> None:
        from core.indicators import catalogue
        from core.periods import Period

        super().clean()
        errors = {}
        if self.indicator and self.indicator not in catalogue():
            errors["indicator"] = _("Unknown indicator “%(code)s”.") % {"code": self.indicator}
        if self.period:
            try:
                self.period = Period.parse(self.period).label
            except ValidationError as exc:
                errors["period"] = exc.messages
        indicator = catalogue().get(self.indicator)
        if indicator is not None:
            self.currency = (self.currency or indicator.currency).upper()
            if indicator.currency and self.currency != indicator.currency:
                errors["currency"] = _("This indicator is counted in %(currency)s.") % {"currency": indicator.currency}
            elif indicator.money and not self.currency:
                errors["currency"] = _("Give the currency the document states this amount in.")
            elif not indicator.money and self.currency:
                errors["currency"] = _("This indicator is not money: leave the currency empty.")
        if self.qualifier == Qualifier.RANGE and self.value_max is None:
            errors["value_max"] = _("A range needs an upper value.")
        if self.qualifier != Qualifier.RANGE and self.value_max is not None:
            errors["value_max"] = _("Only a range has an upper value.")
        if errors:
            raise ValidationError(errors)


class AuditEntry(models.Model):
    """An append-only log of logins, failed logins, permission denials, exports, views of personal
    data and every service verb. Each entry carries the hash of the one before: ``verify_audit``
    recomputes the chain and names the first broken link."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    username = models.CharField(_("user"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=24, choices=AuditAction.choices, db_index=True)
    verb = models.CharField(_("verb"), max_length=80, blank=True)
    model = models.CharField(_("record type"), max_length=80, blank=True)
    object_pk = models.CharField(_("record"), max_length=64, blank=True)
    object_repr = models.CharField(_("description"), max_length=255, blank=True)
    unit = models.ForeignKey(
        Unit, null=True, blank=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False, unique=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-id"]
        indexes = [models.Index(fields=["model", "object_pk"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.model} {self.object_pk}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Audit entries cannot be changed."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Audit entries cannot be deleted."))

    def payload(self) -> str:
        """The canonical text the hash covers."""
        return json.dumps(
            {
                "at": self.at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
                "user": self.user_id,
                "username": self.username,
                "action": self.action,
                "verb": self.verb,
                "model": self.model,
                "object_pk": self.object_pk,
                "object_repr": self.object_repr,
                "unit": self.unit_id,
                "ip": self.ip,
                "detail": self.detail,
                "prev": self.prev_hash,
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
            default=str,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.payload().encode()).hexdigest()


class Job(models.Model):
    """Long work (imports, report generation, aggregation, synthetic data). The row is the truth;
    Celery only runs it (eagerly by default)."""

    kind = models.CharField(_("kind"), max_length=64)
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveIntegerField(_("done"), default=0)
    total = models.PositiveIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=500, blank=True)
    params = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    result_file = models.FileField(_("result"), upload_to="jobs/%Y/%m/", blank=True)
    result_name = models.CharField(max_length=255, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("job")
        verbose_name_plural = _("jobs")
        # Newest first: the key grows with creation and is indexed, unlike created_at.
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("core:job", kwargs={"pk": self.pk})

    @property
    def title(self) -> str:
        """What the job makes, as its page is titled (core.jobs.job_title), never only its number."""
        from core.jobs import job_title

        return job_title(self)

    @property
    def source(self):
        """The record the job was made from, which its page links back to (core.jobs.job_source), or None."""
        from core.jobs import job_source

        return job_source(self)

    @property
    def percent(self) -> int:
        if self.status == JobStatus.DONE:
            return 100
        return min(100, int(self.progress * 100 / self.total)) if self.total else 0

    @property
    def finished(self) -> bool:
        return self.status in {JobStatus.DONE, JobStatus.FAILED}


class IdempotencyKey(models.Model):
    """A user's ``Idempotency-Key`` for an API create (core.api.idempotency).

    The row is inserted *before* the request runs, pending (no ``status_code``): the unique constraint on
    (user, key) lets exactly one of several concurrent requests hold the key. When that request succeeds its
    answer is stored here and replayed to every later request with the same key, address and body.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    path = models.CharField(max_length=500)
    # SHA-256 of the request body in canonical form; empty on keys stored before fingerprints were kept.
    fingerprint = models.CharField(max_length=64, blank=True, default="")
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    body = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique")]

    def __str__(self) -> str:
        return self.key

    @property
    def pending(self) -> bool:
        """Reserved by a request that has not answered yet."""
        return self.status_code is None
