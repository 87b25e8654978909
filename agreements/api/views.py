"""API of the agreements app. Workflow verbs are ``POST /api/v1/agreements/<id>/<verb>/`` and call the same
services as the web buttons (CONTRACT.md)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from agreements import filtersets
from agreements.api import serializers as agreement_serializers
from agreements.models import Agreement, AgreementReport, Consultation
from agreements.services import VERBS, agreement_act, agreement_create, agreement_update, consultation_record_reply
from core.api.viewsets import RecordViewSet, api_errors, scoped_object
from core.services import VersionConflict

VERB_PATTERN = "|".join(verb.replace("_", "-") for verb in VERBS)


class AgreementViewSet(RecordViewSet):
    """International agreements with their procedure; ``POST <id>/<verb>/`` moves an agreement on."""

    queryset = Agreement.objects.all()
    serializer_class = agreement_serializers.AgreementSerializer
    filterset_class = filtersets.AgreementFilterSet
    create_verb = staticmethod(agreement_create)
    update_verb = staticmethod(agreement_update)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("owner", "relationship")
            .prefetch_related("partners", "fields", "implementation_items__lead_unit", "evaluations")
        )

    @extend_schema(
        operation_id="v1_agreements_act",
        request=agreement_serializers.VerbSerializer,
        responses=agreement_serializers.AgreementSerializer,
        parameters=[OpenApiParameter("verb", str, OpenApiParameter.PATH, enum=[v.replace("_", "-") for v in VERBS])],
    )
    @action(detail=True, methods=["post"], url_path=f"(?P<verb>{VERB_PATTERN})")
    def act(self, request, pk=None, verb=None):
        """Apply a step of the procedure (submit-for-consultation, submit, approve, refuse, sign,
        enter-into-force, expire, terminate, postpone, resume, cancel). Refused with 400 and the rule's text
        when the step is not allowed; 404 out of scope; 403 without the role (approve, refuse, terminate,
        signing with missing opinions need an approver)."""
        agreement = scoped_object(Agreement, request.user, pk, action="view")
        payload = agreement_serializers.VerbSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            agreement_act(
                agreement=agreement,
                user=request.user,
                verb=verb.replace("-", "_"),
                values=payload.validated_data,
                request=request,
            )
        except DjangoValidationError as exc:
            raise api_errors(exc) from exc
        except VersionConflict:
            return Response({"detail": _("This record was changed by someone else.")}, status=status.HTTP_409_CONFLICT)
        agreement.refresh_from_db()
        return Response(self.get_serializer(agreement).data)


class ConsultationViewSet(RecordViewSet):
    """Written opinions asked for before signing; ``POST <id>/reply/`` records one."""

    queryset = Consultation.objects.all()
    serializer_class = agreement_serializers.ConsultationSerializer
    filterset_class = filtersets.ConsultationFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("owner", "agreement")

    @extend_schema(
        request=agreement_serializers.ReplySerializer, responses=agreement_serializers.ConsultationSerializer
    )
    @action(detail=True, methods=["post"])
    def reply(self, request, pk=None):
        """Record the body's written opinion; a reply dated before the request was sent is refused."""
        consultation = scoped_object(Consultation, request.user, pk, action="view")
        payload = agreement_serializers.ReplySerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        try:
            consultation_record_reply(
                consultation=consultation, user=request.user, request=request, **payload.validated_data
            )
        except DjangoValidationError as exc:
            raise api_errors(exc) from exc
        consultation.refresh_from_db()
        return Response(self.get_serializer(consultation).data)


class AgreementReportViewSet(RecordViewSet):
    """The typed parts of the annual agreements reports."""

    queryset = AgreementReport.objects.all()
    serializer_class = agreement_serializers.AgreementReportSerializer
    filterset_class = filtersets.AgreementReportFilterSet

    def get_queryset(self):
        return super().get_queryset().select_related("owner")
