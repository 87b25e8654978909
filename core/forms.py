"""Base forms: every record form carries the version it was read at, so a stale save is refused."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import DeclaredFigure, Unit
from core.scope import scope_for


def units_user_may_own(user):
    """Units a user may create or move records into: the 'change' scope of the one gate."""
    return Unit.objects.filter(scope_for(user, "change").q("")).order_by("is_legacy", "level", "name")


class RecordForm(forms.ModelForm):
    """A ModelForm for registry records: hidden ``version``, owner choices limited by scope."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["version"].initial = self.instance.version if self.instance.pk else 1
        if user is not None:
            # Every choice of a Vietnamese unit goes through the scope gate (the owner, a parent unit...).
            for field in self.fields.values():
                if isinstance(field, forms.ModelChoiceField) and field.queryset.model is Unit:
                    field.queryset = units_user_may_own(user)
            if "owner" in self.fields and not self.instance.pk and user.home_unit is not None:
                self.fields["owner"].initial = user.home_unit.pk
        style_fields(self)


def style_fields(form: forms.BaseForm) -> None:
    """Bootstrap classes on every widget, the date format as a placeholder on date fields, and a size that fits
    a laptop screen for text areas (three rows) and multiple choices (six lines), unless the form gives its own."""
    for field in form.fields.values():
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


class ChildForm(forms.ModelForm):
    """A form of child rows edited with their parent (an inline formset's rows)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


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
            label=self.fields["indicator"].label,
            choices=[("", "---------")] + [(code, f"{item.label} ({code})") for code, item in catalogue().items()],
        )
