"""The policy machinery (issue 17): one rule answers rows and single records alike, the tripwire catches a
query that skipped its policy, and bad years are refused rather than failing."""

import pytest
from rest_framework.test import APIClient

from core.policy import UnscopedQuery, exempt, watching
from core.testing.world import login
from partners.models import Relationship
from partners.testing.factories import RelationshipFactory


def test_rows_and_may_cannot_disagree(world):
    mine = RelationshipFactory(owner=world.danang)
    theirs = RelationshipFactory(owner=world.bacninh)
    policy = Relationship.policy
    for user in world.users.values():
        for action in ("view", "change", "approve", "view_personal"):
            rows = set(policy.rows(user, action).values_list("pk", flat=True))
            for record in (mine, theirs):
                assert policy.may(user, action, record) == (record.pk in rows), (user, action, record)


def test_the_tripwire_refuses_an_unchecked_query_while_watching(world, settings):
    settings.SCOPE_TRIPWIRE = True
    RelationshipFactory(owner=world.danang)
    assert Relationship.objects.count() == 1  # not watched outside a request or a job
    with watching():
        with pytest.raises(UnscopedQuery, match="partners.Relationship"):
            list(Relationship.objects.all())
        with pytest.raises(UnscopedQuery):
            Relationship.objects.filter(status="established").exists()
        with pytest.raises(UnscopedQuery):  # as the subquery of another model's filter
            list(Relationship.objects.restrict(world.viewer).filter(pk__in=Relationship.objects.values("pk")))
        assert Relationship.objects.restrict(world.viewer).count() == 1
        assert Relationship.objects.unrestricted("a test of the tripwire").count() == 1
        with exempt("a test of the exemption"):
            assert Relationship.objects.count() == 1
    with pytest.raises(ValueError):
        Relationship.objects.unrestricted("")


def test_a_view_that_skips_the_policy_fails_in_tests(client, world, settings, monkeypatch):
    """The suite runs with the tripwire on: a list whose queryset forgot its scope would fail its test."""
    from core import views

    RelationshipFactory(owner=world.danang)
    monkeypatch.setattr(views.RecordView, "queryset", lambda self, action="view": self.record_type.model.objects.all())
    login(client, world.viewer)
    with pytest.raises(UnscopedQuery):
        client.get("/relationships/")


@pytest.mark.parametrize("year", ["0", "10000", "-5", "99999999999999999999", "abc"])
@pytest.mark.parametrize(
    "path", ["/partners/", "/relationships/", "/interactions/", "/agreements/", "/declared-figures/"]
)
def test_a_year_out_of_range_answers_an_empty_list_or_400(client, world, path, year):
    RelationshipFactory(owner=world.danang)
    login(client, world.viewer)
    page = client.get(path, {"year": year})
    assert page.status_code == 200
    assert client.get(path, {"year": year, "export": "csv"}).status_code == 200
    api = APIClient()
    api.force_authenticate(world.viewer)
    assert api.get(f"/api/v1{path}", {"year": year}).status_code == 400
