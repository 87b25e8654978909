"""The catalogue of figures that reports quote, and how a value is found for a unit and period.

Each indicator has a code (fixed by CONTRACT.md), a bilingual label and a unit of measure. Its
value is *computed* from the registries by a function the owning app registers with
:func:`register_computation`, or *declared*: typed from a source document (DeclaredFigure),
the only source for periods before the product existed. Where both exist the computed value wins
and the difference is shown (issue 2, "Figures").
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from core.periods import Period


@dataclass(frozen=True)
class Computed:
    """What a computation returns: the value and a link to the records behind it."""

    value: Decimal | int
    records_url: str = ""
    # The same value split by a dimension: {"by_country": {"Hàn Quốc": 3, ...}, "by_field": {...}}.
    breakdown: dict[str, dict[str, int]] = field(default_factory=dict)


@dataclass
class Indicator:
    code: str
    label: Promise
    measure: Promise
    computation: Callable[..., Computed] | None = field(default=None, repr=False)
    app: str = ""
    # Money: ``currency`` when the indicator is counted in one currency (its code says it: ``_vnd``, ``_usd``);
    # ``money`` alone when each figure keeps the currency its document states (gifts received in kíp).
    currency: str = ""
    money: bool = False
    # The registry may hold only part of a past period's records (the delegations a report names among the 164 it
    # counts): a declared figure above the computed value is then answered, the computed value shown beside it.
    partial: bool = False

    def __post_init__(self):
        self.money = self.money or bool(self.currency)


_CATALOGUE: dict[str, Indicator] = {
    item.code: item
    for item in [
        Indicator("outgoing_delegations", _("Outgoing delegations"), _("delegations")),
        Indicator("outgoing_person_trips", _("Outgoing person-trips"), _("person-trips")),
        Indicator("incoming_delegations", _("Incoming delegations"), _("delegations")),
        Indicator("incoming_visitors", _("Incoming visitors"), _("person-trips")),
        # How the outgoing delegations were paid for and planned (issue 19, item 7), as the annual summaries split them.
        Indicator(
            "outgoing_state_funded_delegations", _("Outgoing delegations funded by the state budget"), _("delegations")
        ),
        Indicator("outgoing_planned_delegations", _("Outgoing delegations in the annual plan"), _("delegations")),
        Indicator("outgoing_arising_delegations", _("Outgoing delegations arising during the year"), _("delegations")),
        Indicator("international_conferences", _("International conferences and workshops"), _("count")),
        Indicator("foreign_press_groups", _("Foreign press groups"), _("count")),
        Indicator("foreign_reporters", _("Foreign reporters"), _("reporters")),
        Indicator("agreements_signed", _("International agreements signed"), _("agreements")),
        Indicator("agreements_in_force", _("International agreements in force"), _("agreements")),
        Indicator("relationships_established", _("Relationships established"), _("relationships")),
        Indicator("ngo_projects", _("Foreign NGO projects"), _("projects")),
        Indicator("ngo_aid_value_vnd", _("Foreign NGO aid value"), _("VND"), currency="VND"),
        Indicator("ngo_visiting_groups", _("Foreign NGO visiting groups"), _("count")),
        Indicator("ngo_visitors", _("Foreign NGO visitors"), _("person-trips")),
        Indicator("oda_committed_vnd", _("ODA committed"), _("VND"), currency="VND"),
        Indicator("oda_disbursed_vnd", _("ODA disbursed"), _("VND"), currency="VND"),
        Indicator("oda_disbursed_usd", _("ODA disbursed (USD)"), _("USD"), currency="USD"),
        Indicator("fdi_new_projects", _("New FDI projects"), _("projects")),
        Indicator("fdi_new_capital_usd", _("New FDI registered capital"), _("USD"), currency="USD"),
        Indicator("border_markers_built", _("Border markers built"), _("markers")),
        Indicator("awards_received", _("Awards received from foreign states"), _("awards")),
        # Figures an annual foreign-affairs summary states (seed 001, Quảng Nam 2013) that no registry computes
        # yet: they are held as declared figures until the activities, aid and FDI registries compute them.
        Indicator("awards_proposed", _("Awards proposed for foreigners"), _("awards")),
        Indicator(
            "outgoing_leadership_delegations", _("Outgoing delegations led by provincial leaders"), _("delegations")
        ),
        Indicator("promotion_events_abroad", _("Investment and trade promotion events abroad"), _("events")),
        Indicator("fdi_disbursed_usd", _("FDI disbursed"), _("USD"), currency="USD"),
        Indicator("fdi_budget_contribution_vnd", _("Budget revenue from FDI enterprises"), _("VND"), currency="VND"),
        Indicator("fdi_jobs", _("Jobs in FDI enterprises"), _("workers")),
        Indicator("foreign_volunteer_groups", _("Foreign volunteer groups"), _("groups")),
        Indicator("foreign_volunteers", _("Foreign volunteers"), _("person-trips")),
        Indicator("ngos_operating", _("Foreign NGOs operating with a permit"), _("organisations")),
        Indicator("border_reference_posts_built", _("Border reference posts built"), _("posts")),
        Indicator("aid_given_value", _("Aid given to foreign partners"), _("value"), money=True),
        Indicator("gifts_given_items", _("Items given to foreign partners"), _("items")),
        Indicator("foreign_students_trained", _("Foreign students trained"), _("students")),
        Indicator("aid_received_value", _("Aid and gifts received from foreign partners"), _("value"), money=True),
        Indicator("scholarship_rate_received", _("Scholarship received per person per month"), _("value"), money=True),
        Indicator("diplomatic_anniversaries", _("Anniversary of diplomatic relations marked"), _("years")),
        Indicator("central_allocation_requested", _("Central budget requested per year"), _("VND"), currency="VND"),
    ]
}


# The dimensions an app may split a computed value by (Computed.breakdown), as the figures page names them.
BREAKDOWN_LABELS = {
    "by_country": _("by country"),
    "by_field": _("by field"),
    "by_status": _("by status"),
    "by_kind": _("by kind"),
    "by_level": _("by signatory level"),
    "by_effect": _("by effect on the relationship"),
    "by_visitor_level": _("by level"),
    "by_award": _("by award and class"),
}


def breakdown_display(breakdown: dict[str, dict[str, int]]) -> list[tuple[str, list[tuple[str, int]]]]:
    """A value's breakdown as (dimension label, [(item, count)]) for pages."""
    return [(str(BREAKDOWN_LABELS.get(key, key)), list(items.items())) for key, items in breakdown.items() if items]


def catalogue() -> dict[str, Indicator]:
    """Every indicator by code."""
    return _CATALOGUE


def define_indicator(code: str, label: Promise, measure: Promise, function: Callable[..., Computed], *, app: str):
    """Add an indicator that an app computes beyond the contract's codes (partners by status...)."""
    if code in _CATALOGUE:
        raise ValueError(f"indicator {code} is already defined")
    _CATALOGUE[code] = Indicator(code, label, measure, function, app)


def register_computation(code: str, function: Callable[..., Computed], *, app: str, partial: bool = False) -> None:
    """Register ``function(unit=..., period=...) -> Computed`` as the computation of ``code``.

    ``partial``: the registry may hold only some of a period's records (see :class:`Indicator`). Called from an
    app's ``AppConfig.ready``; an unknown code is a programming error.
    """
    indicator = _CATALOGUE[code]
    indicator.computation = function
    indicator.app = app
    indicator.partial = partial


@dataclass
class _Run:
    """One call of :func:`indicator_values`: its periods, and what its computations share."""

    periods: tuple[Period, ...]
    loaded: dict = field(default_factory=dict)


_RUN: ContextVar[_Run | None] = ContextVar("indicator_run", default=None)


@contextlib.contextmanager
def _running(periods: tuple[Period, ...]):
    token = _RUN.set(_Run(periods))
    try:
        yield
    finally:
        _RUN.reset(token)


def run_periods(period: Period) -> tuple[Period, ...]:
    """The periods that the current :func:`indicator_values` call computes, ``period`` among them (the period
    asked and the one before it), so that a computation can load the rows of all of them at once; ``(period,)``
    when called on its own."""
    run = _RUN.get()
    return run.periods if run is not None and period in run.periods else (period,)


def shared(key, load: Callable[[], object]):
    """``load()``, once per :func:`indicator_values` call for each ``key``: what several computations of an app
    read (a unit's agreements with the conditions each indicator counts, for every period of the call) is then
    queried once, not once per indicator and period (issue 17, item 13: the figures page made 89 queries).
    Outside a call, ``load()`` each time."""
    run = _RUN.get()
    if run is None:
        return load()
    if key not in run.loaded:
        run.loaded[key] = load()
    return run.loaded[key]


def portfolio_q(unit, prefix: str = "owner__"):
    """:func:`core.filtersets.unit_portfolio_q` (a few queries: the unit's predecessors and the units below),
    worked out once per :func:`indicator_values` call."""
    from core.filtersets import unit_portfolio_q

    return shared(("portfolio", unit.pk, prefix), lambda: unit_portfolio_q(unit, prefix))


def _declared_by_code(unit, periods: list[Period]) -> dict[tuple[str, str], list]:
    """Every declared figure of ``unit`` for ``periods``, in one query, by (indicator, period)."""
    from core.models import DeclaredFigure

    found: dict[tuple[str, str], list] = {}
    # The caller (the figures page, a report) has checked that the unit is within the user's reach.
    rows = (
        DeclaredFigure.objects.unrestricted("a unit the caller may see")
        .filter(owner=unit, period__in=[p.label for p in periods])
        .order_by("-source_date", "pk")
    )
    for figure in rows:
        found.setdefault((figure.indicator, figure.period), []).append(figure)
    return found


def _one_value(indicator: Indicator, unit, period: Period, declared: list) -> dict:
    computed = indicator.computation(unit=unit, period=period) if indicator.computation else None
    declared_rows = [
        {
            "id": figure.pk,
            "value": figure.value,
            "value_max": figure.value_max,
            "qualifier": figure.qualifier,
            "currency": figure.currency,
            "source_document": figure.source_document,
            "quote": figure.quote,
            "url": figure.get_absolute_url(),
        }
        for figure in declared
    ]
    if computed is not None and indicator.partial and declared and Decimal(computed.value) < declared[0].value:
        # The records of the period are fewer than a document counts: the registry is incomplete for it (a past
        # year whose delegations were not all recorded, or none), so the declared figure stands, the count beside.
        value = Decimal(computed.value)
        return {
            "value": declared[0].value,
            "source": "declared",
            "qualifier": declared[0].qualifier,
            "records_url": computed.records_url,
            "breakdown": computed.breakdown,
            "declared": declared_rows,
            "computed": value,
            "difference_from_declared": value - declared[0].value,
        }
    if computed is not None:
        value = Decimal(computed.value)
        return {
            "value": value,
            "source": "computed",
            "qualifier": "exact",
            "records_url": computed.records_url,
            "breakdown": computed.breakdown,
            "declared": declared_rows,
            "difference_from_declared": (value - declared[0].value) if declared else None,
        }
    if declared:
        return {
            "value": declared[0].value,
            "source": "declared",
            "qualifier": declared[0].qualifier,
            "records_url": declared[0].get_absolute_url(),
            "breakdown": {},
            "declared": declared_rows,
            # Two documents that state different values for one figure are shown, not hidden.
            "difference_from_declared": (declared[0].value - declared[-1].value) if len(declared) > 1 else None,
        }
    return {
        "value": None,
        "source": None,
        "qualifier": None,
        "records_url": "",
        "breakdown": {},
        "declared": [],
        "difference_from_declared": None,
    }


def indicator_values(
    *, unit, period: Period, codes: list[str] | None = None, previous: Period | None = None
) -> list[dict]:
    """Values of several indicators (all by default) for ``unit`` and ``period``, each with the previous
    period's value and the change (None where either side is unknown). ``previous`` is the period compared with:
    by default the one just before; a half-yearly report compares with the same half of the year before."""
    previous_period = previous or period.previous()
    with _running((period, previous_period)):
        return _indicator_values(unit, period, previous_period, codes)


def _indicator_values(unit, period: Period, previous_period: Period, codes: list[str] | None) -> list[dict]:
    declared = _declared_by_code(unit, [period, previous_period])
    results = []
    for code in codes or list(_CATALOGUE):
        indicator = _CATALOGUE[code]
        current = _one_value(indicator, unit, period, declared.get((code, period.label), []))
        previous = _one_value(indicator, unit, previous_period, declared.get((code, previous_period.label), []))
        change = None
        if current["value"] is not None and previous["value"] is not None:
            change = current["value"] - previous["value"]
        results.append(
            {
                "indicator": code,
                "label": str(indicator.label),
                "measure": str(indicator.measure),
                "unit": unit.key,
                "period": period.label,
                **current,
                "previous": {"period": previous_period.label, "value": previous["value"], "source": previous["source"]},
                "change": change,
            }
        )
    return results


def indicator_value(code: str, *, unit, period: Period) -> dict:
    """The value of one indicator (see :func:`indicator_values`)."""
    return indicator_values(unit=unit, period=period, codes=[code])[0]


def indicator_series(*, unit, periods: list[Period], codes: list[str]) -> dict[str, dict[str, dict]]:
    """The values of ``codes`` for ``unit`` in each of ``periods`` (a chart's years), as
    ``{code: {period label: value}}`` (see :func:`indicator_values` for a value). One call: what the computations
    load for one period they load for all of them (:func:`run_periods`, :func:`shared`), so the number of queries
    does not grow with the number of periods' records."""
    ordered = tuple(periods)
    with _running(ordered):
        declared = _declared_by_code(unit, list(ordered))
        return {
            code: {
                period.label: _one_value(_CATALOGUE[code], unit, period, declared.get((code, period.label), []))
                for period in ordered
            }
            for code in codes
        }
