"""The rules a trip abroad is checked against when it is approved (issue 19, item 2): a province's caps, its key
leaders, the approvals outside the plan and for officials managed centrally; a breach warns, and an approver
overrides it only with a written reason, kept and audited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from activities.models import Delegation, DelegationMember, DelegationRules
from activities.registries import DELEGATION_RULES
from activities.services import delegation_approve, delegation_update
from activities.testing.factories import DelegationFactory, DelegationRulesFactory
from activities.workflow import breaches
from core.models import AuditEntry
from core.testing.mixins import RecordTests
from core.testing.world import login, make_unit
from partners.testing.factories import country

pytestmark = pytest.mark.django_db

APRIL = dt.date(2024, 4, 10)


class TestDelegationRules(RecordTests):
    record_type = DELEGATION_RULES
    factory = DelegationRulesFactory
    values = {
        "source": "Quy chế quản lý thống nhất các hoạt động đối ngoại của tỉnh",
        "leader_trips_per_year": 2,
        "members_per_delegation": 10,
        "days_per_trip": 10,
        "countries_per_trip": 3,
        "trips_per_year": 40,
        "key_leaders": "Nguyễn Văn A\nTrần Văn B",
        "outside_plan_needs_approval": True,
        "personnel_approval_needed": True,
    }

    def make(self, world, owner):
        # One set of rules per unit: each record of the generated tests governs a department of its own.
        number = DelegationRules.all_objects.unrestricted("a key no other test row has").count()
        unit = make_unit(f"{owner.key}.so-{number}", f"Sở số {number}", "department", parent=owner)
        return DelegationRulesFactory(owner=unit)


def approved(owner, **values) -> Delegation:
    defaults = {"status": "approved", "approval_number": "01/QĐ-UBND", "approval_on": dt.date(2024, 1, 5)}
    return DelegationFactory(owner=owner, in_annual_plan=True, **{**defaults, **values})


@pytest.fixture
def rules(world):
    return DelegationRulesFactory(
        owner=world.danang,
        source="Quy chế số 01/2024 của UBND thành phố",
        leader_trips_per_year=2,
        members_per_delegation=6,
        days_per_trip=7,
        countries_per_trip=2,
        trips_per_year=2,
        state_budget_per_year_vnd=Decimal(500_000_000),
        key_leaders="Nguyễn Văn A\nTrần Văn B",
    )


def test_without_rules_nothing_is_checked(world):
    trip = DelegationFactory(owner=world.danang, member_count=40, returns_on=APRIL + dt.timedelta(days=60))
    assert breaches(trip) == []


def test_each_cap_and_rule_is_checked_against_what_the_unit_approved_that_year(world, rules):
    for month in (1, 2):
        approved(
            world.danang,
            departs_on=dt.date(2024, month, 3),
            returns_on=dt.date(2024, month, 5),
            state_budget_vnd=Decimal(200_000_000),
        )
    # Another province's trips and last year's do not count.
    approved(world.bacninh, departs_on=dt.date(2024, 3, 3), returns_on=dt.date(2024, 3, 5))
    approved(world.danang, departs_on=dt.date(2023, 3, 3), returns_on=dt.date(2023, 3, 5))
    trip = DelegationFactory(
        owner=world.danang_dept,  # a department of the city: the city's rules govern it
        member_count=8,
        departs_on=APRIL,
        returns_on=APRIL + dt.timedelta(days=9),
        state_budget_vnd=Decimal(250_000_000),
        in_annual_plan=False,
        needs_central_personnel_approval=True,
    )
    trip.countries.set([country("KR"), country("JP"), country("CN")])
    found = {breach.rule: breach.message for breach in breaches(trip)}
    assert set(found) == {
        "plan",
        "personnel",
        "members_per_delegation",
        "days_per_trip",
        "countries_per_trip",
        "trips_per_year",
        "leader_trips_per_year",
        "state_budget_per_year_vnd",
    }
    assert all("Quy chế số 01/2024" in message for message in found.values())
    assert "8" in found["members_per_delegation"] and "6" in found["members_per_delegation"]
    assert "650.000.000" in found["state_budget_per_year_vnd"]
    # The approvals recorded and the trip within the caps: nothing left.
    trip.plan_exception_approval = "Văn bản số 15/UBND-NV ngày 01/03/2024"
    trip.personnel_approval = "Văn bản số 22-CV/BTCTW"
    trip.member_count, trip.returns_on, trip.state_budget_vnd = 6, APRIL + dt.timedelta(days=6), Decimal(1)
    trip.leader_name = "Lê Thị C"
    trip.countries.set([country("KR")])
    rules.trips_per_year = 10
    rules.save()
    assert breaches(trip) == []


def test_two_key_leaders_are_not_abroad_at_the_same_time(world, rules):
    approved(world.danang, leader_name="Trần Văn B", departs_on=APRIL, returns_on=APRIL + dt.timedelta(days=3))
    trip = DelegationFactory(
        owner=world.danang, leader_name="nguyen van a", departs_on=APRIL + dt.timedelta(days=2), in_annual_plan=True
    )
    assert [breach.rule for breach in breaches(trip)] == ["key_leaders"]
    trip.departs_on, trip.returns_on = APRIL + dt.timedelta(days=4), APRIL + dt.timedelta(days=6)
    assert breaches(trip) == []
    # Both in the same delegation, as its head and a member.
    DelegationMember.objects.create(delegation=trip, name="Trần Văn B")
    assert [breach.rule for breach in breaches(trip)] == ["key_leaders"]


def test_approval_with_a_breach_needs_a_written_reason_kept_and_audited(world, rules):
    trip = DelegationFactory(owner=world.danang, member_count=9, in_annual_plan=True)
    with pytest.raises(ValidationError) as refused:
        delegation_approve(delegation=trip, user=world.approver, approval_number="12/QĐ-UBND", approval_on=APRIL)
    refusal = " ".join(refused.value.message_dict["override_reason"])
    assert "9" in refusal and "6" in refusal and "Quy chế số 01/2024" in refusal
    trip.refresh_from_db()
    assert trip.status == "planned"
    delegation_approve(
        delegation=trip,
        user=world.approver,
        approval_number="12/QĐ-UBND",
        approval_on=APRIL,
        override_reason="Đoàn xúc tiến đầu tư cần đủ thành phần doanh nghiệp.",
    )
    trip.refresh_from_db()
    assert trip.status == "approved" and trip.rules_override_by == world.approver
    assert trip.rules_override_reason.startswith("Đoàn xúc tiến") and len(trip.rules_override_breaches) == 1
    entry = AuditEntry.objects.filter(verb="delegation_approve", object_pk=str(trip.pk)).get()
    assert entry.detail["override"] is True and entry.detail["breaches"] == ["members_per_delegation"]
    assert entry.detail["reason"].startswith("Đoàn xúc tiến")


def test_a_trip_within_the_rules_is_approved_without_a_reason(world, rules):
    trip = DelegationFactory(owner=world.danang, member_count=3, in_annual_plan=True)
    delegation_approve(delegation=trip, user=world.approver, approval_number="12/QĐ-UBND", approval_on=APRIL)
    trip.refresh_from_db()
    assert trip.status == "approved" and trip.rules_override_reason == "" and trip.rules_override_breaches == []


def test_the_form_cannot_set_approved_around_the_rules(world, rules):
    trip = DelegationFactory(owner=world.danang, member_count=9, in_annual_plan=True)
    trip.status, trip.approval_number, trip.approval_on = "approved", "12/QĐ-UBND", APRIL
    with pytest.raises(ValidationError) as refused:
        delegation_update(instance=trip, user=world.province_editor, expected_version=trip.version)
    assert "status" in refused.value.message_dict
    assert Delegation.objects.get(pk=trip.pk).status == "planned"


def test_the_page_warns_and_the_api_refuses_then_accepts_with_a_reason(client, world, rules):
    trip = DelegationFactory(owner=world.danang, member_count=9, in_annual_plan=True)
    login(client, world.approver)
    page = client.get(trip.get_absolute_url()).content.decode()
    assert 'id="delegation-rule-warnings"' in page and "Quy chế số 01/2024" in page
    api = APIClient()
    api.force_authenticate(world.approver)
    url = f"/api/v1/delegations/{trip.pk}/approve/"
    values = {"approval_number": "12/QĐ-UBND", "approval_on": "2024-04-01"}
    refused = api.post(url, values, format="json")
    assert refused.status_code == 400 and "override_reason" in refused.json()
    done = api.post(url, {**values, "override_reason": "Theo chỉ đạo của Thường trực Thành ủy."}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["rules_override_reason"] == "Theo chỉ đạo của Thường trực Thành ủy."
    page = client.get(trip.get_absolute_url()).content.decode()
    assert 'id="delegation-rule-override"' in page and 'id="delegation-rule-warnings"' not in page
    # The history names the step as the delegation's button does, not as an agreement's "approve".
    assert trip.history.first().history_change_reason == "delegation_approve"
    assert "Phê duyệt đoàn" in page and "Phê duyệt ký kết" not in page
    # The activity log names the step and its reason.
    log = page.split("Nhật ký hoạt động")[1]
    assert "Phê duyệt đoàn" in log and "Theo chỉ đạo của Thường trực Thành ủy." in log


def test_an_approved_delegation_may_not_be_changed_to_break_more_than_was_set_aside(world, rules):
    trip = DelegationFactory(owner=world.danang, member_count=7, in_annual_plan=True)
    delegation_approve(
        delegation=trip,
        user=world.approver,
        approval_number="12/QĐ-UBND",
        approval_on=APRIL,
        override_reason="Đủ thành phần doanh nghiệp.",
    )
    trip.refresh_from_db()
    # Within what the approver set aside (seven members): saved.
    trip.notes = "Bổ sung chương trình làm việc"
    delegation_update(instance=trip, user=world.province_editor, expected_version=trip.version)
    trip.refresh_from_db()
    # Nine members is not what was approved: back to the approver.
    trip.member_count = 9
    with pytest.raises(ValidationError) as refused:
        delegation_update(instance=trip, user=world.province_editor, expected_version=trip.version)
    assert "9" in str(refused.value)
    assert Delegation.objects.get(pk=trip.pk).member_count == 7


def test_a_plan_not_known_is_shown_as_not_known_and_warned_as_such(client, world, rules):
    trip = DelegationFactory(owner=world.danang, member_count=3)
    assert trip.in_annual_plan is None
    assert [breach.rule for breach in breaches(trip)] == ["plan"]
    assert "not recorded" in breaches(trip)[0].message or "Chưa ghi" in breaches(trip)[0].message
    login(client, world.province_editor)
    page = client.get(trip.get_absolute_url()).content.decode()
    row = page.split("Trong kế hoạch đối ngoại năm")[1].split("</tr>")[0]
    assert "—" in row and "Không" not in row
