"""Synthetic agreements: the same seed gives the same set, and a second run adds nothing."""

import pytest

from agreements.models import Agreement
from core.synthetic import generate

pytestmark = pytest.mark.django_db


def _snapshot():
    return list(Agreement.objects.order_by("title").values_list("title", "status", "signed_on", "kind"))


def test_synthetic_agreements_are_deterministic_by_seed():
    generate(scale="province", years=3, seed=7, log=lambda line: None)
    first = _snapshot()
    assert len(first) >= 5
    generate(scale="province", years=3, seed=7, log=lambda line: None)
    assert _snapshot() == first
    assert all(agreement.partners.exists() for agreement in Agreement.objects.all())
