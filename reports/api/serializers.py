"""Serializers of the register's API (CONTRACT.md, the register's interface)."""

from rest_framework import serializers

from core.api.serializers import RecordSerializer, record_fields
from core.models import Unit
from reports.forms import ReportForm
from reports.models import Report, ReportingPeriod, Submission
from reports.register import summary


class SubmissionSerializer(serializers.ModelSerializer):
    """A row of the register: the unit by key and name, the regime by key, the period as written (2017-H1)."""

    unit = serializers.SerializerMethodField()
    regime = serializers.CharField(source="reporting_period.regime.key", read_only=True)
    period = serializers.CharField(source="reporting_period.period", read_only=True)
    days_late = serializers.IntegerField(read_only=True, allow_null=True)
    on_time = serializers.BooleanField(read_only=True, allow_null=True)
    status = serializers.CharField(read_only=True)
    flags = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id",
            "unit",
            "regime",
            "period",
            "sent_on",
            "received_on",
            "returned_on",
            "return_reason",
            "days_late",
            "on_time",
            "status",
            "flags",
            "note",
            "revision",
            "source",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def get_unit(self, submission) -> dict:
        return {"key": submission.owner.key, "name": submission.owner.name}


class UnitRefSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class ReportingPeriodSerializer(serializers.ModelSerializer):
    """A period of a regime with its dates and its register's figures: the units expected, those that sent their
    report, on time, late, missing, and the rates in per cent (over the units expected only)."""

    regime = serializers.CharField(source="regime.key", read_only=True)
    basis = serializers.CharField(read_only=True)
    expected_count = serializers.IntegerField(read_only=True)
    submitted_count = serializers.IntegerField(read_only=True)
    on_time_count = serializers.IntegerField(read_only=True)
    late_count = serializers.IntegerField(read_only=True)
    missing_count = serializers.IntegerField(read_only=True)
    flagged_count = serializers.IntegerField(read_only=True)
    expected = UnitRefSerializer(many=True, read_only=True)
    submitted = UnitRefSerializer(many=True, read_only=True)
    on_time = UnitRefSerializer(many=True, read_only=True)
    late = UnitRefSerializer(many=True, read_only=True)
    missing = UnitRefSerializer(many=True, read_only=True)
    reporting_rate = serializers.DecimalField(max_digits=5, decimal_places=1, read_only=True, allow_null=True)
    on_time_rate = serializers.DecimalField(max_digits=5, decimal_places=1, read_only=True, allow_null=True)

    class Meta:
        model = ReportingPeriod
        fields = [
            "id",
            "regime",
            "period",
            "data_from",
            "data_to",
            "deadline",
            "on_time_until",
            "locks_on",
            "request_document",
            "basis",
            "expected_count",
            "submitted_count",
            "on_time_count",
            "late_count",
            "missing_count",
            "flagged_count",
            "expected",
            "submitted",
            "on_time",
            "late",
            "missing",
            "reporting_rate",
            "on_time_rate",
        ]
        read_only_fields = fields

    def to_representation(self, instance):
        registers = self.context.get("registers", {})
        figures = registers.get(instance.pk)
        return super().to_representation(_Figures(instance, figures))


class _Figures:
    """A period with its register's figures as attributes, for the serializer."""

    def __init__(self, period, register):
        self._period = period
        self._figures = summary(register) if register is not None else {}
        # The summary writes the regime as its key; the serializer reads the key from the period's regime (a string
        # here would make DRF skip the field silently).
        self._figures.pop("regime", None)

    def __getattr__(self, name):
        if name in self._figures:
            return self._figures[name]
        return getattr(self._period, name)


class ReportSerializer(RecordSerializer):
    """A provincial report: its text by section (figures as ``{{code}}``), header and signature; its status and
    revision change only through its steps (``POST <id>/<verb>/``)."""

    owner = serializers.SlugRelatedField(slug_field="key", queryset=Unit.objects.none())
    regime = serializers.CharField(source="reporting_period.regime.key", read_only=True)
    period = serializers.CharField(source="reporting_period.period", read_only=True)
    sections = serializers.JSONField(required=False)

    class Meta:
        model = Report
        fields = record_fields(
            *ReportForm.Meta.fields,
            "reporting_period",
            "regime",
            "period",
            "sections",
            "status",
            "revision",
            "figure_choices",
            "return_reason",
        )
        read_only_fields = ["status", "revision", "figure_choices", "return_reason", "created_at", "updated_at"]
