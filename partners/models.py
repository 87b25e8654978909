"""Foreign partners, their names, contacts, and their relationships with Vietnamese units.

A partner is one foreign locality or organisation, shared by every Vietnamese unit that works with it
(one Yongin, many relationships): every signed-in user with a role reads it, and it is changed within
the scope of the unit that keeps it (its owner). Relationships, their interactions and contacts belong
to the Vietnamese unit that holds them, through the ordinary scope gate (core.scope).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from unidecode import unidecode

from core.choices import DatePrecision
from core.models import (
    ChildModel,
    Country,
    Field,
    ForeignSubdivision,
    RegistryModel,
    Unit,
    bilingual,
    optional_link,
    unique_live,
)
from core.periods import partial_date
from core.policy import OwnedPolicy, SharedCataloguePolicy
from core.text import fold
from partners.choices import (
    AliasLanguage,
    InteractionKind,
    LocalityLevel,
    PartnerKind,
    RelationshipKind,
    RelationshipStatus,
)

# Partners that need no country: bodies above states, and unnamed groups ("foreign NGOs in the province").
COUNTRYLESS_KINDS = frozenset({PartnerKind.INTERNATIONAL_ORGANISATION})


def _coordinate(label, limit: int) -> models.DecimalField:
    """A latitude or longitude in decimal degrees, within ±``limit``; about 10 cm at six decimal places."""
    validators = [MinValueValidator(-limit), MaxValueValidator(limit)]
    return models.DecimalField(label, max_digits=9, decimal_places=6, null=True, blank=True, validators=validators)


class Partner(RegistryModel):
    """A foreign locality (a province, state, prefecture or region, a city, a district) or a foreign
    organisation, with its names in three languages, the spellings met in documents (aliases), its place
    among its country's subdivisions, and what it is strong in."""

    key = models.SlugField(
        _("key"),
        max_length=80,
        unique=True,
        blank=True,
        help_text=_("Stable identifier used in imports and the API; made from the name when left empty."),
    )
    kind = models.CharField(_("kind"), max_length=32, choices=PartnerKind.choices, default=PartnerKind.LOCALITY)
    level = models.CharField(
        _("level"), max_length=16, choices=LocalityLevel.choices, blank=True, help_text=_("For foreign localities.")
    )
    is_group = models.BooleanField(
        _("unnamed group"),
        default=False,
        help_text=_("Several partners that the documents name together (“foreign NGOs in the province”)."),
    )
    name_vi = models.CharField(_("Vietnamese name"), max_length=255, blank=True)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    name_original = models.CharField(_("official name in the original language"), max_length=255, blank=True)
    country = optional_link(Country, _("country"), related_name="partners")
    subdivision = optional_link(ForeignSubdivision, _("subdivision (ISO 3166-2)"), related_name="partners")
    parent = optional_link(
        "self",
        _("part of"),
        related_name="children",
        help_text=_("The partner this one lies in or belongs to (Yongin in Gyeonggi)."),
    )
    fields = models.ManyToManyField(Field, verbose_name=_("fields of interest"), blank=True, related_name="+")
    strengths = models.TextField(_("strengths"), blank=True)
    population = models.PositiveBigIntegerField(_("population"), null=True, blank=True)
    area_km2 = models.DecimalField(
        _("area (km²)"), max_digits=12, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    website = models.URLField(_("website"), blank=True)
    latitude = _coordinate(_("latitude"), 90)
    longitude = _coordinate(_("longitude"), 180)
    notes = models.TextField(_("notes"), blank=True)
    merged_into = optional_link(
        "self", _("merged into"), related_name="merged_from", on_delete=models.SET_NULL, editable=False
    )

    # Partners are shared: one catalogue that every unit's relationships point at (issue 3).
    policy = SharedCataloguePolicy()
    search_fields = ("name_vi", "name_en", "name_original", "key")

    class Meta:
        verbose_name = _("foreign partner")
        verbose_name_plural = _("foreign partners")
        ordering = ["name_vi", "name_en", "key"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(name_vi="", name_en="", name_original=""),
                name="partner_has_a_name",
                violation_error_message=_("Give the partner at least one name."),
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")),
                name="partner_not_its_own_parent",
                violation_error_message=_("A partner cannot be part of itself."),
            ),
        ]
        indexes = [models.Index(fields=["kind", "level"], name="partner_kind_level_idx")]

    def __str__(self) -> str:
        return bilingual(self.name_vi, self.name_en) or self.name_original

    def build_search_text(self) -> str:
        text = super().build_search_text()
        if self.pk:
            # Every spelling met in documents finds the partner in the global search too.
            aliases = " ".join(fold(name) for name in self.aliases.values_list("name", flat=True))
            text = f"{text} {aliases}".strip()
        return text

    def names(self) -> list[str]:
        """The partner's own names, without repeats."""
        seen, names = set(), []
        for name in (self.name_vi, self.name_en, self.name_original):
            if name and fold(name) not in seen:
                seen.add(fold(name))
                names.append(name)
        return names

    def clean(self) -> None:
        super().clean()
        errors: dict[str, str] = {}
        if self.country_id is None and self.kind not in COUNTRYLESS_KINDS and not self.is_group:
            errors["country"] = _(
                "Choose the partner's country (only international organisations and unnamed groups have none)."
            )
        if self.subdivision_id and self.country_id and self.subdivision.country_id != self.country_id:
            errors["subdivision"] = _("This subdivision lies in %(other)s, not in %(country)s.") % {
                "other": self.subdivision.country,
                "country": self.country,
            }
        if self.kind == PartnerKind.LOCALITY and not self.level and not self.is_group:
            errors["level"] = _("Give the level of a foreign locality (province, city, district or other).")
        if self.kind != PartnerKind.LOCALITY and self.level:
            errors["level"] = _("Only a foreign locality has a level.")
        if self.parent_id:
            errors.update(self._parent_errors())
        if not self.key:
            self.key = unique_partner_key(self)
        if errors:
            raise ValidationError(errors)

    def _parent_errors(self) -> dict[str, str]:
        if self.pk and self.parent_id == self.pk:
            return {"parent": _("A partner cannot be part of itself.")}
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk and ancestor.pk == self.pk:
                return {"parent": _("This would make a partner part of itself through others.")}
            seen.add(ancestor.pk)
            ancestor = ancestor.parent
        if self.country_id and self.parent.country_id and self.parent.country_id != self.country_id:
            return {"parent": _("The partner it belongs to must be in the same country.")}
        return {}


def unique_partner_key(partner: Partner) -> str:
    """A readable key from the country and the name (``kr-yongin-city``), made unique with a number."""
    name = partner.name_en or partner.name_original or partner.name_vi
    base = slugify(f"{partner.country.iso2 if partner.country_id else 'int'} {fold_for_key(name)}")[:72] or "partner"
    key, number = base, 2
    while Partner.all_objects.filter(key=key).exclude(pk=partner.pk).exists():
        key, number = f"{base}-{number}", number + 1
    return key


def fold_for_key(name: str) -> str:
    return unidecode(name or "").lower()


class PartnerAlias(ChildModel):
    """A spelling of a partner's name met in a document ("Sê Koong", "Chăm pa sắc", "Stenzendre"), with
    where it came from. One spelling belongs to one partner: two partners cannot share it."""

    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("spelling"), max_length=255)
    folded = models.CharField(max_length=255, editable=False, db_index=True)
    language = models.CharField(
        _("language"), max_length=16, choices=AliasLanguage.choices, default=AliasLanguage.VIETNAMESE
    )
    source = models.CharField(_("where it was met"), max_length=255, blank=True)
    scope_parent = "partner"
    policy = SharedCataloguePolicy()
    search_fields = ("name", "source")

    class Meta:
        verbose_name = _("partner alias")
        verbose_name_plural = _("partner aliases")
        # By the folded spelling: "Đà" files under "da", not after "z"; the unique constraint makes it total.
        ordering = ["partner", "folded"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "folded"],
                name="partner_alias_unique",
                violation_error_message=_("The partner already has this spelling."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.folded = fold(self.name)[:255]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        self.folded = fold(self.name)[:255]
        if not self.folded:
            raise ValidationError({"name": _("A spelling needs at least one letter or digit.")})
        other = spelling_owner(self.name, exclude_partner=self.partner_id)
        if other is not None:
            raise ValidationError(
                {
                    "name": _("“%(name)s” already belongs to another partner: %(other)s.")
                    % {
                        "name": self.name,
                        "other": other,
                    }
                }
            )


def spelling_owner(name: str, *, exclude_partner: int | None = None) -> Partner | None:
    """The live partner (other than ``exclude_partner``) that already has ``name`` as an alias."""
    folded = fold(name)[:255]
    if not folded:
        return None
    alias = (
        PartnerAlias.objects.filter(folded=folded, partner__deleted_at__isnull=True)
        .exclude(partner_id=exclude_partner)
        .select_related("partner")
        .first()
    )
    return alias.partner if alias else None


class Relationship(RegistryModel):
    """A relationship between a Vietnamese unit (its owner: a province, legacy province, commune, legacy
    district or department) and a foreign partner. Its status has a dated history
    (:class:`RelationshipStatusChange`); ``status`` and ``status_since`` repeat the latest entry so that
    lists filter and sort by it, and only the services write them."""

    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="relationships"
    )
    kind = models.CharField(
        _("kind"), max_length=32, choices=RelationshipKind.choices, default=RelationshipKind.COOPERATION
    )
    status = models.CharField(
        _("status"), max_length=24, choices=RelationshipStatus.choices, default=RelationshipStatus.EXPLORING
    )
    status_since = models.DateField(_("status since"), null=True, blank=True)
    fields = models.ManyToManyField(Field, verbose_name=_("fields of cooperation"), blank=True, related_name="+")
    lead_organisation = optional_link(Unit, _("lead organisation"))
    notes = models.TextField(_("notes"), blank=True)

    search_fields = ("notes",)

    class Meta:
        verbose_name = _("relationship")
        verbose_name_plural = _("relationships")
        # By unit (in the units' order) and partner; the unique constraint makes the order total.
        ordering = ["owner", "partner", "kind"]
        constraints = [
            unique_live(
                "owner",
                "partner",
                "kind",
                message=_("This unit already has a relationship of this kind with this partner."),
            ),
        ]
        indexes = [models.Index(fields=["status"], name="relationship_status_idx")]

    def __str__(self) -> str:
        return f"{self.owner} – {self.partner}"

    def build_search_text(self) -> str:
        # The partner's and the unit's names find the relationship ("yongin", "quang nam").
        parts = [super().build_search_text()]
        if self.partner_id:
            parts.append(self.partner.search_text or fold(str(self.partner)))
        if self.owner_id:
            parts.append(fold(self.owner.name))
        return " ".join(part for part in parts if part)

    def clean(self) -> None:
        super().clean()
        if self.partner_id and self.partner.deleted_at is not None:
            raise ValidationError({"partner": _("This partner is in the trash.")})


class RelationshipStatusChange(ChildModel):
    """One dated step of a relationship's status (goodwill exchanged in 2017, dormant from 2004...)."""

    relationship = models.ForeignKey(
        Relationship, verbose_name=_("relationship"), on_delete=models.CASCADE, related_name="status_history"
    )
    status = models.CharField(_("status"), max_length=24, choices=RelationshipStatus.choices)
    on = models.DateField(_("from"))
    precision = models.CharField(
        _("date known to the"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    note = models.TextField(_("note"), blank=True)
    source = models.CharField(_("source"), max_length=255, blank=True)
    scope_parent = "relationship"
    partial_dates = {"on": "precision"}

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["relationship", "on", "pk"]

    def __str__(self) -> str:
        return _("%(status)s from %(date)s") % {
            "status": self.get_status_display(),
            "date": partial_date(self.on, self.precision),
        }


class Interaction(RegistryModel):
    """One event in a relationship's timeline: a letter, a visit either way, a meeting, a proposal, a
    signing, aid. Owned by the relationship's Vietnamese unit."""

    relationship = models.ForeignKey(
        Relationship, verbose_name=_("relationship"), on_delete=models.PROTECT, related_name="interactions"
    )
    on = models.DateField(_("date"), null=True, blank=True)
    precision = models.CharField(
        _("date known to the"), max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    kind = models.CharField(_("kind"), max_length=32, choices=InteractionKind.choices)
    summary = models.TextField(_("summary"))
    people = models.TextField(_("people"), blank=True)
    # A visit or a meeting often ends with working minutes (biên bản làm việc) that record what the two sides
    # agreed to pursue. They are not an international agreement (Law 70/2020/QH14, Art. 2: no rights or
    # obligations), so they are kept here, on the visit, and the annual agreements report mentions them apart
    # from the agreements signed (agreements.report).
    working_minutes = models.BooleanField(_("working minutes drawn up"), default=False)
    outcome = models.TextField(
        _("outcome"),
        blank=True,
        help_text=_(
            "What the two sides agreed or achieved, as the report should say it, e.g. "
            '"ghi nhận ý kiến thống nhất thúc đẩy quan hệ hợp tác giữa hai tỉnh".'
        ),
    )
    source = models.CharField(_("source"), max_length=255, blank=True)
    attachment = models.FileField(_("attachment"), upload_to="partners/interactions/%Y/", blank=True)

    search_fields = ("summary", "people", "outcome", "source")
    partial_dates = {"on": "precision"}

    class Meta:
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        # Newest first and undated last, on PostgreSQL and SQLite alike.
        ordering = [models.F("on").desc(nulls_last=True), "-pk"]

    def __str__(self) -> str:
        return f"{partial_date(self.on, self.precision)} · {self.get_kind_display()}"

    def build_search_text(self) -> str:
        text = super().build_search_text()
        if self.relationship_id:
            text = f"{text} {self.relationship.partner.search_text}".strip()
        return text

    def clean(self) -> None:
        # The timeline belongs to the relationship's unit: scope follows it.
        if self.relationship_id:
            self.owner_id = self.relationship.owner_id
        super().clean()


class Contact(RegistryModel):
    """A contact point (đầu mối liên lạc) at a partner. Personal data: its email, telephone and notes are
    shown only to those who change the owner unit's records or may see personal data, and masked in
    every list and export for the others (Decree 13/2023/NĐ-CP on personal data protection)."""

    partner = models.ForeignKey(Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="contacts")
    person_name = models.CharField(_("person"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    organisation = models.CharField(_("organisation"), max_length=255, blank=True)
    language = models.CharField(_("language"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("telephone"), max_length=50, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    policy = OwnedPolicy(personal_fields=("email", "phone", "notes"))
    search_fields = ("person_name", "position", "organisation")

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["partner", "person_name", "pk"]

    def __str__(self) -> str:
        return f"{self.person_name} ({self.partner})" if self.partner_id else self.person_name
