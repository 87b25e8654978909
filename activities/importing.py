"""Delegations with their members from one sheet (issue 19, item 8): how provinces keep them in Excel today.

One row a member. The delegation's columns (the screen's words, read by core.importing's readers for
``DELEGATIONS``) are filled on the delegation's first row and repeated or left empty on the rows of its other
members; the column "Số TT đoàn" numbers the delegations and ties their rows together (a row whose number is empty
belongs to the delegation above it, as Excel leaves the cells of a merged range). The member columns are "Họ và
tên", "Chức vụ" and "Cơ quan"; a delegation row without a name lists no member (its count is declared).

Every row is checked first, with the rules of the delegation's form and of activities.services (required fields,
the return before the departure, a member listed twice, neither members nor a declared count, an incoming
delegation from Viet Nam, negative counts, units the user may not change); with any error nothing is written and
every error is reported by row and column. A valid file is written in one transaction with bulk inserts: what
``delegation_create`` writes one delegation at a time (the rows, their many-to-many rows, their members, one history
row each with the reason "import", the search text), and one audit entry for the whole import with its counts.
Reference data (units, countries, partners) is read once per file, not per row.

A sheet without the number and member columns (one delegation a row: the list's own export, a script's file) is
read by the generic importer, whose ID column updates the delegations it names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities import workflow
from activities.choices import DelegationStatus, Direction
from activities.forms import DelegationMemberForm
from activities.models import Delegation, DelegationMember
from activities.services import check_approved_within_rules, record_meetings
from core.audit import atomic, audit
from core.choices import AuditAction
from core.history import register_reason
from core.importing import CellError, Importer, ImportPlan, RelationReader, RowError, _languages, template_columns
from core.services import frozen_refusals
from core.tabular import TemplateColumn
from core.text import clean_text, fold

IMPORT_REASON = "import"
register_reason(IMPORT_REASON, gettext_lazy("imported"))

NUMBER_LABEL = gettext_lazy("Delegation no.")
# Other ways people head the numbering column (folded); the label above, in every language, is read too.
NUMBER_SPELLINGS = frozenset(map(fold, ("Số TT đoàn", "STT đoàn", "Số thứ tự đoàn", "TT đoàn", "Delegation number")))
MEMBER_LABELS = {
    "name": gettext_lazy("Member's full name"),
    "position": gettext_lazy("Member's position"),
    "organisation": gettext_lazy("Member's organisation"),
}
# Rows written per INSERT: large enough that a file of 60,000 rows takes few statements, small enough for
# SQLite's limit on the variables of one statement (Django splits further where it must).
BATCH = 2000
_WHOLE_NUMBER = re.compile(r"^\d+(?:\.0+)?$")


@dataclass
class DelegationRow:
    """A delegation of the file as it will be written: its first row, its number, the unsaved records."""

    row: int
    number: str
    instance: Delegation
    m2m: dict[str, list] = field(default_factory=dict)
    members: list[DelegationMember] = field(default_factory=list)
    # Approved and governed by rules (activities.workflow): checked again once written, as delegation_create does.
    check_rules: bool = False


@dataclass
class DelegationPlan(ImportPlan):
    """What a valid file writes: ``creates`` are the delegations (DelegationRow), each with its members."""


def _number(text: str) -> str:
    text = text.strip()
    return str(int(float(text))) if _WHOLE_NUMBER.match(text) else fold(text)


class DelegationImporter(Importer):
    """The importer of ``DELEGATIONS`` (its record type's ``importer``): delegations and members from one sheet."""

    audited_by_commit = True

    # -- the columns ------------------------------------------------------------------------------------
    def _member_headers(self) -> dict[str, str]:
        """Folded header → member field: the template's labels and the model's names, in every language; a
        spelling that names a delegation column is left to it."""
        found = {}
        for language in _languages():
            with translation.override(language):
                for name, label in MEMBER_LABELS.items():
                    spellings = (str(label), str(DelegationMember._meta.get_field(name).verbose_name))
                    for spelling in spellings:
                        folded = fold(spelling)
                        if folded and folded not in self.sheet.headers:
                            found.setdefault(folded, name)
                # "Họ và tên", "Chức vụ", "Cơ quan" as the provinces' sheets head them.
                found.setdefault(fold(_("Full name")), "name")
        return found

    def _number_headers(self) -> set[str]:
        found = set(NUMBER_SPELLINGS)
        for language in _languages():
            with translation.override(language):
                found.add(fold(str(NUMBER_LABEL)))
        return found

    def _read_columns(self, headers: list[str], rows: list[list[str]], plan: DelegationPlan):
        """(index of the number column, {index: delegation column}, {index: member field})."""
        numbers, members = self._number_headers(), self._member_headers()
        number_index, delegation_columns, member_columns = None, {}, {}
        for index, header in enumerate(headers):
            folded = fold(header)
            taken = [*delegation_columns.values(), *member_columns.values()]
            if folded in numbers:
                if number_index is not None:
                    plan.errors.append(RowError(1, header, _("this column is given twice")))
                number_index = index
            elif folded in members:
                name = members[folded]
                if name in member_columns.values():
                    plan.errors.append(RowError(1, header, _("this column is given twice")))
                member_columns[index] = name
            elif (column := self.sheet.column_for(header)) is not None and column != "id":
                if column in taken:
                    plan.errors.append(RowError(1, header, _("this column is given twice")))
                delegation_columns[index] = column
            elif folded in self.sheet.shown_only:
                plan.ignored.append(header)
            elif not header and not any(row[index] for row in rows):
                continue
            else:
                message = _("unknown column; the columns read are: %(columns)s") % {"columns": self.column_list()}
                plan.errors.append(RowError(1, header or str(index + 1), message))
        if number_index is None:
            plan.errors.append(RowError(1, capfirst(str(NUMBER_LABEL)), _("required column is missing")))
        for name in self.record_type.columns:
            if self.sheet.needed(name) and name not in delegation_columns.values():
                plan.errors.append(RowError(1, self.record_type.header(name), _("required column is missing")))
        return number_index, delegation_columns, member_columns

    def column_list(self) -> str:
        members = ", ".join(capfirst(str(label)) for label in MEMBER_LABELS.values())
        return f"{capfirst(str(NUMBER_LABEL))}, {self.sheet.column_list()}, {members}"

    # -- reading the cells ------------------------------------------------------------------------------
    def _prefetch(self, texts: dict[str, set[str]]) -> None:
        """Relations written by their key (a unit's, a country's ISO code, a partner's), found in the rows each
        reader holds (read once) rather than by a query per value; names go through the reader as they are."""
        for name, values in texts.items():
            reader = self.sheet.readers.get(name)
            if not isinstance(reader, RelationReader) or reader.lookup == "id":
                continue
            by_key: dict[str, list] = {}
            for pk, row in reader.by_pk.items():
                key = getattr(row, reader.lookup, None)
                if key:
                    by_key.setdefault(str(key).lower(), []).append(pk)
            for text in values:
                parts = filter(None, (part.strip() for part in text.split(";"))) if reader.many else [text]
                for part in parts:
                    found = by_key.get(part.lower(), [])
                    if len(found) == 1:
                        reader.found.setdefault(part, found[0])

    def _value(self, name: str, text: str, cache: dict):
        """The cleaned value of a delegation cell, as the form takes it (its reader, then its field's checks);
        raises ValidationError or CellError. Cached by text: a file repeats its values."""
        key = (name, text)
        if key in cache:
            result = cache[key]
            if isinstance(result, Exception):
                raise result
            return result
        reader = self.sheet.readers[name]
        form_field = self.sheet.form.fields[name]
        try:
            if not text and isinstance(form_field, forms.NullBooleanField):
                # An empty cell is "not known", as the form's empty choice (the reader takes it for "no").
                cache[key] = None
                return None
            value = reader.read(text)
            if value in (None, "", []) and name in self.sheet.defaults:
                value = self.sheet.defaults[name]
            if isinstance(reader, RelationReader):
                # The reader found the row among the form's choices (the user's units): no query per cell.
                if form_field.required and value in (None, "", []):
                    raise ValidationError(form_field.error_messages["required"], code="required")
                result = value or ([] if reader.many else None)
            else:
                result = form_field.clean(value)
        except (CellError, ValidationError) as error:
            cache[key] = error
            raise
        cache[key] = result
        return result

    # -- the plan ---------------------------------------------------------------------------------------
    def plan(self, headers: list[str], rows: list[list[str]], progress=None) -> ImportPlan:
        if not {fold(header) for header in headers} & (self._number_headers() | set(self._member_headers())):
            # A sheet of one delegation a row, without members (the list's own export, a script's file): read as
            # every list's import reads it, its ID column naming the delegations it changes.
            return super().plan(headers, rows)
        plan = DelegationPlan()
        number_index, delegation_columns, member_columns = self._read_columns(headers, rows, plan)
        if plan.errors:
            return plan
        if not rows:
            plan.errors.append(RowError(2, "*", _("the file has no rows below its header")))
            return plan
        number_header = headers[number_index]
        # The rows of each delegation, by number, in the order the file first names them.
        groups: dict[str, list[tuple[int, list[str]]]] = {}
        current = None
        for offset, row in enumerate(rows):
            number = row[number_index].strip()
            if number:
                current = _number(number)
            elif current is None:
                message = _("write the delegation's number on its first row")
                plan.errors.append(RowError(offset + 2, number_header, message))
                continue
            groups.setdefault(current, []).append((offset + 2, row))
        texts: dict[str, set[str]] = {}
        for index, name in delegation_columns.items():
            texts[name] = {row[index] for row in rows if row[index]}
        self._prefetch(texts)
        cache: dict = {}
        rules_by_owner: dict[int, object] = {}
        if progress is not None:
            progress.start(len(groups), _("Checking the rows"))
        read: list[DelegationRow] = []
        for done, (number, group) in enumerate(groups.items(), start=1):
            delegation = self._delegation(number, group, delegation_columns, headers, cache, plan)
            if delegation is not None:
                self._members(delegation, group, member_columns, headers, plan)
                read.append(delegation)
            if delegation is not None and not plan.errors:
                self._rules(delegation, rules_by_owner, plan)
                plan.creates.append(delegation)
            if progress is not None:
                progress.step(done)
        self._refuse_frozen_delegations(read, delegation_columns, headers, plan)
        if plan.errors:
            plan.creates = []
        return plan

    def _refuse_frozen_delegations(
        self, delegations: list[DelegationRow], columns: dict[int, str], headers, plan
    ) -> None:
        """A delegation dated in a period whose report is sent is refused on its first row, as delegation_create
        refuses it (core.services.ensure_not_frozen; issue 20, item 3): every delegation of the file in one check."""
        refusals = frozen_refusals([item.instance for item in delegations])
        name = Delegation.period_date
        header = next(
            (headers[index] for index, column in columns.items() if column == name),
            capfirst(self.record_type.header(name)),
        )
        for item, message in zip(delegations, refusals, strict=True):
            if message:
                plan.errors.append(RowError(item.row, header, message))

    def _delegation(self, number, group, columns, headers, cache, plan) -> DelegationRow | None:
        first = group[0][0]
        cells: dict[str, tuple[int, str]] = {}  # column -> (row, text): the first row that fills it
        errors: list[RowError] = []
        for row_number, row in group:
            for index, name in columns.items():
                text = row[index].strip()
                if not text:
                    continue
                if name not in cells:
                    cells[name] = (row_number, text)
                elif fold(text) != fold(cells[name][1]):
                    message = _(
                        "differs from row %(row)s of the same delegation (no. %(number)s); repeat it as written "
                        "there or leave it empty"
                    ) % {"row": cells[name][0], "number": number}
                    errors.append(RowError(row_number, headers[index], message))
        header_of = {name: headers[index] for index, name in columns.items()}
        values = {}
        for name in columns.values():
            row_number, text = cells.get(name, (first, ""))
            try:
                values[name] = self._value(name, text, cache)
            except CellError as error:
                errors.append(RowError(row_number, header_of[name], error.message))
            except ValidationError as error:
                errors.extend(RowError(row_number, header_of[name], message) for message in error.messages)
        if errors:
            plan.errors.extend(errors)
            return None
        for name, value in self.sheet.defaults.items():
            values.setdefault(name, value)
        m2m = {}
        instance = Delegation()
        for name, value in values.items():
            model_field = Delegation._meta.get_field(name)
            if model_field.many_to_many:
                m2m[name] = list(value or [])
            elif model_field.is_relation:
                # The row the reader holds: the model's rules read it (an origin's ISO code) without a query.
                setattr(instance, name, self.sheet.readers[name].by_pk[value] if value else None)
            else:
                setattr(instance, name, value if value is not None or model_field.null else model_field.get_default())
        try:
            instance.clean()
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = header_of.get(name, capfirst(self.record_type.header(name)) if name != "__all__" else "*")
                row_number = cells.get(name, (first,))[0]
                plan.errors.extend(RowError(row_number, column, message) for message in messages)
            return None
        return DelegationRow(row=first, number=number, instance=instance, m2m=m2m)

    def _members(self, delegation: DelegationRow, group, columns, headers, plan) -> None:
        """The members listed on the delegation's rows, checked as its form's member rows are."""
        fields = DelegationMemberForm.base_fields
        header_of = {name: headers[index] for index, name in columns.items()}
        name_header = header_of.get("name", capfirst(str(MEMBER_LABELS["name"])))
        seen: dict[str, int] = {}
        for row_number, row in group:
            cells = {name: row[index].strip() for index, name in columns.items()}
            if not any(cells.values()):
                continue  # a delegation row without a member
            values, failed = {}, False
            for name in ("name", "position", "organisation"):
                try:
                    values[name] = fields[name].clean(cells.get(name, ""))
                except ValidationError as error:
                    failed = True
                    column = header_of.get(name, name_header)
                    plan.errors.extend(RowError(row_number, column, message) for message in error.messages)
            if failed:
                continue
            folded = fold(values["name"])
            if folded in seen:
                message = _("Full name: this person is already a member of the delegation.")
                first = _("row %(row)s") % {"row": seen[folded]}
                plan.errors.append(RowError(row_number, name_header, f"{message} ({first})"))
                continue
            seen[folded] = row_number
            delegation.members.append(DelegationMember(**values))
        instance = delegation.instance
        if not delegation.members and not instance.member_count:
            # activities.services.check_members, in its words, on the delegation's first row.
            message = _(
                "Number of members: list the members of the delegation or declare their number when the list is not "
                "kept."
            )
            plan.errors.append(RowError(delegation.row, capfirst(self.record_type.header("member_count")), message))

    def _rules(self, delegation: DelegationRow, rules_by_owner: dict, plan) -> None:
        """An approved delegation that breaks its unit's rules is refused, as delegation_create refuses it; the
        rules that read the stored members and countries are checked again once written (commit)."""
        instance = delegation.instance
        if instance.status != DelegationStatus.APPROVED or instance.direction != Direction.OUTGOING:
            return
        if instance.owner_id not in rules_by_owner:
            rules_by_owner[instance.owner_id] = workflow.rules_for(instance)
        if rules_by_owner[instance.owner_id] is None:
            return
        delegation.check_rules = True
        declared = instance.member_count
        # Unsaved, the delegation's person-trips are its declared count: its listed members stand in for them.
        instance.member_count = len(delegation.members) or declared
        try:
            check_approved_within_rules(instance, None)
        except ValidationError as error:
            plan.errors.extend(
                RowError(delegation.row, capfirst(self.record_type.header("status")), message)
                for message in error.messages
            )
        finally:
            instance.member_count = declared

    # -- writing ----------------------------------------------------------------------------------------
    def commit(self, plan: DelegationPlan, request=None, progress=None) -> tuple[int, int]:
        """Write every delegation of ``plan`` with its members in one transaction, in bulk; one audit entry."""
        if not isinstance(plan, DelegationPlan):
            created, updated = super().commit(plan, request=request, progress=progress)
            detail = {"model": Delegation._meta.label_lower, "created": created, "updated": updated}
            audit(AuditAction.IMPORT, user=self.user, request=request, detail=detail)
            return created, updated
        if not plan.ok:
            raise ValidationError(_("The file has errors; nothing was written."))
        user, now = self.user, timezone.now()
        delegations = [item.instance for item in plan.creates]
        if progress is not None:
            progress.start(len(delegations), _("Writing the delegations"))
        with atomic():
            for instance in delegations:
                _stamp(instance, user, now)
            Delegation.objects.bulk_create(delegations, batch_size=BATCH)
            Delegation.history.bulk_history_create(
                delegations, batch_size=BATCH, default_user=user, default_change_reason=IMPORT_REASON, default_date=now
            )
            for name in ("countries", "partners"):
                through = getattr(Delegation, name).through
                source, target = f"{Delegation._meta.model_name}_id", _target_column(through)
                links = [
                    through(**{source: item.instance.pk, target: pk})
                    for item in plan.creates
                    for pk in item.m2m.get(name, [])
                ]
                through.objects.bulk_create(links, batch_size=BATCH)
            members = []
            for item in plan.creates:
                for member in item.members:
                    member.delegation = item.instance
                    _stamp(member, user, now)
                    members.append(member)
            DelegationMember.objects.bulk_create(members, batch_size=BATCH)
            DelegationMember.history.bulk_history_create(
                members, batch_size=BATCH, default_user=user, default_change_reason=IMPORT_REASON, default_date=now
            )
            if progress is not None:
                progress.step(len(delegations) // 2 or 1)
            for item in plan.creates:
                if item.check_rules:
                    try:
                        check_approved_within_rules(item.instance, None)
                    except ValidationError as error:
                        status = capfirst(self.record_type.header("status"))
                        raise ValidationError(str(RowError(item.row, status, " ".join(error.messages)))) from error
                # Delegations done with partners met add their visits to the timelines, as delegation_create does:
                # one at a time, as they are few in a file (the others return at once, without a query).
                if item.instance.status == DelegationStatus.DONE and item.m2m.get("partners"):
                    record_meetings(item.instance, user=user, request=request)
            audit(
                AuditAction.IMPORT,
                user=user,
                request=request,
                detail={
                    "model": Delegation._meta.label_lower,
                    "created": len(delegations),
                    "updated": 0,
                    "members": len(members),
                },
            )
            if progress is not None:
                progress.step(len(delegations))
        return len(delegations), 0

    # -- the template -----------------------------------------------------------------------------------
    def template_columns(self) -> list[TemplateColumn]:
        number = TemplateColumn(
            header=capfirst(str(NUMBER_LABEL)),
            required=True,
            note=_(
                "The delegation's number in the file: the rows of one delegation, one a member, carry the same "
                "number (or leave it empty below the first)."
            ),
        )
        fields = DelegationMemberForm.base_fields
        notes = {
            name: _("Text of at most %(count)s characters.") % {"count": fields[name].max_length} for name in fields
        }
        notes["name"] += " " + _("One member a row; a delegation without its list declares its number of members.")
        members = [
            TemplateColumn(header=capfirst(str(label)), required=False, note=notes[name])
            for name, label in MEMBER_LABELS.items()
        ]
        return [number, *template_columns(self.record_type, self.user), *members]

    def template_guide(self) -> list[str]:
        return [
            _("Import template: %(records)s") % {"records": self.record_type.verbose_name_plural},
            _("Fill in the sheet “%(sheet)s” from the second row, one member a row; leave its first row as it is.")
            % {"sheet": _("Data")},
            _(
                "The rows of one delegation carry its number in the column “%(number)s”. Write the delegation's "
                "columns on its first row; on the rows of its other members repeat them or leave them empty."
            )
            % {"number": capfirst(str(NUMBER_LABEL))},
            _(
                "A delegation whose list of members is not kept takes one row, with the member columns empty and its "
                "number of members declared."
            ),
            _(
                "Write choices as the screens show them (a drop-down list offers them) and names of units, countries "
                "and partners as the screens write them; diacritics and capitals may be left out."
            ),
            _(
                "Nothing is written unless every row is valid: the import page lists each error by row and column, "
                "with the values allowed."
            ),
        ]


def _stamp(instance: models.Model, user, now) -> None:
    """What TrackedModel.save and record_create set on a new row, for a row written in bulk (which calls no save):
    text in NFC, who and when, the search text."""
    for model_field in instance._meta.concrete_fields:
        if isinstance(model_field, models.CharField | models.TextField):
            value = getattr(instance, model_field.attname)
            if isinstance(value, str):
                setattr(instance, model_field.attname, clean_text(value))
    instance.created_by = instance.updated_by = user
    instance.created_at = instance.updated_at = now
    instance.search_text = instance.build_search_text()


def _target_column(through) -> str:
    """The column of a many-to-many table that names the related row (``country_id``, ``partner_id``)."""
    return next(
        model_field.attname
        for model_field in through._meta.concrete_fields
        if model_field.is_relation and model_field.related_model is not Delegation
    )
