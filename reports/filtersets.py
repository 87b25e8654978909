import django_filters
from django.utils.translation import gettext_lazy as _

from core.filtersets import PeriodFilter, RecordFilterSet, YesNoFilter
from core.periods import Period
from reports.choices import ReportStatus, SubmissionFlag, SubmissionStatus
from reports.models import Report, ReportingPeriod, ReportingRegime, Submission


class RegimeFilter(django_filters.ModelChoiceFilter):
    """A regime picked by its name in the page's language, sent as its key (?regime=local_foreign_affairs) as the
    API, the register's links and the commands write it: a reader never sees the key."""

    def __init__(self, field_name: str):
        super().__init__(
            label=_("Regime"),
            field_name=field_name,
            queryset=ReportingRegime.objects.all(),
            to_field_name="key",
            help_text=_("Key of the reporting regime"),
        )


class SubmissionFilterSet(RecordFilterSet):
    """The register's rows: by regime (its key) and period as the API and the register page name them, by status
    and by flag."""

    regime = RegimeFilter("reporting_period__regime")
    period = PeriodFilter(_("Period"), "filter_period")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=SubmissionStatus.choices, method="filter_status")
    flag = django_filters.ChoiceFilter(label=_("Flag"), choices=SubmissionFlag.choices, method="filter_flag")
    flagged = YesNoFilter(_("Flagged"), "filter_flagged")

    class Meta:
        model = Submission
        fields = []

    def filter_period(self, queryset, name, period: Period):
        return queryset.filter(reporting_period__period=period.label)

    def filter_status(self, queryset, name, value: str):
        if value == SubmissionStatus.RETURNED:
            return queryset.filter(returned_on__isnull=False)
        if value == SubmissionStatus.RECEIVED:
            return queryset.filter(returned_on__isnull=True, received_on__isnull=False)
        if value == SubmissionStatus.SUBMITTED:
            return queryset.filter(returned_on__isnull=True, received_on__isnull=True, sent_on__isnull=False)
        if value == SubmissionStatus.NOT_STARTED:
            return queryset.filter(returned_on__isnull=True, received_on__isnull=True, sent_on__isnull=True)
        # Drafting is a report in progress, which has no row in the register yet.
        return queryset.none()

    def filter_flag(self, queryset, name, value: str):
        # Flags are few per row and few rows carry any: matched in Python, identically on both databases.
        pks = [pk for pk, flags in queryset.values_list("pk", "flags") if value in (flags or [])]
        return queryset.filter(pk__in=pks)

    def filter_flagged(self, queryset, name, value: bool):
        pks = [pk for pk, flags in queryset.values_list("pk", "flags") if flags]
        return queryset.filter(pk__in=pks) if value else queryset.exclude(pk__in=pks)


class ReportingPeriodFilterSet(RecordFilterSet):
    unit = None
    regime = RegimeFilter("regime")
    # As written anywhere else (2017-h1 is 2017-H1): the period's label, not the text typed.
    period = PeriodFilter(_("Period"), "filter_period")

    class Meta:
        model = ReportingPeriod
        fields = []

    def filter_period(self, queryset, name, period: Period):
        return queryset.filter(period=period.label)


class ReportFilterSet(RecordFilterSet):
    """Reports by regime (its key), period and status."""

    regime = RegimeFilter("reporting_period__regime")
    period = PeriodFilter(_("Period"), "filter_period")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ReportStatus.choices)

    class Meta:
        model = Report
        fields = []

    def filter_period(self, queryset, name, period: Period):
        return queryset.filter(reporting_period__period=period.label)
