"""Every agreements model through the shared mixins of core.testing."""

import datetime as dt

from agreements.registries import AGREEMENT_REPORTS, AGREEMENTS, CONSULTATIONS
from agreements.testing.factories import AgreementFactory, AgreementReportFactory, ConsultationFactory
from core.testing.mixins import RecordTests
from partners.testing.factories import PartnerFactory


class TestAgreement(RecordTests):
    record_type = AGREEMENTS
    factory = AgreementFactory
    values = {
        "title": "Thỏa thuận thiết lập quan hệ hợp tác hữu nghị với thành phố Yongin",
        "kind": "agreement",
        "signatory_level": "provincial",
        "relationship_effect": "establishes",
        "signed_precision": "day",
        "notes": "Đã xin ý kiến Bộ Ngoại giao",
    }

    def links(self, world, owner):
        return {"owner": owner, "partners": [PartnerFactory(owner=world.danang)]}


class TestConsultation(RecordTests):
    record_type = CONSULTATIONS
    factory = ConsultationFactory
    parent = ("agreement", AgreementFactory)
    values = {"body": "justice", "sent_on": dt.date(2013, 12, 2), "notes": "Gửi Sở Tư pháp"}


class TestAgreementReport(RecordTests):
    record_type = AGREEMENT_REPORTS
    factory = AgreementReportFactory
    values = {
        "period": "2013",
        "number": "…/BC-UBND",
        "requests": "Đề nghị Bộ Ngoại giao hỗ trợ.",
        "signature_authority": "TM. ỦY BAN NHÂN DÂN",
        "signer_title": "CHỦ TỊCH",
    }
