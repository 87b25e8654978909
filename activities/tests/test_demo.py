"""The demo delegations built from the facts files (activities.demo, through core.demo.load_demo)."""

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from activities.choices import DelegationStatus, Direction
from activities.models import Delegation, DelegationMember
from core.testing.world import load_demo_data
from partners.models import Interaction

QUANG_NAM = "quang-nam-legacy"

pytestmark = pytest.mark.django_db


def test_the_delegations_the_documents_name_are_loaded(demo):
    rows = Delegation.objects.filter(owner__key=QUANG_NAM)
    # The summary's 17, and the four the agreements report adds (its two others are legs of the summary's trips).
    assert rows.count() == 21
    assert rows.filter(direction=Direction.OUTGOING).count() == 7
    assert set(rows.values_list("status", flat=True)) == {DelegationStatus.DONE}
    hai = rows.get(leader_name="Nguyễn Đức Hải")
    assert hai.leader_position == "Ủy viên BCH TW Đảng, Bí thư Tỉnh ủy"
    assert {p.key for p in hai.partners.all()} >= {"kh-battambang", "de-wernigerode"}
    assert {c.iso2 for c in hai.countries.all()} == {"KH", "DE"}
    korea = rows.get(leader_name="Lê Phước Thanh")
    assert (korea.departs_on.month, korea.date_precision) == (4, "month"), "the report's finer date is taken"
    assert list(korea.members.values_list("name", flat=True)) == ["Lê Phước Thanh", "Nguyễn Văn Sỹ"]
    assert korea.person_trips == 2
    osan = rows.get(direction=Direction.INCOMING, member_count=14)
    assert osan.origin_country.iso2 == "KR"
    israel = rows.get(leader_position="Đại sứ đặc mệnh toàn quyền Israel")
    assert israel.level == "ambassador"
    assert "various" not in " ".join(rows.values_list("purpose", flat=True))
    # Every note is Vietnamese, naming the document by its short name.
    assert all(row.notes.startswith("Nguồn: ") for row in rows)
    assert not any(".json" in row.notes or "seed" in row.notes for row in rows)


def test_a_delegation_that_met_a_partner_is_in_the_relationship_timeline(demo):
    hai = Delegation.objects.get(owner__key=QUANG_NAM, leader_name="Nguyễn Đức Hải")
    visits = Interaction.objects.filter(delegations=hai)
    assert visits.exists()
    assert {visit.kind for visit in visits} == {"visit_out"}
    assert all(visit.relationship.owner.key == QUANG_NAM for visit in visits)


def test_a_second_load_creates_nothing(demo):
    before = (Delegation.all_objects.count(), DelegationMember.objects.count(), Interaction.all_objects.count())
    lines = load_demo_data()
    assert "delegations: 0 created" in lines
    assert (Delegation.all_objects.count(), DelegationMember.objects.count(), Interaction.all_objects.count()) == before


@pytest.mark.parametrize(
    ("code", "value", "previous", "change"),
    [
        ("outgoing_delegations", 164, 189, -25),
        ("outgoing_person_trips", 730, 764, -34),
        ("incoming_delegations", 25, 31, -6),
        ("incoming_visitors", 205, None, None),
    ],
)
def test_the_declared_2013_totals_still_answer(demo, code, value, previous, change):
    """The demo holds 21 of the year's delegations: the declared totals stand, the count beside them."""
    api = APIClient()
    api.force_authenticate(User.objects.get(username="danang"))  # Đà Nẵng succeeds legacy Quảng Nam
    answer = api.get(f"/api/v1/indicators/{code}/value/", {"unit": QUANG_NAM, "period": "2013"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert (float(body["value"]), body["source"]) == (value, "declared")
    assert "/delegations/" in body["records_url"]
    assert float(body["computed"]) < value
    if previous is None:
        assert body["previous"]["value"] is None
    else:
        assert float(body["previous"]["value"]) == previous
        assert float(body["change"]) == change


# The issue's own check (issue 19, "Done when"), as its URL writes it: the unit by its name without diacritics.
SEED_2013 = {
    "outgoing_delegations": (164, -25),
    "outgoing_person_trips": (730, -34),
    "incoming_delegations": (25, -6),
    "incoming_visitors": (205, None),
    "foreign_press_groups": (26, None),
    "foreign_reporters": (156, None),
    "international_conferences": (2, None),
    "awards_received": (27, None),
}


def test_the_seed_values_answer_by_the_units_name(demo):
    api = APIClient()
    api.force_authenticate(User.objects.get(username="trung_uong"))
    for code, (value, change) in SEED_2013.items():
        answer = api.get(f"/api/v1/indicators/{code}/value/?unit=quang nam&period=2013")
        assert answer.status_code == 200, (code, answer.content)
        body = answer.json()
        assert float(body["value"]) == value, (code, body)
        assert (float(body["change"]) if body["change"] is not None else None) == change, (code, body)


def test_how_the_documents_delegations_were_paid_for_and_planned_is_unknown_not_none(demo):
    """The documents name the delegations without their funding or plan: the splits are unknown, not 0."""
    api = APIClient()
    api.force_authenticate(User.objects.get(username="trung_uong"))
    for code in ("outgoing_state_funded_delegations", "outgoing_planned_delegations", "outgoing_arising_delegations"):
        body = api.get(f"/api/v1/indicators/{code}/value/", {"unit": QUANG_NAM, "period": "2013"}).json()
        assert body["value"] is None, (code, body)


def test_a_delegation_went_to_the_country_the_document_names_not_to_its_partners_own(demo):
    """ "Tập đoàn Mazda tại Thái Lan": Mazda is Japanese, the delegation went to Thailand."""
    mazda = Delegation.objects.get(owner__key=QUANG_NAM, purpose__contains="Mazda")
    assert [country.iso2 for country in mazda.countries.all()] == ["TH"]
