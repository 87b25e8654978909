"""Factories for the activities app's tests (factory-boy)."""

import datetime as dt

import factory

from activities.models import Delegation, DelegationMember


class DelegationFactory(factory.django.DjangoModelFactory):
    """A planned outgoing delegation of a declared size; give at least ``owner``."""

    class Meta:
        model = Delegation

    direction = "outgoing"
    purpose = factory.Sequence(lambda n: f"Thăm và làm việc, xúc tiến hợp tác số {n}")
    leader_name = "Nguyễn Văn A"
    leader_position = "Phó Chủ tịch UBND tỉnh"
    departs_on = dt.date(2024, 4, 10)
    returns_on = dt.date(2024, 4, 15)
    member_count = 5


class DelegationMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DelegationMember

    delegation = factory.SubFactory(DelegationFactory, owner=factory.SelfAttribute("..owner"))
    name = factory.Sequence(lambda n: f"Trần Thị Thành Viên {n}")
    position = "Chuyên viên"

    class Params:
        owner = None
