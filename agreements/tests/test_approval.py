"""The procedure's approval step as the law asks it (issue 18, item 5): the decision needs every required written
opinion, or a written reason that is kept, audited and shown on the page and in the annual report (Law
70/2020/QH14, Ch. II; Decree 64/2021/NĐ-CP, Art. 5); it records its number, date and signer, and the signing cannot
come before it; irreversible steps ask for confirmation; the bodies consulted are those that exist on the date asked
(Resolution 176/2025/QH15; Decree 45/2025/NĐ-CP); agreements signed before the Law took effect owe no copy under it.
Bad input is refused with a Vietnamese message that names the field, and nothing is written."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from docx import Document
from rest_framework.test import APIClient

from agreements import workflow
from agreements.api.serializers import AgreementSerializer
from agreements.attention import attention_lists
from agreements.choices import AgreementStatus, ConsultedBody, SignatoryLevel
from agreements.models import Agreement, Consultation
from agreements.report import build_agreements_annual, render_agreements_annual
from agreements.services import (
    agreement_approve,
    agreement_sign,
    agreement_submit_for_consultation,
    agreement_terminate,
)
from agreements.testing.factories import AgreementFactory
from agreements.verbs import AGREEMENT_VERBS, agreement_act
from core.models import AuditEntry
from core.periods import Period
from core.testing.world import login

pytestmark = pytest.mark.django_db

DAY = dt.date(2013, 4, 10)
DECISION = {"decision_number": "1234/QĐ-UBND", "decision_on": DAY, "decision_signer": "Phó Chủ tịch Nguyễn Văn A"}
REASON = "Đoàn cấp cao của bạn chỉ ở lại một ngày; Bộ Công an đã trả lời miệng."


def _at(agreement: Agreement, status: str, **fields) -> Agreement:
    Agreement.all_objects.filter(pk=agreement.pk).update(status=status, **fields)
    agreement.refresh_from_db()
    return agreement


def _answer(agreement: Agreement, body: str, *, on: dt.date = DAY, reply_on: dt.date | None = None) -> Consultation:
    return Consultation.objects.create(
        agreement=agreement, owner=agreement.owner, body=body, sent_on=on, reply_on=reply_on or on, opinion="agree"
    )


@pytest.fixture
def awaiting_decision(world) -> Agreement:
    """Đà Nẵng's agreement on security submitted for decision: the Ministry of Foreign Affairs answered, the police
    did not."""
    agreement = _at(AgreementFactory(owner=world.danang, concerns_security=True), AgreementStatus.SUBMITTED)
    _answer(agreement, ConsultedBody.MOFA, on=dt.date(2013, 3, 1), reply_on=dt.date(2013, 3, 20))
    Consultation.objects.create(agreement=agreement, owner=world.danang, body="police", sent_on=dt.date(2013, 3, 1))
    return agreement


def _unchanged(agreement: Agreement) -> None:
    """Nothing was written: the status, the decision, the version, and no audit entry of the verb."""
    stored = Agreement.objects.get(pk=agreement.pk)
    assert (stored.status, stored.decision_number, stored.decision_on, stored.version) == (
        agreement.status,
        agreement.decision_number,
        agreement.decision_on,
        agreement.version,
    )
    assert not AuditEntry.objects.filter(verb="agreement_approve", object_pk=str(agreement.pk)).exists()


def _vietnamese(call) -> dict[str, list[str]]:
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


# -- the decision needs the opinions, or a written reason ---------------------------------------------------------


def test_approval_needs_every_required_opinion_or_a_written_reason(world, awaiting_decision):
    agreement = awaiting_decision
    for reason in ("", "   "):
        with pytest.raises(ValidationError) as error:
            agreement_approve(agreement=agreement, user=world.approver, override_reason=reason, **DECISION)
        message = error.value.message_dict["override_reason"][0]
        assert str(ConsultedBody.POLICE.label) in message and "70/2020/QH14" in message
        _unchanged(agreement)
    errors = _vietnamese(lambda: agreement_approve(agreement=agreement, user=world.approver, **DECISION))
    assert errors["override_reason"][0].startswith("Lý do vẫn tiến hành khi chưa đủ ý kiến bằng văn bản: ")
    assert "Công an" in errors["override_reason"][0]

    agreement_approve(agreement=agreement, user=world.approver, override_reason=f"  {REASON}\n", **DECISION)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.APPROVED
    assert (agreement.decision_number, agreement.decision_on, agreement.decision_signer) == tuple(DECISION.values())
    assert (agreement.approval_override_reason, agreement.approval_override_by) == (REASON, world.approver)
    assert agreement.approval_override_bodies == ["police"]
    entry = AuditEntry.objects.get(verb="agreement_approve")
    assert entry.user == world.approver
    assert entry.detail["override"] is True and entry.detail["missing"] == ["police"]
    assert entry.detail["reason"] == REASON
    assert entry.detail["decision"] == {
        "number": "1234/QĐ-UBND",
        "on": "2013-04-10",
        "signer": DECISION["decision_signer"],
    }
    assert entry.detail["basis"] == str(workflow.TRANSITIONS["approve"].basis)


def test_approval_with_every_opinion_keeps_no_override(world, awaiting_decision):
    agreement = awaiting_decision
    police = agreement.consultations.get(body="police")
    Consultation.objects.filter(pk=police.pk).update(reply_on=dt.date(2013, 4, 1), opinion="agree_with_conditions")
    agreement_approve(agreement=agreement, user=world.approver, override_reason="không cần", **DECISION)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.APPROVED
    assert (agreement.approval_override_reason, agreement.approval_override_by) == ("", None)
    entry = AuditEntry.objects.get(verb="agreement_approve")
    assert "override" not in entry.detail and entry.detail["decision"]["number"] == "1234/QĐ-UBND"


def test_an_opinion_received_after_the_decision_did_not_inform_it(world, awaiting_decision):
    agreement = awaiting_decision
    police = agreement.consultations.get(body="police")
    Consultation.objects.filter(pk=police.pk).update(reply_on=DAY + dt.timedelta(days=1), opinion="agree")
    assert workflow.missing_opinions(agreement) == []
    assert workflow.missing_opinions(agreement, by=DAY) == ["police"]
    with pytest.raises(ValidationError) as error:
        agreement_approve(agreement=agreement, user=world.approver, **DECISION)
    assert "override_reason" in error.value.message_dict
    _unchanged(agreement)


def test_only_an_approver_decides_even_with_a_reason(world, awaiting_decision):
    with pytest.raises(PermissionDenied):
        agreement_approve(agreement=awaiting_decision, user=world.province_editor, override_reason=REASON, **DECISION)
    _unchanged(awaiting_decision)


# -- the decision's number, date and signer ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "field", "vietnamese"),
    [
        ({"decision_number": "  "}, "decision_number", "Số quyết định: "),
        ({"decision_signer": ""}, "decision_signer", "Người ký quyết định: "),
        ({"decision_on": dt.date(2099, 1, 1)}, "decision_on", "Ngày quyết định: "),
    ],
    ids=["no-number", "no-signer", "in-the-future"],
)
def test_bad_decision_input_is_refused_naming_the_field(world, awaiting_decision, values, field, vietnamese):
    _answer(awaiting_decision, ConsultedBody.POLICE)
    call = {**DECISION, **values}
    errors = _vietnamese(lambda: agreement_approve(agreement=awaiting_decision, user=world.approver, **call))
    assert list(errors) == [field]
    assert errors[field][0].startswith(vietnamese)
    _unchanged(awaiting_decision)


def test_the_declared_verb_needs_the_decision(world, awaiting_decision):
    verb = AGREEMENT_VERBS["approve"]
    assert verb.required == ("decision_number", "decision_on", "decision_signer")
    assert set(verb.fields) == {"decision_number", "decision_on", "decision_signer", "override_reason"}
    assert set(verb.fields) <= set(verb.serializer_class().fields)
    errors = _vietnamese(
        lambda: agreement_act(
            agreement=awaiting_decision, user=world.approver, verb="approve", values={"decision_on": DAY}
        )
    )
    assert errors == {
        "decision_number": ["Số quyết định: cần nhập giá trị này cho bước này."],
        "decision_signer": ["Người ký quyết định: cần nhập giá trị này cho bước này."],
    }
    _unchanged(awaiting_decision)


def test_a_decision_after_a_signing_date_already_recorded_is_refused(world, awaiting_decision):
    agreement = _at(awaiting_decision, AgreementStatus.SUBMITTED, signed_on=dt.date(2013, 4, 5))
    errors = _vietnamese(
        lambda: agreement_approve(agreement=agreement, user=world.approver, override_reason=REASON, **DECISION)
    )
    assert list(errors) == ["decision_on"]
    assert errors["decision_on"][0].startswith("Ngày quyết định: ")
    assert "10/04/2013" in errors["decision_on"][0] and "05/04/2013" in errors["decision_on"][0]
    _unchanged(agreement)


# -- later dates are checked against the decision ----------------------------------------------------------------


def test_a_signing_dated_before_the_decision_is_refused(world, awaiting_decision):
    agreement = awaiting_decision
    _answer(agreement, ConsultedBody.POLICE)
    agreement_approve(agreement=agreement, user=world.approver, **DECISION)
    agreement.refresh_from_db()
    version = agreement.version
    errors = _vietnamese(
        lambda: agreement_sign(agreement=agreement, user=world.province_editor, signed_on=DAY - dt.timedelta(days=1))
    )
    assert list(errors) == ["signed_on"]
    assert errors["signed_on"][0].startswith("Ngày ký: ")
    assert "09/04/2013" in errors["signed_on"][0] and "1234/QĐ-UBND" in errors["signed_on"][0]
    stored = Agreement.objects.get(pk=agreement.pk)
    assert (stored.status, stored.signed_on, stored.version) == (AgreementStatus.APPROVED, None, version)
    assert not AuditEntry.objects.filter(verb="agreement_sign").exists()
    # The same rule holds on the agreement's form and in the database.
    stored.signed_on = DAY - dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        stored.full_clean()
    assert "signed_on" in error.value.message_dict
    agreement_sign(agreement=agreement, user=world.province_editor, signed_on=DAY, place="Yongin")
    agreement.refresh_from_db()
    assert (agreement.status, agreement.signed_on) == (AgreementStatus.SIGNED, DAY)


def test_an_end_before_the_signing_is_refused(world):
    agreement = _at(AgreementFactory(owner=world.danang), AgreementStatus.IN_FORCE, signed_on=DAY, in_force_on=DAY)
    errors = _vietnamese(
        lambda: agreement_terminate(agreement=agreement, user=world.approver, on=dt.date(2013, 1, 1), reason="x")
    )
    assert errors["terminated_on"][0].startswith("Ngày kết thúc: ")
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.IN_FORCE


def test_a_signing_follows_a_decision_that_went_ahead_without_the_opinions(world, awaiting_decision):
    agreement = awaiting_decision
    agreement_approve(agreement=agreement, user=world.approver, override_reason=REASON, **DECISION)
    agreement.refresh_from_db()
    # The editor records the signing the leader decided on: no second reason, and the audit says why.
    agreement_sign(agreement=agreement, user=world.province_editor, signed_on=DAY)
    agreement.refresh_from_db()
    assert (agreement.status, agreement.override_reason) == (AgreementStatus.SIGNED, "")
    entry = AuditEntry.objects.get(verb="agreement_sign")
    assert entry.detail["override"] == "decision" and entry.detail["missing"] == ["police"]


def test_a_signing_without_an_opinion_the_decision_did_not_go_ahead_without_is_gated(world, awaiting_decision):
    agreement = awaiting_decision
    agreement_approve(agreement=agreement, user=world.approver, override_reason=REASON, **DECISION)
    # The content changed after the decision: the military command's opinion is now required too.
    Agreement.all_objects.filter(pk=agreement.pk).update(concerns_defence=True)
    agreement.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        agreement_sign(agreement=agreement, user=world.province_editor, signed_on=DAY)
    assert str(ConsultedBody.DEFENCE.label) in error.value.messages[0]
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.APPROVED


# -- consulted bodies as they exist on the date asked ------------------------------------------------------------


def test_the_investment_body_is_the_finance_body_from_1_march_2025(world):
    agreement = AgreementFactory(owner=world.danang, concerns_investment=True)
    before, after = dt.date(2025, 2, 28), dt.date(2025, 3, 1)
    assert set(workflow.required_bodies(agreement, on=before)) == {
        ConsultedBody.MOFA,
        ConsultedBody.PLANNING_INVESTMENT,
    }
    assert set(workflow.required_bodies(agreement, on=after)) == {ConsultedBody.MOFA, ConsultedBody.FINANCE}
    assert workflow.body_on(ConsultedBody.PLANNING_INVESTMENT, after) == ConsultedBody.FINANCE
    assert workflow.body_on(ConsultedBody.FINANCE, before) == ConsultedBody.FINANCE
    assert "176/2025/QH15" in str(workflow.BODY_PERIODS[ConsultedBody.PLANNING_INVESTMENT].basis)

    agreement_submit_for_consultation(agreement=agreement, user=world.province_editor, sent_on=dt.date(2025, 3, 10))
    assert list(agreement.consultations.values_list("body", flat=True)) == [ConsultedBody.MOFA, ConsultedBody.FINANCE]


def test_a_consultation_prepared_for_a_body_merged_away_goes_to_its_successor(world):
    agreement = AgreementFactory(owner=world.danang, concerns_investment=True)
    Consultation.objects.create(agreement=agreement, owner=world.danang, body=ConsultedBody.PLANNING_INVESTMENT)
    agreement_submit_for_consultation(agreement=agreement, user=world.province_editor, sent_on=dt.date(2025, 4, 1))
    assert sorted(agreement.consultations.values_list("body", flat=True)) == ["finance", "mofa"]


def test_a_body_that_no_longer_existed_is_refused_naming_its_successor(world):
    agreement = AgreementFactory(owner=world.danang, concerns_investment=True)
    late = Consultation(
        agreement=agreement, owner=world.danang, body=ConsultedBody.PLANNING_INVESTMENT, sent_on=dt.date(2025, 3, 5)
    )
    with translation.override("vi"), pytest.raises(ValidationError) as error:
        late.full_clean()
    message = error.value.message_dict["body"][0]
    assert message.startswith("Cơ quan được lấy ý kiến: ")
    assert "05/03/2025" in message and "Tài chính" in message and "176/2025/QH15" in message
    # Before the merger it is the right body.
    late.sent_on = dt.date(2025, 2, 5)
    late.full_clean()


def test_an_opinion_stands_across_the_merger(world):
    # Asked of planning and investment before the merger and answered by finance after it.
    agreement = _at(AgreementFactory(owner=world.danang, concerns_investment=True), AgreementStatus.SUBMITTED)
    _answer(agreement, ConsultedBody.MOFA, on=dt.date(2025, 2, 10))
    Consultation.objects.create(
        agreement=agreement, owner=world.danang, body="planning_investment", sent_on=dt.date(2025, 2, 10)
    )
    assert workflow.missing_opinions(agreement) == [ConsultedBody.PLANNING_INVESTMENT]
    _answer(agreement, ConsultedBody.FINANCE, on=dt.date(2025, 3, 20))
    assert workflow.missing_opinions(agreement) == []
    # Answered by planning and investment before the merger: it stands for the finance body required later, and a
    # finance opinion given before the merger does not stand for planning and investment.
    later = _at(AgreementFactory(owner=world.danang, concerns_investment=True), AgreementStatus.SUBMITTED)
    before = _answer(later, ConsultedBody.PLANNING_INVESTMENT, on=dt.date(2025, 1, 10))
    assert workflow.missing_opinions(later) == [ConsultedBody.MOFA]
    assert workflow.answers_for(before, ConsultedBody.FINANCE, dt.date(2025, 6, 1))
    budget = _answer(later, ConsultedBody.FINANCE, on=dt.date(2024, 5, 1))
    assert not workflow.answers_for(budget, ConsultedBody.PLANNING_INVESTMENT, dt.date(2024, 5, 1))


# -- the copy owed under the Law ----------------------------------------------------------------------------------


def test_agreements_signed_before_the_law_are_not_flagged_for_the_copy(client, world):
    assert not workflow.copy_owed(dt.date(2021, 6, 30)) and workflow.copy_owed(dt.date(2021, 7, 1))
    old = _at(AgreementFactory(owner=world.danang, title="Ký năm 2013"), AgreementStatus.SIGNED, signed_on=DAY)
    new = _at(
        AgreementFactory(owner=world.danang, title="Ký năm 2022"), AgreementStatus.SIGNED, signed_on=dt.date(2022, 5, 4)
    )
    copies = next(item for item in attention_lists(world.province_editor) if item.key == "copies_not_sent")
    assert [row.title for row, _due in copies.rows] == [new.title]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    login(client, world.viewer)
    html = client.get(old.get_absolute_url()).content.decode()
    copy = html.split('id="agreement-copy"')[1].split("</section>")[0]
    assert 'data-copy="before-law"' in copy and "01/07/2021" in copy
    assert 'data-copy="late"' not in copy
    assert 'data-copy="late"' in client.get(new.get_absolute_url()).content.decode()


# -- the page ----------------------------------------------------------------------------------------------------


def _messages(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def _step_html(html: str, verb: str) -> str:
    return html.split(f'id="verb-{verb}"')[1].split('class="verb-step"')[0]


def test_the_page_asks_for_the_decision_warns_of_missing_opinions_and_confirms(client, world, awaiting_decision):
    login(client, world.approver)
    html = client.get(awaiting_decision.get_absolute_url()).content.decode()
    approve = _step_html(html, "approve")
    for name in ("decision_number", "decision_on", "decision_signer", "override_reason"):
        assert f'name="{name}"' in approve
    assert "step-warning" in approve and "Công an" in approve
    with translation.override("vi"):
        assert f'data-confirm="{AGREEMENT_VERBS["approve"].confirm}"' in approve
        assert f'data-confirm="{AGREEMENT_VERBS["refuse"].confirm}"' in _step_html(html, "refuse")


def test_every_irreversible_step_asks_for_confirmation():
    asking = {name for name, verb in AGREEMENT_VERBS.items() if verb.confirm}
    assert asking == {"approve", "refuse", "sign", "terminate", "cancel"}


def test_an_approval_without_reason_posted_from_the_page_is_refused_then_shown_with_its_reason(
    client, world, awaiting_decision
):
    login(client, world.approver)
    url = reverse("agreements:agreement_act", args=[awaiting_decision.pk])
    values = {"verb": "approve", "decision_number": "1234/QĐ-UBND", "decision_on": "10/04/2013"}
    response = client.post(url, {**values, "decision_signer": "Phó Chủ tịch Nguyễn Văn A"})
    messages = _messages(response)
    assert [level for level, _text in messages] == ["error"]
    assert messages[0][1].startswith("Lý do vẫn tiến hành khi chưa đủ ý kiến bằng văn bản: ")
    _unchanged(awaiting_decision)
    client.get(awaiting_decision.get_absolute_url())  # the refusal is shown, and read
    response = client.post(url, {**values, "decision_signer": "Phó Chủ tịch Nguyễn Văn A", "override_reason": REASON})
    assert [level for level, _text in _messages(response)] == ["success"]
    html = client.get(awaiting_decision.get_absolute_url()).content.decode()
    decision = html.split('id="agreement-decision"')[1].split("</p>")[0]
    assert "1234/QĐ-UBND" in decision and "10/04/2013" in decision and "Nguyễn Văn A" in decision
    override = html.split('id="agreement-approval-override"')[1].split("</div></div>")[0]
    assert REASON in override and "Công an" in override and str(world.approver) in override


def test_a_bad_date_posted_from_the_page_names_its_field(client, world, awaiting_decision):
    login(client, world.approver)
    response = client.post(
        reverse("agreements:agreement_act", args=[awaiting_decision.pk]),
        {"verb": "approve", "decision_number": "1", "decision_on": "31/02/2013", "decision_signer": "A"},
    )
    messages = _messages(response)
    assert [level for level, _text in messages] == ["error"]
    assert messages[0][1].startswith("Ngày quyết định: ")
    _unchanged(awaiting_decision)


# -- the API ------------------------------------------------------------------------------------------------------


def test_the_approval_through_the_api(world, awaiting_decision):
    api = APIClient()
    api.force_authenticate(world.approver)
    url = f"/api/v1/agreements/{awaiting_decision.pk}"
    decision = {"decision_number": "1234/QĐ-UBND", "decision_on": "2013-04-10", "decision_signer": "Phó Chủ tịch"}
    refused = api.post(f"{url}/approve/", decision, format="json")
    assert refused.status_code == 400 and "override_reason" in refused.json()
    assert api.post(f"{url}/approve/", {**decision, "decision_number": " "}, format="json").status_code == 400
    _unchanged(awaiting_decision)
    approved = api.post(f"{url}/approve/", {**decision, "override_reason": REASON}, format="json")
    assert approved.status_code == 200
    body = approved.json()
    assert (body["status"], body["decision_number"], body["decision_on"], body["decision_signer"]) == (
        "approved",
        "1234/QĐ-UBND",
        "2013-04-10",
        "Phó Chủ tịch",
    )
    assert (body["approval_override_reason"], body["approval_override_bodies"]) == (REASON, ["police"])
    editor = APIClient()
    editor.force_authenticate(world.province_editor)
    early = editor.post(f"{url}/sign/", {"signed_on": "2013-04-09"}, format="json")
    assert early.status_code == 400 and "signed_on" in early.json()
    assert editor.post(f"{url}/sign/", {"signed_on": "2013-04-11"}, format="json").json()["status"] == "signed"
    # The decision is written by the verb only.
    read_only = AgreementSerializer.Meta.read_only_fields
    assert {"decision_number", "decision_on", "decision_signer", "approval_override_reason"} <= set(read_only)


# -- the annual report -------------------------------------------------------------------------------------------


def test_the_annual_report_shows_a_decision_taken_without_every_opinion(world):
    agreement = _at(
        AgreementFactory(owner=world.quangnam, title="Thỏa thuận hợp tác với thành phố Yongin"),
        AgreementStatus.SIGNED,
        signed_on=dt.date(2013, 4, 12),
        decision_number="1234/QĐ-UBND",
        decision_on=DAY,
        decision_signer="Phó Chủ tịch Nguyễn Văn A",
        approval_override_reason=REASON,
        approval_override_by=world.approver,
        approval_override_bodies=["mofa"],
        signatory_level=SignatoryLevel.PROVINCIAL,
    )
    signed_only = _at(
        AgreementFactory(owner=world.quangnam, title="Biên bản ghi nhớ với thành phố Suwon"),
        AgreementStatus.SIGNED,
        signed_on=dt.date(2013, 6, 1),
        override_reason="Ký trong chuyến thăm.",
    )
    _answer(signed_only, ConsultedBody.MOFA, on=dt.date(2013, 7, 1))  # after the signing: it did not inform it
    data = build_agreements_annual(world.quangnam, Period.parse("2013"))
    rows = {row["title"]: row for row in data["signed"]}
    assert rows[agreement.title]["overrides"] == [
        "Thỏa thuận hợp tác với thành phố Yongin: Quyết định số 1234/QĐ-UBND ngày 10/04/2013 (Phó Chủ tịch Nguyễn "
        "Văn A) cho phép ký khi chưa nhận được ý kiến bằng văn bản của Bộ Ngoại giao; lý do: Đoàn cấp cao của bạn "
        "chỉ ở lại một ngày; Bộ Công an đã trả lời miệng."
    ]
    assert rows[signed_only.title]["overrides"] == [
        "Biên bản ghi nhớ với thành phố Suwon: ký khi chưa nhận được ý kiến bằng văn bản của Bộ Ngoại giao; lý do: "
        "Ký trong chuyến thăm."
    ]
    content, _name, _type = render_agreements_annual(world.quangnam, Period.parse("2013"), "docx")
    text = "\n".join(paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs)
    compliance = text.split("Đánh giá việc thực hiện thủ tục theo quy định của pháp luật")[1].split("II. ")[0]
    assert "chưa nhận đủ ý kiến bằng văn bản" in compliance
    assert REASON.rstrip(".") in compliance and "Ký trong chuyến thăm" in compliance


def test_the_annual_report_says_nothing_of_overrides_when_there_are_none(world):
    _at(AgreementFactory(owner=world.quangnam), AgreementStatus.SIGNED, signed_on=dt.date(2013, 4, 12))
    content, _name, _type = render_agreements_annual(world.quangnam, Period.parse("2013"), "docx")
    text = "\n".join(paragraph.text for paragraph in Document(io.BytesIO(content)).paragraphs)
    assert "chưa nhận đủ ý kiến bằng văn bản" not in text
