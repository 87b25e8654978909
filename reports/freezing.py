"""The records behind a report sent cannot be changed without reopening it (issue 20, item 3).

A report sent states figures and lists records of its unit's portfolio (the unit, the units below it and its
predecessors: core.filtersets.unit_portfolio_q) for its period; what it said is frozen in its revision, and a
correction is a new report (Decree 09/2019/NĐ-CP, Art. 5). While it stays sent (sent, received or returned), the
records it counts are not created, changed, moved to the trash or out of it, or stepped: the registry and the report
sent would otherwise disagree. Reopening the report, with a reason, lifts this until it is sent again.

A record is behind a report when the report's unit's portfolio holds the record's unit and the record's period
(``period_span``: its date, or a declared figure's period) meets the report's period: the period's data range
(Decree 09/2019/NĐ-CP, Art. 12: 15 December of the year before to 14 December) or the calendar period its figures
are computed over (core.periods; reports.drafting), whichever is wider.

The check is registered with core.services in reports.apps (core does not import reports); it answers any number of
records in one query on the reports, plus one for the units not already read with the records and one for each level
of units more than two deep (a legacy commune under its district).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as _

from core.models import Unit
from reports.choices import ReportStatus

# A report in one of these is sent and not reopened (reports.models.Report.frozen).
FROZEN = (ReportStatus.SUBMITTED, ReportStatus.RECEIVED, ReportStatus.RETURNED)


def calendar_labels(first: dt.date, last: dt.date) -> list[str]:
    """The labels of the years and half-years that the days from ``first`` to ``last`` meet (core.periods)."""
    labels = []
    for year in range(first.year, last.year + 1):
        labels.append(str(year))
        if first <= dt.date(year, 6, 30):
            labels.append(f"{year}-H1")
        if last >= dt.date(year, 7, 1):
            labels.append(f"{year}-H2")
    return labels


def _ancestors(units: Sequence[Unit]) -> dict[int, set[int]]:
    """Each unit's id with those of every unit above it. The root and the parent are on the row; a unit deeper than
    that (a legacy commune, under its district) costs one query for each further level, for all units at once."""
    chains = {unit.pk: {unit.pk, unit.root_id, unit.parent_id} - {None} for unit in units}
    pending = {unit.pk: unit.parent_id for unit in units if unit.parent_id and unit.parent_id != unit.root_id}
    while pending:
        parents = dict(Unit.objects.filter(pk__in=set(pending.values())).values_list("pk", "parent_id"))
        further = {}
        for pk, above in pending.items():
            parent = parents.get(above)
            if parent and parent not in chains[pk]:
                chains[pk].add(parent)
                further[pk] = parent
        pending = further
    return chains


def _units(records: Sequence[models.Model]) -> list[Unit | None]:
    """Each record's unit (``scope_unit``). A record's owner already read (a form's, a serializer's) serves every
    record of that owner (the stored row of a record being changed); the others are read in one query."""
    owned = [record for record in records if getattr(record, "owner_id", None)]
    found = {record.owner_id: record.owner for record in owned if type(record).owner.is_cached(record)}
    missing = {record.owner_id for record in owned} - set(found)
    if missing:
        found.update(Unit.objects.in_bulk(missing))
    return [
        found.get(record.owner_id) if getattr(record, "owner_id", None) else record.scope_unit() for record in records
    ]


def _covers(report, first: dt.date, last: dt.date, labels: list[str]) -> bool:
    period = report.reporting_period
    return (period.data_from <= last and first <= period.data_to) or period.period in labels


def refusal(report) -> str:
    """The message that refuses a change to a record behind ``report``."""
    return _(
        "This record belongs to the reporting period “%(period)s” of the report “%(report)s”, which has been sent: "
        "to change it, reopen the report (with a reason)."
    ) % {
        "period": report.reporting_period.period_display,
        "report": f"{report.owner.name} — {report.reporting_period.regime}",
    }


def frozen_by_reports(records: Sequence[models.Model]) -> list[str | None]:
    """For each record, the refusal naming a report sent that counts it, or None (core.services.register_freeze_check).

    Reports and the register's rows are not asked here: they have no period of their own (``period_date``), and
    their own rules say when they change (reports.services)."""
    from reports.models import Report

    facts = []  # (index, first day, last day, the record's unit)
    for index, (record, unit) in enumerate(zip(records, _units(records), strict=True)):
        span = record.period_span()
        if span is not None and unit is not None:
            facts.append((index, *span, unit))
    answers: list[str | None] = [None] * len(records)
    if not facts:
        return answers
    chains = _ancestors(list({unit.pk: unit for *_, unit in facts}.values()))
    units = sorted(set().union(*chains.values()))
    first, last = min(fact[1] for fact in facts), max(fact[2] for fact in facts)
    # One row a report and unit it succeeded: a report of Đà Nẵng counts the records of Quảng Nam (legacy), merged
    # into it (Resolution 202/2025/QH15; core.filtersets.unit_portfolio_q).
    reports = list(
        Report.objects.unrestricted("a report sent that counts a record being changed, whoever changes it")
        .filter(status__in=FROZEN)
        .annotate(succeeded=F("owner__succession_in__predecessor_id"))
        .filter(Q(owner_id__in=units) | Q(succeeded__in=units))
        .filter(
            Q(reporting_period__data_from__lte=last, reporting_period__data_to__gte=first)
            | Q(reporting_period__period__in=calendar_labels(first, last))
        )
        .select_related("owner", "reporting_period__regime")
        .order_by("reporting_period__data_to", "pk")
    )
    for index, first_day, last_day, unit in facts:
        chain, labels = chains[unit.pk], calendar_labels(first_day, last_day)
        found = next(
            (
                report
                for report in reports
                if (report.owner_id in chain or report.succeeded in chain)
                and _covers(report, first_day, last_day, labels)
            ),
            None,
        )
        if found is not None:
            answers[index] = refusal(found)
    return answers
