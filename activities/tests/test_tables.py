"""The delegations list as people read it."""

import pytest

from activities.models import Delegation
from activities.testing.factories import DelegationFactory

pytestmark = pytest.mark.django_db


def test_a_size_the_document_does_not_give_reads_as_unknown_in_the_list(world):
    """The demo's trips whose size no document states: the list and its export say "—", never 0."""
    from activities.tables import DelegationTable

    unknown = DelegationFactory(owner=world.danang)
    Delegation.all_objects.filter(pk=unknown.pk).update(member_count=None)
    declared = DelegationFactory(owner=world.danang, member_count=4)
    rows = Delegation.objects.unrestricted("a table of the test's rows").prefetch_related("members").order_by("pk")
    table = DelegationTable(rows)
    assert [table.render_person_trips(row) for row in rows] == ["—", 4]
    assert declared.pk > unknown.pk
