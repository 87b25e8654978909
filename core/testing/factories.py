"""Factories for tests (factory-boy)."""

from decimal import Decimal

import factory

from core.models import DeclaredFigure


class DeclaredFigureFactory(factory.django.DjangoModelFactory):
    """A declared figure; give at least ``owner``."""

    class Meta:
        model = DeclaredFigure

    indicator = "outgoing_delegations"
    period = factory.Sequence(lambda n: str(1990 + n % 30))
    value = factory.Sequence(lambda n: Decimal(n))
    source_document = factory.Sequence(lambda n: f"Báo cáo {n}")
