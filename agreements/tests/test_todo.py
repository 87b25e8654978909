"""What the agreements app asks of each user on the home page (agreements.todo, core.todo; issue 18, item 7): a
leader's agreements waiting for a decision, an officer's opinions overdue, copies owed, activities due and
agreements expiring; only within the user's reach, in a fixed number of queries, and each whole on its own page."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.choices import AgreementStatus, ConsultedBody, ItemStatus
from agreements.models import Agreement, Consultation, ImplementationItem
from agreements.testing.factories import AgreementFactory
from agreements.todo import AGREEMENT_TODOS
from core.records import RecordType
from core.testing.world import login
from core.todo import HOME_ROWS, todo_lists

pytestmark = pytest.mark.django_db


def _at(agreement: Agreement, status: str, **fields) -> Agreement:
    Agreement.all_objects.filter(pk=agreement.pk).update(status=status, **fields)
    agreement.refresh_from_db()
    return agreement


def _lists(user) -> dict:
    return {item.todo.key: item for item in todo_lists(user)}


def _add(owner, count: int, label: str = "") -> None:
    """``count`` rows of every list for ``owner``: agreements submitted, consultations overdue, agreements signed
    whose copy is owed, activities due and agreements expiring."""
    today = timezone.localdate()
    signed = today - dt.timedelta(days=200)
    for index in range(count):
        _at(AgreementFactory(owner=owner, title=f"Chờ quyết định {label}{index}"), AgreementStatus.SUBMITTED)
        waiting = _at(AgreementFactory(owner=owner, title=f"Chờ ý kiến {label}{index}"), AgreementStatus.CONSULTATION)
        Consultation(
            agreement=waiting,
            owner=owner,
            body=ConsultedBody.MOFA,
            sent_on=today - dt.timedelta(days=30),
            due_on=today - dt.timedelta(days=1 + index),
        ).save()
        in_force = _at(
            AgreementFactory(owner=owner, title=f"Chưa gửi bản sao {label}{index}"),
            AgreementStatus.IN_FORCE,
            signed_on=signed,
            in_force_on=signed,
            # The end worked out from the duration: two years after entry into force is far off; one falls soon.
            duration_years=2,
        )
        ImplementationItem.objects.create(
            agreement=in_force, activity=f"Trao đổi đoàn {label}{index}", deadline=today + dt.timedelta(days=index)
        )
        _at(
            AgreementFactory(owner=owner, title=f"Sắp hết hạn {label}{index}"),
            AgreementStatus.IN_FORCE,
            signed_on=signed,
            in_force_on=signed,
            expires_on=today + dt.timedelta(days=20 + index),
            copy_sent_on=signed,
        )


def test_a_leader_sees_the_agreements_waiting_for_their_decision_in_their_province_only(client, world):
    mine = _at(AgreementFactory(owner=world.danang_dept, title="Thỏa thuận chờ quyết định"), AgreementStatus.SUBMITTED)
    _at(AgreementFactory(owner=world.bacninh, title="Thỏa thuận của tỉnh khác"), AgreementStatus.SUBMITTED)
    _at(AgreementFactory(owner=world.danang, title="Thỏa thuận còn lấy ý kiến"), AgreementStatus.CONSULTATION)

    lists = _lists(world.approver)
    # A leader decides, and sees the delegations waiting for approval and the trip reports owed to them
    # (activities); the officers' lists are not theirs.
    assert list(lists) == [
        "to-approve",
        "delegations-awaiting-approval",
        "trip-reports-overdue-approver",
        "reports-to-approve",
    ]
    assert [item.text for item in lists["to-approve"].items] == [mine.title]
    assert lists["to-approve"].items[0].url == mine.get_absolute_url()

    login(client, world.approver)
    html = client.get("/").content.decode()
    assert 'id="todo-to-approve"' in html
    assert f'href="{mine.get_absolute_url()}"' in html
    assert "Thỏa thuận của tỉnh khác" not in html
    assert "Thỏa thuận quốc tế chờ phê duyệt" in html  # the list's title, in Vietnamese


def test_another_provinces_rows_never_appear_in_an_officers_lists(world):
    _add(world.bacninh, 2, "Bắc Ninh ")
    lists = _lists(world.province_editor)
    assert set(lists) == {
        "copies-owed",
        "activities-due",
        "expiring",
        "opinions-overdue",
        "trip-reports-overdue",
        "reports-due",
        "reports-returned",
    }
    assert all(item.count == 0 for item in lists.values()), {key: item.count for key, item in lists.items()}
    assert {key: item.count for key, item in _lists(world.other_editor).items()} == {
        "copies-owed": 2,
        "activities-due": 2,
        "expiring": 2,
        "opinions-overdue": 2,
        "trip-reports-overdue": 0,
        "reports-due": 0,
        "reports-returned": 0,
    }
    assert not any("Bắc Ninh" in row.text for item in lists.values() for row in item.items)


def test_an_officer_sees_opinions_overdue_copies_owed_activities_due_and_agreements_expiring(client, world):
    _add(world.danang, 2)
    # Not due: an activity done, one due in two months, an opinion received, a copy sent, an agreement far from
    # its end, and the rows of an agreement in the trash.
    today = timezone.localdate()
    done = ImplementationItem.objects.first()
    ImplementationItem.objects.create(agreement=done.agreement, activity="Đã xong", status=ItemStatus.DONE)
    ImplementationItem.objects.create(
        agreement=done.agreement, activity="Còn xa", deadline=today + dt.timedelta(days=60)
    )
    answered = Consultation.objects.first()
    Consultation(
        agreement=answered.agreement,
        owner=world.danang,
        body=ConsultedBody.JUSTICE,
        sent_on=today - dt.timedelta(days=30),
        due_on=today - dt.timedelta(days=5),
        reply_on=today - dt.timedelta(days=6),
        opinion="agree",
    ).save()
    trashed = _at(AgreementFactory(owner=world.danang), AgreementStatus.CONSULTATION, deleted_at=timezone.now())
    Consultation(agreement=trashed, owner=world.danang, body="mofa", due_on=today - dt.timedelta(days=3)).save()

    lists = _lists(world.province_editor)
    assert "to-approve" not in lists, "an officer does not decide"
    counts = {key: item.count for key, item in lists.items()}
    # Each in-force agreement of _add owes its copy; the expiring ones were copied.
    assert counts == {
        "copies-owed": 2,
        "activities-due": 2,
        "expiring": 2,
        "opinions-overdue": 2,
        "trip-reports-overdue": 0,
        "reports-due": 0,
        "reports-returned": 0,
    }, counts

    overdue = lists["opinions-overdue"].items
    assert [item.due for item in overdue] == [today - dt.timedelta(days=2), today - dt.timedelta(days=1)]
    assert all(item.overdue for item in overdue)
    assert overdue[0].url.endswith(f"#consultation-{Consultation.objects.get(due_on=overdue[0].due).pk}")
    expiring = lists["expiring"].items
    assert [item.due for item in expiring] == [today + dt.timedelta(days=20), today + dt.timedelta(days=21)]
    assert not any(item.overdue for item in expiring)
    activities = lists["activities-due"].items
    assert [item.text for item in activities] == ["Trao đổi đoàn 0", "Trao đổi đoàn 1"]
    assert activities[0].url == ImplementationItem.objects.get(activity="Trao đổi đoàn 0").agreement.get_absolute_url()
    copies = lists["copies-owed"].items
    assert copies[0].due == today - dt.timedelta(days=200) + dt.timedelta(days=30)
    assert copies[0].overdue

    login(client, world.province_editor)
    html = client.get("/").content.decode()
    for key in (key for key, count in counts.items() if count):  # an empty list is not shown
        assert f'id="todo-{key}"' in html, key
    assert "quá hạn từ" in html  # the deadlines passed are marked
    assert "Không có việc cần xử lý" not in html


def test_the_home_page_says_when_there_is_nothing_to_do(client, world):
    login(client, world.approver)
    html = client.get("/").content.decode()
    assert 'id="todo-empty"' in html
    assert "Không có việc cần xử lý" in html
    # Someone who may neither decide nor change has no list at all.
    login(client, world.viewer)
    html = client.get("/").content.decode()
    assert 'id="todo"' not in html


def test_an_expiry_worked_out_from_the_duration_is_found(world):
    today = timezone.localdate()
    started = today.replace(year=today.year - 3) + dt.timedelta(days=15)
    agreement = _at(
        AgreementFactory(owner=world.danang),
        AgreementStatus.IN_FORCE,
        signed_on=started,
        in_force_on=started,
        duration_years=3,
        copy_sent_on=started,
    )
    expiring = _lists(world.province_editor)["expiring"]
    assert [item.text for item in expiring.items] == [agreement.title]
    assert expiring.items[0].due == agreement.ends_on


def _queries(client, url: str = "/") -> int:
    client.get(url)  # sessions and caches warmed up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("user", ["approver", "province_editor", "national_viewer"])
def test_the_home_page_reads_a_fixed_number_of_queries(client, world, user):
    login(client, world.users[user])
    _add(world.danang, HOME_ROWS + 1)
    few = _queries(client)
    _add(world.danang, 3 * HOME_ROWS, "thêm ")
    _add(world.quangnam, 2 * HOME_ROWS, "Quảng Nam ")
    many = _queries(client)
    assert few == many, (few, many)


def test_each_list_has_a_page_of_its_own_for_the_user_it_belongs_to(client, world):
    _add(world.danang, HOME_ROWS + 2)
    login(client, world.approver)
    home = client.get("/").content.decode()
    url = reverse("core:todo", kwargs={"slug": "agreements", "key": "to-approve"})
    assert f'href="{url}"' in home
    assert "và 2 mục khác" in home
    page = client.get(url)
    assert page.status_code == 200
    assert len(page.context["items"]) == HOME_ROWS + 2
    # An officer's list is not a leader's, and a list that does not exist is not found.
    assert client.get(reverse("core:todo", kwargs={"slug": "agreements", "key": "copies-owed"})).status_code == 404
    assert client.get(reverse("core:todo", kwargs={"slug": "agreements", "key": "nothing"})).status_code == 404
    login(client, world.other_editor)
    page = client.get(reverse("core:todo", kwargs={"slug": "consultations", "key": "opinions-overdue"}))
    assert page.status_code == 200 and page.context["items"] == []
    assert "Không có việc cần xử lý" in page.content.decode()


def test_a_list_that_is_not_a_todo_fails_the_declarations_check():
    from agreements import filtersets, forms, tables
    from core.records import GENERIC_PARTS

    declared = RecordType(
        model=Agreement,
        form_class=forms.AgreementForm,
        filterset_class=filtersets.AgreementFilterSet,
        table_class=tables.AgreementTable,
        **GENERIC_PARTS,
        todo=(*AGREEMENT_TODOS, "to-approve"),
    )
    assert declared.problems() == ["todo 'to-approve' is not a core.todo.Todo"]
