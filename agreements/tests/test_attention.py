"""What needs attention (agreements.attention): a page at a time, and a fixed number of queries whatever the
number of agreements (issue 17, item 13: it used to ask for the plan of each agreement in force)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.attention import PAGE_SIZE
from agreements.choices import AgreementStatus, ConsultedBody
from agreements.models import Agreement, Consultation, ImplementationItem
from agreements.testing.factories import AgreementFactory
from core.testing.world import login

pytestmark = pytest.mark.django_db

MOST_QUERIES = 15


def _at(agreement: Agreement, status: str, **fields) -> Agreement:
    Agreement.all_objects.filter(pk=agreement.pk).update(status=status, **fields)
    agreement.refresh_from_db()
    return agreement


def _add(world, count: int) -> None:
    """``count`` rows in each list of the page: agreements in force without a plan (and not yet copied to the
    Ministry), with a plan and expiring within 30 and within 90 days, and consultations overdue."""
    today = timezone.localdate()
    long_ago = today - dt.timedelta(days=400)
    for index in range(count):
        _at(
            AgreementFactory(owner=world.danang, title=f"Chưa có kế hoạch {index}"),
            AgreementStatus.IN_FORCE,
            signed_on=long_ago,
            in_force_on=long_ago,
        )
        for days, label in ((10 + index % 15, "30"), (40 + index % 40, "90")):
            expiring = _at(
                AgreementFactory(owner=world.danang_dept, title=f"Sắp hết hạn {label} {index}"),
                AgreementStatus.IN_FORCE,
                signed_on=long_ago,
                in_force_on=long_ago,
                expires_on=today + dt.timedelta(days=days),
                copy_sent_on=long_ago,
            )
            ImplementationItem.objects.create(agreement=expiring, activity="Trao đổi đoàn")
        waiting = _at(AgreementFactory(owner=world.danang, title=f"Chờ ý kiến {index}"), AgreementStatus.CONSULTATION)
        Consultation(
            agreement=waiting,
            owner=world.danang,
            body=ConsultedBody.MOFA,
            sent_on=today - dt.timedelta(days=30),
            due_on=today - dt.timedelta(days=10),
        ).save()


def _queries(client) -> tuple[int, str]:
    client.get(reverse("agreements:attention"))  # sessions and caches warmed up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("agreements:attention"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def _section(html: str, key: str) -> str:
    return html.split(f'id="{key}"')[1].split("</section>")[0]


@pytest.mark.parametrize("user", ["province_editor", "national_viewer", "unit_editor"])
def test_the_attention_page_reads_a_fixed_number_of_queries(client, world, user):
    login(client, world.users[user])
    _add(world, 2)
    few, _html = _queries(client)
    _add(world, PAGE_SIZE + 3)
    many, html = _queries(client)
    assert few == many <= MOST_QUERIES, (few, many)
    # Every list has rows for every user who reaches Đà Nẵng's agreements (the unit editor reaches its department's).
    assert html.count('class="list-group-item"') > 0


def test_each_list_is_shown_a_page_at_a_time(client, world):
    _add(world, PAGE_SIZE + 3)
    login(client, world.province_editor)
    html = client.get(reverse("agreements:attention")).content.decode()
    first = _section(html, "without_plan")
    assert first.count('class="list-group-item"') == PAGE_SIZE
    assert f">{PAGE_SIZE + 3}</span>" in first and "without_plan_page=2" in first
    # The next page of one list leaves the others on theirs.
    html = client.get(reverse("agreements:attention"), {"without_plan_page": 2, "expiring_90_page": 2}).content.decode()
    second = _section(html, "without_plan")
    assert second.count('class="list-group-item"') == 3 and "without_plan_page=1" in second
    assert "expiring_90_page=2" in second
    assert _section(html, "expiring_90").count('class="list-group-item"') == 3
    assert _section(html, "expiring_30").count('class="list-group-item"') == PAGE_SIZE
    # Together the pages list every agreement once, in the order of the registry.
    titles = set()
    for page in (1, 2):
        section = _section(
            client.get(reverse("agreements:attention"), {"without_plan_page": page}).content.decode(), "without_plan"
        )
        titles |= {
            title
            for title in (f"Chưa có kế hoạch {index}" for index in range(PAGE_SIZE + 3))
            if f">{title}<" in section
        }
    assert len(titles) == PAGE_SIZE + 3


def test_expiring_agreements_are_sorted_by_the_end_of_their_term(client, world):
    today = timezone.localdate()
    long_ago = today - dt.timedelta(days=400)
    # One ends at its stated expiry, the other at its entry into force plus its duration.
    stated = _at(
        AgreementFactory(owner=world.danang, title="Hết hạn theo ngày ghi"),
        AgreementStatus.IN_FORCE,
        signed_on=long_ago,
        in_force_on=long_ago,
        expires_on=today + dt.timedelta(days=20),
    )
    by_duration = _at(
        AgreementFactory(owner=world.danang, title="Hết hạn theo thời hạn"),
        AgreementStatus.IN_FORCE,
        signed_on=today - dt.timedelta(days=3 * 365 - 5),
        in_force_on=today - dt.timedelta(days=3 * 365 - 5),
        duration_years=3,
    )
    login(client, world.province_editor)
    section = _section(client.get(reverse("agreements:attention")).content.decode(), "expiring_30")
    assert section.index(by_duration.title) < section.index(stated.title)
