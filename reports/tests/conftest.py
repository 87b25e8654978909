import random

import pytest

from core.synthetic import ensure_units
from core.testing.world import make_unit
from reports.synthetic import register


@pytest.fixture
def national(world):
    """The receiving body (cfrc) and the synthetic reports of every province (the world's and the 32 that
    ensure_units makes, each with a legacy predecessor) for two years: 2025-H1 has the 63 legacy provinces."""
    cfrc = make_unit("cfrc", "Ban Đối ngoại Trung ương", "central_body")
    provinces = ensure_units(random.Random(1), 34)
    register(random.Random(1), provinces=provinces, years=2, seed=1, log=lambda line: None)
    return cfrc
