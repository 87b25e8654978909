"""Serializers of the partners API: related rows are written by their stable codes (unit and partner keys,
ISO codes, field codes); contacts' personal data is masked as on the web."""

from rest_framework import serializers

from core.api.fields import StoredFileField
from core.api.serializers import RecordSerializer, record_fields
from core.models import Country, Field, ForeignSubdivision, Unit
from partners.forms import ContactForm, InteractionForm, PartnerForm, RelationshipForm
from partners.models import Contact, Interaction, Partner, PartnerAlias, Relationship, RelationshipStatusChange


def _unit_field(**kwargs):
    return serializers.SlugRelatedField(slug_field="key", queryset=Unit.objects.none(), **kwargs)


class PartnerAliasSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnerAlias
        fields = ["name", "language", "source"]


class PartnerSerializer(RecordSerializer):
    owner = _unit_field()
    country = serializers.SlugRelatedField(
        slug_field="iso2", queryset=Country.objects.all(), allow_null=True, required=False
    )
    subdivision = serializers.SlugRelatedField(
        slug_field="code", queryset=ForeignSubdivision.objects.all(), allow_null=True, required=False
    )
    parent = serializers.SlugRelatedField(
        slug_field="key", queryset=Partner.objects.all(), allow_null=True, required=False
    )
    fields = serializers.SlugRelatedField(slug_field="code", queryset=Field.objects.all(), many=True, required=False)
    aliases = PartnerAliasSerializer(many=True, read_only=True)
    key = serializers.SlugField(max_length=80, required=False, allow_blank=True)

    class Meta:
        model = Partner
        fields = record_fields(*PartnerForm.Meta.fields, "aliases")
        read_only_fields = ["created_at", "updated_at"]


class StatusStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = RelationshipStatusChange
        fields = ["status", "on", "precision", "note", "source"]


class RelationshipSerializer(RecordSerializer):
    owner = _unit_field()
    partner = serializers.SlugRelatedField(slug_field="key", queryset=Partner.objects.all())
    lead_organisation = _unit_field(allow_null=True, required=False)
    fields = serializers.SlugRelatedField(slug_field="code", queryset=Field.objects.all(), many=True, required=False)
    status_history = StatusStepSerializer(many=True, read_only=True)

    class Meta:
        model = Relationship
        fields = record_fields(*RelationshipForm.Meta.fields, "status_history")
        read_only_fields = ["created_at", "updated_at"]


class InteractionSerializer(RecordSerializer):
    owner = serializers.SlugRelatedField(slug_field="key", read_only=True)
    attachment = StoredFileField()
    # The timeline belongs to the relationship's unit (models.Interaction.clean).
    owner_from = "relationship"

    class Meta:
        model = Interaction
        fields = record_fields("owner", *InteractionForm.Meta.fields)
        read_only_fields = ["created_at", "updated_at"]


class ContactSerializer(RecordSerializer):
    owner = _unit_field()
    partner = serializers.SlugRelatedField(slug_field="key", queryset=Partner.objects.all())

    class Meta:
        model = Contact
        fields = record_fields(*ContactForm.Meta.fields)
        read_only_fields = ["created_at", "updated_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        if request is not None:
            for name in instance.policy.masked_fields(request.user, instance):
                if data.get(name):
                    data[name] = instance.policy.shown(request.user, instance, name, data[name])
        return data
