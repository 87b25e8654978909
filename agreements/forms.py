"""Forms of the agreements app. The status is never edited here: it moves through the verbs (services)."""

from __future__ import annotations

from django import forms
from django.forms import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from agreements.choices import Opinion, SigningMode
from agreements.models import (
    Agreement,
    AgreementDocument,
    AgreementReport,
    Consultation,
    Evaluation,
    ImplementationItem,
)
from agreements.services import check_foreign_parties
from core.collation import collated
from core.forms import ChildForm, RecordForm, UserFormSet, style_fields, units_user_may_own
from core.uploads import check_upload
from partners.forms import PartnerChoiceWidget
from partners.models import Partner, Relationship


class PartnerMultipleWidget(PartnerChoiceWidget, forms.SelectMultiple):
    """Several partners chosen with the type-ahead (the foreign parties)."""

    allow_multiple_selected = True

    def value_from_datadict(self, data, files, name):
        # The empty option is selected while no partner is chosen, and a browser posts it: it means none, not a
        # partner ("“” is not a valid value" refused a conference or a delegation that met no partner).
        value = super().value_from_datadict(data, files, name)
        if isinstance(value, list | tuple):
            return [item for item in value if item != ""]
        return value  # an import's plain dict: the value as the importer wrote it


class AgreementForm(RecordForm):
    class Meta:
        model = Agreement
        fields = [
            "owner",
            "title",
            "title_original",
            "kind",
            "signatory_level",
            "signatory",
            "partners",
            "fields",
            "concerns_defence",
            "concerns_security",
            "concerns_border",
            "concerns_investment",
            "is_sensitive",
            "planned_year",
            "proposed_on",
            "signed_on",
            "signed_precision",
            "place_signed",
            "signing_mode",
            "in_force_on",
            "expires_on",
            "duration_years",
            "renewed_on",
            "relationship",
            "relationship_effect",
            "notes",
        ]
        labels = {"owner": _("Vietnamese signatory unit")}
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Partner.objects.all()
        self.fields["partners"].widget = PartnerMultipleWidget(attrs={"class": "form-select"})
        if self.user is not None:
            self.fields["relationship"].queryset = collated(
                Relationship.objects.restrict(self.user).select_related("owner", "partner").order_by("owner__name")
            )

    def clean_partners(self):
        partners = self.cleaned_data.get("partners")
        if partners is not None:
            try:
                check_foreign_parties(partners)
            except forms.ValidationError as exc:
                raise forms.ValidationError(exc.message_dict["partners"]) from exc
        return partners


class ConsultationForm(RecordForm):
    class Meta:
        model = Consultation
        fields = ["agreement", "body", "body_name", "sent_on", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            self.fields["agreement"].queryset = Agreement.objects.restrict(self.user, "change").select_related("owner")


class ImplementationItemForm(ChildForm):
    class Meta:
        model = ImplementationItem
        fields = ["activity", "lead_unit", "deadline", "status", "result"]
        widgets = {"result": forms.Textarea(attrs={"rows": 1})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.user is not None:
            self.fields["lead_unit"].queryset = units_user_may_own(self.user)


class EvaluationForm(ChildForm):
    class Meta:
        model = Evaluation
        fields = ["on", "rating", "assessment"]
        widgets = {"assessment": forms.Textarea(attrs={"rows": 2})}


class DocumentForm(ChildForm):
    attest_not_secret = forms.BooleanField(label=_("No state secrets"), required=False)

    class Meta:
        model = AgreementDocument
        fields = ["kind", "title", "file"]

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload and hasattr(upload, "content_type"):
            # Uploads pass the foundation's gate: content, size, macros, state-secret stamps (issue 2).
            try:
                check_upload(
                    upload,
                    allowed=("docx", "pdf", "png", "jpeg", "txt", "xlsx"),
                    attested_not_secret=bool(cleaned.get("attest_not_secret")),
                    user=self.user,
                )
            except forms.ValidationError as exc:
                self.add_error("file", exc)
            else:
                upload.seek(0)
        return cleaned


# The rows' forms know who edits: unit choices pass the scope gate, a refused document is audited in the person's name.
ImplementationFormSet = inlineformset_factory(
    Agreement, ImplementationItem, form=ImplementationItemForm, formset=UserFormSet, extra=1, can_delete=True
)
EvaluationFormSet = inlineformset_factory(
    Agreement, Evaluation, form=EvaluationForm, formset=UserFormSet, extra=1, can_delete=True
)
DocumentFormSet = inlineformset_factory(
    Agreement, AgreementDocument, form=DocumentForm, formset=UserFormSet, extra=1, can_delete=True
)


class AgreementReportForm(RecordForm):
    class Meta:
        model = AgreementReport
        fields = [
            "owner",
            "period",
            "number",
            "place",
            "issued_on",
            "responds_to",
            "compliance_assessment",
            "implementation_overview",
            "shortcomings",
            "requests",
            "recipients",
            "signature_authority",
            "signer_title",
            "signer_name",
        ]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in ("compliance_assessment", "implementation_overview", "shortcomings", "requests", "recipients")
        } | {"signature_authority": forms.Textarea(attrs={"rows": 2}), "responds_to": forms.Textarea(attrs={"rows": 2})}


class VerbForm(forms.Form):
    """The values a verb may take; the page shows the ones the chosen verb needs. The page shows a step's
    refusals as messages above the page, away from the fields: each names its field."""

    sent_on = forms.DateField(label=_("Sent on"), required=False)
    decision_number = forms.CharField(
        label=_("Number of the decision"),
        required=False,
        max_length=64,
        help_text=_("Number and symbol, as on the decision: 123/QĐ-UBND."),
    )
    decision_on = forms.DateField(label=_("Date of the decision"), required=False)
    decision_signer = forms.CharField(
        label=_("Signer of the decision"),
        required=False,
        max_length=255,
        help_text=_("Title and name: Phó Chủ tịch UBND tỉnh Nguyễn Văn A."),
    )
    signed_on = forms.DateField(label=_("Signed on"), required=False)
    on = forms.DateField(label=_("Date"), required=False)
    place = forms.CharField(label=_("Place of signing"), required=False, max_length=255)
    mode = forms.ChoiceField(
        label=_("Mode of signing"), required=False, choices=[("", "---------"), *SigningMode.choices]
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    override_reason = forms.CharField(
        label=_("Reason for going ahead without every written opinion"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)

    def add_error(self, field, error):
        if field in self.fields and isinstance(error, forms.ValidationError):
            label = self.fields[field].label
            error = forms.ValidationError(
                [_("%(field)s: %(error)s") % {"field": label, "error": message} for message in error.messages]
            )
        super().add_error(field, error)


class ReplyForm(forms.Form):
    reply_on = forms.DateField(label=_("Reply received on"))
    opinion = forms.ChoiceField(label=_("Opinion"), choices=Opinion.choices)
    text = forms.CharField(
        label=_("Text of the opinion"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
