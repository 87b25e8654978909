"""The registry machinery: one declaration per model gives its list, detail, form, trash, bulk
edit, import and export in the web UI (core.views) with the same FilterSet as the API.

A model declares a :class:`RecordType`; ``register`` makes it known to search, the navigation,
``import_records`` and ``export_records``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.files import discards_upload
from core.jobs import job_kind
from core.services import record_create, record_update
from core.text import fold

_REGISTRY: dict[str, RecordType] = {}


@dataclass
class Inline:
    """Child rows edited together with their parent on its form, saved in the parent's transaction."""

    formset_class: type[forms.BaseInlineFormSet]
    title: str
    prefix: str

    def formset(self, *, instance, data=None, files=None, user=None):
        if data is not None and f"{self.prefix}-TOTAL_FORMS" not in data:
            # A post without the child rows (a script, an older form) leaves them as they are.
            data = files = None
        rows = self.formset_class.model._default_manager.unrestricted("the rows of the record being edited")
        formset = self.formset_class(data=data, files=files, instance=instance, prefix=self.prefix, queryset=rows)
        formset.user = user
        return formset


# The parts of a record written without side effects and shown on the generic page, named once:
# ``RecordType(model=Contact, form_class=..., **GENERIC_PARTS)`` still names every part it uses.
GENERIC_PARTS = {
    "create_verb": record_create,
    "update_verb": record_update,
    "detail_template": "core/record_detail.html",
}


@dataclass(kw_only=True)
class RecordType:
    """One record type: the model and every part the generic views, the API, the importer and the exporter use,
    each named by import in the app's ``registries.py`` (DESIGN.md, "Where things live"; ``AGREEMENTS`` in
    agreements/registries.py is a record with verbs and a page of its own, ``CONTACTS`` in
    partners/registries.py a plain one).

    Nothing is found by a name built from a string and nothing falls back silently: a declaration that leaves a
    part out fails when its module is imported, and one whose parts do not fit its model fails the system check
    ``core.E001`` at start-up (core.checks). A record written without side effects names the generic verbs and
    page by spreading :data:`GENERIC_PARTS` into its declaration.

    Who sees and changes the records is the model's policy (``Model.policy``, core.policy), declared on the
    model as Django declares its managers; :attr:`policy` reads it. The API's viewset names the record type, and
    its route is the record type's ``slug`` (core.api.router.register_viewset).

    ``slug`` (the URL and API path, the name ``export_records`` takes) is the model's name in plural, lower
    case, words joined by hyphens: ``PartnerAlias`` is ``partner-aliases``. ``columns`` are the import/export
    columns: by default the form's fields that a spreadsheet can carry (not files), in order. ``natural_key``
    finds the existing row an imported row updates when no ``id`` is given; it is also how other record types
    write a relation to this one in a spreadsheet (:attr:`lookups`).
    """

    model: type[models.Model]
    form_class: type[forms.ModelForm]
    filterset_class: type
    table_class: type
    # The verbs that write a record: the app's own (``agreements.services.agreement_create``) where writing has
    # side effects or rules of its own, else the generic ``core.services.record_create`` and ``record_update``.
    create_verb: Callable
    update_verb: Callable
    # The detail page's template: the app's own where the page shows more than the fields, else
    # ``core/record_detail.html``.
    detail_template: str
    # More for that page: function(record, request) -> dict added to the template's context.
    detail_context: Callable | None = None
    slug: str = ""
    columns: tuple[str, ...] = ()
    natural_key: tuple[str, ...] = ()
    bulk_fields: tuple[str, ...] = ()
    trash: bool = True
    importable: bool = True
    namespace: str = ""
    # Panels on the detail page: (title, function(record, user) -> queryset already restricted).
    related: tuple[tuple[str, Callable], ...] = ()
    # Child rows edited on the record's form (a partner's spellings; later a delegation's members).
    inlines: tuple[Inline, ...] = ()
    # Relations the list joins beyond the table's own columns (what a column's text reads: ``relationship__partner``).
    list_related: tuple[str, ...] = ()
    # Many-valued relations a column reads (an agreement's foreign parties), fetched once per page.
    list_prefetch: tuple[str, ...] = ()
    # Views of one record beyond the generic ones (a step of its procedure, a merge), by URL segment:
    # ``{"merge": PartnerMergeView}`` serves ``<slug>/<pk>/merge/``, named ``<model>_merge``.
    actions: dict[str, type] = field(default_factory=dict)

    def __post_init__(self):
        self.slug = self.slug or plural_slug(self.model.__name__)
        self.namespace = self.namespace or self.model._meta.app_label
        if not self.columns:
            files = {item.name for item in self.model._meta.fields if isinstance(item, models.FileField)}
            self.columns = tuple(name for name in self.form_class._meta.fields if name not in files)

    @property
    def policy(self):
        """Who sees and changes the records (core.policy), as declared on the model."""
        return self.model.policy

    def problems(self) -> list[str]:
        """What does not fit in the declaration: a part made for another model, a verb that cannot be called, a
        template that does not exist (the system check ``core.E001`` reports these at start-up)."""
        from django.template import TemplateDoesNotExist
        from django.template.loader import get_template

        from core.policy import Policy

        found = []
        for name, part in (
            ("form_class", getattr(self.form_class, "_meta", None)),
            ("filterset_class", getattr(self.filterset_class, "_meta", None)),
            ("table_class", getattr(self.table_class, "_meta", None)),
        ):
            if getattr(part, "model", None) is not self.model:
                found.append(f"{name} is not made for {self.model.__name__}")
        for name in ("create_verb", "update_verb"):
            if not callable(getattr(self, name)):
                found.append(f"{name} is not callable")
        if self.detail_context is not None and not callable(self.detail_context):
            found.append("detail_context is not callable")
        try:
            get_template(self.detail_template)
        except TemplateDoesNotExist:
            found.append(f"detail_template {self.detail_template!r} does not exist")
        if not isinstance(getattr(self.model, "policy", None), Policy):
            found.append(f"{self.model.__name__} declares no policy")
        return found

    @cached_property
    def lookups(self) -> dict[str, str]:
        """How each relation column is written in a spreadsheet: by the related record type's natural key
        where that is one field (a unit by its key, a country by its ISO code, a field by its code), else by
        id (a relationship, an agreement). Read once every app has registered its record types."""
        found = {}
        for name in self.columns:
            try:
                related = self.model._meta.get_field(name).related_model
            except FieldDoesNotExist:
                continue  # a form-only column
            if related is not None:
                related_type = record_type_for(related)
                key = related_type.natural_key if related_type else ()
                found[name] = key[0] if len(key) == 1 else "id"
        return found

    @property
    def url_base(self) -> str:
        return f"{self.namespace}:{self.model._meta.model_name}"

    @property
    def verbose_name_plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def header(self, name: str) -> str:
        try:
            return str(self.model._meta.get_field(name).verbose_name)
        except Exception:  # noqa: BLE001 - a form-only column has no model field
            return name

    def column_for_header(self, header: str) -> str | None:
        folded = fold(header)
        for name in ("id", *self.columns):
            if folded in {fold(name), fold(self.header(name))}:
                return name
        return None

    def export_value(self, instance, name: str):
        value = getattr(instance, name)
        if name in self.lookups and value is not None:
            if isinstance(value, models.Manager):
                return "; ".join(str(getattr(item, self.lookups[name])) for item in value.all())
            return getattr(value, self.lookups[name])
        if isinstance(value, list):
            return "; ".join(str(item) for item in value)
        return value


def plural_slug(name: str) -> str:
    """``PartnerAlias`` → ``partner-aliases``, ``Currency`` → ``currencies``: English plural, hyphenated."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()
    if re.search(r"(s|x|z|ch|sh)$", words):
        return f"{words}es"
    if re.search(r"[^aeiou]y$", words):
        return f"{words[:-1]}ies"
    return f"{words}s"


def register(record_type: RecordType) -> RecordType:
    _REGISTRY[record_type.slug] = record_type
    return record_type


def record_types() -> dict[str, RecordType]:
    return dict(_REGISTRY)


def record_type_for(model: type[models.Model]) -> RecordType | None:
    return next((item for item in _REGISTRY.values() if item.model is model), None)


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def contract_line(self) -> str:
        """The fixed form that scripts read from ``import_records`` (CONTRACT.md), in any language."""
        return f"row {self.row}, column {self.column}: {self.message}"

    def __str__(self) -> str:
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportPlan:
    """The result of validating a whole file: what would be created and updated, and every error."""

    creates: list = field(default_factory=list)
    updates: list = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class Importer:
    """Validates every row with the model's own form (as the web form does), then writes all rows
    through the record services in one transaction, or nothing."""

    def __init__(self, record_type: RecordType, user):
        self.record_type = record_type
        self.user = user

    def _resolve(self, name: str, text: str, row_number: int, errors: list[RowError]):
        model_field = self.record_type.model._meta.get_field(name)
        related = model_field.related_model
        attribute = self.record_type.lookups[name]
        values = [part.strip() for part in text.split(";")] if model_field.many_to_many else [text]
        found = []
        # Only what the user may see: another province's record and one that does not exist read the same.
        rows = related._default_manager.all()
        if hasattr(rows, "restrict"):
            rows = rows.restrict(self.user, "view")
        for value in values:
            if not value:
                continue
            if attribute == "id" and not value.isdigit():
                errors.append(RowError(row_number, self.record_type.header(name), _("Write the record's id number.")))
                continue
            match = rows.filter(**{attribute: value}).first()
            if match is None and hasattr(related, "search_text"):
                matches = list(rows.filter(search_text__contains=fold(value))[:2])
                match = matches[0] if len(matches) == 1 else None
            if match is None:
                errors.append(
                    RowError(
                        row_number,
                        self.record_type.header(name),
                        _("“%(value)s” is not known.") % {"value": value[:80]},
                    )
                )
                continue
            found.append(match.pk)
        return found if model_field.many_to_many else (found[0] if found else "")

    def plan(self, headers: list[str], rows: list[list[str]]) -> ImportPlan:
        plan = ImportPlan()
        mapping = {}
        for index, header in enumerate(headers):
            name = self.record_type.column_for_header(header)
            if name is None:
                plan.errors.append(RowError(1, header or str(index + 1), _("unknown column")))
            else:
                mapping[index] = name
        missing = [
            self.record_type.header(name)
            for name, form_field in self.record_type.form_class.base_fields.items()
            if form_field.required and name in self.record_type.columns and name not in mapping.values()
        ]
        for header in missing:
            plan.errors.append(RowError(1, header, _("required column is missing")))
        if plan.errors:
            return plan
        manager = self.record_type.model._default_manager
        seen: dict[tuple, int] = {}  # a record's id or natural key -> the row that first named it
        for offset, row in enumerate(rows):
            row_number = offset + 2
            data = {}
            row_errors: list[RowError] = []
            for index, name in mapping.items():
                text = row[index]
                if name in self.record_type.lookups:
                    data[name] = self._resolve(name, text, row_number, row_errors)
                else:
                    data[name] = text
            instance = None
            if data.get("id"):
                instance = (
                    manager.restrict(self.user, "change").filter(pk=data["id"]).first()
                    if str(data["id"]).isdigit()
                    else None
                )
                if instance is None:
                    row_errors.append(RowError(row_number, "id", _("no record with this id that you may change")))
            elif self.record_type.natural_key and not row_errors:
                lookup = {key: data.get(key) for key in self.record_type.natural_key}
                if all(lookup.values()):
                    instance = manager.restrict(self.user, "change").filter(**lookup).first()
            # Two rows of one file naming the same record (by id or natural key) would write it twice, or fail
            # on the unique key half-way: the file is refused with both rows named.
            natural = self.record_type.natural_key
            if data.get("id"):
                key, column = ("id", str(data["id"])), "id"
            elif natural and all(data.get(name) not in (None, "") for name in natural):
                key, column = (
                    tuple(str(data[name]) for name in natural),
                    ", ".join(map(self.record_type.header, natural)),
                )
            else:
                key = None
            if key is not None and not row_errors:
                if key in seen:
                    message = _("repeats row %(row)s of this file") % {"row": seen[key]}
                    row_errors.append(RowError(row_number, column, message))
                seen.setdefault(key, row_number)
            if row_errors:
                plan.errors.extend(row_errors)
                continue
            form_data = {key: value for key, value in data.items() if key != "id"}
            if instance is not None:
                # Columns absent from the file keep their stored values.
                initial = forms.model_to_dict(instance, fields=self.record_type.form_class.base_fields)
                form_data = {**{k: v for k, v in initial.items() if v is not None}, **form_data}
            form = self.record_type.form_class(data=form_data, instance=instance, user=self.user)
            if not form.is_valid():
                for name, messages in form.errors.items():
                    column = self.record_type.header(name) if name != "__all__" else "*"
                    plan.errors.extend(RowError(row_number, column, message) for message in messages)
                continue
            target = plan.updates if instance is not None else plan.creates
            target.append((row_number, form))
        return plan

    def commit(self, plan: ImportPlan, request=None, progress=None) -> tuple[int, int]:
        """Write the plan; any failure rolls back every row. ``progress`` (core.jobs.Progress) is told each row."""
        if not plan.ok:
            raise ValidationError(_("The file has errors; nothing was written."))
        if progress is not None:
            progress.start(len(plan.creates) + len(plan.updates), _("Writing the records"))
        with transaction.atomic():
            for done, (_row, form) in enumerate(plan.creates + plan.updates, start=1):
                instance = form.save(commit=False)
                if instance.pk is None:
                    self.record_type.create_verb(instance=instance, user=self.user, request=request, m2m=_m2m(form))
                else:
                    self.record_type.update_verb(
                        instance=instance,
                        user=self.user,
                        expected_version=instance.version,
                        request=request,
                        m2m=_m2m(form),
                    )
                if progress is not None:
                    progress.step(done)
        return len(plan.creates), len(plan.updates)


def _m2m(form: forms.ModelForm) -> dict:
    return {
        model_field.name: form.cleaned_data[model_field.name]
        for model_field in form.instance._meta.many_to_many
        if model_field.name in form.cleaned_data
    }


@job_kind("import_records", gettext_lazy("Import of records"))
@discards_upload("path")
def import_job(job, progress) -> dict:
    """Import a stored file as a job: validate every row again, then write all or nothing."""
    from django.core.files.storage import default_storage
    from django.urls import reverse

    from core.audit import audit
    from core.choices import AuditAction
    from core.tabular import read_table

    record_type = _REGISTRY[job.params["slug"]]
    with default_storage.open(job.params["path"], "rb") as handle:
        headers, rows = read_table(handle.read(), job.params["kind"])
    importer = Importer(record_type, job.created_by)
    plan = importer.plan(headers, rows)
    result = {
        "list_url": reverse(f"{record_type.url_base}_list"),
        "errors": [str(error) for error in plan.errors[:500]],
    }
    if plan.ok:
        created, updated = importer.commit(plan, progress=progress)
        detail = {"model": record_type.model._meta.label_lower, "created": created, "updated": updated}
        audit(AuditAction.IMPORT, user=job.created_by, detail=detail)
        result.update(created=created, updated=updated)
    default_storage.delete(job.params["path"])
    return result
