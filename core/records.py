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
from django.core.exceptions import FieldDoesNotExist
from django.db import models

from core.services import record_create, record_update

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
    # What the record type asks of its users on their home page (core.todo.Todo: the agreements waiting for a
    # leader's decision), and what the national overview counts of it for each province (core.overview.Tally).
    todo: tuple = ()
    overview: tuple = ()
    # What reads and writes the record type's import (a core.importing.Importer subclass): the generic one by
    # default, one record a row through the verbs; an app's own where a file carries more than one record a row
    # (activities.importing.DelegationImporter: a delegation with its members).
    importer: type | None = None

    def __post_init__(self):
        # Importer: imported at the end of this module, as core.importing reads record types.
        self.importer = self.importer or Importer
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

        from core.overview import Tally
        from core.policy import Policy
        from core.todo import Todo

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
        found += [f"todo {item!r} is not a core.todo.Todo" for item in self.todo if not isinstance(item, Todo)]
        found += [
            f"overview {item!r} is not a core.overview.Tally" for item in self.overview if not isinstance(item, Tally)
        ]
        if not (isinstance(self.importer, type) and issubclass(self.importer, Importer)):
            found.append(f"importer {self.importer!r} is not a core.importing.Importer")
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


# The import machinery lives in core.importing (issue 18, item 6: imports in the words of the screens); its names
# are kept here for the callers that import them from the registry's module, and the import job is registered
# with this module.
from core.importing import Importer, ImportPlan, RowError, import_job  # noqa: E402, F401
