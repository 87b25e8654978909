"""API of the register (CONTRACT.md): its rows, and each regime's periods with who was expected, who reported,
on time or late, who did not, and the rates."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action

from core.api.views import reference_viewset
from core.api.viewsets import ReadOnlyRecordViewSet, RecordViewSet, api_errors, scoped_object
from core.verbs import serializer_for
from reports import registries
from reports.api.serializers import ReportingPeriodSerializer, ReportSerializer, SubmissionSerializer
from reports.models import Report
from reports.regimes import regime_named, reporting_period
from reports.register import build_registers
from reports.verbs import REPORT_VERBS, ReportStepForm, report_act

# Who reports what to whom and when (CONTRACT.md lists ``reporting-regimes`` among the resources); the receiving body
# by its key.
ReportingRegimeViewSet = reference_viewset(
    registries.REPORTING_REGIMES,
    (
        "key",
        "name_vi",
        "name_en",
        "recipient",
        "reporting_level",
        "frequency",
        "basis",
        "data_from",
        "half_year_cutoff",
        "year_cutoff",
        "deadline_days",
        "grace_days",
        "lock_days",
        "indicators",
        "outline",
    ),
    {"recipient": "key"},
)


class SubmissionViewSet(ReadOnlyRecordViewSet):
    """The rows of the register: ``?regime=KEY&period=2017-H1``, ``status``, ``flag``, ``unit``. Each row gives the
    unit (key and name), the dates sent and received, the days late against the period's deadline, the status and
    the flags (``received_before_sent``, ``duplicate``, ``unit_not_in_period``, ``out_of_order``)."""

    record_type = registries.SUBMISSIONS
    serializer_class = SubmissionSerializer
    list_related = ("owner", "reporting_period__regime")


class ReportingPeriodViewSet(ReadOnlyRecordViewSet):
    """The periods of the reporting regimes with their dates and their register's figures: ``?regime=KEY&period=
    2017-H1`` answers that period (worked out from the regime's rules if nobody has recorded it yet) with the units
    ``expected`` (those that existed then: 63 before 1 July 2025, 34 after), ``submitted``, ``on_time``, ``late``
    and ``missing`` (keys and names), and ``reporting_rate`` and ``on_time_rate`` in per cent of the units
    expected. A caller who does not read every province gets the figures of the units within reach (its own and
    its predecessors'), counted from their rows only."""

    record_type = registries.REPORTING_PERIODS
    serializer_class = ReportingPeriodSerializer
    list_related = ("regime",)

    def list(self, request, *args, **kwargs):
        key, label = request.query_params.get("regime"), request.query_params.get("period")
        if key and label:
            try:
                reporting_period(regime_named(key), label)
            except DjangoValidationError as exc:
                raise api_errors(exc) from exc
        return super().list(request, *args, **kwargs)

    def get_serializer(self, *args, **kwargs):
        periods = args[0] if args else None
        if periods is not None:
            periods = [periods] if not isinstance(periods, list | tuple) and hasattr(periods, "pk") else list(periods)
            kwargs.setdefault("context", self.get_serializer_context())
            kwargs["context"]["registers"] = build_registers(periods, self.request.user)
        return super().get_serializer(*args, **kwargs)


REPORT_VERB_PATTERN = "|".join(verb.slug for verb in REPORT_VERBS.values())
REPORT_STEP_VALUES = serializer_for(ReportStepForm, ReportStepForm.base_fields, name="ReportStepValues")


class ReportViewSet(RecordViewSet):
    """Provincial reports; ``POST <id>/<verb>/`` takes a report through review, approval, sending, receipt, return
    (``reason``) and reopening (``reason``)."""

    record_type = registries.REPORTS
    serializer_class = ReportSerializer
    list_related = ("owner", "reporting_period__regime")

    @extend_schema(
        operation_id="v1_reports_act",
        request=REPORT_STEP_VALUES,
        responses=ReportSerializer,
        parameters=[
            OpenApiParameter("verb", str, OpenApiParameter.PATH, enum=[verb.slug for verb in REPORT_VERBS.values()])
        ],
    )
    @action(detail=True, methods=["post"], url_path=f"(?P<verb>{REPORT_VERB_PATTERN})")
    def act(self, request, pk=None, verb=None):
        """Refused with 400 and the reason (the sections left empty, the figures to choose) when the step is not
        allowed; 404 out of scope; 403 without the capability (approve needs the leader; receive and return the
        receiving body). Sending a revision already sent answers it as it is."""
        report = scoped_object(Report, request.user, pk, action="view")
        return self.answer_verb(
            report,
            REPORT_STEP_VALUES,
            lambda **data: report_act(
                report=report, user=request.user, verb=verb.replace("-", "_"), values=data, request=request
            ),
        )
