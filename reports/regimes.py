"""The reporting regimes the product ships (reference data, loaded by ``load_reference_data``) and the periods of a
regime, worked out from it when first needed (Decree 09/2019/NĐ-CP, Art. 12)."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from simple_history.utils import update_change_reason

from core.models import Unit
from core.periods import Period
from reports.models import ReportingPeriod, ReportingRegime

DATA = Path(__file__).resolve().parent / "reference_data" / "regimes.json"
_FIELDS = ("name_vi", "name_en", "frequency", "basis", "indicators", "outline")


def load_regimes() -> tuple[int, int]:
    """Create or update the shipped regimes; a regime's dates changed on its page are kept."""
    created = updated = 0
    recipients = {unit.key: unit for unit in Unit.objects.filter(level="central")}
    for row in json.loads(DATA.read_text(encoding="utf-8")):
        values = {name: row[name] for name in _FIELDS}
        regime = ReportingRegime.objects.filter(key=row["key"]).first()
        if regime is None:
            regime = ReportingRegime(key=row["key"], recipient=recipients[row["recipient"]], **values)
            regime.save()
            update_change_reason(regime, "load_reference_data")
            created += 1
        elif any(getattr(regime, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(regime, name, value)
            regime.version += 1
            regime.save()
            update_change_reason(regime, "load_reference_data")
            updated += 1
    return created, updated


def regime_named(key: str) -> ReportingRegime:
    """The regime with ``key``; ValidationError naming the known keys otherwise."""
    regime = ReportingRegime.objects.filter(key=(key or "").strip()).first()
    if regime is None:
        known = ", ".join(ReportingRegime.objects.values_list("key", flat=True))
        raise ValidationError(
            _("“%(value)s” is not a reporting regime: one of %(known)s."),
            code="unknown_regime",
            params={"value": str(key)[:60], "known": known},
        )
    return regime


def reporting_period(regime: ReportingRegime, text: str, *, create: bool = True) -> ReportingPeriod | None:
    """The period ``text`` (2017-H1, 2017) of ``regime``, with its dates; made from the regime's rules when it does
    not exist yet (``create``), else None. ValidationError for a period the regime does not report."""
    period = Period.parse(text)
    if not regime.accepts(period):
        raise ValidationError(
            _("“%(value)s”: the regime “%(regime)s” reports by year; write %(year)s."),
            code="invalid_period",
            params={"value": period.label, "regime": regime.name_vi, "year": period.end.year},
        )
    found = ReportingPeriod.objects.filter(regime=regime, period=period.label).first()
    if found is not None or not create:
        return found
    found = ReportingPeriod(regime=regime, period=period.label, **regime.dates_for(period))
    found.save()
    return found
