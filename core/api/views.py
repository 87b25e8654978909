"""API views of core: units, reference data, declared figures, indicators, jobs."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response

from core import registries
from core.api import serializers as core_serializers
from core.api.viewsets import ReadOnlyRecordViewSet, RecordViewSet
from core.filtersets import find_unit
from core.indicators import catalogue, indicator_value
from core.models import Job
from core.periods import Period
from core.scope import scope_for


class UnitViewSet(ReadOnlyRecordViewSet):
    """Vietnamese units. ``?level=province`` lists the current provinces; add ``include_legacy=true``
    for the legacy ones, each with its successors."""

    record_type = registries.UNITS
    serializer_class = core_serializers.UnitSerializer
    lookup_field = "key"
    lookup_value_regex = "[^/]+"
    list_related = ("parent", "root")
    list_prefetch = ("successors", "predecessors")


def reference_viewset(record_type, fields: tuple[str, ...], slugs: dict[str, str] | None = None):
    """A read-only API over a reference record type, with its FilterSet; related rows joined."""
    slugs = slugs or {}
    serializer_class = core_serializers.reference_serializer(record_type.model, fields, slugs)

    attrs = {
        "record_type": record_type,
        "serializer_class": serializer_class,
        "list_related": tuple(slugs),
        "__doc__": f"{record_type.model._meta.verbose_name_plural} (reference data, read-only).",
    }
    return type(f"{record_type.model.__name__}ViewSet", (ReadOnlyRecordViewSet,), attrs)


CountryViewSet = reference_viewset(
    registries.COUNTRIES, ("iso2", "iso3", "numeric", "name_vi", "name_en", "official_name_vi", "aliases")
)
ForeignSubdivisionViewSet = reference_viewset(
    registries.FOREIGN_SUBDIVISIONS,
    ("code", "country", "name", "name_vi", "kind", "parent", "aliases", "note"),
    {"country": "iso2", "parent": "code"},
)
FieldViewSet = reference_viewset(registries.FIELDS, ("code", "name_vi", "name_en", "aliases"))
CurrencyViewSet = reference_viewset(registries.CURRENCIES, ("code", "numeric", "name_vi", "name_en", "minor_units"))


class DeclaredFigureViewSet(RecordViewSet):
    """Figures as documents state them, for a unit and period (the only source before the product existed)."""

    record_type = registries.DECLARED_FIGURES
    serializer_class = core_serializers.DeclaredFigureSerializer
    list_related = ("owner",)


class IndicatorSerializer(serializers.Serializer):
    code = serializers.CharField()
    label = serializers.CharField()
    measure = serializers.CharField()
    computed = serializers.BooleanField()
    app = serializers.CharField()


class IndicatorViewSet(viewsets.ViewSet):
    """The catalogue of figures; ``/indicators/<code>/value/?unit=KEY&period=PERIOD`` answers a value."""

    lookup_field = "code"
    lookup_value_regex = "[a-z0-9_]+"

    @staticmethod
    def describe(code, item) -> dict:
        return {
            "code": code,
            "label": str(item.label),
            "measure": str(item.measure),
            "computed": item.computation is not None,
            "app": item.app,
        }

    @extend_schema(responses=IndicatorSerializer(many=True))
    def list(self, request):
        return Response([self.describe(code, item) for code, item in catalogue().items()])

    @extend_schema(responses=IndicatorSerializer)
    def retrieve(self, request, code=None):
        item = catalogue().get(code)
        if item is None:
            raise NotFound(_("Unknown indicator."))
        return Response(self.describe(code, item))

    @extend_schema(
        parameters=[OpenApiParameter("unit", str, required=True), OpenApiParameter("period", str, required=True)],
        responses=OpenApiTypes.OBJECT,
    )
    def value(self, request, code=None):
        if code not in catalogue():
            raise NotFound(_("Unknown indicator."))
        unit = find_unit(request.query_params.get("unit", ""))
        if unit is None:
            raise ValidationError({"unit": [_("Unknown unit.")]})
        if not scope_for(request.user, "view").covers(unit):
            raise NotFound(_("Unknown unit."))
        try:
            period = Period.parse(request.query_params.get("period", ""))
        except DjangoValidationError as exc:
            raise ValidationError({"period": exc.messages}) from exc
        return Response(indicator_value(code, unit=unit, period=period))


class JobSerializer(serializers.ModelSerializer):
    percent = serializers.IntegerField(read_only=True)

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "total",
            "percent",
            "message",
            "result",
            "result_name",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]


class JobViewSet(viewsets.ReadOnlyModelViewSet):
    """The user's own jobs (all jobs for reference managers), with their progress."""

    queryset = Job.objects.none()
    serializer_class = JobSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Job.objects.none()
        jobs = Job.objects.all()
        if not scope_for(self.request.user, "manage_reference").everything:
            jobs = jobs.filter(created_by=self.request.user)
        return jobs
