"""Trip reports overdue on the home page (issue 19, item 2): for the officers who record the delegations and for
the leader who approves them, only within their reach, and never for trips entered after they came back."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Delegation
from activities.testing.factories import DelegationFactory
from core.testing.world import login
from core.todo import todo_lists

pytestmark = pytest.mark.django_db


def _returned(owner, *, days_ago: int, recorded_days_before_return: int = 10, **fields) -> Delegation:
    """A done outgoing delegation back ``days_ago`` days, recorded that many days before it returned."""
    today = timezone.localdate()
    returns_on = today - dt.timedelta(days=days_ago)
    delegation = DelegationFactory(
        owner=owner, status="done", departs_on=returns_on - dt.timedelta(days=5), returns_on=returns_on, **fields
    )
    recorded = timezone.now() - dt.timedelta(days=days_ago + recorded_days_before_return)
    Delegation.all_objects.filter(pk=delegation.pk).update(created_at=recorded)
    return delegation


def _overdue(user) -> list[str]:
    lists = {item.todo.key: item for item in todo_lists(user)}
    found = lists.get("trip-reports-overdue") or lists.get("trip-reports-overdue-approver")
    return [item.text for item in found.items] if found else []


def test_a_report_past_its_day_is_listed_for_the_officer_and_the_leader(world):
    late = _returned(world.danang, days_ago=20, purpose="Xúc tiến đầu tư tại Nhật Bản")
    _returned(world.danang, days_ago=10, purpose="Chưa đến hạn báo cáo")  # due in 5 days
    _returned(world.danang, days_ago=30, purpose="Đã nộp báo cáo", report_received_on=timezone.localdate())
    _returned(world.danang, days_ago=40, purpose="Hạn riêng 60 ngày", report_days=60)
    # Entered from an old document after it came back: history, not a report to chase.
    _returned(world.danang, days_ago=400, recorded_days_before_return=-380, purpose="Chuyến đi năm trước")
    other = _returned(world.bacninh, days_ago=20, purpose="Đoàn của tỉnh khác")
    assert _overdue(world.province_editor) == [str(late)]
    assert _overdue(world.approver) == [str(late)]
    # Each province chases its own: Bắc Ninh's officer sees Bắc Ninh's report and not Đà Nẵng's.
    assert _overdue(world.other_editor) == [str(other)]


def test_the_home_page_shows_the_list_and_its_queries_do_not_grow(client, world):
    login(client, world.province_editor)
    _returned(world.danang, days_ago=20, purpose="Đoàn thứ nhất")

    def queries() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as captured:
            html = client.get("/").content.decode()
        return len(captured.captured_queries), html

    queries()  # the first request of a session reads what later ones find cached
    few, html = queries()
    assert 'id="todo-trip-reports-overdue"' in html and "Đoàn thứ nhất" in html
    for index in range(8):
        _returned(world.danang, days_ago=20 + index, purpose=f"Đoàn thêm {index}")
    many, _html = queries()
    assert few == many


def test_the_leader_is_told_what_waits_for_approval_and_no_one_else(world):
    today = timezone.localdate()
    soon = DelegationFactory(owner=world.danang, departs_on=today + dt.timedelta(days=5), returns_on=None)
    later = DelegationFactory(owner=world.danang, departs_on=today + dt.timedelta(days=40), returns_on=None)
    DelegationFactory(owner=world.danang, departs_on=today - dt.timedelta(days=5), returns_on=None)  # began already
    DelegationFactory(owner=world.danang, status="approved", departs_on=today + dt.timedelta(days=9), returns_on=None)
    DelegationFactory(owner=world.bacninh, departs_on=today + dt.timedelta(days=3), returns_on=None)

    def waiting(user) -> list[str]:
        lists = {item.todo.key: item for item in todo_lists(user)}
        found = lists.get("delegations-awaiting-approval")
        return [item.text for item in found.items] if found else []

    assert waiting(world.approver) == [str(soon), str(later)]
    assert waiting(world.province_editor) == []
