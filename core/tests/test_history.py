"""A record's history reads as words: the reason of each version and its changes, never internal codes
(issue 18, item 8)."""

import pytest

from core.services import record_update
from core.testing.world import login
from partners.models import Relationship
from partners.testing.factories import RelationshipFactory

pytestmark = pytest.mark.django_db


def test_the_history_names_fields_values_and_reasons_as_the_page_does(client, world):
    relationship = RelationshipFactory(owner=world.danang, kind="friendship_cooperation")
    relationship.kind = "twinning"
    record_update(instance=relationship, user=world.province_editor, expected_version=relationship.version)
    login(client, world.viewer)
    page = client.get(relationship.get_absolute_url()).content.decode()
    history = page[page.index('class="list-group history-diff') :]
    kind = Relationship._meta.get_field("kind")
    labels = dict(kind.flatchoices)
    before, after = labels["friendship_cooperation"], labels["twinning"]
    assert f"{str(kind.verbose_name).capitalize()}: <del>{before}</del> → {after}" in history
    assert "· Chỉnh sửa" in history  # the reason in words, not "update" nor simple_history's "Changed"
    assert "twinning" not in history and "update" not in history and "Changed" not in history
