"""Every agreements model through the shared mixins of core.testing."""

from agreements.registries import AGREEMENT_REPORTS, AGREEMENTS, CONSULTATIONS
from agreements.testing.factories import AgreementFactory, AgreementReportFactory, ConsultationFactory
from core.testing.mixins import RecordTests
from partners.testing.factories import PartnerFactory


class TestAgreement(RecordTests):
    record_type = AGREEMENTS
    api_basename = "agreement"

    def make(self, world, owner):
        return AgreementFactory(owner=owner)

    def values(self):
        return {
            "title": "Thỏa thuận thiết lập quan hệ hợp tác hữu nghị với thành phố Yongin",
            "kind": "agreement",
            "signatory_level": "provincial",
            "relationship_effect": "establishes",
            "signed_precision": "day",
            "notes": "Đã xin ý kiến Bộ Ngoại giao",
        }

    def form_data(self, world, owner):
        partner = PartnerFactory(owner=world.danang)
        return {**self.values(), "owner": owner.pk, "partners": [partner.pk]}

    def api_data(self, world, owner):
        partner = PartnerFactory(owner=world.danang)
        return {**self.values(), "owner": owner.key, "partners": [partner.key]}


class TestConsultation(RecordTests):
    record_type = CONSULTATIONS
    api_basename = "consultation"

    def make(self, world, owner):
        return ConsultationFactory(owner=owner)

    def form_data(self, world, owner):
        agreement = AgreementFactory(owner=owner)
        return {"agreement": agreement.pk, "body": "justice", "sent_on": "02/12/2013", "notes": "Gửi Sở Tư pháp"}

    def api_data(self, world, owner):
        agreement = AgreementFactory(owner=owner)
        return {"agreement": agreement.pk, "body": "justice", "sent_on": "2013-12-02", "notes": "x"}


class TestAgreementReport(RecordTests):
    record_type = AGREEMENT_REPORTS
    api_basename = "agreementreport"

    def make(self, world, owner):
        return AgreementReportFactory(owner=owner)

    def form_data(self, world, owner):
        return {
            "owner": owner.pk,
            "period": "2013",
            "number": "…/BC-UBND",
            "requests": "Đề nghị Bộ Ngoại giao hỗ trợ.",
            "signature_authority": "TM. ỦY BAN NHÂN DÂN",
            "signer_title": "CHỦ TỊCH",
        }

    def api_data(self, world, owner):
        return {"owner": owner.key, "period": "2013", "requests": "Đề nghị", "signer_title": "CHỦ TỊCH"}
