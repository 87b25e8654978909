"""Serializers of the delegations API: units by key, countries by ISO code, partners by key; members read-only (they
are written on the delegation's form or by import)."""

from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from activities.forms import AwardForm, ConferenceForm, DelegationForm, DelegationRulesForm, EventForm, PressVisitForm
from activities.models import Award, Conference, Delegation, DelegationMember, DelegationRules, Event, PressVisit
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
        fields = record_fields(
            *DelegationForm.Meta.fields, "members", "person_trips", "rules_override_breaches", "rules_override_reason"
        )
        read_only_fields = ["created_at", "updated_at"]


class DelegationMemberRecordSerializer(serializers.ModelSerializer):
    """A member on its own, read-only: members are written with their delegation."""

    class Meta:
        model = DelegationMember
        fields = ["id", "delegation", "name", "position", "organisation", "version", "created_at", "updated_at"]


class DelegationRulesSerializer(RecordSerializer):
    owner = serializers.SlugRelatedField(slug_field="key", queryset=Unit.objects.none())

    class Meta:
        model = DelegationRules
        fields = record_fields(*DelegationRulesForm.Meta.fields)
        read_only_fields = ["created_at", "updated_at"]


class EventSerializer(RecordSerializer):
    """An event with foreign participation: countries by ISO code, partners by key."""

    owner = serializers.SlugRelatedField(slug_field="key", queryset=Unit.objects.none())
    countries = serializers.SlugRelatedField(
        slug_field="iso2", queryset=Country.objects.all(), many=True, required=False
    )
    partners = serializers.SlugRelatedField(slug_field="key", queryset=Partner.objects.all(), many=True, required=False)

    class Meta:
        model = Event
        fields = record_fields(*EventForm.Meta.fields)
        read_only_fields = ["created_at", "updated_at"]


class AwardSerializer(RecordSerializer):
    """An award received or proposed: the awarding state by ISO code, partners by key."""

    owner = serializers.SlugRelatedField(slug_field="key", queryset=Unit.objects.none())
    awarding_country = serializers.SlugRelatedField(
        slug_field="iso2", queryset=Country.objects.all(), allow_null=True, required=False
    )
    partners = serializers.SlugRelatedField(slug_field="key", queryset=Partner.objects.all(), many=True, required=False)

    class Meta:
        model = Award
        fields = record_fields(*AwardForm.Meta.fields)
        read_only_fields = ["created_at", "updated_at"]


class ConferenceSerializer(RecordSerializer):
    """An international conference or workshop (Decision 06/2020/QĐ-TTg): countries by ISO code, partners by key;
    who permits it and the lead time of its application, read-only, as the page says them."""

    owner = serializers.SlugRelatedField(slug_field="key", queryset=Unit.objects.none())
    countries = serializers.SlugRelatedField(
        slug_field="iso2", queryset=Country.objects.all(), many=True, required=False
    )
    partners = serializers.SlugRelatedField(slug_field="key", queryset=Partner.objects.all(), many=True, required=False)
    # The model's message, not the framework's generic one (DRF drops a validator's message for its min_value).
    foreign_participants = serializers.IntegerField(
        label=capfirst(_("foreign participants")),
        min_value=0,
        allow_null=True,
        required=False,
        error_messages={"min_value": ConferenceForm.Meta.error_messages["foreign_participants"]["min_value"]},
    )
    prime_minister_decides = serializers.BooleanField(read_only=True)
    lead_days_required = serializers.IntegerField(read_only=True)
    lead_days = serializers.IntegerField(read_only=True, allow_null=True)
    applied_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = Conference
        fields = record_fields(
            *ConferenceForm.Meta.fields, "prime_minister_decides", "lead_days_required", "lead_days", "applied_late"
        )
        read_only_fields = ["created_at", "updated_at"]


class PressVisitSerializer(RecordSerializer):
    """A foreign press visit (Decree 88/2012/NĐ-CP): the agency's country by ISO code."""

    owner = serializers.SlugRelatedField(slug_field="key", queryset=Unit.objects.none())
    country = serializers.SlugRelatedField(
        slug_field="iso2", queryset=Country.objects.all(), allow_null=True, required=False
    )
    reporter_count = serializers.IntegerField(
        label=capfirst(_("number of reporters")),
        min_value=1,
        error_messages={"min_value": PressVisitForm.Meta.error_messages["reporter_count"]["min_value"]},
    )

    class Meta:
        model = PressVisit
        fields = record_fields(*PressVisitForm.Meta.fields)
        read_only_fields = ["created_at", "updated_at"]
