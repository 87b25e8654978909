"""Factories for the reports app's tests (factory-boy)."""

import datetime as dt

import factory

from core.models import Unit
from core.periods import Period
from reports.models import Report, ReportingPeriod, ReportingRegime, Submission


def _central_body() -> Unit:
    """The receiving body: the world's Ministry of Foreign Affairs (``mofa``), made if the test has no world."""
    unit = Unit.objects.filter(key="mofa").first()
    if unit is None:
        unit = Unit(key="mofa", name="Bộ Ngoại giao", full_name="Bộ Ngoại giao", kind="central_body")
        unit.save()
    return unit


class ReportingRegimeFactory(factory.django.DjangoModelFactory):
    """A half-yearly regime of the provinces to the Ministry (Decree 09/2019/NĐ-CP defaults)."""

    class Meta:
        model = ReportingRegime

    key = factory.Sequence(lambda n: f"test_regime_{n}")
    name_vi = factory.Sequence(lambda n: f"Báo cáo công tác đối ngoại thử nghiệm {n}")
    name_en = factory.Sequence(lambda n: f"Test report on foreign affairs {n}")
    recipient = factory.LazyFunction(_central_body)
    reporting_level = "province"
    frequency = "half_year"


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    """A period of a regime with the dates its regime works out (``period`` as written: 2017-H1, 2025)."""

    class Meta:
        model = ReportingPeriod

    regime = factory.SubFactory(ReportingRegimeFactory)
    period = "2025"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        dates = kwargs["regime"].dates_for(Period.parse(kwargs["period"]))
        return super()._create(model_class, *args, **{**dates, **kwargs})


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A row of the register: sent before the deadline and received; give at least ``owner``."""

    class Meta:
        model = Submission

    reporting_period = factory.SubFactory(ReportingPeriodFactory)
    sent_on = factory.LazyAttribute(lambda row: row.reporting_period.deadline - dt.timedelta(days=2))
    received_on = factory.LazyAttribute(lambda row: row.sent_on and row.sent_on + dt.timedelta(days=1))
    note = factory.Sequence(lambda n: f"Công văn số {n + 1}/BC-UBND")


TEST_OUTLINE = {
    "subject_vi": ["Tình hình công tác đối ngoại {period}"],
    "parts": [{"key": "situation", "title_vi": "Tình hình {period}"}, {"key": "requests", "title_vi": "Kiến nghị"}],
    "sections": [
        {
            "key": "results",
            "title_vi": "Kết quả công tác đối ngoại",
            "part": "situation",
            "indicators": ["outgoing_delegations"],
            "text_vi": ["Cho phép {{outgoing_delegations}} đoàn ra ({{outgoing_delegations.change}} đoàn)."],
        },
        {"key": "assessment", "title_vi": "Đánh giá", "part": "situation"},
        {"key": "requests", "title_vi": "Kiến nghị", "part": "requests", "heading": False, "required": False},
    ],
}


class ReportFactory(factory.django.DjangoModelFactory):
    """A province's report in drafting, its regime with a small outline (TEST_OUTLINE); give at least ``owner``."""

    class Meta:
        model = Report

    reporting_period = factory.SubFactory(
        ReportingPeriodFactory, regime=factory.SubFactory(ReportingRegimeFactory, outline=TEST_OUTLINE)
    )
    number = factory.Sequence(lambda n: f"{n + 1}/BC-UBND")
    place = factory.LazyAttribute(lambda report: report.owner.name)
    sections = factory.LazyFunction(
        lambda: {"results": "Cho phép {{outgoing_delegations}} đoàn ra.", "assessment": "Nhìn chung, tốt."}
    )
