"""An agreement appears on its relationship's page and on its foreign parties' pages, within scope."""

import pytest

from agreements.testing.factories import AgreementFactory
from core.testing.world import login
from partners.testing.factories import RelationshipFactory


@pytest.mark.django_db
def test_agreements_show_on_the_relationship_and_partner_pages(client, world):
    relationship = RelationshipFactory(owner=world.danang)
    agreement = AgreementFactory(owner=world.danang, relationship=relationship, parties=[relationship.partner])
    login(client, world.viewer)
    assert agreement.title in client.get(relationship.get_absolute_url()).content.decode()
    assert agreement.title in client.get(relationship.partner.get_absolute_url()).content.decode()
    login(client, world.other_editor)
    assert agreement.title not in client.get(relationship.partner.get_absolute_url()).content.decode()
