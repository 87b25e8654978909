"""The figures page (core.views.FiguresView, core.indicators.indicator_values) reads a fixed number of queries
whatever the number of records behind the figures (issue 17, item 13: it computed a unit's portfolio 16 times,
89 queries), and the values are those each indicator computes on its own."""

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.testing.factories import ConferenceFactory, DelegationFactory, PressVisitFactory
from agreements.choices import AgreementStatus
from agreements.models import Agreement
from agreements.testing.factories import AgreementFactory
from core.forms import indicator_choices
from core.indicators import catalogue, indicator_value, indicator_values
from core.models import DeclaredFigure, Field
from core.periods import Period
from core.testing.world import login
from partners.models import RelationshipStatusChange
from partners.testing.factories import RelationshipFactory

pytestmark = pytest.mark.django_db

# The delegations' computations (activities.indicators) read their rows and their destinations: one query each for
# every indicator and period of the page. The conferences read theirs and their countries, the press visits theirs
# (with their country): three more, whatever the number of rows.
MOST_QUERIES = 20
URLS = [
    "/figures/?unit=da-nang&period=2020",
    "/figures/?unit=Quảng Nam&period=2016/2020",
    "/figures/?unit=da-nang&period=2020-H2",
]


def _add(world, count: int) -> None:
    """``count`` agreements and relationships a year from 2018 to 2020, for Đà Nẵng, its department and its
    predecessor Quảng Nam, with fields of cooperation, and a figure declared in a document."""
    fields = [Field.objects.get_or_create(code=code, defaults={"name_vi": code, "name_en": code})[0] for code in "abc"]
    for year in (2018, 2019, 2020):
        for index in range(count):
            owner = (world.danang, world.danang_dept, world.quangnam)[index % 3]
            signed = dt.date(year, 1 + index % 12, 1 + index % 28)
            agreement = AgreementFactory(owner=owner)
            Agreement.all_objects.filter(pk=agreement.pk).update(
                status=AgreementStatus.IN_FORCE, signed_on=signed, in_force_on=signed, duration_years=1 + index % 3
            )
            DelegationFactory(
                owner=owner,
                status="done" if index % 4 else "planned",
                direction=("outgoing", "incoming")[index % 2],
                departs_on=signed,
                returns_on=None,
                member_count=1 + index,
            )
            ConferenceFactory(owner=owner, status="held", starts_on=signed, ends_on=None, applied_on=None)
            PressVisitFactory(owner=owner, starts_on=signed, ends_on=None, reporter_count=1 + index)
            relationship = RelationshipFactory(owner=owner, status_since=signed)
            relationship.fields.add(*fields[: 1 + index % 3])
            if index % 2:
                RelationshipStatusChange.objects.create(relationship=relationship, status="active", on=signed)
        DeclaredFigure.objects.create(
            owner=world.danang,
            indicator="agreements_signed",
            period=str(year),
            value=Decimal(count),
            source_document=f"Báo cáo năm {year} ({count})",
        )


def _queries(client, url: str) -> int:
    client.get(url)  # sessions and caches warmed up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert response.context is None or not response.context.get("errors"), url
    return len(queries)


@pytest.mark.parametrize("user", ["national_viewer", "province_editor"])
def test_the_figures_page_reads_a_fixed_number_of_queries(client, world, user):
    login(client, world.users[user])
    _add(world, 3)  # a row for each owner: a list with no row at all reads one query less (its prefetch)
    few = [_queries(client, url) for url in URLS]
    _add(world, 12)
    many = [_queries(client, url) for url in URLS]
    assert few == many, (few, many)
    assert max(many) <= MOST_QUERIES, many


def test_the_figures_are_those_of_each_indicator_computed_on_its_own(world):
    _add(world, 5)
    for unit in (world.danang, world.quangnam, world.danang_dept):
        for text in ("2019", "2020", "2016/2020", "2020-H1"):
            period = Period.parse(text)
            together = {row["indicator"]: row for row in indicator_values(unit=unit, period=period)}
            for code, indicator in catalogue().items():
                if indicator.computation is None:
                    continue
                alone = indicator.computation(unit=unit, period=period)
                previous = indicator.computation(unit=unit, period=period.previous())
                if alone is None:  # a registry not kept in the period (activities.indicators): unknown, not 0
                    assert together[code]["value"] is None, (unit, text, code)
                else:
                    assert together[code]["value"] == Decimal(alone.value), (unit, text, code)
                    assert together[code]["breakdown"] == alone.breakdown, (unit, text, code)
                    assert together[code]["records_url"] == alone.records_url, (unit, text, code)
                expected = None if previous is None else Decimal(previous.value)
                assert together[code]["previous"]["value"] == expected, (unit, text, code)
            assert indicator_value("agreements_signed", unit=unit, period=period) == together["agreements_signed"]
    # Đà Nẵng's figures count its department's agreements and its predecessor's.
    assert indicator_value("agreements_signed", unit=world.danang, period=Period.parse("2020"))["value"] == 5


def test_the_first_year_a_user_may_ask_for_is_shown_with_nothing_before_it(client, world):
    login(client, world.viewer)
    response = client.get("/figures/", {"key": world.danang.key, "unit": "Đà Nẵng", "period": "1945"})
    assert response.status_code == 200
    api = client.get("/api/v1/indicators/outgoing_delegations/value/", {"unit": world.danang.key, "period": "1945"})
    assert api.status_code == 200 and api.json()["previous"]["period"] == "1944"


def test_a_declared_figures_page_shows_the_indicator_in_words_and_the_number_as_written(client, world):
    figure = DeclaredFigure.objects.create(
        owner=world.danang,
        indicator="outgoing_delegations",
        period="2013",
        value=Decimal("164"),
        source_document="Báo cáo tổng kết công tác đối ngoại năm 2013",
    )
    login(client, world.viewer)
    page = client.get(figure.get_absolute_url()).content.decode()
    assert "Đoàn ra" in page and "outgoing_delegations" not in page
    assert "164,0000" not in page and ">164<" in page


def test_the_declared_figure_forms_indicators_read_by_name_without_their_codes(client, world):
    login(client, world.province_editor)
    page = client.get("/declared-figures/add/").content.decode()
    assert ">Đoàn ra</option>" in page and "(outgoing_delegations)" not in page


def test_two_indicators_that_read_the_same_are_told_apart_by_what_they_count():
    # Two indicators given the same name, as a translation may give them: each keeps what it counts.
    same_name = catalogue()["ngo_visitors"].label
    codes = ("ngo_visitors", "ngo_visiting_groups")
    twins = {code: dataclasses.replace(catalogue()[code], label=same_name) for code in codes}
    choices = dict(indicator_choices(twins))
    assert choices["ngo_visitors"] != choices["ngo_visiting_groups"]
    assert all(code not in label for code, label in choices.items())
