"""Dates known only to the month or the year (issue 18, item 7: "year-only dates show as 01/01/2013 and sort as 1
January") are written "04/2013" and "2013" on lists, record pages and exports, and sort as their whole span: after
every dated day in it (core.tables.partial_date_order)."""

import csv
import datetime as dt
import io
import re

import pytest
from django.urls import reverse

from agreements.models import Agreement
from agreements.testing.factories import AgreementFactory
from core.testing.world import login
from partners.models import Interaction
from partners.testing.factories import InteractionFactory, RelationshipFactory

pytestmark = pytest.mark.django_db

# (label, date stored, precision), in the order the rule gives, ascending.
DATES = [
    ("29/04/2013", dt.date(2013, 4, 29), "day"),
    ("30/04/2013", dt.date(2013, 4, 30), "day"),
    ("04/2013", dt.date(2013, 4, 1), "month"),
    ("01/05/2013", dt.date(2013, 5, 1), "day"),
    ("31/12/2013", dt.date(2013, 12, 31), "day"),
    ("12/2013", dt.date(2013, 12, 1), "month"),
    ("2013", dt.date(2013, 1, 1), "year"),
    ("01/01/2014", dt.date(2014, 1, 1), "day"),
]


def _agreements(world) -> dict[int, str]:
    """One agreement per date of DATES, in a shuffled order of creation, and one undated; their labels by pk."""
    labels = {}
    for label, on, precision in reversed(DATES[::2] + DATES[1::2]):
        agreement = AgreementFactory(owner=world.danang, title=f"Thỏa thuận ký {label}")
        Agreement.all_objects.filter(pk=agreement.pk).update(signed_on=on, signed_precision=precision)
        labels[agreement.pk] = label
    labels[AgreementFactory(owner=world.danang, title="Thỏa thuận chưa ký").pk] = "—"
    return labels


def _order(html: str, prefix: str) -> list[int]:
    """The records of a list page, in the order of its rows."""
    body = html.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    seen = []
    for pk in re.findall(rf'href="/{prefix}/(\d+)/"', body):
        if int(pk) not in seen:
            seen.append(int(pk))
    return seen


def test_a_list_sorts_a_partial_date_after_every_day_of_its_span(client, world):
    labels = _agreements(world)
    login(client, world.viewer)
    ascending = [label for label, _on, _precision in DATES] + ["—"]
    html = client.get(reverse("agreements:agreement_list"), {"sort": "signed_on", "page_size": 25}).content.decode()
    assert [labels[pk] for pk in _order(html, "agreements")] == ascending
    html = client.get(reverse("agreements:agreement_list"), {"sort": "-signed_on", "page_size": 25}).content.decode()
    assert [labels[pk] for pk in _order(html, "agreements")] == ascending[-2::-1] + ["—"], "undated last both ways"


def test_a_list_writes_a_partial_date_as_the_documents_do(client, world):
    labels = _agreements(world)
    login(client, world.viewer)
    html = client.get(reverse("agreements:agreement_list"), {"page_size": 25}).content.decode()
    body = html.split("<tbody", 1)[1]
    cells = re.findall(r"<td >([^<]*)</td>", body)
    for label in labels.values():
        if label != "—":
            assert label in cells, label
    assert "01/01/2013" not in body and "01/04/2013" not in body and "01/12/2013" not in body


def test_the_interactions_timeline_sorts_and_shows_partial_dates(client, world):
    relationship = RelationshipFactory(owner=world.danang)
    made = {}
    for label, on, precision in DATES:
        made[InteractionFactory(owner=world.danang, relationship=relationship, on=on, precision=precision).pk] = label
    login(client, world.viewer)
    html = client.get(reverse("partners:interaction_list"), {"sort": "on", "page_size": 25}).content.decode()
    assert [made[pk] for pk in _order(html, "interactions")] == [label for label, _on, _precision in DATES]

    # The record's page, and the list's export.
    year_only = next(pk for pk, label in made.items() if label == "2013")
    page = client.get(reverse("partners:interaction", args=[year_only])).content.decode()
    assert re.search(r"<td>2013</td>", page) and "01/01/2013" not in page
    exported = client.get(reverse("partners:interaction_list"), {"export": "csv"}).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(exported)))
    written = {row[0].split(" · ")[0] for row in rows[1:]}
    assert {"2013", "04/2013", "12/2013"} <= written and "01/01/2013" not in exported


def test_an_agreements_export_writes_a_month_as_the_documents_do(client, world):
    agreement = AgreementFactory(owner=world.danang, title="Biên bản ghi nhớ")
    Agreement.all_objects.filter(pk=agreement.pk).update(signed_on=dt.date(2013, 4, 1), signed_precision="month")
    login(client, world.viewer)
    exported = client.get(reverse("agreements:agreement_list"), {"export": "csv"}).content.decode("utf-8-sig")
    assert "04/2013" in exported and "01/04/2013" not in exported
    page = client.get(agreement.get_absolute_url()).content.decode()
    assert "04/2013" in page and "01/04/2013" not in page
    assert Interaction.objects.count() == 0
