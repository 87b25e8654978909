"""The register of reports received, from a sheet kept outside the product (issue 20, item 4; CONTRACT.md,
``import_records submissions``).

One row a report received, with the columns ``regime``, ``period``, ``unit``, ``sent_on``, ``received_on`` and
``note`` (or their labels on the screens, in any language of the site, with or without diacritics):

- ``regime`` is a regime's key (reports.regimes.regime_named); ``period`` is 2017-H1 or 2017 (the period is worked
  out from the regime's rules when the register names it first, and created only when the file is written);
- ``unit`` is written as registers write it: the province's name, or its "Tỉnh ủy", "Thành ủy", "UBND" or "Sở
  Ngoại vụ", with or without diacritics, resolved to the unit that existed in the period (reports.units). An unknown
  name is an error naming it, with the closest names; a unit that did not exist then is imported and flagged;
- dates are dd/mm/yyyy or yyyy-mm-dd (an Excel date cell reads as dd/mm/yyyy).

All or nothing: every row is checked first, and any error (a regime, period, unit or date that cannot be read, a
unit whose reports the user may not record) writes nothing. Suspicious rows are imported and flagged, never refused
(reports.services.refresh_flags): received before sent, a unit listed twice in the period, a unit that did not exist
then, and a row sent earlier than the row above it of the same regime and period (``out_of_order``, judged here).

A row whose unit, period and dates are those of a live row already in the register is unchanged, not written
again: importing a file twice writes its rows once. The rows are written in one transaction with bulk inserts, one
history row each (the reason "import"), one audit entry for the whole import, and the flags of each period touched
worked out once.

A sheet without the regime and period columns but with the list's own columns (its ID, the regime and period in
one column) is the list's export: read by the generic importer, whose ID column names the rows it changes.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history

from core.audit import atomic, audit
from core.choices import AuditAction
from core.history import register_reason
from core.importing import Importer, ImportPlan, RowError, _closest, _languages
from core.models import Unit
from core.periods import Period
from core.tabular import TemplateColumn
from core.text import clean_text, fold
from reports.choices import SubmissionFlag, SubmissionSource
from reports.forms import SubmissionForm
from reports.models import ReportingPeriod, ReportingRegime, Submission
from reports.regimes import regime_named, reporting_period
from reports.services import refresh_flags
from reports.units import UnitNames, _core_name

IMPORT_REASON = "import"
register_reason(IMPORT_REASON, gettext_lazy("imported"))

# The columns of a register, in the order the template writes them; those a file must have.
COLUMNS = ("regime", "period", "unit", "sent_on", "received_on", "note")
REQUIRED = ("regime", "period", "unit")
# Rows written per INSERT (as activities.importing: few statements, within SQLite's limit on variables).
BATCH = 2000
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")


def _labels() -> dict[str, list]:
    """The words the screens head each column with (the form's label, the model's name, the filter's label)."""
    field = Submission._meta.get_field
    period_field = ReportingPeriod._meta.get_field
    return {
        "regime": [period_field("regime").verbose_name, gettext_lazy("Regime")],
        "period": [period_field("period").verbose_name, gettext_lazy("Period")],
        "unit": [SubmissionForm.Meta.labels["owner"], field("owner").verbose_name, gettext_lazy("Unit")],
        "sent_on": [field("sent_on").verbose_name],
        "received_on": [field("received_on").verbose_name],
        "note": [field("note").verbose_name],
    }


def label(name: str) -> str:
    """The column's header as the template writes it, in the active language."""
    return capfirst(str(_labels()[name][0]))


def parse_date(text: str) -> dt.date:
    """A register's date: dd/mm/yyyy (how Vietnamese documents and the Excel cells read) or yyyy-mm-dd."""
    text = text.strip()
    match = _DMY.match(text)
    parts = (match[3], match[2], match[1]) if match else None
    if parts is None and (match := _ISO.match(text)):
        parts = (match[1], match[2], match[3])
    try:
        if parts is None:
            raise ValueError(text)
        value = dt.date(*(int(part) for part in parts))
        if not 1945 <= value.year <= 2100:
            raise ValueError(text)
    except ValueError:
        raise ValidationError(
            _("“%(value)s” is not a date: write it dd/mm/yyyy (20/06/2017) or yyyy-mm-dd (2017-06-20).")
            % {"value": text[:40]}
        ) from None
    return value


@dataclass
class SubmissionRow:
    """A row of the file as it will be written: its number, its regime and period, the unsaved row."""

    row: int
    period_key: tuple[int, str]
    instance: Submission


@dataclass
class SubmissionPlan(ImportPlan):
    """What a valid file writes: ``creates`` are the new rows (SubmissionRow); ``periods`` the periods they go to,
    saved or not yet (made from the regime's rules, created when the file is written)."""

    periods: dict | None = None


def _stamp(instance: Submission, user, now) -> None:
    """What TrackedModel.save and record_create set on a new row, for a row written in bulk (which calls no save):
    text in NFC, who and when, the search text."""
    instance.note = clean_text(instance.note)
    instance.created_by = instance.updated_by = user
    instance.created_at = instance.updated_at = now
    instance.search_text = instance.build_search_text()


class SubmissionImporter(Importer):
    """The importer of ``SUBMISSIONS`` (its record type's ``importer``): a register of reports received."""

    audited_by_commit = True

    # -- the columns ------------------------------------------------------------------------------------
    def _headers(self) -> dict[str, str]:
        """Folded header → column: the column's key and its labels, in every language of the site."""
        found = {fold(name): name for name in COLUMNS}
        found[fold("owner")] = "unit"
        for language in _languages():
            with translation.override(language):
                for name, labels in _labels().items():
                    for spelling in labels:
                        found.setdefault(fold(str(spelling)), name)
        return found

    def _is_list_export(self, headers: list[str]) -> bool:
        """A sheet of the list's own columns (its ID, the regime and period in one column), without ours."""
        ours = self._headers()
        named = {ours.get(fold(header)) for header in headers}
        if {"regime", "period"} & named:
            return False
        generic = {self.sheet.column_for(header) for header in headers if header}
        return bool({"id", "reporting_period"} & generic)

    def column_list(self) -> str:
        return ", ".join(label(name) for name in COLUMNS)

    def _read_columns(self, headers: list[str], rows: list[list[str]], plan: ImportPlan) -> dict[str, int]:
        """{column: index of the file's column}; the file's other columns are refused, the list's own left aside."""
        names = self._headers()
        mapping: dict[str, int] = {}
        for index, header in enumerate(headers):
            name = names.get(fold(header)) if fold(header) else None
            if name is not None:
                if name in mapping:
                    plan.errors.append(RowError(1, header, _("this column is given twice")))
                mapping[name] = index
            elif fold(header) in self.sheet.shown_only:
                plan.ignored.append(header)
            elif not header and not any(row[index] for row in rows):
                continue  # an empty column
            else:
                message = _("unknown column; the columns read are: %(columns)s") % {"columns": self.column_list()}
                plan.errors.append(RowError(1, header or str(index + 1), message))
        for name in REQUIRED:
            if name not in mapping:
                plan.errors.append(RowError(1, label(name), _("required column is missing")))
        return mapping

    # -- reading the cells ------------------------------------------------------------------------------
    def _regime(self, text: str, cache: dict) -> ReportingRegime:
        key = ("regime", text)
        if key not in cache:
            try:
                cache[key] = regime_named(text)
            except ValidationError as error:
                cache[key] = error
        if isinstance(cache[key], ValidationError):
            raise cache[key]
        return cache[key]

    def _period(self, regime: ReportingRegime, text: str, periods: dict) -> tuple[tuple[int, str], ReportingPeriod]:
        """The period ``text`` of ``regime``: the saved one, else one made in memory from the regime's rules (the
        file is only being checked: nothing is created until it is written)."""
        parsed = Period.parse(text)
        key = (regime.pk, parsed.label)
        if key not in periods:
            found = reporting_period(regime, parsed.label, create=False)
            if found is None:
                found = ReportingPeriod(regime=regime, period=parsed.label, **regime.dates_for(parsed))
            periods[key] = found
        return key, periods[key]

    def _unit(self, text: str, period: ReportingPeriod, names: UnitNames) -> Unit:
        found = names.find(text, period)
        if found is not None:
            return found.unit
        candidates = {core: units[0].name for core, units in names.by_name.items() if units}
        closest = _closest(_core_name(text), candidates)
        message = _(
            "“%(value)s” is not a province or city, nor its Party committee, People's Committee or foreign-affairs "
            "department."
        ) % {"value": text[:80]}
        if closest:
            message = f"{message} {_('The closest: %(closest)s.') % {'closest': '; '.join(closest)}}"
        raise ValidationError(message)

    # -- the plan ---------------------------------------------------------------------------------------
    def plan(self, headers: list[str], rows: list[list[str]], progress=None) -> ImportPlan:
        if self._is_list_export(headers):
            # The list's own export (Excel or CSV) or a file in its words: read as every list's import reads it.
            return super().plan(headers, rows)
        plan = SubmissionPlan(periods={})
        mapping = self._read_columns(headers, rows, plan)
        if plan.errors:
            return plan
        if not rows:
            plan.errors.append(RowError(2, "*", _("the file has no rows below its header")))
            return plan
        names = UnitNames()
        reach = Submission.policy.reach(self.user, "change")
        cache: dict = {}
        entries: list[SubmissionRow] = []
        if progress is not None:
            progress.start(len(rows), _("Checking the rows"))
        for offset, cells in enumerate(rows):
            entry = self._row(offset + 2, cells, headers, mapping, names, reach, cache, plan)
            if entry is not None:
                entries.append(entry)
            if progress is not None:
                progress.step(offset + 1)
        if plan.errors:
            return plan
        existing = self._existing(plan.periods)
        previous_sent: dict[tuple[int, str], dt.date] = {}
        for entry in entries:
            instance = entry.instance
            if instance.sent_on is not None:
                before = previous_sent.get(entry.period_key)
                if before is not None and instance.sent_on < before:
                    instance.flags = [str(SubmissionFlag.OUT_OF_ORDER)]
                previous_sent[entry.period_key] = instance.sent_on
            match = (instance.owner_id, entry.period_key, instance.sent_on, instance.received_on)
            if existing[match] > 0:
                existing[match] -= 1
                plan.unchanged.append(entry.row)
            else:
                plan.creates.append(entry)
        return plan

    def _row(self, number, cells, headers, mapping, names, reach, cache, plan) -> SubmissionRow | None:
        text = {name: cells[index].strip() for name, index in mapping.items()}
        header = {name: headers[index] for name, index in mapping.items()}
        errors: list[RowError] = []

        def fail(name: str, error: ValidationError | str) -> None:
            messages = error.messages if isinstance(error, ValidationError) else [error]
            errors.extend(RowError(number, header[name], message) for message in messages)

        required = _("This field is required.")
        regime = period = key = None
        if not text["regime"]:
            fail("regime", required)
        else:
            try:
                regime = self._regime(text["regime"], cache)
            except ValidationError as error:
                fail("regime", error)
        if not text["period"]:
            fail("period", required)
        elif regime is not None:
            try:
                key, period = self._period(regime, text["period"], plan.periods)
            except ValidationError as error:
                fail("period", error)
        unit = None
        if not text["unit"]:
            fail("unit", required)
        elif period is not None:
            try:
                unit = self._unit(text["unit"], period, names)
            except ValidationError as error:
                fail("unit", error)
            else:
                if not reach.covers(unit):
                    fail("unit", _("you may not record the reports of “%(unit)s”.") % {"unit": unit.name})
        dates = {}
        for name in ("sent_on", "received_on"):
            dates[name] = None
            if text.get(name):
                try:
                    dates[name] = parse_date(text[name])
                except ValidationError as error:
                    fail(name, error)
        if errors or unit is None:
            plan.errors.extend(errors)
            return None
        instance = Submission(
            owner=unit,
            reporting_period=period,
            sent_on=dates["sent_on"],
            received_on=dates["received_on"],
            note=text.get("note", ""),
            source=SubmissionSource.REGISTER,
            flags=[],
        )
        return SubmissionRow(row=number, period_key=key, instance=instance)

    def _existing(self, periods: dict) -> Counter:
        """(unit, period, sent, received) of the live rows already in the register of the file's periods."""
        saved = {period.pk: key for key, period in periods.items() if period.pk is not None}
        if not saved:
            return Counter()
        rows = Submission.objects.filter(reporting_period_id__in=saved).unrestricted(
            "a row already in the register is not written again, whoever recorded it"
        )
        return Counter(
            (owner, saved[period], sent, received)
            for owner, period, sent, received in rows.values_list(
                "owner_id", "reporting_period_id", "sent_on", "received_on"
            )
        )

    # -- writing ----------------------------------------------------------------------------------------
    def commit(self, plan: ImportPlan, request=None, progress=None) -> tuple[int, int]:
        """Write the new rows of ``plan`` in one transaction, in bulk, with their history; one audit entry; then
        the flags of each period touched, once."""
        if not isinstance(plan, SubmissionPlan):
            with atomic():
                created, updated = super().commit(plan, request=request, progress=progress)
                detail = {"model": Submission._meta.label_lower, "created": created, "updated": updated}
                audit(AuditAction.IMPORT, user=self.user, request=request, detail=detail)
            return created, updated
        if not plan.ok:
            raise ValidationError(_("The file has errors; nothing was written."))
        user, now = self.user, timezone.now()
        if progress is not None:
            progress.start(len(plan.creates) or 1, _("Writing the records"))
        touched: dict[tuple[int, str], ReportingPeriod] = {}
        with atomic():
            for item in plan.creates:
                period = touched.get(item.period_key)
                if period is None:
                    period = plan.periods[item.period_key]
                    if period.pk is None:
                        # Named first by this register: made from the regime's rules, now that the file is written.
                        period = reporting_period(period.regime, period.period)
                        plan.periods[item.period_key] = period
                    touched[item.period_key] = period
                item.instance.reporting_period = period
                _stamp(item.instance, user, now)
            rows = [item.instance for item in plan.creates]
            bulk_create_with_history(
                rows,
                Submission,
                batch_size=BATCH,
                default_user=user,
                default_change_reason=IMPORT_REASON,
                default_date=now,
            )
            for period in touched.values():
                refresh_flags(period)
            audit(
                AuditAction.IMPORT,
                user=user,
                request=request,
                detail={
                    "model": Submission._meta.label_lower,
                    "created": len(rows),
                    "updated": 0,
                    "unchanged": len(plan.unchanged),
                    "periods": sorted(f"{period.regime.key} {period.period}" for period in touched.values()),
                },
            )
        if progress is not None:
            progress.step(len(rows) or 1)
        return len(rows), 0

    # -- the template -----------------------------------------------------------------------------------
    def template_columns(self) -> list[TemplateColumn]:
        regimes = list(ReportingRegime.objects.order_by("key"))
        listed = "; ".join(f"{regime.key} ({regime.name_vi})" for regime in regimes)
        date_note = _("A date, written dd/mm/yyyy (20/06/2017); yyyy-mm-dd is read too.")
        reach = Submission.policy.reach(self.user, "change")
        units = sorted({unit.name for units in UnitNames().by_name.values() for unit in units if reach.covers(unit)})
        notes = {
            "regime": _("The key of the reporting regime: one of %(regimes)s.") % {"regimes": listed or "—"},
            "period": _(
                "The period reported on: 2017-H1 for the first half of 2017 (a half-yearly regime), 2017 for the year."
            ),
            "unit": _(
                "The province or city that reported, as the register writes it: its name (Quảng Nam, TP. Hồ Chí "
                "Minh) or its Party committee, People's Committee or foreign-affairs department (Tỉnh ủy Quảng Nam, "
                "Thành ủy Hà Nội, UBND tỉnh Quảng Nam, Sở Ngoại vụ Quảng Nam), with or without diacritics. The unit "
                "that existed in the period is taken (Thừa Thiên Huế before 2025)."
            ),
            "sent_on": f"{date_note} {_('The date the report was sent (the date of its letter).')}",
            "received_on": f"{date_note} {_('The date the report was received.')}",
            "note": _("Text."),
        }
        options = {"regime": [regime.key for regime in regimes], "unit": units}
        return [
            TemplateColumn(
                header=label(name),
                required=name in REQUIRED,
                note=notes[name],
                options=options.get(name) or None,
                # A unit is written in many ways ("Tỉnh ủy ..."): its names are listed, not offered in a drop-down.
                drop_down=name != "unit",
                text=name in ("period", "sent_on", "received_on"),
            )
            for name in COLUMNS
        ]

    def template_guide(self) -> list[str]:
        return [
            _("Import template: %(records)s") % {"records": self.record_type.verbose_name_plural},
            _(
                "Fill in the sheet “%(sheet)s” from the second row, one report received a row; leave its first row "
                "as it is."
            )
            % {"sheet": _("Data")},
            _(
                "Write the regime by its key, the period as 2017-H1 or 2017, the unit as the register writes it (its "
                "name, or its Tỉnh ủy, Thành ủy, UBND or Sở Ngoại vụ; diacritics may be left out) and dates as "
                "dd/mm/yyyy."
            ),
            _(
                "Rows that look wrong are imported and flagged, not refused: received before sent, a unit listed twice "
                "in the period, a unit that did not exist then, a row sent earlier than the row above it."
            ),
            _("A row already in the register (same unit, period and dates) is not written again."),
            _(
                "Nothing is written unless every row is valid: the import page lists each error by row and column, "
                "with the values allowed."
            ),
        ]
