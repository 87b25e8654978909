"""API of the delegations registry. Status steps are ``POST /api/v1/delegations/<id>/<verb>/`` and call the same
services as the page's buttons (CONTRACT.md)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action

from activities import registries
from activities.api.serializers import (
    AwardSerializer,
    ConferenceSerializer,
    DelegationMemberRecordSerializer,
    DelegationRulesSerializer,
    DelegationSerializer,
    EventSerializer,
    PressVisitSerializer,
)
from activities.models import Delegation
from activities.verbs import DELEGATION_VERBS, delegation_act
from core.api.viewsets import ReadOnlyRecordViewSet, RecordViewSet, scoped_object
from core.verbs import serializer_for

VERB_PATTERN = "|".join(verb.slug for verb in DELEGATION_VERBS.values())
STEP_VALUES = serializer_for(
    DELEGATION_VERBS["approve"].inputs,
    DELEGATION_VERBS["approve"].inputs.base_fields,
    name="DelegationStepValues",
)


class DelegationViewSet(RecordViewSet):
    """Delegations out and in with their members; ``POST <id>/<verb>/`` moves one to its next status."""

    record_type = registries.DELEGATIONS
    serializer_class = DelegationSerializer
    list_related = ("owner", "origin_country")
    list_prefetch = ("countries", "partners", "members")

    @extend_schema(
        operation_id="v1_delegations_act",
        request=STEP_VALUES,
        responses=DelegationSerializer,
        parameters=[
            OpenApiParameter("verb", str, OpenApiParameter.PATH, enum=[verb.slug for verb in DELEGATION_VERBS.values()])
        ],
    )
    @action(detail=True, methods=["post"], url_path=f"(?P<verb>{VERB_PATTERN})")
    def act(self, request, pk=None, verb=None):
        """Approve (``approval_number``, ``approval_on``, ``approval_authority``), mark-done (``outcomes``),
        postpone or cancel. Refused with 400 and the rule's text when the step is not allowed or a value is
        missing; 404 out of scope; 403 without the capability (approve needs an approver)."""
        delegation = scoped_object(Delegation, request.user, pk, action="view")
        return self.answer_verb(
            delegation,
            STEP_VALUES,
            lambda **data: delegation_act(
                delegation=delegation, user=request.user, verb=verb.replace("-", "_"), values=data, request=request
            ),
        )


class DelegationMemberViewSet(ReadOnlyRecordViewSet):
    """Every member of the delegations the user sees, read-only: members are written on their delegation's form,
    or imported."""

    record_type = registries.DELEGATION_MEMBERS
    serializer_class = DelegationMemberRecordSerializer
    list_related = ("delegation",)


class DelegationRulesViewSet(RecordViewSet):
    """The caps each unit sets on its delegations abroad; changed by its approvers."""

    record_type = registries.DELEGATION_RULES
    serializer_class = DelegationRulesSerializer
    list_related = ("owner",)


class EventViewSet(RecordViewSet):
    """Events with foreign participation: festivals, cultural days, anniversaries of diplomatic relations..."""

    record_type = registries.EVENTS
    serializer_class = EventSerializer
    list_related = ("owner",)
    list_prefetch = ("countries", "partners")


class AwardViewSet(RecordViewSet):
    """Awards received from foreign states or organisations, and those the unit proposes."""

    record_type = registries.AWARDS
    serializer_class = AwardSerializer
    list_related = ("owner", "awarding_country")
    list_prefetch = ("partners",)


class ConferenceViewSet(RecordViewSet):
    """International conferences and workshops (Decision 06/2020/QĐ-TTg); a permission dated before its application
    is refused with 400 and the rule's text."""

    record_type = registries.CONFERENCES
    serializer_class = ConferenceSerializer
    list_related = ("owner",)
    list_prefetch = ("countries", "partners")


class PressVisitViewSet(RecordViewSet):
    """Foreign press visits (Decree 88/2012/NĐ-CP): the agency, its reporters, the permit and who accompanied them."""

    record_type = registries.PRESS_VISITS
    serializer_class = PressVisitSerializer
    list_related = ("owner", "country")
