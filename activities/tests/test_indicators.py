"""Delegation indicators (activities.indicators): done delegations and person-trips out and in over a unit's
portfolio and period, and how they meet the declared figures of years the registry holds only in part."""

import datetime as dt
from decimal import Decimal

import pytest

from activities.models import DelegationMember
from activities.testing.factories import DelegationFactory
from core.indicators import indicator_value, indicator_values
from core.models import DeclaredFigure
from core.periods import Period

pytestmark = pytest.mark.django_db
Y2024 = Period.parse("2024")
CODES = ["outgoing_delegations", "outgoing_person_trips", "incoming_delegations", "incoming_visitors"]


def _declared(unit, code, period, value):
    DeclaredFigure.objects.create(
        owner=unit,
        indicator=code,
        period=period,
        value=Decimal(value),
        source_document="Báo cáo tổng kết công tác đối ngoại",
        quote="…",
    )


@pytest.fixture
def year(world):
    """Đà Nẵng's 2024: two outgoing delegations done (one listing 3 members, one declaring 5), one done by a
    department (3 declared), one incoming done (12 visitors), and others that do not count: planned, cancelled,
    done in 2023."""
    listed = DelegationFactory(owner=world.danang, status="done", member_count=None)
    for name in ("A", "B", "C"):
        DelegationMember.objects.create(delegation=listed, name=f"Nguyễn Văn {name}")
    DelegationFactory(
        owner=world.danang, status="done", member_count=5, departs_on=dt.date(2024, 9, 1), returns_on=None
    )
    DelegationFactory(owner=world.danang_dept, status="done", member_count=3)
    DelegationFactory(owner=world.danang, status="done", direction="incoming", member_count=12)
    DelegationFactory(owner=world.danang, status="planned", member_count=9)
    DelegationFactory(owner=world.danang, status="cancelled", member_count=9)
    DelegationFactory(
        owner=world.danang,
        status="done",
        member_count=9,
        departs_on=dt.date(2023, 12, 30),
        returns_on=dt.date(2024, 1, 3),
    )
    DelegationFactory(owner=world.bacninh, status="done", member_count=99)


def test_done_delegations_of_the_portfolio_in_the_period_are_counted(world, year):
    values = {row["indicator"]: row for row in indicator_values(unit=world.danang, period=Y2024, codes=CODES)}
    assert {code: values[code]["value"] for code in CODES} == {
        "outgoing_delegations": 3,
        "outgoing_person_trips": 11,
        "incoming_delegations": 1,
        "incoming_visitors": 12,
    }
    assert values["outgoing_delegations"]["source"] == "computed"
    assert values["outgoing_delegations"]["previous"]["value"] == 1, "the 2023 trip"
    assert values["outgoing_delegations"]["change"] == 2
    url = values["outgoing_delegations"]["records_url"]
    assert url.startswith("/delegations/?") and "started_in=2024" in url and "status=done" in url


def test_the_records_link_lists_what_was_counted(client, world, year):
    from core.testing.world import login

    login(client, world.province_editor)
    url = indicator_value("outgoing_delegations", unit=world.danang, period=Y2024)["records_url"]
    table = client.get(url).context["table"]
    assert len(list(table.data)) == 3


def test_a_period_without_records_answers_its_declared_figure(world):
    """A computed 0 does not hide what a document declares for a year the registry was not kept."""
    _declared(world.quangnam, "outgoing_delegations", "2013", 164)
    _declared(world.quangnam, "outgoing_delegations", "2012", 189)
    value = indicator_value("outgoing_delegations", unit=world.quangnam, period=Period.parse("2013"))
    assert (value["value"], value["source"], value["previous"]["value"], value["change"]) == (164, "declared", 189, -25)
    nothing = indicator_value("incoming_visitors", unit=world.quangnam, period=Period.parse("2013"))
    assert nothing["value"] is None, "no records and no declared figure: unknown, not 0"


def test_a_year_recorded_in_part_answers_the_larger_declared_figure_with_the_count_beside(world):
    DelegationFactory(owner=world.quangnam, status="done", departs_on=dt.date(2013, 4, 1), returns_on=None)
    _declared(world.quangnam, "outgoing_delegations", "2013", 164)
    value = indicator_value("outgoing_delegations", unit=world.quangnam, period=Period.parse("2013"))
    assert (value["value"], value["source"], value["computed"]) == (164, "declared", 1)
    assert value["difference_from_declared"] == -163


def test_a_complete_registry_wins_over_a_smaller_declared_figure(world, year):
    _declared(world.danang, "outgoing_delegations", "2024", 2)
    value = indicator_value("outgoing_delegations", unit=world.danang, period=Y2024)
    assert (value["value"], value["source"], value["difference_from_declared"]) == (3, "computed", 1)
