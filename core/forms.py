"""Base forms: every record form carries the version it was read at, so a stale save is refused."""

from dataclasses import dataclass

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext_lazy as _

from core.collation import collated
from core.models import DeclaredFigure, Unit
from core.scope import scope_for
from core.text import after_label


def units_user_may_own(user):
    """Units a user may create or move records into: the 'change' scope of the one gate, names in Vietnamese
    alphabetical order."""
    return collated(Unit.objects.filter(scope_for(user, "change").q("")).order_by("is_legacy", "level", "name"))


def choices_for(queryset, user):
    """The rows of ``queryset`` that ``user`` may choose in a form or API field, as the policies answer: a
    Vietnamese unit the user may own records in; a scoped record the user may change (an interaction's
    relationship, an agreement's); a shared or reference row the user may see (a partner, a country). Names are in
    Vietnamese alphabetical order (core.collation)."""
    model = queryset.model
    if model is Unit:
        return units_user_may_own(user)
    policy = getattr(model, "policy", None)
    if policy is None:
        return collated(queryset)
    return collated(queryset.restrict(user, "change" if policy.watched else "view"))


class RecordForm(forms.ModelForm):
    """A ModelForm for registry records: hidden ``version``, owner choices limited by scope."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["version"].initial = self.instance.version if self.instance.pk else 1
        if user is not None:
            # Every choice of a record goes through its policy (the owner, a parent unit, a relationship...).
            for field in self.fields.values():
                if isinstance(field, forms.ModelChoiceField):
                    field.queryset = choices_for(field.queryset, user)
            if "owner" in self.fields and not self.instance.pk and user.home_unit is not None:
                self.fields["owner"].initial = user.home_unit.pk
        use_typeahead(self)
        style_fields(self)


class StoredFileInput(forms.ClearableFileInput):
    """The file input of a record form: the current file is named by its original name and links to the view that
    serves it through its owner's policy (core.files), never to a public media URL. A file kept after an error
    elsewhere on the form (core.kept_uploads) is named with a box to remove it, its token in a hidden field."""

    template_name = "core/widgets/stored_file_input.html"
    kept = None

    def value_from_datadict(self, data, files, name):
        from core.kept_uploads import KeptUpload

        upload = super().value_from_datadict(data, files, name)
        # A file field's bound value is its initial file (a browser cannot be given a file back): the kept file is
        # read here, where the form's files are, when the field is rendered (BoundField.value reads the data first).
        found = files.get(name) if hasattr(files, "get") else None
        self.kept = found if isinstance(found, KeptUpload) else None
        return upload

    def get_context(self, name, value, attrs):
        from core.kept_uploads import DROP_SUFFIX, KEPT_SUFFIX

        context = super().get_context(name, value, attrs)
        if self.kept is not None:
            context["widget"]["kept"] = {
                "name": self.kept.name,
                "token": self.kept.kept_token,
                "field": name + KEPT_SUFFIX,
                "drop": name + DROP_SUFFIX,
            }
        return context

    def is_initial(self, value):
        instance = getattr(value, "instance", None)
        return bool(value and getattr(value, "name", "") and instance is not None and instance.pk is not None)

    def format_value(self, value):
        if not self.is_initial(value):
            return None
        from core.files import download_name, file_url

        return _CurrentFile(url=file_url(value), name=download_name(value))


class _CurrentFile:
    """What Django's clearable_file_input.html shows of the current file: ``{{ value.url }}``, ``{{ value }}``."""

    def __init__(self, *, url: str, name: str):
        self.url = url
        self.name = name

    def __str__(self) -> str:
        return self.name


def use_typeahead(form: forms.BaseForm) -> None:
    """Turn each plain select among rows that a type-ahead offers (core.options.SOURCES: units, foreign subdivisions)
    into a :class:`core.widgets.TypeaheadSelect`: a long list is not written in the page (issue 18, item 7). A choice
    that another field of the form narrows (a partner's subdivision, by its country) follows that field. The field's
    queryset, and so what the form accepts, is unchanged."""
    from core.options import source_for
    from core.widgets import TypeaheadSelect

    for name, field in form.fields.items():
        if type(field) is not forms.ModelChoiceField or type(field.widget) is not forms.Select:
            continue
        found = source_for(field.queryset.model)
        if found is None:
            continue
        source, declared = found
        widget = TypeaheadSelect(attrs=field.widget.attrs, source=source, label=str(field.label or ""))
        widget.is_required = field.widget.is_required
        for param, lookup in declared.filters.items():
            if param in form.fields and param != name:
                widget.narrow(field_name=form.add_prefix(param), param=param, lookup=lookup, value=form[param].value())
        field.widget = widget
        widget.choices = field.choices


def style_fields(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget, the date format as a placeholder on date fields, and a size that fits
    a laptop screen for text areas (three rows) and multiple choices (six lines), unless the form gives its own.
    A model's file field gets :class:`StoredFileInput`."""
    for field in form.fields.values():
        if type(field.widget) is forms.ClearableFileInput:
            stored = StoredFileInput(attrs=field.widget.attrs)
            stored.is_required = field.widget.is_required
            field.widget = stored
        widget = field.widget
        if isinstance(widget, forms.Textarea) and widget.attrs.get("rows") == "10":  # Django's default
            widget.attrs["rows"] = 3
        if type(widget) is forms.SelectMultiple:
            widget.attrs.setdefault("size", 6)
        if isinstance(widget, forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            widget.attrs.setdefault("class", "form-select")
        elif not isinstance(widget, forms.HiddenInput):
            widget.attrs.setdefault("class", "form-control")
        if isinstance(field, forms.DateField):
            widget.attrs.setdefault("placeholder", "dd/mm/yyyy")


@dataclass(frozen=True)
class FormError:
    """One line of a form's error summary: where (a field's label, with its group and row for a child row), what,
    and the id of the input to focus (empty for an error of the whole form or row)."""

    where: str
    message: str
    anchor: str = ""


def error_summary(form=None, formsets=()) -> list[FormError]:
    """Every error of ``form`` and of its child rows' ``formsets`` (``(title, formset)`` pairs, as the record page
    lists them), in the order of the page, for the summary at its top (issue 18, item 7: "long forms hide their
    errors"). A row is numbered as the page shows it, from 1."""
    found = _form_errors(form, "") if form is not None else []
    for title, formset in formsets:
        if not getattr(formset, "is_bound", False):
            continue
        found += [FormError(str(title), str(message)) for message in formset.non_form_errors()]
        for number, row in enumerate(formset.forms, start=1):
            where = _("%(group)s, row %(row)s") % {"group": title, "row": number}
            found += _form_errors(row, where)
    return found


def _form_errors(form, where: str) -> list[FormError]:
    if not form.is_bound:
        return []
    found = [FormError(where, str(message)) for message in form.non_field_errors()]
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS or name not in form.fields:
            continue
        bound = form[name]
        label = str(bound.label or name)
        place = _("%(where)s: %(field)s") % {"where": where, "field": label} if where else label
        anchor = "" if bound.is_hidden else bound.id_for_label
        found += [FormError(place, after_label(message, label), anchor) for message in errors]
    return found


class ChildForm(forms.ModelForm):
    """A form of child rows edited with their parent (an inline formset's rows); ``user`` is the person editing,
    passed by :class:`UserFormSet`."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        use_typeahead(self)
        style_fields(self)


class UserFormSet(forms.BaseInlineFormSet):
    """Passes the person editing (``formset.user``, set by core.records.Inline) to each row's form: choices pass the
    scope gate and a refused upload is audited under the person's name."""

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "user": getattr(self, "user", None)}


class BulkEditForm(forms.Form):
    """Sets one field to one value on every selected record."""

    field = forms.ChoiceField(label=_("Field"))
    value = forms.CharField(label=_("New value"), required=False, max_length=1000)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = choices


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel (.xlsx) or CSV file"))
    attest_not_secret = forms.BooleanField(
        label=_("I confirm that this file contains no state secrets."),
        required=True,
        error_messages={"required": _("Uploads must be attested as containing no state secrets.")},
    )


class PurgeForm(forms.Form):
    reason = forms.CharField(label=_("Reason for erasing"), widget=forms.Textarea(attrs={"rows": 3}), max_length=500)


class DeclaredFigureForm(RecordForm):
    class Meta:
        model = DeclaredFigure
        fields = [
            "owner",
            "indicator",
            "period",
            "qualifier",
            "value",
            "value_max",
            "source_document",
            "source_date",
            "quote",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        from core.indicators import catalogue

        super().__init__(*args, **kwargs)
        self.fields["indicator"] = forms.ChoiceField(
            label=self.fields["indicator"].label, choices=[("", "---------")] + indicator_choices(catalogue())
        )


def indicator_choices(indicators) -> list[tuple[str, str]]:
    """The indicators as a person picks them: by name, in the language of the page. Two indicators that read the
    same in a language are told apart by what they count, never by their code, which no reader knows."""
    labels = {code: str(item.label) for code, item in indicators.items()}
    shared = {label for label in labels.values() if list(labels.values()).count(label) > 1}
    return [
        (code, f"{labels[code]} ({item.measure})" if labels[code] in shared else labels[code])
        for code, item in indicators.items()
    ]
