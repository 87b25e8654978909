"""FilterSets: one per model, serving the web list, the API and the exports alike."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from django_filters.filters import FilterMethod

from core.choices import UnitKind, UnitLevel
from core.collation import collated
from core.models import DeclaredFigure, ForeignSubdivision, Unit
from core.periods import Period
from core.scope import _predecessor_closure, _subtree
from core.text import fold


def unit_portfolio_q(unit: Unit, prefix: str = "owner__") -> Q:
    """Records of ``unit``, of every unit below it, and of its predecessors (DOMAIN.md: Đà Nẵng's
    list includes Quảng Nam's)."""
    ids = _subtree(_predecessor_closure({unit.pk}))
    return Q(**{f"{prefix}id__in": sorted(ids)}) if prefix else Q(pk__in=sorted(ids))


# The order in which units of one name are preferred when a name is typed (a filter, the figures page, the API):
# a province before a central body, an organisation, a legacy district or a commune of the same name ("Lào Cai"
# is a province and a ward).
LEVEL_PREFERENCE = {
    UnitLevel.PROVINCE: 0,
    UnitLevel.CENTRAL: 1,
    UnitLevel.ORGANISATION: 2,
    UnitLevel.DISTRICT: 3,
    UnitLevel.COMMUNE: 4,
}


def unit_label(unit: Unit) -> str:
    """A unit's name as a page writes it for people ("Tỉnh Lào Cai", "Tỉnh Quảng Nam (cũ)"), never its key."""
    name = unit.full_name or unit.name
    return _("%(name)s (legacy)") % {"name": name} if unit.ended else name


def units_named(text: str, reach=None) -> list[Unit]:
    """The units that ``text`` names (a key, a name or a full name, written with or without diacritics): those
    within ``reach`` (a ScopeSet: the user's) first, then those of the preferred level (LEVEL_PREFERENCE), current
    before legacy; several only where they tie (communes of one name in several provinces)."""
    found = Unit.objects.filter(key=text).select_related("root").first()
    if found is not None:
        return [found]
    folded = fold(text)
    if not folded:
        return []
    candidates = [
        unit
        for unit in Unit.objects.filter(search_text__contains=folded).select_related("root")[:500]
        if folded in {fold(unit.name), fold(unit.full_name), fold(unit_label(unit))}
    ]
    if not candidates:
        return []
    rank = {
        unit.pk: (reach is not None and not reach.covers(unit), LEVEL_PREFERENCE.get(unit.level, 9), unit.is_legacy)
        for unit in candidates
    }
    best = min(rank.values())
    return sorted((unit for unit in candidates if rank[unit.pk] == best), key=lambda unit: (unit.root_id, unit.key))


def find_unit(text: str) -> Unit | None:
    """The unit ``text`` names (a key, or a name written with or without diacritics), as :func:`units_named`
    prefers it: a province before a commune of the same name ("quang nam" is the legacy province, not a ward)."""
    found = units_named((text or "").strip()[:200])
    return found[0] if found else None


class _PeriodMethod(FilterMethod):
    """Hands the filter's method a :class:`~core.periods.Period`; a text that is not a period matches nothing."""

    def __call__(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        try:
            period = Period.parse(value)
        except ValidationError:
            return qs.none()
        return self.method(qs, self.f.field_name, period)


class PeriodField(forms.CharField):
    """A period as the reports write it; anything else is an error under the field that says what to write, not
    an empty list that looks like no record."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("placeholder", "2013, 2017-H1")

    def validate(self, value):
        super().validate(value)
        if value not in EMPTY_VALUES:
            Period.parse(value)


class PeriodFilter(django_filters.CharFilter):
    """A filter by a period written as the reports write it (2013, 2017-H1, 2016/2020): ``method`` (a method of
    the FilterSet) receives the parsed period."""

    field_class = PeriodField

    def __init__(self, label, method: str, **kwargs):
        kwargs.setdefault("help_text", _("A period: 2013, 2017-H1, 2016/2020"))
        super().__init__(label=label, method=method, **kwargs)
        self.filter = _PeriodMethod(self)


class YearFilter(django_filters.NumberFilter):
    """A year, from 1 to 9999 (what a date can hold): ``?year=0`` or ``?year=10000`` is a form error (an empty
    list on a page, 400 in the API), never a server error (issue 17)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 9999)
        super().__init__(*args, **kwargs)


class IdFilter(django_filters.NumberFilter):
    """A record's id: a whole number the database can hold (a larger one is a form error, not a server error)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class YesNoWidget(django_filters.widgets.BooleanWidget):
    """Any, yes or no: the empty choice filters nothing, so it says "any", not django-filter's "unknown"."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = (("", _("Any")), ("true", _("Yes")), ("false", _("No")))


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter that reads ``true``/``false`` as links and scripts write them (not only the form's
    "Any/Yes/No" values)."""

    def __init__(self, label, method: str, **kwargs):
        super().__init__(label=label, method=method, widget=YesNoWidget, **kwargs)


class RecordFilterSet(django_filters.FilterSet):
    """Shared filters: ``q`` (text without diacritics) and ``unit`` (a unit's portfolio)."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    unit = django_filters.CharFilter(label=_("Unit"), method="filter_unit", help_text=_("Key or name of a unit"))

    unit_prefix = "owner__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            small = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs.setdefault("class", small)

    @property
    def qs(self):
        """The filtered rows, names in Vietnamese alphabetical order (core.collation): the web list, the API and the
        exports read them from here."""
        if not hasattr(self, "_collated_qs"):
            self._collated_qs = collated(super().qs)
        return self._collated_qs

    def visible(self, model):
        """The rows of another model that a filter of this one may look at: those the user may see (its
        policy answers), so that a filter never tells what another province holds (issue 17)."""
        return model._default_manager.restrict(getattr(self.request, "user", None), "view")

    def filter_q(self, queryset, name, value):
        folded = fold(value)
        return queryset.filter(search_text__contains=folded) if folded else queryset

    def filter_unit(self, queryset, name, value):
        unit = find_unit(value)
        if unit is None:
            return queryset.none()
        return queryset.filter(unit_portfolio_q(unit, self.unit_prefix))


class DeclaredFigureFilterSet(RecordFilterSet):
    year = YearFilter(label=_("Year"), method="filter_year")

    class Meta:
        model = DeclaredFigure
        fields = ["indicator", "period", "qualifier"]

    def filter_year(self, queryset, name, value):
        return queryset.filter(period__startswith=str(int(value)))


class UnitFilterSet(RecordFilterSet):
    level = django_filters.ChoiceFilter(label=_("Level"), choices=UnitLevel.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=UnitKind.choices)
    include_legacy = YesNoFilter(_("Include legacy units"), "filter_legacy")
    parent = django_filters.CharFilter(label=_("Parent unit"), method="filter_parent")

    unit_prefix = ""

    class Meta:
        model = Unit
        fields = ["level", "kind"]

    def filter_legacy(self, queryset, name, value):
        return queryset

    def filter_parent(self, queryset, name, value):
        parent = find_unit(value)
        return queryset.filter(parent=parent) if parent else queryset.none()

    @property
    def qs(self):
        queryset = super().qs
        # Current units only, unless legacy units are asked for (CONTRACT: ?level=province lists 34).
        if not (self.form.is_valid() and self.form.cleaned_data.get("include_legacy")):
            queryset = queryset.filter(is_legacy=False)
        return queryset


class ForeignSubdivisionFilterSet(RecordFilterSet):
    unit = None
    country = django_filters.CharFilter(label=_("Country (ISO code)"), field_name="country__iso2", lookup_expr="iexact")

    class Meta:
        model = ForeignSubdivision
        fields = ["kind"]
