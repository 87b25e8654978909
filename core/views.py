"""Generic record views driven by a RecordType, and the pages of core (home, search, units, jobs)."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView
from django_tables2 import RequestConfig
from unidecode import unidecode

from core.audit import audit
from core.choices import AuditAction, UnitLevel
from core.collation import collated
from core.files import file_link, file_response, keep_pending_upload
from core.filtersets import unit_label, units_named
from core.forms import BulkEditForm, ImportForm, PurgeForm
from core.history import changes_in_words, date_time_text, reason_label
from core.jobs import job_start
from core.kept_uploads import keep_uploads, release_kept_uploads, restore_kept_uploads
from core.models import AuditEntry, Job, Unit
from core.periods import partial_date
from core.records import RecordType, record_types
from core.scope import scope_for
from core.services import (
    VersionConflict,
    record_delete,
    record_purge,
    record_restore,
)
from core.tables import export_values, plain_number
from core.tabular import read_table, write_csv, write_xlsx
from core.text import fold

PAGE_SIZES = (25, 50, 100, 250)


def page_size(request, default: int = 25) -> int:
    try:
        size = int(request.GET.get("page_size", default))
    except (TypeError, ValueError):
        return default
    return size if size in PAGE_SIZES else default


class RecordView(LoginRequiredMixin, View):
    """Base of the generic record views: the record type and the scoped queryset."""

    record_type: RecordType = None

    def queryset(self, action: str = "view"):
        return self.record_type.model._default_manager.restrict(self.request.user, action)

    def get_object(self, action: str = "view", manager=None):
        manager = manager or self.record_type.model._default_manager
        # Out of scope answers 404, not 403: the record's existence is not disclosed.
        return get_object_or_404(manager.restrict(self.request.user, action), pk=self.kwargs["pk"])

    def may_change(self) -> bool:
        return not scope_for(self.request.user, "change").empty

    def context(self, **extra) -> dict:
        return {
            "record_type": self.record_type,
            "opts": self.record_type.model._meta,
            "url_base": self.record_type.url_base,
            "may_change": self.may_change(),
            **extra,
        }


class RecordListView(RecordView):
    template_name = "core/record_list.html"

    def get(self, request, *args, **kwargs):
        # Join the related rows the table shows, so the page's queries do not grow with its rows.
        shown = set(self.record_type.table_class.base_columns)
        related = [f.name for f in self.record_type.model._meta.concrete_fields if f.is_relation and f.name in shown]
        queryset = (
            self.queryset()
            .select_related(*related, *self.record_type.list_related)
            .prefetch_related(*self.record_type.list_prefetch)
        )
        filterset = self.record_type.filterset_class(request.GET or None, queryset=queryset, request=request)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
        if filterset.is_bound and not filterset.is_valid():
            rows = queryset.none()
        table = self.record_type.table_class(rows, request=request)
        export = request.GET.get("export")
        if export in {"xlsx", "csv"}:
            # Every row, in the order the screen's column sort asks for (?sort=): export equals screen.
            RequestConfig(request, paginate=False).configure(table)
            return self.export(table, export)
        RequestConfig(request, paginate={"per_page": page_size(request)}).configure(table)
        self.record_type.model.policy.audit_personal_views(
            request.user, [row.record for row in table.page.object_list], request=request, surface="list"
        )
        return render(
            request,
            self.template_name,
            self.context(
                filterset=filterset, table=table, page_sizes=PAGE_SIZES, bulk=BulkEditForm(choices=self.bulk_choices())
            ),
        )

    def bulk_choices(self):
        return [(name, self.record_type.header(name)) for name in self.record_type.bulk_fields]

    def export(self, table, kind: str) -> HttpResponse:
        """The list as on screen (every page, same filters, order and columns)."""
        headers, rows = export_values(table)
        self.record_type.model.policy.audit_personal_views(
            self.request.user, table.data, request=self.request, surface=f"export {kind}"
        )
        audit(
            AuditAction.EXPORT,
            request=self.request,
            detail={
                "model": self.record_type.model._meta.label_lower,
                "rows": len(rows),
                "format": kind,
                "filters": {k: v for k, v in self.request.GET.items() if k != "export"},
            },
        )
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        name = f"{self.record_type.slug}-{stamp}.{kind}"
        if kind == "xlsx":
            content = write_xlsx(headers, rows, title=self.record_type.verbose_name_plural)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        else:
            content, content_type = write_csv(headers, rows), "text/csv; charset=utf-8"
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class RecordBulkView(RecordView):
    """Bulk delete (to the trash) or bulk edit of one field, on the selected records in scope."""

    def post(self, request, *args, **kwargs):
        ids = [value for value in request.POST.getlist("pk") if value.isdigit()]
        records = list(self.queryset("change").filter(pk__in=ids))
        list_url = reverse(f"{self.record_type.url_base}_list")
        if not records:
            messages.warning(request, _("Select at least one record that you may change."))
            return redirect(list_url)
        action = request.POST.get("action")
        try:
            with transaction.atomic():
                if action == "delete" and self.record_type.trash:
                    for record in records:
                        record_delete(instance=record, user=request.user, request=request)
                    messages.success(request, _("%(n)s records moved to the trash.") % {"n": len(records)})
                elif action == "edit":
                    self.bulk_edit(records)
                else:
                    messages.error(request, _("Unknown action."))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, "; ".join(getattr(exc, "messages", [str(exc)])))
        return redirect(list_url)

    def bulk_edit(self, records) -> None:
        form = BulkEditForm(self.request.POST, choices=[(n, n) for n in self.record_type.bulk_fields])
        if not form.is_valid():
            raise ValidationError(_("Choose a field to change."))
        name, value = form.cleaned_data["field"], form.cleaned_data["value"]
        for record in records:
            data = {**_form_initial(self.record_type, record), name: value, "version": record.version}
            record_form = self.record_type.form_class(data=data, instance=record, user=self.request.user)
            if not record_form.is_valid():
                errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in record_form.errors.items())
                raise ValidationError(_("%(record)s: %(errors)s") % {"record": record, "errors": errors})
            self.record_type.update_verb(
                instance=record_form.save(commit=False),
                user=self.request.user,
                expected_version=record.version,
                request=self.request,
            )
        messages.success(self.request, _("%(n)s records changed.") % {"n": len(records)})


def _form_initial(record_type: RecordType, instance) -> dict:
    from django.forms.models import model_to_dict

    data = model_to_dict(instance, fields=list(record_type.form_class.base_fields))
    for key, value in list(data.items()):
        if isinstance(value, list):
            data[key] = [getattr(item, "pk", item) for item in value]
        elif isinstance(value, dt.date):
            data[key] = value.strftime("%d/%m/%Y")
    return {key: value for key, value in data.items() if value is not None}


# The versions a record's page lists, newest first.
HISTORY_SHOWN = 50


class RecordDetailView(RecordView):
    def get(self, request, *args, **kwargs):
        record = self.get_object()
        policy = self.record_type.model.policy
        policy.audit_personal_views(request.user, [record], request=request, surface="page")
        # The last 50 versions and the one before them: each version's changes are against the next row (what
        # simple_history's prev_record answers with a query a version).
        versions = list(
            record.history.select_related("history_user").order_by("-history_date", "-history_id")[: HISTORY_SHOWN + 1]
        )
        masked = policy.masked_fields(request.user, record)
        model = type(record)
        changes = [
            (
                entry,
                reason_label(entry.history_change_reason),
                changes_in_words(model, entry.diff_against(versions[index + 1]), frozenset(masked), record)
                if index + 1 < len(versions)
                else [],
            )
            for index, entry in enumerate(versions[:HISTORY_SHOWN])
        ]
        fields = [
            (f.verbose_name, policy.shown(request.user, record, f.name, shown_value(record, f)))
            for f in record._meta.concrete_fields
            # The version is the badge by the title (core/record_detail.html), not a line of the record.
            if f.name not in {"id", "search_text", "deleted_by", "deleted_at", "version"} and not f.name.startswith("_")
        ]
        fields += [
            (f.verbose_name, ", ".join(str(item) for item in linked_rows(record, f, request.user)))
            for f in record._meta.many_to_many
            # Links the verbs write (a delegation's timeline entries) are shown by the record's own page, in scope.
            if f.editable
        ]
        related = [(title, list(function(record, request.user)[:50])) for title, function in self.record_type.related]
        extra = self.record_type.detail_context(record, request) if self.record_type.detail_context else {}
        # A record whose state forbids editing (a report sent) says so with ``editable`` in its page's context.
        may_edit = extra.pop("editable", True) and self.queryset("change").filter(pk=record.pk).exists()
        return render(
            request,
            self.record_type.detail_template,
            self.context(
                **extra,
                record=record,
                fields=fields,
                changes=changes,
                related=related,
                audit_entries=_audit_lines(record),
                may_edit=may_edit,
                # A record numbered by its own revisions (a report: "lần 2", each time it is sent) shows those only:
                # a second count of its saves beside it read as the same number under another word.
                shows_version=not any(f.name == "revision" for f in record._meta.concrete_fields),
            ),
        )


def linked_rows(record, model_field, user):
    """The records a many-to-many field links, those of a scoped model through its policy (an agreement signed
    during a trip is shown to those who may see the agreement)."""
    rows = getattr(record, model_field.name).all()
    return rows.restrict(user) if hasattr(rows, "restrict") else rows


def _audit_lines(record) -> list[dict]:
    """The record's audit entries as its page lists them: a step by its name (as its button says it), with the
    reason written for it (an approval despite the rules, a decision without every opinion)."""
    entries = AuditEntry.objects.filter(model=record._meta.label_lower, object_pk=str(record.pk)).select_related(
        "user"
    )[:50]
    return [
        {
            "at": entry.at,
            "username": entry.username,
            # Who, by the name the history above writes (the user's full name); the login stays in the entry, as
            # the log kept it, for the page's tooltip. A user since removed is named by the login kept.
            "name": str(entry.user) if entry.user is not None else entry.username,
            "action": reason_label(entry.verb) or entry.get_action_display(),
            "reason": str((entry.detail or {}).get("reason", "")) if isinstance(entry.detail, dict) else "",
        }
        for entry in entries
    ]


def shown_value(record, model_field) -> object:
    """A field of ``record`` as its page shows it (a partial date, a choice's words, yes or no, a grouped number)."""
    shown = type(record).shown_values.get(model_field.name)
    if shown is not None:
        return shown(record)
    precision = getattr(type(record), "partial_dates", {}).get(model_field.name)
    if precision and getattr(record, model_field.name) is not None:
        # Known only to the month or the year: "04/2013", "2013", as on the list (core.tables.PartialDateColumn).
        return partial_date(getattr(record, model_field.name), getattr(record, precision))
    if isinstance(model_field, models.FileField):
        return file_link(getattr(record, model_field.name))
    if hasattr(model_field, "display"):
        # A field that shows its value otherwise than it stores it (core.history reads it the same way).
        return model_field.display(getattr(record, model_field.name))
    if model_field.choices:
        return getattr(record, f"get_{model_field.name}_display")()
    if isinstance(model_field, models.BooleanField):
        # A yes or no in the page's language, never Python's True/False; not known (a nullable one left empty) is "—".
        value = getattr(record, model_field.name)
        return None if value is None else _("Yes") if value else _("No")
    value = getattr(record, model_field.name)
    if isinstance(model_field, models.DecimalField) and value is not None:
        return plain_number(value)  # 164, not 164,0000; grouped as documents write it
    if isinstance(model_field, models.JSONField) and isinstance(value, list):
        # A list a verb keeps (the rules an approval set aside): its items, never Python's brackets.
        return "; ".join(str(item) for item in value)
    if isinstance(value, dt.date):
        # As every page writes a date and a time: 04/12/2026 16:29 in the local time, never Python's ISO form in UTC.
        return date_time_text(value)
    return value


class RecordFormView(RecordView):
    template_name = "core/record_form.html"

    def form(self, data=None, instance=None):
        form = self.record_type.form_class(
            data=data, files=self.request.FILES if data is not None else None, instance=instance, user=self.request.user
        )
        if data is None and instance is None:
            # A link may preselect values of a new record (?partner=12 from the partner's page).
            for name, value in self.request.GET.items():
                if name in form.fields and name not in {"version", "owner"}:
                    form.initial[name] = value[:200]
        return form

    def inlines(self, instance, data=None) -> list:
        """The child-row formsets of the record type, bound to the parent (a new, unsaved one on add)."""
        parent = instance if instance is not None else self.record_type.model()
        files = self.request.FILES if data is not None else None
        return [
            inline.formset(instance=parent, data=data, files=files, user=self.request.user)
            for inline in self.record_type.inlines
        ]

    def context(self, **extra) -> dict:
        formsets = extra.pop("formsets", [])
        if self.request.method == "POST":
            # The form is shown again with errors: the files it accepted are kept, not chosen again.
            keep_uploads(self.request, [extra.get("form"), *formsets])
        titled = list(zip([inline.title for inline in self.record_type.inlines], formsets, strict=False))
        return super().context(formsets=titled, **extra)

    def get(self, request, *args, **kwargs):
        instance = self.get_object("change") if "pk" in self.kwargs else None
        if instance is None and not self.may_change():
            raise PermissionDenied
        return render(
            request,
            self.template_name,
            self.context(form=self.form(instance=instance), record=instance, formsets=self.inlines(instance)),
        )

    def post(self, request, *args, **kwargs):
        instance = self.get_object("change") if "pk" in self.kwargs else None
        if instance is None and not self.may_change():
            raise PermissionDenied
        kept = restore_kept_uploads(request)  # files accepted on an earlier post of this form
        form = self.form(data=request.POST, instance=instance)
        formsets = self.inlines(instance, data=request.POST)
        # Every formset is validated (not only up to the first invalid one), so that all errors show at once.
        valid = [form.is_valid(), *(formset.is_valid() for formset in formsets if formset.is_bound)]
        if not all(valid):
            return render(
                request, self.template_name, self.context(form=form, record=instance, formsets=formsets), status=400
            )
        record = form.save(commit=False)
        m2m = {f.name: form.cleaned_data[f.name] for f in record._meta.many_to_many if f.name in form.cleaned_data}
        try:
            if instance is None:
                self.record_type.create_verb(
                    instance=record, user=request.user, request=request, m2m=m2m, children=formsets
                )
            else:
                expected = form.cleaned_data.get("version") or 0
                self.record_type.update_verb(
                    instance=record,
                    user=request.user,
                    expected_version=expected,
                    request=request,
                    m2m=m2m,
                    children=formsets,
                )
        except VersionConflict as conflict:
            current = conflict.current
            theirs = self.form(instance=current)
            form.add_error(
                None,
                _(
                    "Someone else saved this record while you were editing it. Their version is "
                    "shown beside yours; nothing was overwritten. Review and save again."
                ),
            )
            return render(
                request,
                self.template_name,
                self.context(
                    form=form,
                    record=current,
                    conflict=theirs,
                    conflict_values=[
                        (theirs[name].label, theirs[name].value(), form[name].value())
                        for name in form.fields
                        if name != "version"
                    ],
                    current_version=current.version,
                    formsets=formsets,
                ),
                status=409,
            )
        except ValidationError as exc:
            for field_name, errors in (
                exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
            ):
                form.add_error(field_name if field_name in form.fields else None, errors)
            return render(
                request, self.template_name, self.context(form=form, record=instance, formsets=formsets), status=400
            )
        except PermissionDenied:
            form.add_error("owner" if "owner" in form.fields else None, _("You may not save records for this unit."))
            return render(
                request, self.template_name, self.context(form=form, record=instance, formsets=formsets), status=403
            )
        release_kept_uploads(request, kept)
        messages.success(request, _("Saved."))
        return redirect(record.get_absolute_url())


class RecordDeleteView(RecordView):
    template_name = "core/record_delete.html"

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.context(record=self.get_object("change")))

    def post(self, request, *args, **kwargs):
        record = self.get_object("change")
        try:
            record_delete(instance=record, user=request.user, request=request)
        except ValidationError as exc:
            # A record of a period whose report is sent stays (core.services.ensure_not_frozen): say why, on its page.
            messages.error(request, " ".join(exc.messages))
            return redirect(record.get_absolute_url())
        messages.success(request, _("“%(record)s” moved to the trash.") % {"record": record})
        return redirect(reverse(f"{self.record_type.url_base}_list"))


class RecordTrashView(RecordView):
    template_name = "core/record_trash.html"

    def get(self, request, *args, **kwargs):
        manager = self.record_type.model.all_objects
        rows = manager.restrict(request.user, "change").filter(deleted_at__isnull=False).order_by("-deleted_at")
        return render(request, self.template_name, self.context(rows=rows[:500], purge_form=PurgeForm()))


class RecordRestoreView(RecordView):
    def post(self, request, *args, **kwargs):
        record = self.get_object("change", manager=self.record_type.model.all_objects)
        try:
            record_restore(instance=record, user=request.user, request=request)
            messages.success(request, _("“%(record)s” restored.") % {"record": record})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(reverse(f"{self.record_type.url_base}_trash"))


class RecordPurgeView(RecordView):
    def post(self, request, *args, **kwargs):
        record = self.get_object("change", manager=self.record_type.model.all_objects)
        form = PurgeForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason for erasing this record."))
        else:
            try:
                record_purge(instance=record, user=request.user, reason=form.cleaned_data["reason"], request=request)
                messages.success(request, _("The record was erased."))
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
        return redirect(reverse(f"{self.record_type.url_base}_trash"))


class RecordImportView(RecordView):
    """Upload, preview (a dry run: what would be created and updated, errors by row and column),
    then confirm: all rows or none."""

    template_name = "core/record_import.html"
    session_key = "pending_import"

    def get(self, request, *args, **kwargs):
        if not self.may_change():
            raise PermissionDenied
        return render(request, self.template_name, self.context(form=ImportForm(), columns=self.columns()))

    def columns(self):
        return [self.record_type.importer(self.record_type, self.request.user).column_list()]

    def post(self, request, *args, **kwargs):
        from core.uploads import check_upload

        if not self.may_change():
            raise PermissionDenied
        importer = self.record_type.importer(self.record_type, request.user)
        if "confirm" in request.POST:
            pending = request.session.get(self.session_key) or {}
            if pending.get("slug") != self.record_type.slug or not default_storage.exists(pending.get("path", "")):
                messages.error(request, _("The file to import is no longer available; upload it again."))
                return redirect(reverse(f"{self.record_type.url_base}_import"))
            request.session.pop(self.session_key, None)
            job = job_start(kind="import_records", user=request.user, params={**pending})
            return redirect(job.get_absolute_url())
        form = ImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form=form, columns=self.columns()), status=400)
        try:
            info = check_upload(
                form.cleaned_data["file"],
                allowed=("xlsx", "csv"),
                attested_not_secret=form.cleaned_data["attest_not_secret"],
                user=request.user,
                request=request,
            )
            form.cleaned_data["file"].seek(0)
            content = form.cleaned_data["file"].read()
            headers, rows = read_table(content, info.kind)
        except ValidationError as exc:
            form.add_error("file", exc)
            return render(request, self.template_name, self.context(form=form, columns=self.columns()), status=400)
        plan = importer.plan(headers, rows)
        if plan.ok:
            previous = (request.session.get(self.session_key) or {}).get("path", "")
            stored = keep_pending_upload(
                content, user=request.user, name=f"{self.record_type.slug}.{info.kind}", replacing=previous
            )
            request.session[self.session_key] = {"slug": self.record_type.slug, "path": stored, "kind": info.kind}
        return render(
            request,
            self.template_name,
            self.context(form=form, plan=plan, columns=self.columns()),
            status=200 if plan.ok else 400,
        )


class RecordImportTemplateView(RecordView):
    """The blank workbook of a registry's import (issue 18, item 6): the headers in the screen's words, drop-down
    lists of the values each list column allows (the user's own choices), and a guide; for whoever may import."""

    def get(self, request, *args, **kwargs):
        from core.tabular import write_template

        if not self.may_change():
            raise PermissionDenied
        importer = self.record_type.importer(self.record_type, request.user)
        content = write_template(importer.template_columns(), guide=importer.template_guide())
        name = slugify(unidecode(f"{_('Import template')} {self.record_type.verbose_name_plural}"))
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response


def _kept_key(record) -> str:
    return f"verb-values:{record._meta.label_lower}:{record.pk}"


def keep_verb_values(request, record, verb) -> None:
    """What a person typed into a step refused (a number, a date, a reason), kept for the page it returns to."""
    values = {name: request.POST.get(name, "") for name in verb.fields if name in request.POST}
    request.session[_kept_key(record)] = {"verb": verb.name, "values": values}


def kept_verb_values(request, record) -> tuple[str, dict | None]:
    """The step refused on ``record`` and the values typed into it, once (the page shows them again, then forgets)."""
    kept = request.session.pop(_kept_key(record), None) or {}
    return kept.get("verb", ""), kept.get("values")


class RecordVerbView(LoginRequiredMixin, View):
    """A button on a record's page that runs a declared verb (core.verbs.Verb) with its small form (a step of an
    agreement's procedure, a relationship's next status), then returns to the page with the verb's refusals or
    its success as messages. ``verbs`` are the verbs the view runs: one, or several told apart by the ``verb``
    the form posts. The record is looked up within the user's ``action`` scope: out of it, 404."""

    model = None
    verbs: dict = {}
    action = "change"
    conflict_message = gettext_lazy("Someone else changed this record meanwhile; check it and try again.")

    def back_to(self, record) -> str:
        return record.get_absolute_url()

    def chosen(self):
        if len(self.verbs) == 1:
            return next(iter(self.verbs.values()))
        return self.verbs.get(self.request.POST.get("verb", ""))

    def post(self, request, pk):
        record = get_object_or_404(self.model.objects.restrict(request.user, self.action), pk=pk)
        verb = self.chosen()
        if verb is None:
            messages.error(request, _("Unknown action."))
            return redirect(self.back_to(record))
        form = verb.form(request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            keep_verb_values(request, record, verb)
            return redirect(self.back_to(record))
        try:
            verb.run(
                record,
                keyword=self.model._meta.model_name,
                user=request.user,
                values=form.cleaned_data,
                request=request,
            )
        except ValidationError as exc:
            # One alert, a line a reason (a report refused with its list of problems), not an alert a reason.
            messages.error(request, "\n".join(exc.messages))
            keep_verb_values(request, record, verb)
        except PermissionDenied:
            messages.error(request, _("This step needs a role you do not hold for this unit."))
        except VersionConflict:
            messages.error(request, self.conflict_message)
        else:
            messages.success(request, _("Done: %(step)s.") % {"step": verb.label})
        return redirect(self.back_to(record))


def record_urls(record_type: RecordType) -> list:
    """URL patterns of one record type: ``<model>_list``, ``<model>``, ``<model>_add``, ``<model>_edit``..."""
    name = record_type.model._meta.model_name
    base = record_type.slug

    def view(cls, **kwargs):
        return cls.as_view(record_type=record_type, **kwargs)

    patterns = [
        path(f"{base}/", view(RecordListView), name=f"{name}_list"),
        path(f"{base}/add/", view(RecordFormView), name=f"{name}_add"),
        path(f"{base}/bulk/", view(RecordBulkView), name=f"{name}_bulk"),
        path(f"{base}/<int:pk>/", view(RecordDetailView), name=name),
        path(f"{base}/<int:pk>/edit/", view(RecordFormView), name=f"{name}_edit"),
    ]
    if record_type.trash:
        patterns += [
            path(f"{base}/<int:pk>/delete/", view(RecordDeleteView), name=f"{name}_delete"),
            path(f"{base}/trash/", view(RecordTrashView), name=f"{name}_trash"),
            path(f"{base}/<int:pk>/restore/", view(RecordRestoreView), name=f"{name}_restore"),
            path(f"{base}/<int:pk>/purge/", view(RecordPurgeView), name=f"{name}_purge"),
        ]
    if record_type.importable:
        patterns += [
            path(f"{base}/import/", view(RecordImportView), name=f"{name}_import"),
            path(f"{base}/import/template/", view(RecordImportTemplateView), name=f"{name}_import_template"),
        ]
    for segment, action in record_type.actions.items():
        patterns.append(path(f"{base}/<int:pk>/{segment}/", action.as_view(), name=f"{name}_{segment}"))
    return patterns


def app_record_urls(namespace: str) -> list:
    """The URL patterns of every record type served under ``namespace`` (an app's), in the order registered."""
    return [url for item in record_types().values() if item.namespace == namespace for url in record_urls(item)]


class HomeView(LoginRequiredMixin, TemplateView):
    """The user's home page: first what they must do (core.todo: the agreements waiting for a leader's decision,
    the opinions overdue, the copies owed, the deadlines), and for users whose reach is national the overview of
    the provinces (core.overview); then the counts of each registry and their recent work (issue 18, item 7)."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        from core.overview import national_overview
        from core.todo import todo_lists

        context = super().get_context_data(**kwargs)
        user = self.request.user
        counts = []
        for record_type in record_types().values():
            if record_type.trash:
                counts.append((record_type, record_type.model._default_manager.restrict(user, "view").count()))
        todos = todo_lists(user)
        context.update(
            todos=todos,
            todos_pending=[item for item in todos if item.count],
            overview=national_overview(user) if scope_for(user, "view").everything else None,
            counts=counts,
            memberships=user.active_memberships(),
            jobs=Job.objects.filter(created_by=user)[:5],
            recent=AuditEntry.objects.filter(user=user).exclude(action__in=["login", "logout"])[:8],
        )
        return context


class SearchView(LoginRequiredMixin, TemplateView):
    """Search every registry without diacritics and spaces ("quang nam" finds "Quảng Nam")."""

    template_name = "core/search.html"

    def get_context_data(self, **kwargs):
        from core.search import search_everything

        context = super().get_context_data(**kwargs)
        query = self.request.GET.get("q", "")[:200]
        context.update(query=query, groups=search_everything(self.request.user, query) if query.strip() else [])
        return context


class UnitPageView(LoginRequiredMixin, TemplateView):
    """A unit's page: its place in the tree, predecessors and successors, and its records."""

    template_name = "core/unit_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        unit = get_object_or_404(
            Unit.objects.restrict(self.request.user).select_related("parent", "root"), key=self.kwargs["key"]
        )
        children = collated(unit.children.order_by("kind", "name"))
        from core.filtersets import unit_portfolio_q

        # The unit's portfolio per registry: its own records, those of units below it and of predecessors.
        portfolio = [
            (
                record_type,
                record_type.model._default_manager.restrict(self.request.user).filter(unit_portfolio_q(unit)).count(),
            )
            for record_type in record_types().values()
            if record_type.model.scope_prefix() == "owner__"
        ]
        context.update(
            portfolio=portfolio,
            may_report=scope_for(self.request.user, "view").covers(unit),
            unit=unit,
            successors=unit.succession_out.select_related("successor"),
            predecessors=unit.succession_in.select_related("predecessor"),
            children=children[:300],
            children_count=children.count(),
            history=unit.history.order_by("-history_date")[:20],
        )
        return context


class JobView(LoginRequiredMixin, TemplateView):
    """A job's progress; polled by htmx every second until it ends."""

    template_name = "core/job.html"

    def get_job(self):
        jobs = Job.objects.all()
        if not scope_for(self.request.user, "manage_reference").everything:
            jobs = jobs.filter(created_by=self.request.user)
        return get_object_or_404(jobs, pk=self.kwargs["pk"])

    def get_template_names(self):
        return ["core/_job_progress.html"] if self.request.htmx else [self.template_name]

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "job": self.get_job()}


class JobDownloadView(JobView):
    def get(self, request, *args, **kwargs):
        job = self.get_job()
        return file_response(job.result_file, filename=job.result_name)


def healthz(request):
    """Database, broker and disk, for monitoring (no authentication; no data disclosed)."""
    import shutil

    from django.conf import settings

    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - health reports any failure
        checks["database"] = f"error: {type(exc).__name__}"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        checks["broker"] = "eager"
    else:
        try:
            import redis

            redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_connect_timeout=2).ping()
            checks["broker"] = "ok"
        except Exception as exc:  # noqa: BLE001
            checks["broker"] = f"error: {type(exc).__name__}"
    usage = shutil.disk_usage(settings.MEDIA_ROOT if settings.MEDIA_ROOT.exists() else settings.BASE_DIR)
    free_ratio = usage.free / usage.total
    checks["disk"] = "ok" if free_ratio > 0.05 else "low"
    checks["disk_free_percent"] = round(free_ratio * 100, 1)
    healthy = checks["database"] == "ok" and checks["broker"] in {"ok", "eager"} and checks["disk"] == "ok"
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)


class FiguresView(LoginRequiredMixin, TemplateView):
    """Every indicator for a unit and period: value, source, previous period, change, and the
    declared values behind it, with disagreements flagged.

    The unit is written by its name (its key is carried in a hidden field, so that the page never shows it:
    issue 18, item 7, "the figures page opens on the internal code 'cfrc'"). Users whose reach is national see
    the overview of the provinces instead of the empty figures of their central body, each province opening its
    figures."""

    template_name = "core/figures.html"

    def get_context_data(self, **kwargs):
        from core.indicators import breakdown_display, indicator_values
        from core.overview import national_overview
        from core.periods import Period

        context = super().get_context_data(**kwargs)
        user = self.request.user
        unit_text = self.request.GET.get("unit", "")[:200].strip()
        key = self.request.GET.get("key", "")[:80].strip()
        period_text = self.request.GET.get("period", "")[:20].strip()
        national = scope_for(user, "view").everything
        chosen = Unit.objects.filter(key=key).first() if key else None
        if chosen is not None and unit_text and fold(unit_text) != fold(unit_label(chosen)):
            chosen = None  # the name was changed after the page named the unit: the name decides
        context.update(
            unit_text=unit_text, unit_key="", period_text=period_text, rows=None, this_year=timezone.localdate().year
        )
        if chosen is None and not unit_text and not period_text:
            home = user.home_unit
            # A central body owns no province's records: its figures would all be zero.
            if home is not None and home.level != UnitLevel.CENTRAL:
                context.update(unit_text=unit_label(home), unit_key=home.key)
            if national:
                context["overview"] = national_overview(user)
            return context
        errors = []
        if chosen is None:
            named = units_named(unit_text, scope_for(user, "view"))
            if len(named) > 1:
                context["homonyms"] = [
                    (unit, unit_label(unit.root) if unit.root_id != unit.pk else "") for unit in named[:30]
                ]
                errors.append(_("Several units are named “%(name)s”: choose one below.") % {"name": unit_text})
            chosen = named[0] if len(named) == 1 else None
        unit = chosen
        if not errors and (unit is None or not scope_for(user, "view").covers(unit)):
            # A unit out of reach reads as one that does not exist.
            errors.append(_("Unknown unit: write its key or its name (for example “quang nam”)."))
        try:
            period = Period.parse(period_text)
        except ValidationError as exc:
            errors.extend(exc.messages)
        if errors:
            context["errors"] = errors
            return context
        rows = indicator_values(unit=unit, period=period)
        for row in rows:
            row["breakdown_display"] = breakdown_display(row["breakdown"])
        context.update(unit=unit, period=period, rows=rows, unit_text=unit_label(unit), unit_key=unit.key)
        return context
