"""The synthetic register (issue 20: "with synthetic data for every province of a half-year, the register shows who
reported and when"): the same seed gives the same rows, the counts add up, the register page reads a fixed number
of queries whatever the number of provinces, and the API's figures match a direct count of the rows."""

import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.choices import PROVINCE_KINDS
from core.models import Unit
from core.synthetic import ensure_units
from core.testing.world import login, make_unit
from reports.choices import SubmissionFlag
from reports.models import ReportingPeriod, ReportingRegime, Submission
from reports.register import build_register, expected_units
from reports.synthetic import REGIME, register

YEARS = 2  # 2024-H1, 2024, 2025-H1 (63 legacy provinces in the reference data), 2025 (34 current)


def _rows() -> list[tuple]:
    rows = Submission.all_objects.unrestricted("every synthetic row").order_by("owner__key", "reporting_period", "pk")
    return list(rows.values_list("owner__key", "reporting_period__period", "sent_on", "received_on", "note", "flags"))


def _generate(provinces: list[Unit], seed: int = 1, years: int = YEARS) -> int:
    return register(random.Random(seed), provinces=provinces, years=years, seed=seed, log=lambda line: None)


@pytest.fixture
def cfrc(world):
    """The body the regime reports to: with it, the generator loads the regimes the test database lacks."""
    return make_unit("cfrc", "Ban Đối ngoại Trung ương", "central_body")


@pytest.fixture
def national(cfrc):
    """The 34 provinces of the national scale (the world's two and 32 made by ensure_units, each with a legacy
    predecessor), and their register."""
    provinces = ensure_units(random.Random(1), 34)
    _generate(provinces)
    return provinces


def test_without_the_regime_nor_its_receiving_body_nothing_is_written_and_the_log_says_so(world):
    lines = []
    assert register(random.Random(1), provinces=[world.danang], years=YEARS, seed=1, log=lines.append) == 0
    assert not ReportingRegime.objects.exists() and not Submission.all_objects.unrestricted("any row").exists()
    assert "cfrc" in lines[0] and "load_reference_data" in lines[0]


def test_the_same_seed_gives_the_same_rows(cfrc):
    provinces = ensure_units(random.Random(1), 34)
    made = _generate(provinces, seed=7)
    first = _rows()
    assert made == len(first) > 100
    # Run again: every unit already has its rows, nothing is added.
    assert _generate(provinces, seed=7) == 0 and _rows() == first
    Submission.all_objects.unrestricted("the synthetic rows, made again").delete()
    _generate(provinces, seed=7)
    assert _rows() == first
    Submission.all_objects.unrestricted("the synthetic rows, made with another seed").delete()
    _generate(provinces, seed=8)
    assert _rows() != first


def test_every_expected_unit_is_in_the_register_once_and_the_counts_add_up(national):
    periods = list(ReportingPeriod.objects.filter(regime__key=REGIME).order_by("data_to"))
    assert [period.period for period in periods] == ["2024-H1", "2024", "2025-H1", "2025"]
    flags = set()
    for period in periods:
        result = build_register(period)
        expected = expected_units(period)
        assert [row.unit for row in result.rows] == expected
        # The units that exist in this database: the legacy ones before 1 July 2025, the 34 current ones after.
        assert len(expected) == (
            34 if period.period == "2025" else Unit.objects.filter(is_legacy=True, level="province").count()
        )
        assert len(result.submitted) + len(result.missing) == len(expected)
        assert len(result.on_time) + len(result.late) == len(result.submitted)
        assert result.unexpected == []
        assert 80 <= result.reporting_rate <= 100 and 50 <= result.on_time_rate <= result.reporting_rate
        for row in result.submitted:
            assert row.submission.sent_on <= period.deadline or row.submission.days_late <= 60
        flags |= {flag for submission in result.flagged for flag in submission.flags}
    rows = Submission.all_objects.unrestricted("every synthetic row")
    flagged = [row for row in rows.values_list("flags", flat=True) if row]
    # About 2% of the rows; both kinds across the periods (seed 1).
    assert 0 < len(flagged) <= 0.06 * rows.count()
    assert flags == {SubmissionFlag.RECEIVED_BEFORE_SENT, SubmissionFlag.DUPLICATE}


def test_at_the_province_scale_only_the_province_and_its_predecessors_have_rows(cfrc, world):
    _generate([world.danang])
    owners = set(Submission.all_objects.unrestricted("every synthetic row").values_list("owner__key", flat=True))
    assert owners == {"da-nang", "quang-nam-legacy"}
    province_rows = _rows()
    # The same rows as at the national scale.
    _generate(ensure_units(random.Random(1), 34))
    assert [row for row in _rows() if row[0] in {"da-nang", "quang-nam-legacy"}] == province_rows


def _page_queries(client, url: str) -> int:
    client.get(url)  # sessions and caches warmed up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_register_page_reads_as_many_queries_for_one_province_as_for_34(client, cfrc, world):
    login(client, world.national_viewer)
    urls = [f"/reports/register/?regime={REGIME}&period={period}" for period in ("2025", "2025-H1")]
    _generate(ensure_units(random.Random(1), 1))
    one = [_page_queries(client, url) for url in urls]
    assert Submission.all_objects.unrestricted("the province's rows").values("owner").distinct().count() == 1
    _generate(ensure_units(random.Random(1), 34))
    many = [_page_queries(client, url) for url in urls]
    assert Submission.all_objects.unrestricted("every row").values("owner").distinct().count() > 60
    assert one == many, (one, many)
    response = client.get(urls[0])
    assert response.context["figures"]["expected_count"] == 34


def _direct_count(period: ReportingPeriod) -> dict:
    """The figures of ``period`` counted from the rows and the units themselves, without reports.register."""
    units = Unit.objects.filter(level="province", kind__in=PROVINCE_KINDS)
    expected = {
        unit.pk
        for unit in units
        if (unit.valid_from is None or unit.valid_from <= period.data_to)
        and (unit.valid_to is None or unit.valid_to >= period.data_to)
    }
    first_sent = {}
    rows = Submission.objects.filter(reporting_period=period, sent_on__isnull=False).unrestricted("a direct count")
    for owner, sent_on in rows.values_list("owner_id", "sent_on"):
        if owner in expected:
            first_sent[owner] = min(sent_on, first_sent.get(owner, sent_on))
    on_time = sum(1 for sent_on in first_sent.values() if sent_on <= period.on_time_until)
    return {
        "expected_count": len(expected),
        "submitted_count": len(first_sent),
        "on_time_count": on_time,
        "late_count": len(first_sent) - on_time,
        "missing_count": len(expected) - len(first_sent),
    }


@pytest.mark.parametrize("label", ["2024-H1", "2025"])
def test_the_api_figures_of_a_generated_period_match_a_direct_count(national, world, label):
    api = APIClient()
    api.force_authenticate(world.national_viewer)
    response = api.get("/api/v1/reporting-periods/", {"regime": REGIME, "period": label})
    assert response.status_code == 200, response.content
    (figures,) = response.json()["results"]
    direct = _direct_count(ReportingPeriod.objects.get(regime__key=REGIME, period=label))
    assert {name: figures[name] for name in direct} == direct
    assert direct["missing_count"] > 0 and direct["late_count"] > 0
    assert float(figures["reporting_rate"]) == pytest.approx(
        100 * direct["submitted_count"] / direct["expected_count"], abs=0.05
    )
    assert float(figures["reporting_rate"]) <= 100
