"""The pages of partners beyond the generic ones: a partner's page, a relationship's page, a unit's portfolio.

Every list on these pages goes through the scope gate (``restrict``) and is read with a fixed number of
queries, whatever the number of rows (issue 3, item 5 "Pages").
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django import forms
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404
from django.templatetags.static import static
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from core.collation import collated, sort_key
from core.filtersets import unit_portfolio_q
from core.models import Country, Unit, bilingual
from core.scope import _predecessor_closure, _subtree
from partners.choices import RelationshipStatus
from partners.forms import StatusChangeForm
from partners.models import Contact, Interaction, Partner, Relationship, RelationshipStatusChange

WORLD_ATLAS = "vendor/world-atlas/countries-110m.json"


@dataclass
class TimelineEntry:
    """One dated line of a timeline: a status step or an interaction of a relationship."""

    on: dt.date | None
    precision: str
    kind: str  # "status" or "interaction"
    title: str
    text: str
    relationship: Relationship
    url: str = ""
    source: str = ""

    @property
    def sort_key(self) -> tuple:
        # Newest first; undated interactions go to the end. A status step comes after an interaction of
        # the same day in reading order (newest first), since the step usually records its outcome.
        return (self.on is not None, self.on or dt.date.min, self.kind == "status")


def country_names() -> dict[str, str]:
    """Every country's name in the active language (Vietnamese by default), keyed by its ISO numeric
    code as world-atlas writes it (three digits, zero-padded)."""
    return {
        numeric.zfill(3): bilingual(name_vi, name_en)
        for numeric, name_vi, name_en in Country.objects.exclude(numeric="").values_list(
            "numeric", "name_vi", "name_en"
        )
    }


def relationship_timeline(relationships, user) -> list[TimelineEntry]:
    """The status steps and interactions of ``relationships`` (already restricted for ``user``) as one
    list, newest first. Two queries, whatever the number of relationships and entries."""
    by_pk = {relationship.pk: relationship for relationship in relationships}

    def entry(row, kind: str, title: str, text: str, url: str = "") -> TimelineEntry:
        relationship = by_pk[row.relationship_id]
        return TimelineEntry(row.on, row.precision, kind, title, text, relationship, url, row.source)

    steps = RelationshipStatusChange.objects.restrict(user).filter(relationship_id__in=list(by_pk)).order_by("on", "pk")
    entries = [entry(step, "status", step.get_status_display(), step.note) for step in steps]
    interactions = Interaction.objects.restrict(user).filter(relationship_id__in=list(by_pk)).order_by("on", "pk")
    entries += [
        entry(row, "interaction", row.get_kind_display(), row.summary, row.get_absolute_url()) for row in interactions
    ]
    entries.sort(key=lambda entry: entry.sort_key, reverse=True)
    return entries


def _contacts(partner: Partner, request) -> list[dict]:
    """The partner's contacts the user may see, with their personal data masked for those who may not see
    it (Decree 13/2023/NĐ-CP); an unmasked view is written to the audit log, once for the page."""
    contacts = list(Contact.objects.restrict(request.user).filter(partner=partner).select_related("owner"))
    policy = Contact.policy
    policy.audit_personal_views(request.user, contacts, request=request, surface="partner page")
    return [
        {
            "contact": contact,
            **{
                name: policy.shown(request.user, contact, name, getattr(contact, name))
                for name in policy.personal_fields
            },
            "masked": bool(policy.masked_fields(request.user, contact)),
        }
        for contact in contacts
    ]


def _partner_map(partner: Partner) -> dict:
    country = partner.country
    point = None
    if partner.latitude is not None and partner.longitude is not None:
        point = {"name": str(partner), "lat": float(partner.latitude), "lon": float(partner.longitude)}
    return {
        "country": country.numeric.zfill(3) if country and country.numeric else "",
        "countryName": str(country) if country else "",
        "point": point,
        "names": country_names(),
    }


def partner_detail_context(record: Partner, request) -> dict:
    """A partner's page: profile, names and spellings, contacts (masked for those who may not see them),
    every unit's relationship with it that the user may see, one timeline of those relationships, and
    its place on a world map."""
    partner = Partner.all_objects.select_related("country", "subdivision", "parent", "owner", "merged_into").get(
        pk=record.pk
    )
    contacts = _contacts(partner, request)
    relationships = list(
        collated(
            Relationship.objects.restrict(request.user)
            .filter(partner=partner)
            .select_related("owner", "lead_organisation")
            .order_by("owner__name", "kind")
        )
    )
    return {
        "partner": partner,
        "partner_fields": list(partner.fields.all()),
        "children": list(partner.children.filter(deleted_at__isnull=True).select_related("country")),
        "aliases": list(partner.aliases.all()),
        "contacts": contacts,
        "contacts_masked": any(row["masked"] for row in contacts),
        "relationships": relationships,
        "timeline": relationship_timeline(relationships, request.user),
        "map_data": _partner_map(partner),
        "atlas_url": static(WORLD_ATLAS),
    }


def relationship_detail_context(record: Relationship, request) -> dict:
    """A relationship's page: its status history (dated steps), its interactions, and the form for the
    next status step (the template shows it only to those who may change the relationship)."""
    relationship = (
        Relationship.objects.restrict(request.user)
        .select_related("partner__country", "owner", "lead_organisation")
        .get(pk=record.pk)
    )
    steps = list(relationship.status_history.order_by("-on", "-pk"))
    interactions = list(
        Interaction.objects.restrict(request.user).filter(relationship=relationship).order_by("-on", "-pk")
    )
    latest = steps[0] if steps else None
    return {
        "relationship": relationship,
        "relationship_fields": list(relationship.fields.all()),
        "steps": steps,
        "interactions": interactions,
        "status_form": StatusChangeForm(initial={"status": relationship.status}),
        "latest_step": latest,
    }


class PortfolioFilterForm(forms.Form):
    """The portfolio's filters: a year (a status step in it) and a status."""

    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=1945, max_value=2100)
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("All statuses")), *RelationshipStatus.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].widget.attrs.update({"class": "form-control form-control-sm portfolio-year"})
        self.fields["status"].widget.attrs.update({"class": "form-select form-select-sm"})


@dataclass
class PortfolioRow:
    """A relationship in a unit's portfolio, with where it comes from."""

    relationship: Relationship
    inherited_from: Unit | None  # the predecessor unit it comes from, if any
    held_below: bool  # held by a unit below this one (a department, a commune)


def _origin(owner: Unit, predecessors: set[int]) -> Unit:
    """The predecessor unit a record comes from: its owner, or the owner's parent or province when the
    owner lies below a predecessor (a legacy district of legacy Quảng Nam)."""
    for candidate in (owner, owner.parent, owner.root):
        if candidate is not None and candidate.pk in predecessors:
            return candidate
    return owner


class PortfolioView(LoginRequiredMixin, TemplateView):
    """A unit's portfolio of foreign partners: its relationships and those of the units below it and of
    its predecessors (Đà Nẵng's includes legacy Quảng Nam's, marked inherited), grouped by status, with a
    world map by country, a chart by field of cooperation and one by status. Filters: year and status."""

    template_name = "partners/portfolio.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        unit = get_object_or_404(Unit.objects.restrict(user).select_related("parent"), key=self.kwargs["key"])
        own = _subtree({unit.pk})
        predecessors = _predecessor_closure({unit.pk}) - {unit.pk}
        queryset = collated(
            Relationship.objects.restrict(user)
            .filter(unit_portfolio_q(unit))
            .select_related("partner__country", "owner__parent", "owner__root")
            .prefetch_related("fields")
            .order_by("partner__name_vi", "partner__name_en", "owner__name")
        )
        form = PortfolioFilterForm(self.request.GET or None)
        filtered = bool(self.request.GET) and form.is_valid() and any(form.cleaned_data.values())
        if form.is_bound and form.is_valid():
            if form.cleaned_data.get("year"):
                years = RelationshipStatusChange.objects.restrict(self.request.user).filter(
                    on__year=form.cleaned_data["year"]
                )
                queryset = queryset.filter(pk__in=years.values("relationship_id"))
            if form.cleaned_data.get("status"):
                queryset = queryset.filter(status=form.cleaned_data["status"])
        elif form.is_bound:
            queryset = queryset.none()
        summary = []
        if filtered and form.cleaned_data.get("year"):
            summary.append(_("year %(year)s") % {"year": form.cleaned_data["year"]})
        if filtered and form.cleaned_data.get("status"):
            summary.append(_("status %(status)s") % {"status": RelationshipStatus(form.cleaned_data["status"]).label})
        rows = [
            PortfolioRow(
                relationship=relationship,
                inherited_from=None if relationship.owner_id in own else _origin(relationship.owner, predecessors),
                held_below=relationship.owner_id in own and relationship.owner_id != unit.pk,
            )
            for relationship in queryset
        ]
        context.update(
            unit=unit,
            form=form,
            filtered=filtered,
            filter_summary=" · ".join(str(part) for part in summary),
            rows=rows,
            groups=self.groups(rows),
            predecessors=list(collated(unit.succession_in.select_related("predecessor").order_by("predecessor__name"))),
            partner_count=len({row.relationship.partner_id for row in rows}),
            country_count=len({row.relationship.partner.country_id for row in rows} - {None}),
            inherited_count=sum(1 for row in rows if row.inherited_from),
            chart_data=self.chart_data(rows) if rows else None,
            atlas_url=static(WORLD_ATLAS),
        )
        return context

    @staticmethod
    def groups(rows: list[PortfolioRow]) -> list[tuple[str, str, list[PortfolioRow]]]:
        """The rows grouped by status, in the order a relationship moves through them: (status, label, rows)."""
        grouped: dict[str, list[PortfolioRow]] = {}
        for row in rows:
            grouped.setdefault(row.relationship.status, []).append(row)
        return [(value, label, grouped[value]) for value, label in RelationshipStatus.choices if value in grouped]

    @staticmethod
    def chart_data(rows: list[PortfolioRow]) -> dict:
        """What the page's charts draw (passed with ``json_script``): partners per country keyed by ISO
        numeric code, relationships per field of cooperation and per status."""
        partners_by_country: dict[str, set[int]] = {}
        for row in rows:
            country = row.relationship.partner.country
            if country is not None and country.numeric:
                partners_by_country.setdefault(country.numeric.zfill(3), set()).add(row.relationship.partner_id)
        fields = Counter(str(field) for row in rows for field in row.relationship.fields.all())
        statuses = Counter(row.relationship.status for row in rows)
        return {
            "countries": [
                {"name": numeric, "value": len(partners)} for numeric, partners in sorted(partners_by_country.items())
            ],
            "names": country_names(),
            "fields": sorted(fields.items(), key=lambda item: (-item[1], sort_key(item[0]))),
            "statuses": [
                {"name": str(label), "value": statuses[value], "status": value}
                for value, label in RelationshipStatus.choices
                if statuses[value]
            ],
            "labels": {
                "partners": _("partners"),
                "relationships": _("relationships"),
                "noData": _("no partner"),
                "none": _("No field recorded"),
            },
        }
