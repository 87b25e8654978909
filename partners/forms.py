"""Forms of the partners app. Every choice of a partner is a type-ahead over the name resolver."""

from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from core.collation import collated
from core.forms import ChildForm, RecordForm, style_fields
from core.text import fold
from core.uploads import check_upload
from partners.models import Contact, Interaction, Partner, PartnerAlias, Relationship
from partners.resolve import likely_duplicates


class PartnerChoiceWidget(forms.Select):
    """A partner choice: a search box that asks the resolver for candidates as the user types (htmx), and
    a select that holds only the chosen partner, so that the page does not carry every partner."""

    template_name = "partners/widgets/partner_choice.html"

    def optgroups(self, name, value, attrs=None):
        chosen = [item for item in value if item and str(item).isdigit()]
        partners = Partner.all_objects.filter(pk__in=chosen) if chosen else []
        options = [self.create_option(name, "", "---------", not chosen, 0)]
        options += [
            self.create_option(name, str(partner.pk), str(partner), True, index)
            for index, partner in enumerate(partners, start=1)
        ]
        return [(None, options, 0)]


def partner_field(form: forms.ModelForm, name: str) -> None:
    """Turn ``name`` into a type-ahead partner choice over live partners."""
    field = form.fields[name]
    field.queryset = Partner.objects.all()
    field.widget = PartnerChoiceWidget(attrs={"class": "form-select"})


class PartnerForm(RecordForm):
    """A partner. On creation, likely duplicates (a partner already known under one of the names) are
    shown and must be confirmed as different before saving (issue 3, "warn of likely duplicates")."""

    website = forms.URLField(
        label=capfirst(Partner._meta.get_field("website").verbose_name),
        required=False,
        assume_scheme="https",
        max_length=200,
    )
    not_a_duplicate = forms.BooleanField(
        label=_("This is not one of the partners listed as possible duplicates"), required=False
    )

    class Meta:
        model = Partner
        fields = [
            "owner",
            "kind",
            "level",
            "is_group",
            "name_vi",
            "name_en",
            "name_original",
            "country",
            "subdivision",
            "parent",
            "fields",
            "strengths",
            "population",
            "area_km2",
            "website",
            "latitude",
            "longitude",
            "notes",
            "key",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partner_field(self, "parent")
        self.fields["subdivision"].queryset = self.fields["subdivision"].queryset.select_related("country")
        self.duplicates = []

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not cleaned.get("not_a_duplicate"):
            names = [cleaned.get(name) for name in ("name_vi", "name_en", "name_original") if cleaned.get(name)]
            country = cleaned.get("country")
            self.duplicates = likely_duplicates(names, country=country.iso2 if country else None)
            if self.duplicates:
                listed = "; ".join(str(candidate.partner) for candidate in self.duplicates[:5])
                raise forms.ValidationError(
                    _(
                        "Possible duplicates: %(partners)s. Open them to check; if this is a different partner, "
                        "tick “%(confirm)s” and save again."
                    )
                    % {"partners": listed, "confirm": self.fields["not_a_duplicate"].label}
                )
        return cleaned


class PartnerAliasForm(ChildForm):
    class Meta:
        model = PartnerAlias
        fields = ["name", "language", "source"]


class PartnerAliasRecordForm(RecordForm):
    """A spelling on its own, as the importer reads it (``partner`` by its key)."""

    class Meta:
        model = PartnerAlias
        fields = ["partner", "name", "language", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            # Spellings are changed with their partner: only partners the user may change.
            self.fields["partner"].queryset = Partner.objects.restrict(self.user, "change")


class BasePartnerAliasFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or form.cleaned_data.get("DELETE") or not form.cleaned_data:
                continue
            folded = fold(form.cleaned_data.get("name"))
            if folded in seen:
                form.add_error("name", _("This spelling is listed twice."))
            seen.add(folded)


PartnerAliasFormSet = inlineformset_factory(
    Partner,
    PartnerAlias,
    form=PartnerAliasForm,
    formset=BasePartnerAliasFormSet,
    extra=2,
    can_delete=True,
)


class RelationshipForm(RecordForm):
    class Meta:
        model = Relationship
        fields = ["owner", "partner", "kind", "status", "status_since", "fields", "lead_organisation", "notes"]
        labels = {"owner": _("Vietnamese unit")}
        help_texts = {
            "status": _("A new status is recorded as a new dated step of the relationship's history."),
            "status_since": _("When the relationship reached this status (dd/mm/yyyy); today if left empty."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partner_field(self, "partner")


class StatusChangeForm(forms.Form):
    """The next dated step of a relationship's status (the relationship page's form)."""

    status = forms.ChoiceField(label=_("New status"), choices=Relationship._meta.get_field("status").choices)
    on = forms.DateField(label=_("From"))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class InteractionForm(RecordForm):
    attest_not_secret = forms.BooleanField(
        label=_("I confirm that the attachment contains no state secrets."), required=False
    )

    class Meta:
        model = Interaction
        fields = [
            "relationship",
            "on",
            "precision",
            "kind",
            "summary",
            "people",
            "working_minutes",
            "outcome",
            "source",
            "attachment",
        ]
        widgets = {"people": forms.Textarea(attrs={"rows": 2}), "outcome": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            # Only relationships the user may change: the timeline belongs to the relationship's unit.
            self.fields["relationship"].queryset = collated(
                Relationship.objects.restrict(self.user, "change")
                .select_related("owner", "partner")
                .order_by("owner__name", "partner__name_vi")
            )

    def clean_attachment(self):
        attachment = self.cleaned_data.get("attachment")
        if attachment and hasattr(attachment, "content_type"):
            # Uploads pass the foundation's gate: content, size, macros, state-secret stamps (issue 2).
            check_upload(
                attachment,
                allowed=("docx", "xlsx", "pdf", "png", "jpeg", "txt", "csv"),
                attested_not_secret=bool(self.data.get("attest_not_secret")),
                user=self.user,
            )
            attachment.seek(0)
        return attachment


class ContactForm(RecordForm):
    class Meta:
        model = Contact
        fields = ["owner", "partner", "person_name", "position", "organisation", "language", "email", "phone", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        partner_field(self, "partner")


class MergeForm(forms.Form):
    """Which partner to merge into the one shown (the one shown is kept)."""

    remove = forms.ModelChoiceField(label=_("Partner to merge into this one"), queryset=Partner.objects.all())
    confirm = forms.BooleanField(
        label=_("I understand that every link of that partner moves to this one and it goes to the trash."),
        required=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remove"].widget = PartnerChoiceWidget(attrs={"class": "form-select"})
        style_fields(self)
