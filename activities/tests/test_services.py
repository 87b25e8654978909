"""Delegations' rules and steps (activities.services, activities.workflow): each bad input of issue 19 that concerns a
delegation refused with a Vietnamese message naming its field, on the web form and through the API; the status
steps; and the visit a delegation done adds to the timeline of each relationship it met, once."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from rest_framework.test import APIClient

from activities import workflow
from activities.choices import DelegationStatus
from activities.models import Delegation, DelegationMember
from activities.services import delegation_create, delegation_mark_done, record_meetings
from activities.testing.factories import DelegationFactory
from activities.verbs import DELEGATION_VERBS, delegation_act
from core.models import AuditEntry
from core.testing.world import login
from partners.models import Interaction
from partners.testing.factories import PartnerFactory, RelationshipFactory, country

pytestmark = pytest.mark.django_db

FORM = {
    "direction": "outgoing",
    "purpose": "Thăm và làm việc với thành phố Yongin",
    "date_precision": "day",
    "departs_on": "10/04/2024",
    "returns_on": "15/04/2024",
    "status": "planned",
    "report_days": "15",
    "members-TOTAL_FORMS": "0",
    "members-INITIAL_FORMS": "0",
}


def _members(*names):
    data = {"members-TOTAL_FORMS": str(len(names)), "members-INITIAL_FORMS": "0"}
    for index, name in enumerate(names):
        data[f"members-{index}-name"] = name
        data[f"members-{index}-position"] = "Chuyên viên"
    return data


def _post(client, world, **changes):
    login(client, world.province_editor)
    data = {**FORM, "owner": world.danang.pk, **changes}
    return client.post("/delegations/add/", data)


def _errors(response) -> str:
    return response.content.decode()


def test_a_delegation_with_two_members_is_saved_with_its_person_trips(client, world):
    response = _post(client, world, **_members("Nguyễn Văn A", "Trần Thị B"))
    assert response.status_code == 302, _errors(response)
    delegation = Delegation.objects.get()
    assert delegation.person_trips == 2
    assert delegation.report_due_on == dt.date(2024, 4, 30), "15 days after the return by default"
    assert AuditEntry.objects.filter(action="create", object_pk=str(delegation.pk)).exists()


def test_return_before_departure_is_refused_naming_the_field(client, world):
    response = _post(client, world, returns_on="05/04/2024", member_count="3")
    assert response.status_code == 400
    assert "Ngày kết thúc: đoàn không thể kết thúc (05/04/2024) trước khi bắt đầu (10/04/2024)." in _errors(response)
    assert not Delegation.all_objects.exists()


def test_a_member_listed_twice_is_refused(client, world):
    response = _post(client, world, **_members("Nguyễn Văn A", "nguyen van a"))
    assert response.status_code == 400
    assert "Họ và tên: người này đã có trong danh sách thành viên của đoàn." in _errors(response)
    assert not Delegation.all_objects.exists()


def test_neither_members_nor_a_count_is_refused(client, world):
    response = _post(client, world)
    assert response.status_code == 400
    assert "Số thành viên: hãy liệt kê thành viên của đoàn" in _errors(response)
    assert not Delegation.all_objects.exists() and not DelegationMember.objects.exists()


def test_an_incoming_delegation_from_viet_nam_is_refused(client, world):
    vietnam = country("VN", "Việt Nam", "Viet Nam")
    response = _post(client, world, direction="incoming", origin_country=vietnam.pk, member_count="4")
    assert response.status_code == 400
    assert "Nước đến từ: đoàn vào đến từ nước ngoài, không phải từ Việt Nam." in _errors(response)


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("member_count", "Số thành viên: không được là số âm."),
        ("state_budget_vnd", "Kinh phí ngân sách nhà nước (đồng): không được là số âm."),
        ("report_days", "Hạn báo cáo kết quả chuyến công tác: số ngày không được là số âm."),
    ],
)
def test_negative_counts_are_refused(client, world, field, message):
    response = _post(client, world, **{"member_count": "3", field: "-1"})
    assert response.status_code == 400
    assert message in _errors(response)


def test_the_api_refuses_the_same_bad_input_with_a_400(world):
    api = APIClient()
    api.force_authenticate(world.province_editor)
    base = {"owner": "da-nang", "direction": "outgoing", "purpose": "Thăm", "report_days": 15}
    bad = [
        {**base, "member_count": 2, "departs_on": "2024-04-10", "returns_on": "2024-04-01"},
        {**base},
        {**base, "member_count": -1},
        {**base, "member_count": 2, "direction": "incoming", "origin_country": country("VN", "Việt Nam").iso2},
    ]
    for payload in bad:
        answer = api.post("/api/v1/delegations/", payload, format="json")
        assert answer.status_code == 400, (payload, answer.content)
    assert not Delegation.all_objects.exists()
    ok = api.post("/api/v1/delegations/", {**base, "member_count": 2}, format="json")
    assert ok.status_code == 201, ok.content
    assert ok.json()["person_trips"] == 2


def test_every_step_of_the_table_is_a_declared_verb_with_its_service():
    assert set(workflow.STEPS) == set(DELEGATION_VERBS)
    for name, verb in DELEGATION_VERBS.items():
        assert verb.service.__name__ == f"delegation_{name}"


@pytest.mark.parametrize(
    ("verb", "status"), [(verb, status) for verb in workflow.STEPS for status in DelegationStatus.values]
)
def test_each_step_goes_only_from_the_statuses_the_table_allows(world, verb, status):
    delegation = DelegationFactory(owner=world.danang, status=status)
    actor = world.approver if workflow.STEPS[verb].action == "approve" else world.province_editor
    values = {"approval_number": "12/QĐ-UBND", "approval_on": dt.date(2024, 3, 1), "approval_authority": "UBND"}
    if status in workflow.STEPS[verb].sources:
        delegation_act(delegation=delegation, user=actor, verb=verb, values=values)
        delegation.refresh_from_db()
        assert delegation.status == workflow.STEPS[verb].target
        assert AuditEntry.objects.filter(verb=f"delegation_{verb}", object_pk=str(delegation.pk)).exists()
    else:
        with pytest.raises(ValidationError):
            delegation_act(delegation=delegation, user=actor, verb=verb, values=values)


def test_an_editor_does_not_approve_and_the_approval_needs_its_document(world):
    delegation = DelegationFactory(owner=world.danang)
    with pytest.raises(PermissionDenied):
        delegation_act(
            delegation=delegation,
            user=world.province_editor,
            verb="approve",
            values={"approval_number": "12/QĐ-UBND", "approval_on": dt.date(2024, 3, 1)},
        )
    with pytest.raises(ValidationError) as refused:
        delegation_act(delegation=delegation, user=world.approver, verb="approve", values={})
    assert set(refused.value.message_dict) == {"approval_number", "approval_on"}


def test_done_with_a_partner_met_adds_the_visit_once(world):
    relationship = RelationshipFactory(owner=world.danang)
    other = PartnerFactory(owner=world.danang)  # no relationship: nothing to add to
    delegation = DelegationFactory(owner=world.danang_dept, leader_name="Nguyễn Văn A")
    delegation.partners.set([relationship.partner, other])
    delegation_mark_done(delegation=delegation, user=world.province_editor)
    visit = Interaction.objects.get(relationship=relationship)
    assert (visit.kind, visit.on, visit.summary) == ("visit_out", delegation.departs_on, delegation.purpose)
    assert visit.owner == world.danang, "a department's delegation meets its province's partners"
    assert visit.source == "Đoàn ra, đoàn vào"
    assert list(delegation.interactions.all()) == [visit]
    # Saved again, or the meetings recorded again: nothing more.
    record_meetings(Delegation.objects.get(pk=delegation.pk), user=world.province_editor)
    assert Interaction.objects.filter(relationship=relationship).count() == 1


def test_an_incoming_delegation_saved_as_done_adds_a_visit_in(world):
    relationship = RelationshipFactory(owner=world.danang)
    delegation = Delegation(
        owner=world.danang,
        direction="incoming",
        purpose="Thăm và làm việc",
        departs_on=dt.date(2024, 5, 2),
        status=DelegationStatus.DONE,
        member_count=7,
    )
    delegation_create(instance=delegation, user=world.province_editor, m2m={"partners": [relationship.partner]})
    assert Interaction.objects.get(relationship=relationship).kind == "visit_in"


def test_the_api_steps_call_the_same_services(world):
    relationship = RelationshipFactory(owner=world.danang)
    delegation = DelegationFactory(owner=world.danang)
    delegation.partners.set([relationship.partner])
    approver, editor = APIClient(), APIClient()
    approver.force_authenticate(world.approver)
    editor.force_authenticate(world.province_editor)
    url = f"/api/v1/delegations/{delegation.pk}/"
    assert editor.post(url + "approve/", {"approval_number": "1/QĐ", "approval_on": "2024-03-01"}).status_code == 403
    assert approver.post(url + "approve/", {}).status_code == 400
    answer = approver.post(url + "approve/", {"approval_number": "1/QĐ-UBND", "approval_on": "2024-03-01"})
    assert answer.status_code == 200, answer.content
    assert (answer.json()["status"], answer.json()["approval_number"]) == ("approved", "1/QĐ-UBND")
    done = editor.post(url + "mark-done/", {"outcomes": "Ký biên bản ghi nhớ"}, format="json")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done"
    assert Interaction.objects.filter(relationship=relationship, delegations=delegation).count() == 1
    assert editor.post(url + "postpone/").status_code == 400, "a delegation done is not postponed"


def test_an_incoming_delegations_programme_and_protocol_notes_are_kept_line_by_line(client, world):
    delegation = DelegationFactory(
        owner=world.danang,
        direction="incoming",
        origin_country=country("KR"),
        programme="Ngày 1: hội đàm với UBND thành phố\nNgày 2: thăm khu công nghệ cao",
        protocol_notes="Đón tại sân bay; phiên dịch tiếng Hàn",
    )
    login(client, world.province_editor)
    page = client.get(delegation.get_absolute_url()).content.decode()
    assert "Ngày 1: hội đàm với UBND thành phố<br>Ngày 2: thăm khu công nghệ cao" in page
    assert "Đón tại sân bay; phiên dịch tiếng Hàn" in page
