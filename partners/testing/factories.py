"""Factories for the partners app's tests (factory-boy)."""

import datetime as dt

import factory

from core.models import Country
from partners.models import Contact, Interaction, Partner, Relationship, RelationshipStatusChange


def country(iso2: str = "KR", name_vi: str = "Hàn Quốc", name_en: str = "South Korea") -> Country:
    found, _ = Country.objects.get_or_create(iso2=iso2, defaults={"name_vi": name_vi, "name_en": name_en})
    return found


class PartnerFactory(factory.django.DjangoModelFactory):
    """A foreign city; give at least ``owner``."""

    class Meta:
        model = Partner

    kind = "locality"
    level = "city"
    name_en = factory.Sequence(lambda n: f"Partner City {n}")
    name_vi = factory.Sequence(lambda n: f"Thành phố đối tác {n}")
    key = factory.Sequence(lambda n: f"kr-partner-city-{n}")
    country = factory.LazyFunction(country)


class RelationshipFactory(factory.django.DjangoModelFactory):
    """A relationship with one status step; give at least ``owner``."""

    class Meta:
        model = Relationship
        skip_postgeneration_save = True

    partner = factory.SubFactory(PartnerFactory, owner=factory.SelfAttribute("..owner"))
    kind = "friendship_cooperation"
    status = "established"
    status_since = dt.date(2013, 4, 1)

    @factory.post_generation
    def history(self, create, extracted, **kwargs):
        if create:
            RelationshipStatusChange.objects.create(relationship=self, status=self.status, on=self.status_since)


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    relationship = factory.SubFactory(RelationshipFactory, owner=factory.SelfAttribute("..owner"))
    on = dt.date(2013, 6, 1)
    kind = "visit_in"
    summary = "Đoàn đại biểu thành phố Yongin dự Festival Di sản Quảng Nam"


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    partner = factory.SubFactory(PartnerFactory, owner=factory.SelfAttribute("..owner"))
    person_name = factory.Sequence(lambda n: f"Kim Min-su {n}")
    position = "Trưởng phòng Hợp tác quốc tế"
    email = "kim@example.kr"
    phone = "+82 31 000 0000"
