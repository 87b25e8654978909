"""Serializers of the agreements API: parties by partner key, units by key, fields by code."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from rest_framework import serializers

from agreements.forms import AgreementForm, AgreementReportForm, ConsultationForm
from agreements.models import Agreement, AgreementReport, Consultation, Evaluation, ImplementationItem
from agreements.services import check_foreign_parties
from core.api.serializers import RecordSerializer, record_fields
from core.models import Field, Unit
from partners.models import Partner, Relationship


class ImplementationItemSerializer(serializers.ModelSerializer):
    lead_unit = serializers.SlugRelatedField(slug_field="key", read_only=True)

    class Meta:
        model = ImplementationItem
        fields = ["activity", "lead_unit", "deadline", "status", "result"]


class EvaluationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Evaluation
        fields = ["on", "rating", "assessment"]


# Written by the verbs only (agreements.services): the decision by ``approve``, the rest by their steps.
WRITTEN_BY_VERBS = (
    "status",
    "decision_number",
    "decision_on",
    "decision_signer",
    "approval_override_reason",
    "approval_override_bodies",
    "terminated_on",
    "copy_sent_on",
    "override_reason",
)


class AgreementSerializer(RecordSerializer):
    owner = serializers.SlugRelatedField(slug_field="key", queryset=Unit.objects.none())
    partners = serializers.SlugRelatedField(slug_field="key", queryset=Partner.objects.all(), many=True)
    fields = serializers.SlugRelatedField(slug_field="code", queryset=Field.objects.all(), many=True, required=False)
    relationship = serializers.PrimaryKeyRelatedField(
        queryset=Relationship.objects.none(), allow_null=True, required=False
    )
    implementation_items = ImplementationItemSerializer(many=True, read_only=True)
    evaluations = EvaluationSerializer(many=True, read_only=True)

    class Meta:
        model = Agreement
        fields = record_fields(
            *AgreementForm.Meta.fields,
            *WRITTEN_BY_VERBS,
            "implementation_items",
            "evaluations",
        )
        read_only_fields = [*WRITTEN_BY_VERBS, "created_at", "updated_at"]

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["relationship"].queryset = Relationship.objects.restrict(request.user)
        return fields

    def validate_partners(self, value):
        if not value:
            raise serializers.ValidationError(_("Choose at least one foreign party."))
        try:
            check_foreign_parties(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["partners"]) from exc
        return value


class ConsultationSerializer(RecordSerializer):
    owner = serializers.SlugRelatedField(slug_field="key", read_only=True)
    # The opinions belong to the agreement's unit (models.Consultation.clean).
    owner_from = "agreement"

    class Meta:
        model = Consultation
        fields = record_fields("owner", *ConsultationForm.Meta.fields, "due_on", "reply_on", "opinion", "opinion_text")
        read_only_fields = ["due_on", "reply_on", "opinion", "opinion_text", "created_at", "updated_at"]


class AgreementReportSerializer(RecordSerializer):
    owner = serializers.SlugRelatedField(slug_field="key", queryset=Unit.objects.none())

    class Meta:
        model = AgreementReport
        fields = record_fields(*AgreementReportForm.Meta.fields)
        read_only_fields = ["created_at", "updated_at"]
