"""API of the agreements app. Workflow verbs are ``POST /api/v1/agreements/<id>/<verb>/`` and call the same
services as the web buttons (CONTRACT.md)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action

from agreements import registries
from agreements.api import serializers as agreement_serializers
from agreements.models import Agreement
from agreements.verbs import AGREEMENT_VERBS, REPLY, agreement_act
from core.api.viewsets import RecordViewSet, scoped_object, verb_action
from core.verbs import serializer_for

VERB_PATTERN = "|".join(verb.slug for verb in AGREEMENT_VERBS.values())
# One body for every step: the values of the steps' shared form (each step reads those it takes).
STEP_VALUES = serializer_for(
    AGREEMENT_VERBS["sign"].inputs, AGREEMENT_VERBS["sign"].inputs.base_fields, name="AgreementStepValues"
)


class AgreementViewSet(RecordViewSet):
    """International agreements with their procedure; ``POST <id>/<verb>/`` moves an agreement on."""

    record_type = registries.AGREEMENTS
    serializer_class = agreement_serializers.AgreementSerializer
    list_related = ("owner", "relationship")
    list_prefetch = ("partners", "fields", "implementation_items__lead_unit", "evaluations")

    @extend_schema(
        operation_id="v1_agreements_act",
        request=STEP_VALUES,
        responses=agreement_serializers.AgreementSerializer,
        parameters=[
            OpenApiParameter("verb", str, OpenApiParameter.PATH, enum=[verb.slug for verb in AGREEMENT_VERBS.values()])
        ],
    )
    @action(detail=True, methods=["post"], url_path=f"(?P<verb>{VERB_PATTERN})")
    def act(self, request, pk=None, verb=None):
        """Apply a step of the procedure (submit-for-consultation, submit, approve, refuse, sign,
        enter-into-force, expire, terminate, postpone, resume, cancel). ``approve`` takes the decision's
        ``decision_number``, ``decision_on`` and ``decision_signer``, and ``override_reason`` when a required
        written opinion had not come by the decision's date. Refused with 400 and the rule's text when the step
        is not allowed or a value is missing or out of order; 404 out of scope; 403 without the role (approve,
        refuse, terminate, signing with missing opinions need an approver)."""
        agreement = scoped_object(Agreement, request.user, pk, action="view")
        return self.answer_verb(
            agreement,
            STEP_VALUES,
            lambda **data: agreement_act(
                agreement=agreement, user=request.user, verb=verb.replace("-", "_"), values=data, request=request
            ),
        )


class ConsultationViewSet(RecordViewSet):
    """Written opinions asked for before signing; ``POST <id>/reply/`` records one."""

    record_type = registries.CONSULTATIONS
    serializer_class = agreement_serializers.ConsultationSerializer
    list_related = ("owner", "agreement")

    reply = verb_action(REPLY, scope="view")


class AgreementReportViewSet(RecordViewSet):
    """The typed parts of the annual agreements reports."""

    record_type = registries.AGREEMENT_REPORTS
    serializer_class = agreement_serializers.AgreementReportSerializer
    list_related = ("owner",)
