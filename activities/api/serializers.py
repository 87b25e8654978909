"""Serializers of the delegations API: units by key, countries by ISO code, partners by key; members read-only (they
are written on the delegation's form or by import)."""

from rest_framework import serializers

from activities.forms import DelegationForm
from activities.models import Delegation, DelegationMember
from core.api.serializers import RecordSerializer, record_fields
from core.models import Country, Unit
from partners.models import Partner


class DelegationMemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = DelegationMember
        fields = ["name", "position", "organisation"]


class DelegationSerializer(RecordSerializer):
    owner = serializers.SlugRelatedField(slug_field="key", queryset=Unit.objects.none())
    countries = serializers.SlugRelatedField(
        slug_field="iso2", queryset=Country.objects.all(), many=True, required=False
    )
    partners = serializers.SlugRelatedField(slug_field="key", queryset=Partner.objects.all(), many=True, required=False)
    origin_country = serializers.SlugRelatedField(
        slug_field="iso2", queryset=Country.objects.all(), allow_null=True, required=False
    )
    members = DelegationMemberSerializer(many=True, read_only=True)
    person_trips = serializers.IntegerField(read_only=True)

    class Meta:
        model = Delegation
        fields = record_fields(*DelegationForm.Meta.fields, "members", "person_trips")
        read_only_fields = ["created_at", "updated_at"]


class DelegationMemberRecordSerializer(serializers.ModelSerializer):
    """A member on its own, read-only: members are written with their delegation."""

    class Meta:
        model = DelegationMember
        fields = ["id", "delegation", "name", "position", "organisation", "version", "created_at", "updated_at"]
