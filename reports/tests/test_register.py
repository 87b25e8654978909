"""The register of reports received (issue 20, item 4): the units expected in a period, rates that never exceed 100%,
the flags of suspicious rows, the API and the register page as each user may see them, refused input, and each unit's
timeliness over past periods."""

import datetime as dt
import html
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import User
from core.models import AuditEntry, Unit
from core.testing.world import login, make_unit
from reports.choices import SubmissionFlag
from reports.models import ReportingPeriod, ReportingRegime, Submission
from reports.regimes import reporting_period
from reports.register import build_register, expected_units, timeliness
from reports.testing.factories import ReportingPeriodFactory, ReportingRegimeFactory, SubmissionFactory

REGISTER = "/reports/register/"
SUBMISSIONS_API = "/api/v1/submissions/"
PERIODS_API = "/api/v1/reporting-periods/"


def _api(user) -> APIClient:
    api = APIClient()
    api.force_authenticate(user)
    return api


def _keys(units) -> list[str]:
    return [unit["key"] if isinstance(unit, dict) else unit.key for unit in units]


def _figures(user, regime: str, period: str) -> dict:
    response = _api(user).get(PERIODS_API, {"regime": regime, "period": period})
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert len(results) == 1
    return results[0]


# ---------------------------------------------------------------------------------------------------------------
# The units expected: those that existed in the period (the reference data, loaded once for the tests that read it)


@pytest.fixture
def reference(demo):
    """The reference data (and the demo data set) loaded by their commands, once for every test that reads them."""
    return demo


@pytest.mark.django_db
def test_the_units_expected_are_those_of_the_period(reference):
    regime = ReportingRegime.objects.get(key="local_foreign_affairs")
    first_half_2017 = reporting_period(regime, "2017-H1")
    # Decree 09/2019/NĐ-CP, Art. 12: data from 15 December of the year before to 14 June, due six days later.
    dates = (first_half_2017.data_from, first_half_2017.data_to, first_half_2017.deadline)
    assert dates == (dt.date(2016, 12, 15), dt.date(2017, 6, 14), dt.date(2017, 6, 20))
    names = [unit.name for unit in expected_units(first_half_2017)]
    assert len(names) == len(set(names)) == 63
    assert "Thừa Thiên Huế" in names and "Huế" not in names
    first_half_2025 = reporting_period(regime, "2025-H1")
    assert (first_half_2025.data_to, first_half_2025.deadline) == (dt.date(2025, 6, 14), dt.date(2025, 6, 20))
    units = expected_units(first_half_2025)
    names = [unit.name for unit in units]
    assert len(names) == len(set(names)) == 63
    assert "Huế" in names and "Thừa Thiên Huế" not in names
    assert all(unit.is_legacy for unit in units)
    units = expected_units(reporting_period(regime, "2025"))
    assert len(units) == 34 and not any(unit.is_legacy for unit in units)
    # The API counts the same units.
    viewer = User.objects.get(username="trung_uong")
    figures = _figures(viewer, "local_foreign_affairs", "2017-H1")
    assert (figures["expected_count"], figures["basis"]) == (63, "legacy_63")
    assert "thua-thien-hue-legacy" in _keys(figures["expected"])
    assert _figures(viewer, "local_foreign_affairs", "2025")["expected_count"] == 34


# ---------------------------------------------------------------------------------------------------------------
# Rates never exceed 100%: rows of units not expected, units listed twice


@pytest.fixture
def regime(world):
    return ReportingRegimeFactory(key="local_test", recipient=world.mofa)


@pytest.fixture
def period(regime):
    """The year 2025 of a half-yearly regime: Bắc Ninh and Đà Nẵng of the world are expected (since 1 July 2025)."""
    return ReportingPeriodFactory(regime=regime, period="2025")


def _row(owner, period, late: int = -2, **values) -> Submission:
    """A row of ``owner`` sent ``late`` days after the deadline (before it if negative)."""
    sent_on = period.deadline + dt.timedelta(days=late)
    values = {"sent_on": sent_on, "received_on": sent_on + dt.timedelta(days=1), **values}
    return SubmissionFactory(owner=owner, reporting_period=period, **values)


def test_a_unit_that_did_not_exist_in_the_period_counts_in_no_rate(world, period):
    danang = _row(world.danang, period)
    legacy = _row(world.quangnam, period)
    register = build_register(period)
    assert _keys(register.expected) == ["bac-ninh", "da-nang"]
    assert (danang.flags, legacy.flags) == ([], ["unit_not_in_period"])
    assert register.unexpected == [legacy] and legacy in register.flagged
    assert (len(register.submitted), register.reporting_rate, register.on_time_rate) == (
        1,
        Decimal("50.0"),
        Decimal("50.0"),
    )
    _row(world.bacninh, period)
    register = build_register(period)
    assert (register.reporting_rate, register.on_time_rate) == (Decimal("100.0"), Decimal("100.0"))


def test_a_unit_listed_twice_counts_once_and_both_rows_are_flagged(world, period):
    late = _row(world.danang, period, late=5)
    early = _row(world.danang, period, late=-3)
    _row(world.bacninh, period)
    late.refresh_from_db()
    assert late.flags == early.flags == ["duplicate"]
    register = build_register(period)
    row = next(row for row in register.rows if row.unit == world.danang)
    assert row.submission == early, "counted once, by the row sent first"
    assert (len(register.submitted), len(register.on_time), len(register.missing)) == (2, 2, 0)
    assert register.reporting_rate == register.on_time_rate == Decimal("100.0")
    assert {late, early} <= set(register.flagged)


def test_a_report_received_before_it_was_sent_is_flagged(world, period):
    row = _row(world.danang, period, received_on=period.deadline - dt.timedelta(days=10))
    assert row.flags == ["received_before_sent"]
    assert row.flag_labels() == [str(SubmissionFlag.RECEIVED_BEFORE_SENT.label)]
    assert len(build_register(period).submitted) == 1


def test_trashing_one_of_two_duplicate_rows_clears_the_flag_on_the_other(client, world, period):
    kept = _row(world.danang, period)
    trashed = _row(world.danang, period, late=4)
    login(client, world.province_editor)
    assert client.post(reverse("reports:submission_delete", kwargs={"pk": trashed.pk})).status_code == 302
    kept.refresh_from_db()
    assert kept.flags == []
    assert Submission.all_objects.unrestricted("test").get(pk=trashed.pk).flags == []
    assert client.post(reverse("reports:submission_restore", kwargs={"pk": trashed.pk})).status_code == 302
    kept.refresh_from_db()
    assert kept.flags == ["duplicate"]


def test_moving_a_duplicate_row_to_another_period_clears_the_flag_it_leaves(client, world, period, regime):
    kept = _row(world.danang, period)
    moved = _row(world.danang, period, late=4)
    other = ReportingPeriodFactory(regime=regime, period="2026-H1")
    login(client, world.province_editor)
    data = {
        "owner": world.danang.pk,
        "reporting_period": other.pk,
        "sent_on": "18/06/2026",
        "version": moved.version,
    }
    response = client.post(reverse("reports:submission_edit", kwargs={"pk": moved.pk}), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    kept.refresh_from_db()
    moved.refresh_from_db()
    assert (kept.flags, moved.flags) == ([], [])


# ---------------------------------------------------------------------------------------------------------------
# The API


def test_the_api_lists_the_rows_of_a_regime_and_period(world, period, regime):
    row = _row(world.danang, period, late=3)
    _row(world.bacninh, ReportingPeriodFactory(regime=regime, period="2026-H1"))
    _row(world.bacninh, ReportingPeriodFactory(period="2025"))
    response = _api(world.national_viewer).get(SUBMISSIONS_API, {"regime": "local_test", "period": "2025"})
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 1
    found = results[0]
    assert found["unit"] == {"key": "da-nang", "name": "Đà Nẵng"}
    assert (found["regime"], found["period"]) == ("local_test", "2025")
    assert found["sent_on"] == row.sent_on.isoformat() and found["received_on"] == row.received_on.isoformat()
    assert (found["days_late"], found["on_time"], found["status"], found["flags"]) == (3, False, "received", [])


def test_the_api_answers_a_period_s_figures(world, period):
    _row(world.danang, period, late=2)
    _row(world.quangnam, period)
    figures = _figures(world.national_viewer, "local_test", "2025")
    assert (figures["regime"], figures["period"], figures["basis"]) == ("local_test", "2025", "current_34")
    assert figures["deadline"] == "2025-12-20"
    assert figures["expected"] == [{"key": "bac-ninh", "name": "Bắc Ninh"}, {"key": "da-nang", "name": "Đà Nẵng"}]
    assert _keys(figures["submitted"]) == ["da-nang"] and _keys(figures["late"]) == ["da-nang"]
    assert _keys(figures["on_time"]) == [] and _keys(figures["missing"]) == ["bac-ninh"]
    counts = ("expected_count", "submitted_count", "on_time_count", "late_count", "missing_count", "flagged_count")
    assert [figures[name] for name in counts] == [2, 1, 0, 1, 1, 1]
    assert (figures["reporting_rate"], figures["on_time_rate"]) == ("50.0", "0.0")


def test_a_period_nobody_recorded_is_worked_out_from_the_regime(world, regime):
    figures = _figures(world.national_viewer, "local_test", "2025-H1")
    # Before 1 July 2025: legacy Quảng Nam was expected, not today's Đà Nẵng and Bắc Ninh.
    assert _keys(figures["expected"]) == ["quang-nam-legacy"] and figures["basis"] == "legacy_63"
    assert (figures["data_from"], figures["data_to"], figures["deadline"]) == ("2024-12-15", "2025-06-14", "2025-06-20")
    assert ReportingPeriod.objects.filter(regime=regime, period="2025-H1").count() == 1
    # Written as the period's parser reads it (2025-h1), the same period, made once.
    assert _figures(world.national_viewer, "local_test", "2025-h1")["id"] == figures["id"]
    assert ReportingPeriod.objects.filter(regime=regime).count() == 1


@pytest.mark.parametrize(
    ("regime_key", "period_text"),
    [
        ("khong_co", "2025"),
        ("local_test", "2025-H3"),
        ("local_test", "năm 2025"),
        ("local_test", "1900"),
        ("local_test", "2016/2020"),
        ("yearly_test", "2017-H1"),
        ("local_test", "\x00" * 5),
        ("x" * 5000, "2025"),
        ("local_test", "2" * 5000),
    ],
)
def test_an_unknown_regime_or_a_bad_period_answers_400_with_a_message(world, regime, regime_key, period_text):
    ReportingRegimeFactory(key="yearly_test", frequency="year", recipient=world.mofa)
    count = ReportingPeriod.objects.count()
    response = _api(world.national_viewer).get(PERIODS_API, {"regime": regime_key, "period": period_text})
    assert response.status_code == 400, response.content
    messages = [message for messages in response.json().values() for message in messages]
    assert messages and all(isinstance(message, str) and message for message in messages)
    assert ReportingPeriod.objects.count() == count
    rows = _api(world.national_viewer).get(SUBMISSIONS_API, {"regime": regime_key, "period": period_text})
    assert rows.status_code in {200, 400}


def test_a_province_sees_its_own_rows_and_figures_over_its_own_units_only(client, world, period):
    _row(world.danang, period)
    _row(world.bacninh, period, late=4)
    rows = _api(world.province_editor).get(SUBMISSIONS_API, {"regime": "local_test", "period": "2025"}).json()
    assert [row["unit"]["key"] for row in rows["results"]] == ["da-nang"]
    # Bắc Ninh's status (reported late) is none of Đà Nẵng's business: it is neither expected nor missing here.
    figures = _figures(world.province_editor, "local_test", "2025")
    for name in ("expected", "submitted", "on_time"):
        assert _keys(figures[name]) == ["da-nang"], name
    assert figures["missing"] == figures["late"] == []
    assert (figures["expected_count"], figures["reporting_rate"], figures["on_time_rate"]) == (1, "100.0", "100.0")
    theirs = _figures(world.other_editor, "local_test", "2025")
    assert _keys(theirs["expected"]) == _keys(theirs["late"]) == ["bac-ninh"]
    # Before the merger, Đà Nẵng answers for its predecessor, legacy Quảng Nam; Bắc Ninh of the world has none.
    assert _keys(_figures(world.province_editor, "local_test", "2025-H1")["missing"]) == ["quang-nam-legacy"]
    before = _figures(world.other_editor, "local_test", "2025-H1")
    assert (before["expected"], before["missing"], before["reporting_rate"]) == ([], [], None)
    # The national figures of the page and of the API agree.
    national = _figures(world.national_viewer, "local_test", "2025")
    login(client, world.national_viewer)
    page = client.get(REGISTER, {"regime": "local_test", "period": "2025"}).context["figures"]
    for name, value in national.items():
        if name in page and name not in {"data_from", "data_to", "deadline", "on_time_until", "locks_on"}:
            expected = value if not name.endswith("_rate") else Decimal(value)
            assert page[name] == expected, name


# ---------------------------------------------------------------------------------------------------------------
# The register page


def test_the_register_page_names_an_unknown_regime_or_a_bad_period(client, world, regime):
    login(client, world.national_viewer)
    for query in ({"regime": "khong_co", "period": "2025"}, {"regime": "local_test", "period": "2025-H3"}):
        for extra in ({}, {"export": "xlsx"}):
            response = client.get(REGISTER, {**query, **extra})
            assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
            assert response.context["errors"] and response.context["register"] is None
            assert response.context["errors"][0] in response.content.decode()


def _figure(page: str, name: str) -> str:
    found = re.search(rf'id="figure-{name}">([^<]*)<', page)
    assert found, name
    return found[1].strip()


def test_the_register_page_shows_a_national_viewer_the_figures_and_the_units_not_reported(client, world, period):
    _row(world.danang, period)
    _row(world.quangnam, period)
    login(client, world.national_viewer)
    response = client.get(REGISTER, {"regime": "local_test", "period": "2025"})
    assert response.status_code == 200 and not response.context["errors"]
    page = response.content.decode()
    assert _figure(page, "expected") == "2"
    assert _figure(page, "submitted") == "1/2"
    assert _figure(page, "on-time") == "1"
    assert _figure(page, "missing") == "1"
    assert re.search(r"50[,.]0\s*%", page), "the reporting rate"
    missing = page.split('id="register-missing"')[1].split("</section>")[0]
    assert "Bắc Ninh" in missing and "Đà Nẵng" not in missing
    assert 'id="register-da-nang"' in page and 'id="register-bac-ninh"' in page
    flagged = page.split('id="register-flagged"')[1].split("</section>")[0]
    assert "Quảng Nam" in flagged


def test_the_register_page_shows_a_province_its_own_units_and_no_national_figures(client, world, period):
    _row(world.danang, period)
    _row(world.bacninh, period, late=3)
    login(client, world.province_editor)
    response = client.get(REGISTER, {"regime": "local_test", "period": "2025"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="register-da-nang"' in page and 'id="register-bac-ninh"' not in page
    for section in ("register-figures", "register-missing", "register-flagged", "register-timeliness"):
        assert f'id="{section}"' not in page, section
    assert "Bắc Ninh" not in page


def _sheet_rows(response) -> list[tuple]:
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(min_row=3, values_only=True))


def _screen_rows(page: str) -> list[str]:
    return re.findall(r'<tr id="register-([^"]+)"', page)


@pytest.mark.parametrize("user", ["national_viewer", "province_editor"])
def test_the_excel_export_holds_the_rows_on_screen(client, world, period, user):
    _row(world.danang, period, late=2, note="Công văn số 12/BC-UBND")
    _row(world.bacninh, period)
    _row(world.quangnam, period)
    login(client, world.users[user])
    query = {"regime": "local_test", "period": "2025"}
    response = client.get(REGISTER, query)
    on_screen = response.context["rows"]
    assert _screen_rows(response.content.decode()) == [row.unit.key for row in on_screen]
    rows = _sheet_rows(client.get(REGISTER, {**query, "export": "xlsx"}))
    numbered = [row for row in rows if row[0] is not None]
    assert [row[1] for row in numbered] == [row.unit.name for row in on_screen]
    assert [row[2] for row in numbered] == [row.status_label for row in on_screen]
    danang = next(row for row in numbered if row[1] == "Đà Nẵng")
    assert (danang[3].date(), danang[5], danang[7]) == (
        period.deadline + dt.timedelta(days=2),
        2,
        "Công văn số 12/BC-UBND",
    )
    others = [row[1] for row in rows if row[0] is None]
    if user == "national_viewer":
        assert [row.unit.key for row in on_screen] == ["bac-ninh", "da-nang"]
        assert others == ["Quảng Nam"], "the row of a unit not expected, after the expected ones"
    else:
        assert [row.unit.key for row in on_screen] == ["da-nang"]
        assert others == []


def _more_units(count: int) -> list[Unit]:
    start = Unit.objects.filter(key__startswith="tinh-thu-").count()
    return [
        make_unit(f"tinh-thu-{n}", f"Tỉnh thử {n}", "province", valid_from=dt.date(2025, 7, 1))
        for n in range(start, start + count)
    ]


def _page_queries(client, url: str) -> int:
    client.get(url)  # sessions and caches warmed up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("user", ["national_viewer", "province_editor"])
def test_the_register_page_reads_a_fixed_number_of_queries(client, world, period, regime, user):
    login(client, world.users[user])
    previous = ReportingPeriodFactory(regime=regime, period="2025-H1")
    urls = [f"{REGISTER}?regime=local_test&period=2025", f"{REGISTER}?regime=local_test&period=2025&export=xlsx"]

    def add(count: int):
        for unit in [world.danang, *_more_units(count)]:
            _row(unit, period, late=count)
            _row(unit, period, late=-count)  # listed twice: flagged
        _row(world.quangnam, previous, late=count)

    add(2)
    few = [_page_queries(client, url) for url in urls]
    add(12)
    many = [_page_queries(client, url) for url in urls]
    assert few == many, (few, many)
    assert max(many) <= 30, many


def test_the_periods_api_reads_a_fixed_number_of_queries_whatever_the_number_of_periods(world, regime):
    api = _api(world.national_viewer)

    def add(years: range):
        for year in years:
            for label in (f"{year}-H1", str(year)):
                found = ReportingPeriodFactory(regime=regime, period=label)
                _row(world.danang, found)
                _row(world.quangnam, found)

    def queries() -> int:
        api.get(PERIODS_API, {"page_size": 100})
        with CaptureQueriesContext(connection) as captured:
            response = api.get(PERIODS_API, {"page_size": 100})
        assert response.status_code == 200
        return len(captured), response.json()["count"]

    add(range(2020, 2022))
    few, count = queries()
    add(range(2022, 2030))
    many, more = queries()
    assert (count, more) == (4, 20)
    assert many == few, (few, many)


# ---------------------------------------------------------------------------------------------------------------
# Who keeps the register


def test_the_receiving_body_records_the_row_of_any_province(client, world, period):
    login(client, world.national_admin)
    data = {"owner": world.bacninh.pk, "reporting_period": period.pk, "sent_on": "19/12/2025", "received_on": ""}
    response = client.post(reverse("reports:submission_add"), data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    row = Submission.objects.get(owner=world.bacninh)
    assert row.reporting_period == period and row.created_by == world.national_admin
    # A national viewer reads the register but records nothing.
    login(client, world.national_viewer)
    response = client.post(reverse("reports:submission_add"), {**data, "owner": world.danang.pk})
    assert response.status_code in {400, 403}
    assert not Submission.objects.filter(owner=world.danang).exists()


# ---------------------------------------------------------------------------------------------------------------
# Refused input


def test_a_data_cut_off_after_the_deadline_is_refused_on_the_form_naming_the_field(client, world, regime):
    period = ReportingPeriodFactory(regime=regime, period="2017-H1")
    before = ReportingPeriod.objects.filter(pk=period.pk).values().get()
    login(client, world.national_admin)
    data = {
        "regime": regime.pk,
        "period": "2017-H1",
        "data_from": "15/12/2016",
        "data_to": "25/06/2017",
        "deadline": "20/06/2017",
        "on_time_until": "20/06/2017",
        "locks_on": "20/07/2017",
        "version": period.version,
    }
    response = client.post(reverse("reports:reportingperiod_edit", kwargs={"pk": period.pk}), data)
    assert response.status_code in {200, 400}
    errors = response.context["form"].errors
    assert errors["data_to"] == ["Ngày chốt số liệu: không thể sau hạn gửi báo cáo (20/06/2017)."]
    assert "Ngày chốt số liệu: không thể sau hạn gửi báo cáo (20/06/2017)." in response.content.decode()
    assert ReportingPeriod.objects.filter(pk=period.pk).values().get() == before
    assert not AuditEntry.objects.filter(action="update", object_pk=str(period.pk)).exists()


def test_a_half_year_of_a_yearly_regime_is_refused(client, world):
    yearly = ReportingRegimeFactory(key="yearly_test", frequency="year", recipient=world.mofa)
    dates = {
        "data_from": dt.date(2016, 12, 15),
        "data_to": dt.date(2017, 6, 14),
        "deadline": dt.date(2017, 6, 20),
        "on_time_until": dt.date(2017, 6, 20),
        "locks_on": dt.date(2017, 7, 20),
    }
    with pytest.raises(ValidationError) as refused:
        ReportingPeriod(regime=yearly, period="2017-H1", **dates).full_clean()
    assert list(refused.value.message_dict) == ["period"]
    with pytest.raises(ValidationError):
        reporting_period(yearly, "2017-H1")
    login(client, world.national_admin)
    data = {"regime": yearly.pk, "period": "2017-H1", **{name: f"{day:%d/%m/%Y}" for name, day in dates.items()}}
    response = client.post(reverse("reports:reportingperiod_add"), data)
    assert response.status_code in {200, 400}
    assert response.context["form"].errors["period"] == [
        "Kỳ báo cáo: chế độ này báo cáo theo năm; viết 2017, không viết 2017-H1."
    ]
    assert not ReportingPeriod.objects.filter(regime=yearly).exists()


def test_a_returned_report_needs_the_reason(client, world, period):
    login(client, world.province_editor)
    data = {
        "owner": world.danang.pk,
        "reporting_period": period.pk,
        "sent_on": "18/12/2025",
        "received_on": "19/12/2025",
        "returned_on": "22/12/2025",
        "return_reason": "  ",
    }
    response = client.post(reverse("reports:submission_add"), data)
    assert response.status_code in {200, 400}
    assert response.context["form"].errors["return_reason"] == ["Lý do trả lại: nêu rõ vì sao trả lại báo cáo."]
    assert not Submission.all_objects.unrestricted("test").exists()
    response = client.post(reverse("reports:submission_add"), {**data, "return_reason": "Thiếu số liệu đoàn ra"})
    assert response.status_code == 302
    assert Submission.objects.get().status == "returned"


# ---------------------------------------------------------------------------------------------------------------
# Timeliness over past periods


def test_a_unit_late_in_two_periods_is_repeat_late_with_its_average_delay(world, regime):
    first = ReportingPeriodFactory(regime=regime, period="2025")
    second = ReportingPeriodFactory(regime=regime, period="2026-H1")
    _row(world.danang, first, late=4)
    _row(world.danang, second, late=11)
    _row(world.bacninh, first, late=-1)
    _row(world.bacninh, second, late=3)
    found = timeliness(regime)
    assert found["periods"] == ["2025", "2026-H1"]
    by_unit = {entry["unit"].key: entry for entry in found["rows"]}
    danang, bacninh = by_unit["da-nang"], by_unit["bac-ninh"]
    assert (danang["sent"], danang["late"], danang["repeat_late"]) == (2, 2, True)
    assert danang["average_delay"] == Decimal("7.5")
    assert danang["periods"] == {"2025": 4, "2026-H1": 11}
    assert (bacninh["late"], bacninh["repeat_late"], bacninh["average_delay"]) == (1, False, Decimal("1.5"))
    assert [entry["unit"].key for entry in found["rows"]] == ["da-nang", "bac-ninh"], "the late most often first"
    # A province reads its own record only.
    assert [entry["unit"].key for entry in timeliness(regime, world.province_editor)["rows"]] == ["da-nang"]


def test_the_timeliness_table_tells_a_legacy_unit_from_today_s_of_the_same_name_and_writes_its_periods(
    client, world, regime
):
    """The legacy Đà Nẵng (before 1 July 2025) and today's are two rows: the legacy one says "(cũ)", as every page
    names a legacy unit; each period is headed as a reader writes it, never 2025-H1."""
    legacy = make_unit("da-nang-legacy", "Đà Nẵng", "municipality", is_legacy=True, valid_to=dt.date(2025, 6, 30))
    first_half = ReportingPeriodFactory(regime=regime, period="2025-H1")
    year = ReportingPeriodFactory(regime=regime, period="2025")
    _row(legacy, first_half, late=3)
    _row(world.danang, year)
    login(client, world.national_viewer)
    page = client.get(REGISTER, {"regime": "local_test", "period": "2025"}).content.decode()
    section = page.split('id="register-timeliness"')[1].split("</section>")[0]
    names = dict(re.findall(r'<th scope="row" class="fw-normal" data-unit="([^"]+)">([^<]*)</th>', section))
    assert names["da-nang-legacy"] == "Đà Nẵng (cũ)" and names["da-nang"] == "Đà Nẵng"
    headers = re.findall(r'<th scope="col" class="text-end" data-period="([^"]+)">([^<]*)</th>', section)
    assert headers == [("2025-H1", "6 tháng đầu năm 2025"), ("2025", "Năm 2025")]
    assert "2025-H1" not in re.sub(r"<[^>]+>", " ", section)


def test_the_period_box_gives_the_example_the_regime_chosen_accepts(client, world):
    """A period is typed as 2017-H1 or 2017, and the box's example fits the regime: a yearly regime refuses 2017-H1,
    so its example is 2017; the page's script follows the regime's select with the examples it is given."""
    ReportingRegimeFactory(key="yearly_test", recipient=world.mofa, frequency="year")
    ReportingRegimeFactory(key="half_test", recipient=world.mofa, frequency="half_year")
    login(client, world.national_viewer)
    for key, example in (("yearly_test", "2017"), ("half_test", "2017-H1")):
        page = client.get(REGISTER, {"regime": key, "period": "2025"}).content.decode()
        box = re.search(r'<input[^>]*id="register-period"[^>]*>', page).group(0)
        assert f'placeholder="{example}"' in box and 'value="2025"' in box, box
        examples = json.loads(html.unescape(re.search(r'data-examples="([^"]*)"', box).group(1)))
        assert examples == {"half_test": "2017-H1", "yearly_test": "2017"}
        assert 'data-regime="register-regime"' in box and 'id="register-regime"' in page
