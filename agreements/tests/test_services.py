"""The procedure (agreements.workflow, agreements.services): every allowed and forbidden transition, the
consultation rules of each signatory level, the signing gate and its override, and bad input."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from rest_framework.test import APIClient

from agreements import workflow
from agreements.choices import AgreementStatus, ConsultedBody, SignatoryLevel
from agreements.models import Agreement, Consultation
from agreements.services import (
    agreement_record_copy_sent,
    agreement_sign,
    agreement_submit_for_consultation,
    check_foreign_parties,
    consultation_record_reply,
)
from agreements.testing.factories import AgreementFactory
from agreements.verbs import AGREEMENT_VERBS, agreement_act
from core.models import AuditEntry
from partners.testing.factories import PartnerFactory, RelationshipFactory, country

pytestmark = pytest.mark.django_db

DAY = dt.date(2013, 4, 10)
DECISION = {"decision_number": "1234/QĐ-UBND", "decision_on": DAY, "decision_signer": "Phó Chủ tịch Nguyễn Văn A"}
VALUES = {"sent_on": DAY, "signed_on": DAY, "on": DAY, "reason": "Lý do", "place": "Yongin", **DECISION}


def _at(agreement, status, **fields):
    Agreement.all_objects.filter(pk=agreement.pk).update(status=status, **fields)
    agreement.refresh_from_db()
    return agreement


def _answer_all(agreement):
    for body in workflow.required_bodies(agreement):
        Consultation.objects.create(
            agreement=agreement, owner=agreement.owner, body=body, sent_on=DAY, reply_on=DAY, opinion="agree"
        )


def _actor(world, verb):
    return world.approver if workflow.TRANSITIONS[verb].action == "approve" else world.province_editor


# The transition tests come from the declared verbs (agreements.verbs): every step a page or the API offers.
CASES = [
    (verb, status) for verb in AGREEMENT_VERBS if verb in workflow.TRANSITIONS for status in AgreementStatus.values
]


def test_every_transition_of_the_table_is_a_declared_verb_and_every_declared_verb_has_a_service():
    assert set(workflow.TRANSITIONS) <= set(AGREEMENT_VERBS)
    assert set(AGREEMENT_VERBS) - set(workflow.TRANSITIONS) == {"record_copy_sent"}
    for name, verb in AGREEMENT_VERBS.items():
        assert verb.service.__name__ == f"agreement_{name}"
        assert set(verb.fields) <= set(verb.serializer_class().fields), name
        assert verb.label == (workflow.TRANSITIONS[name].label if name in workflow.TRANSITIONS else verb.label)


@pytest.mark.parametrize(("verb", "status"), CASES, ids=[f"{v}-from-{s}" for v, s in CASES])
def test_every_transition_is_allowed_or_refused_as_the_table_says(world, verb, status):
    agreement = AgreementFactory(owner=world.danang)
    extra = {"signed_on": dt.date(2013, 4, 1)} if status in {"signed", "in_force"} else {}
    _at(agreement, status, **extra)
    _answer_all(agreement)
    step = workflow.transition(verb, status)
    if step is None:
        with pytest.raises(ValidationError) as error:
            agreement_act(agreement=agreement, user=_actor(world, verb), verb=verb, values=VALUES)
        assert agreement.get_status_display() in error.value.messages[0]
        agreement.refresh_from_db()
        assert agreement.status == status
        assert not AuditEntry.objects.filter(verb=f"agreement_{verb}").exists()
    else:
        agreement_act(agreement=agreement, user=_actor(world, verb), verb=verb, values=VALUES)
        agreement.refresh_from_db()
        assert agreement.status == step.target
        entry = AuditEntry.objects.get(verb=f"agreement_{verb}")
        assert entry.detail["from"] == status and entry.detail["basis"] == str(step.basis)


@pytest.mark.parametrize(
    ("level", "flags", "expected"),
    [
        (SignatoryLevel.PROVINCIAL, {}, {ConsultedBody.MOFA}),
        (SignatoryLevel.DEPARTMENT, {}, {ConsultedBody.FOREIGN_AFFAIRS_DEPARTMENT, ConsultedBody.JUSTICE}),
        (SignatoryLevel.DISTRICT, {}, {ConsultedBody.FOREIGN_AFFAIRS_DEPARTMENT, ConsultedBody.JUSTICE}),
        (
            SignatoryLevel.BORDER_COMMUNE,
            {},
            {
                ConsultedBody.FOREIGN_AFFAIRS_DEPARTMENT,
                ConsultedBody.JUSTICE,
                ConsultedBody.POLICE,
                ConsultedBody.DEFENCE,
                ConsultedBody.BORDER_GUARD,
            },
        ),
        (
            SignatoryLevel.PROVINCIAL,
            {"concerns_defence": True, "concerns_security": True, "concerns_investment": True},
            {ConsultedBody.MOFA, ConsultedBody.DEFENCE, ConsultedBody.POLICE, ConsultedBody.PLANNING_INVESTMENT},
        ),
        (
            SignatoryLevel.DEPARTMENT,
            {"concerns_border": True, "is_sensitive": True},
            {
                ConsultedBody.FOREIGN_AFFAIRS_DEPARTMENT,
                ConsultedBody.JUSTICE,
                ConsultedBody.BORDER_GUARD,
                ConsultedBody.MOFA,
            },
        ),
    ],
    ids=["provincial", "department", "district", "border-commune", "provincial-content", "department-content"],
)
def test_whom_each_signatory_level_consults(world, level, flags, expected):
    agreement = AgreementFactory(owner=world.danang, signatory_level=level, **flags)
    assert set(workflow.required_bodies(agreement, on=DAY)) == expected
    assert all(workflow.required_bodies(agreement, on=DAY).values()), "each rule says why"
    agreement_submit_for_consultation(agreement=agreement, user=world.province_editor, sent_on=DAY)
    asked = agreement.consultations.all()
    assert {c.body for c in asked} == expected
    assert all(c.due_on == workflow.add_working_days(DAY, 10) for c in asked)


def test_consultations_are_asked_and_listed_in_the_order_of_the_texts(world):
    agreement = AgreementFactory(
        owner=world.danang, signatory_level=SignatoryLevel.BORDER_COMMUNE, concerns_investment=True
    )
    agreement_submit_for_consultation(agreement=agreement, user=world.province_editor, sent_on=DAY)
    assert list(agreement.consultations.values_list("body", flat=True)) == [
        ConsultedBody.FOREIGN_AFFAIRS_DEPARTMENT,
        ConsultedBody.JUSTICE,
        ConsultedBody.POLICE,
        ConsultedBody.DEFENCE,
        ConsultedBody.BORDER_GUARD,
        ConsultedBody.PLANNING_INVESTMENT,
    ]


def test_due_date_counts_working_days():
    assert workflow.add_working_days(dt.date(2013, 11, 15), 10) == dt.date(2013, 11, 29)  # a Friday to a Friday
    assert workflow.copy_due(dt.date(2013, 4, 10)) == dt.date(2013, 5, 10)


def test_signing_needs_every_required_opinion_unless_an_approver_overrides(world):
    agreement = _at(AgreementFactory(owner=world.danang, concerns_security=True), AgreementStatus.APPROVED)
    Consultation.objects.create(
        agreement=agreement, owner=world.danang, body="mofa", sent_on=DAY, reply_on=DAY, opinion="agree"
    )
    with pytest.raises(ValidationError) as error:
        agreement_sign(agreement=agreement, user=world.province_editor, signed_on=DAY)
    assert str(ConsultedBody.POLICE.label) in error.value.messages[0]
    assert "70/2020/QH14" in error.value.messages[0]
    with pytest.raises(PermissionDenied):
        agreement_sign(agreement=agreement, user=world.province_editor, signed_on=DAY, override_reason="Gấp")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.APPROVED
    agreement_sign(agreement=agreement, user=world.approver, signed_on=DAY, override_reason="Đoàn cấp cao, ký gấp")
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    assert (agreement.override_reason, agreement.override_by) == ("Đoàn cấp cao, ký gấp", world.approver)
    entry = AuditEntry.objects.get(verb="agreement_sign")
    assert entry.detail["override"] is True and entry.detail["missing"] == ["police"]


def test_signing_an_agreement_that_establishes_its_relationship_marks_it_established(world):
    relationship = RelationshipFactory(owner=world.danang, status="negotiating", status_since=dt.date(2013, 1, 1))
    agreement = _at(AgreementFactory(owner=world.danang, relationship=relationship), AgreementStatus.APPROVED)
    _answer_all(agreement)
    agreement_sign(agreement=agreement, user=world.province_editor, signed_on=DAY, place="Yongin")
    relationship.refresh_from_db()
    assert (relationship.status, relationship.status_since) == ("established", DAY)


def test_dates_out_of_order_are_refused(world):
    agreement = _at(AgreementFactory(owner=world.danang), AgreementStatus.SIGNED, signed_on=DAY)
    with pytest.raises(ValidationError) as error:
        agreement_act(
            agreement=agreement, user=world.province_editor, verb="enter_into_force", values={"on": dt.date(2013, 1, 1)}
        )
    assert "in_force_on" in error.value.message_dict
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    agreement.in_force_on = DAY
    agreement.expires_on = dt.date(2012, 1, 1)
    with pytest.raises(ValidationError) as error:
        agreement.full_clean()
    assert "expires_on" in error.value.message_dict


def test_a_reply_before_the_request_was_sent_is_refused(world):
    agreement = AgreementFactory(owner=world.danang)
    unsent = Consultation.objects.create(agreement=agreement, owner=world.danang, body="justice")
    with pytest.raises(ValidationError):
        consultation_record_reply(consultation=unsent, user=world.province_editor, reply_on=DAY, opinion="agree")
    sent = Consultation.objects.create(agreement=agreement, owner=world.danang, body="mofa", sent_on=DAY)
    with pytest.raises(ValidationError) as error:
        consultation_record_reply(
            consultation=sent, user=world.province_editor, reply_on=dt.date(2013, 4, 1), opinion="agree"
        )
    assert "10/04/2013" in error.value.messages[0]
    with pytest.raises(ValidationError):
        consultation_record_reply(consultation=sent, user=world.province_editor, reply_on=DAY, opinion="maybe")
    consultation_record_reply(
        consultation=sent, user=world.province_editor, reply_on=dt.date(2013, 4, 20), opinion="agree_with_conditions"
    )
    sent.refresh_from_db()
    assert sent.opinion == "agree_with_conditions"


def test_a_foreign_party_that_is_vietnamese_is_refused(world):
    local = PartnerFactory(owner=world.danang, country=country("VN", "Việt Nam", "Viet Nam"), name_vi="Sở Ngoại vụ")
    with pytest.raises(ValidationError) as error:
        check_foreign_parties([local])
    assert "70/2020/QH14" in error.value.message_dict["partners"][0]
    api = APIClient()
    api.force_authenticate(world.province_editor)
    payload = {"owner": "da-nang", "title": "Thỏa thuận", "kind": "agreement", "partners": [local.key]}
    response = api.post("/api/v1/agreements/", payload, format="json")
    assert response.status_code == 400 and "partners" in response.json()
    assert not Agreement.objects.exists()


def test_verbs_need_their_date_and_their_role(world):
    agreement = AgreementFactory(owner=world.danang)
    with pytest.raises(ValidationError) as error:
        agreement_act(agreement=agreement, user=world.province_editor, verb="submit_for_consultation", values={})
    assert "sent_on" in error.value.message_dict
    with pytest.raises(ValidationError):
        agreement_act(agreement=agreement, user=world.province_editor, verb="launch", values={})
    _at(agreement, AgreementStatus.SUBMITTED)
    _answer_all(agreement)
    with pytest.raises(PermissionDenied):
        agreement_act(agreement=agreement, user=world.province_editor, verb="approve", values=DECISION)
    with pytest.raises(PermissionDenied):
        agreement_act(agreement=agreement, user=world.other_editor, verb="postpone", values={})
    # The decision's number, date and signer are needed, each refusal naming its field.
    with pytest.raises(ValidationError) as error:
        agreement_act(agreement=agreement, user=world.approver, verb="approve", values={})
    assert set(error.value.message_dict) == {"decision_number", "decision_on", "decision_signer"}
    with translation.override("vi"):
        with pytest.raises(ValidationError) as error:
            agreement_act(agreement=agreement, user=world.approver, verb="approve", values={})
        assert error.value.message_dict["decision_number"] == ["Số quyết định: cần nhập giá trị này cho bước này."]
        assert error.value.message_dict["decision_on"] == ["Ngày quyết định: cần nhập ngày cho bước này."]
    agreement_act(agreement=agreement, user=world.approver, verb="approve", values=DECISION)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.APPROVED


def test_the_copy_to_the_ministry(world):
    agreement = AgreementFactory(owner=world.danang)
    with pytest.raises(ValidationError):
        agreement_record_copy_sent(agreement=agreement, user=world.province_editor, on=DAY)
    _at(agreement, AgreementStatus.SIGNED, signed_on=DAY)
    with pytest.raises(ValidationError):
        agreement_record_copy_sent(agreement=agreement, user=world.province_editor, on=dt.date(2013, 1, 1))
    agreement_record_copy_sent(agreement=agreement, user=world.province_editor, on=dt.date(2013, 5, 2))
    agreement.refresh_from_db()
    assert agreement.copy_sent_on == dt.date(2013, 5, 2)


def test_the_procedure_through_the_api(world):
    agreement = AgreementFactory(owner=world.danang)
    api = APIClient()
    api.force_authenticate(world.province_editor)
    url = f"/api/v1/agreements/{agreement.pk}"
    assert api.post(f"{url}/sign/", {"signed_on": "2013-04-10"}, format="json").status_code == 400
    response = api.post(f"{url}/submit-for-consultation/", {"sent_on": "2013-04-01"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "consultation"
    consultation = agreement.consultations.get()
    reply = f"/api/v1/consultations/{consultation.pk}/reply/"
    assert api.post(reply, {"reply_on": "2013-03-01", "opinion": "agree"}, format="json").status_code == 400
    assert api.post(reply, {"reply_on": "2013-04-05", "opinion": "agree"}, format="json").status_code == 200
    assert api.post(f"{url}/submit/", {}, format="json").status_code == 200
    decision = {"decision_number": "12/QĐ-UBND", "decision_on": "2013-04-08", "decision_signer": "Chủ tịch UBND"}
    assert api.post(f"{url}/approve/", decision, format="json").status_code == 403
    approver = APIClient()
    approver.force_authenticate(world.approver)
    assert approver.post(f"{url}/approve/", {}, format="json").status_code == 400
    assert approver.post(f"{url}/approve/", decision, format="json").status_code == 200
    signed = api.post(f"{url}/sign/", {"signed_on": "2013-04-10", "place": "Yongin", "mode": "online"}, format="json")
    assert signed.status_code == 200 and signed.json()["status"] == "signed"
    assert api.post(f"{url}/enter-into-force/", {"on": "2013-04-10"}, format="json").json()["status"] == "in_force"
    other = APIClient()
    other.force_authenticate(world.other_editor)
    assert other.post(f"{url}/terminate/", {"on": "2014-01-01"}, format="json").status_code == 404
    assert api.post(f"{url}/no-such-verb/", {}, format="json").status_code == 404
