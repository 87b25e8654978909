"""Factories for the agreements app's tests (factory-boy)."""

import factory

from agreements.models import Agreement, AgreementReport, Consultation
from partners.testing.factories import PartnerFactory


class AgreementFactory(factory.django.DjangoModelFactory):
    """A draft agreement with one foreign party; give at least ``owner``."""

    class Meta:
        model = Agreement
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Thỏa thuận hợp tác hữu nghị số {n}")
    kind = "agreement"
    signatory_level = "provincial"

    @factory.post_generation
    def parties(self, create, extracted, **kwargs):
        if create:
            self.partners.set(extracted if extracted is not None else [PartnerFactory(owner=self.owner)])


class ConsultationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultation

    agreement = factory.SubFactory(AgreementFactory, owner=factory.SelfAttribute("..owner"))
    body = "mofa"


class AgreementReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementReport

    period = factory.Sequence(lambda n: str(2000 + n))
    requests = "Đề nghị Bộ Ngoại giao giới thiệu các địa phương có tiềm năng hợp tác."
