"""The ``world`` is built once for a run of tests and kept in an outer transaction (conftest.SharedWorld): what
one test changes, on the objects or in the database, must not reach the next. These two run one after the other
(collection keeps the order of a module's tests that share the world)."""

import pytest

from core.models import Unit

pytestmark = pytest.mark.django_db


def test_a_test_changes_its_world(world):
    world.danang.name = "Changed by a test"
    world.danang.save()
    world.province_editor.memberships.all().delete()
    Unit.objects.filter(key="bac-ninh").update(name="Renamed in bulk")
    assert Unit.objects.get(key="da-nang").name == "Changed by a test"


def test_the_next_test_finds_the_world_as_built(world):
    assert world.danang.name == "Đà Nẵng"
    assert Unit.objects.get(key="da-nang").name == "Đà Nẵng"
    assert Unit.objects.get(key="bac-ninh").name == "Bắc Ninh"
    assert world.province_editor.memberships.exists()
    # The objects are each test's own copies, of rows that are the same for both.
    assert world.danang.pk == Unit.objects.get(key="da-nang").pk
