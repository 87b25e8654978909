"""Factories for the activities app's tests (factory-boy)."""

import datetime as dt

import factory

from activities.models import Award, Conference, Delegation, DelegationMember, DelegationRules, Event, PressVisit


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


class DelegationRulesFactory(factory.django.DjangoModelFactory):
    """Rules with every cap empty (nothing checked but the plan and personnel approvals); give ``owner``."""

    class Meta:
        model = DelegationRules

    source = factory.Sequence(lambda n: f"Quy chế quản lý thống nhất hoạt động đối ngoại của tỉnh, bản {n}")


class EventFactory(factory.django.DjangoModelFactory):
    """A festival with foreign participation known to the day; give at least ``owner``."""

    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"Lễ hội giao lưu văn hóa quốc tế lần thứ {n + 1}")
    kind = "festival"
    starts_on = dt.date(2024, 8, 10)
    ends_on = dt.date(2024, 8, 12)
    organiser = "UBND thành phố"
    place = "Hội An"
    country_count = 3


class AwardFactory(factory.django.DjangoModelFactory):
    """An award received from abroad and granted; give at least ``owner``."""

    class Meta:
        model = Award

    direction = "received"
    name = factory.Sequence(lambda n: f"Huân chương Hữu nghị {n}")
    award_class = "hạng nhì"
    count = 1
    awarding_organisation = "Nhà nước Lào"
    recipients = "Các tập thể và cá nhân của tỉnh"
    status = "granted"
    decision_number = factory.Sequence(lambda n: f"{n + 1}/QĐ-CTN")
    decided_on = dt.date(2024, 9, 2)


class ConferenceFactory(factory.django.DjangoModelFactory):
    """A planned workshop permitted locally, applied for 45 days before it opens; give at least ``owner``."""

    class Meta:
        model = Conference

    title = factory.Sequence(lambda n: f"Hội thảo quốc tế về tăng trưởng xanh lần thứ {n + 1}")
    organiser = "Sở Ngoại vụ"
    co_organisers_foreign = "Chương trình Định cư con người Liên hợp quốc (UN-Habitat)"
    starts_on = dt.date(2024, 5, 20)
    ends_on = dt.date(2024, 5, 21)
    place = "Hội An"
    foreign_participants = 30
    applied_on = dt.date(2024, 4, 5)


class PressVisitFactory(factory.django.DjangoModelFactory):
    """A group of three foreign reporters; give at least ``owner``."""

    class Meta:
        model = PressVisit

    agency = factory.Sequence(lambda n: f"Đài truyền hình KBS số {n + 1}")
    reporter_count = 3
    starts_on = dt.date(2024, 6, 3)
    ends_on = dt.date(2024, 6, 6)
    topics = "Du lịch di sản"
    places = "Hội An, Mỹ Sơn"
    permit_number = factory.Sequence(lambda n: f"{n + 1}/BNG-TTBC")
