"""The agreement's page (issue 4): its particulars, the procedure's next steps as each role sees them, the
required written opinions against the consultations, a step and a reply posted from the page, the attention
page, and a number of queries that does not grow with the rows."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from agreements import workflow
from agreements.choices import AgreementStatus, ConsultedBody, Opinion
from agreements.models import Agreement, AgreementDocument, Consultation, Evaluation, ImplementationItem
from agreements.testing.factories import AgreementFactory
from core.testing.world import login
from partners.testing.factories import PartnerFactory, RelationshipFactory

pytestmark = pytest.mark.django_db

DAY = dt.date(2013, 4, 10)


def english(client):
    # The page's labels are asserted in English; the Vietnamese translations come separately.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _at(agreement: Agreement, status: str, **fields) -> Agreement:
    """Put an agreement at ``status`` directly, as a fixture: the services are tested on their own."""
    Agreement.all_objects.filter(pk=agreement.pk).update(status=status, **fields)
    agreement.refresh_from_db()
    return agreement


def _page(client, user, agreement: Agreement) -> str:
    login(english(client), user)
    response = client.get(agreement.get_absolute_url())
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def _steps(html: str) -> set[str]:
    """The verbs the page offers as forms."""
    return set(re.findall(r'name="verb" value="([a-z_]+)"', html))


def _messages(response) -> list[tuple[str, str]]:
    return [(message.level_tag, str(message)) for message in get_messages(response.wsgi_request)]


def _consultation(agreement: Agreement, body: str, **fields) -> Consultation:
    consultation = Consultation(agreement=agreement, owner=agreement.owner, body=body, **fields)
    consultation.save()
    return consultation


def _act(client, agreement: Agreement, verb: str, **values):
    return client.post(reverse("agreements:agreement_act", args=[agreement.pk]), {"verb": verb, **values})


def _reply(client, user, consultation: Consultation, **values):
    """``user`` posts the reply form of ``consultation`` from the agreement's page."""
    login(english(client), user)
    return client.post(reverse("agreements:consultation_reply", args=[consultation.pk]), values)


@pytest.fixture
def awaiting_reply(world) -> Consultation:
    """Đà Nẵng's agreement in consultation: the Ministry of Foreign Affairs asked on DAY, not yet answered."""
    agreement = _at(AgreementFactory(owner=world.danang), AgreementStatus.CONSULTATION)
    return _consultation(agreement, ConsultedBody.MOFA, sent_on=DAY, due_on=workflow.consultation_due(DAY))


# -- what the page shows --------------------------------------------------------------------------


def test_the_page_shows_the_parties_the_required_bodies_and_the_consultations(client, world):
    yongin = PartnerFactory(owner=world.danang, name_vi="Thành phố Yongin", name_en="Yongin")
    relationship = RelationshipFactory(owner=world.danang, partner=yongin)
    agreement = AgreementFactory(
        owner=world.danang,
        title="Thỏa thuận thiết lập quan hệ hợp tác hữu nghị với thành phố Yongin",
        concerns_investment=True,
        relationship=relationship,
        parties=[yongin],
    )
    _at(agreement, AgreementStatus.CONSULTATION)
    today = timezone.localdate()
    answered = _consultation(
        agreement,
        ConsultedBody.MOFA,
        sent_on=today - dt.timedelta(days=20),
        reply_on=today - dt.timedelta(days=5),
        opinion=Opinion.AGREE,
        opinion_text="Bộ Ngoại giao đồng ý với nội dung dự thảo.",
    )
    # Asked after 1 March 2025: the investment body is the finance body (Resolution 176/2025/QH15).
    overdue = _consultation(
        agreement,
        ConsultedBody.FINANCE,
        sent_on=today - dt.timedelta(days=30),
        due_on=today - dt.timedelta(days=10),
    )
    html = _page(client, world.province_editor, agreement)

    assert f'href="{yongin.get_absolute_url()}"' in html
    assert f'href="{relationship.get_absolute_url()}"' in html
    assert 'data-status="consultation"' in html
    for body, reason in workflow.required_bodies(agreement).items():
        assert f'data-body="{body}"' in html
        with translation.override("en"):
            assert escape(str(reason)) in html, reason
    assert "Bộ Ngoại giao đồng ý với nội dung dự thảo." in html
    mofa = html.split(f'id="consultation-{answered.pk}"')[1].split('class="consultation ')[0]
    assert 'data-opinion="agree"' in mofa
    assert reverse("agreements:consultation_reply", args=[answered.pk]) not in html
    # The overdue consultation is marked, its body's missing opinion highlighted, and its reply form offered.
    assert f'consultation-overdue" id="consultation-{overdue.pk}"' in html
    assert 'missing-opinion" data-body="finance"' in html
    assert 'missing-opinion" data-body="mofa"' not in html
    assert reverse("agreements:consultation_reply", args=[overdue.pk]) in html
    assert f"{reverse('agreements:consultation_add')}?agreement={agreement.pk}" in html


def test_a_draft_offers_only_the_steps_the_table_allows(client, world):
    agreement = AgreementFactory(owner=world.danang)
    html = _page(client, world.province_editor, agreement)
    assert _steps(html) == {"submit_for_consultation", "postpone", "cancel"}
    assert "Ask for opinions" in html
    assert "Postpone" in html
    assert "Cancel" in html
    assert "Record the signing" not in html
    # Each step cites its rule, and its form asks for the values it takes.
    with translation.override("en"):
        assert escape(str(workflow.TRANSITIONS["submit_for_consultation"].basis)) in html
    assert 'id="submit_for_consultation-sent_on"' in html
    assert 'id="cancel-reason"' in html


def test_the_decision_is_offered_to_the_approver_only(client, world):
    agreement = _at(AgreementFactory(owner=world.danang), AgreementStatus.SUBMITTED)
    assert _steps(_page(client, world.approver, agreement)) == {"approve", "refuse"}
    editor = _page(client, world.province_editor, agreement)
    assert _steps(editor) == {"postpone", "cancel"}
    assert 'value="approve"' not in editor
    assert 'id="agreement-other-steps"' in editor  # the editor is told that a decision is awaited


def test_a_viewer_sees_no_form(client, world, awaiting_reply):
    agreement = awaiting_reply.agreement
    html = _page(client, world.viewer, agreement)
    assert _steps(html) == set()
    assert reverse("agreements:agreement_act", args=[agreement.pk]) not in html
    assert reverse("agreements:consultation_reply", args=[awaiting_reply.pk]) not in html
    assert reverse("agreements:consultation_add") not in html
    assert 'data-status="consultation"' in html


def test_a_signed_agreement_shows_the_copy_owed_and_the_override(client, world):
    signed = dt.date(2022, 4, 10)  # under Law 70/2020/QH14, in force since 1 July 2021
    agreement = _at(
        AgreementFactory(owner=world.danang),
        AgreementStatus.SIGNED,
        signed_on=signed,
        signed_precision="month",
        override_reason="Đoàn cấp cao của bạn chỉ ở lại một ngày.",
    )
    html = _page(client, world.viewer, agreement)
    assert "04/2022" in html  # the signing date as precisely as it is known
    copy = html.split('id="agreement-copy"')[1].split("</section>")[0]
    assert workflow.copy_due(signed).strftime("%d/%m/%Y") in copy
    assert 'data-copy="late"' in copy
    assert "Đoàn cấp cao của bạn chỉ ở lại một ngày." in html


# -- steps and replies posted from the page -------------------------------------------------------


def test_a_step_posted_from_the_page_moves_the_status(client, world):
    agreement = AgreementFactory(owner=world.danang, concerns_investment=True)
    login(english(client), world.province_editor)
    response = _act(client, agreement, "submit_for_consultation", sent_on="10/04/2013")
    assert response.status_code == 302
    assert response.url == agreement.get_absolute_url()
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.CONSULTATION
    consultations = Consultation.objects.filter(agreement=agreement)
    assert (
        {row.body for row in consultations}
        == set(workflow.required_bodies(agreement))
        == {
            ConsultedBody.MOFA,
            ConsultedBody.PLANNING_INVESTMENT,
        }
    )
    assert {row.sent_on for row in consultations} == {DAY}
    assert [level for level, _text in _messages(response)] == ["success"]


def test_a_forbidden_step_gives_an_error_and_changes_nothing(client, world):
    agreement = AgreementFactory(owner=world.danang)
    login(english(client), world.province_editor)
    response = _act(client, agreement, "enter_into_force", on="10/04/2013")
    assert response.status_code == 302
    stored = Agreement.objects.get(pk=agreement.pk)
    assert (stored.status, stored.in_force_on, stored.version) == (AgreementStatus.DRAFT, None, agreement.version)
    messages = _messages(response)
    assert [level for level, _text in messages] == ["error"]
    assert "Record entry into force" in messages[0][1]
    assert "Ask for opinions" in messages[0][1]  # the message names the steps that are allowed


def test_a_decision_posted_by_an_editor_is_refused(client, world):
    agreement = _at(AgreementFactory(owner=world.danang), AgreementStatus.SUBMITTED)
    login(english(client), world.province_editor)
    response = _act(
        client, agreement, "approve", decision_number="1/QĐ-UBND", decision_on="10/04/2013", decision_signer="Chủ tịch"
    )
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.SUBMITTED
    assert [level for level, _text in _messages(response)] == ["error"]


def test_the_reply_form_records_an_opinion(client, world, awaiting_reply):
    response = _reply(
        client, world.province_editor, awaiting_reply, reply_on="15/04/2013", opinion=Opinion.AGREE, text="Đồng ý."
    )
    assert response.status_code == 302
    assert response.url == awaiting_reply.agreement.get_absolute_url()
    awaiting_reply.refresh_from_db()
    assert (awaiting_reply.reply_on, awaiting_reply.opinion, awaiting_reply.opinion_text) == (
        dt.date(2013, 4, 15),
        Opinion.AGREE,
        "Đồng ý.",
    )
    assert 'missing-opinion"' not in _page(client, world.province_editor, awaiting_reply.agreement)


def test_a_reply_dated_before_the_sending_is_refused(client, world, awaiting_reply):
    response = _reply(client, world.province_editor, awaiting_reply, reply_on="01/04/2013", opinion=Opinion.AGREE)
    awaiting_reply.refresh_from_db()
    assert (awaiting_reply.reply_on, awaiting_reply.opinion) == (None, "")
    messages = _messages(response)
    assert [level for level, _text in messages] == ["error"]
    assert "10/04/2013" in messages[0][1]


# -- what needs attention -------------------------------------------------------------------------


def _section(html: str, key: str) -> str:
    return html.split(f'id="{key}"')[1].split("</section>")[0]


def test_the_attention_page_lists_what_needs_attention(client, world):
    today = timezone.localdate()
    long_ago = today - dt.timedelta(days=400)
    without_plan = _at(
        AgreementFactory(owner=world.danang, title="Thỏa thuận chưa có kế hoạch"),
        AgreementStatus.IN_FORCE,
        signed_on=long_ago,
        in_force_on=long_ago,
        copy_sent_on=long_ago,
    )
    expiring = _at(
        AgreementFactory(owner=world.danang, title="Thỏa thuận sắp hết hạn"),
        AgreementStatus.IN_FORCE,
        signed_on=long_ago,
        in_force_on=long_ago,
        expires_on=today + dt.timedelta(days=10),
        copy_sent_on=long_ago,
    )
    ImplementationItem.objects.create(agreement=expiring, activity="Trao đổi đoàn")
    waiting = _at(AgreementFactory(owner=world.danang, title="Thỏa thuận chờ ý kiến"), AgreementStatus.CONSULTATION)
    _consultation(
        waiting, ConsultedBody.MOFA, sent_on=today - dt.timedelta(days=30), due_on=today - dt.timedelta(days=10)
    )
    copy_owed = _at(
        AgreementFactory(owner=world.danang, title="Thỏa thuận chưa gửi bản sao"),
        AgreementStatus.SIGNED,
        signed_on=today - dt.timedelta(days=40),
    )
    login(english(client), world.province_editor)
    html = client.get(reverse("agreements:attention")).content.decode()

    assert without_plan.title in _section(html, "without_plan")
    assert expiring.title not in _section(html, "without_plan")
    assert waiting.title in _section(html, "consultations_overdue")
    assert expiring.title in _section(html, "expiring_30")
    assert copy_owed.title in _section(html, "copies_not_sent")
    assert without_plan.title not in _section(html, "copies_not_sent")


# -- a fixed number of queries --------------------------------------------------------------------


def _agreement_with_rows(world, count: int) -> Agreement:
    """An agreement under consultation with ``count`` consultations, activities, evaluations and documents."""
    agreement = _at(AgreementFactory(owner=world.danang, concerns_investment=True), AgreementStatus.CONSULTATION)
    bodies = ConsultedBody.values
    for index in range(count):
        sent = DAY + dt.timedelta(days=index)
        _consultation(agreement, bodies[index % len(bodies)], body_name="Cơ quan", sent_on=sent, due_on=sent)
        ImplementationItem.objects.create(
            agreement=agreement, activity=f"Hoạt động {index}", lead_unit=world.danang_dept, deadline=sent
        )
        Evaluation.objects.create(agreement=agreement, on=sent, rating="good", assessment="Hiệu quả.")
        AgreementDocument.objects.create(
            agreement=agreement, kind="draft", title=f"Dự thảo {index}", file=ContentFile(b"text", name="draft.txt")
        )
    agreement.partners.add(PartnerFactory(owner=world.danang))
    return agreement


def test_the_page_reads_a_fixed_number_of_queries(client, world):
    few, many = _agreement_with_rows(world, 1), _agreement_with_rows(world, 10)
    login(english(client), world.province_editor)
    client.get(few.get_absolute_url())  # caches (sessions, content types) warmed up
    counts = []
    for agreement in (few, many):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(agreement.get_absolute_url())
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    html = response.content.decode()
    assert html.count('class="consultation ') == 10
    assert "Hoạt động 9" in html and "Dự thảo 9" in html


def test_the_copy_sent_to_the_ministry_is_recorded_from_the_page(client, world):
    import datetime as _dt

    from agreements.choices import AgreementStatus
    from agreements.models import Agreement
    from agreements.testing.factories import AgreementFactory
    from core.testing.world import login as _login

    agreement = AgreementFactory(owner=world.danang)
    Agreement.all_objects.filter(pk=agreement.pk).update(status=AgreementStatus.SIGNED, signed_on=_dt.date(2013, 4, 10))
    _login(client, world.province_editor)
    assert 'value="record_copy_sent"' in client.get(agreement.get_absolute_url()).content.decode()
    client.post(f"/agreements/{agreement.pk}/act/", {"verb": "record_copy_sent", "on": "02/05/2013"})
    agreement.refresh_from_db()
    assert agreement.copy_sent_on == _dt.date(2013, 5, 2)


def test_the_attention_page_is_in_the_menu(client, world):
    from core.testing.world import login as _login

    _login(client, world.viewer)
    assert 'href="/agreements/attention/"' in client.get("/").content.decode()


def test_a_document_with_a_state_secret_stamp_is_refused_and_nothing_is_saved(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agreements.models import AgreementDocument
    from agreements.testing.factories import AgreementFactory
    from agreements.testing.forms import edit_with_document
    from core.testing.world import login as _login

    agreement = AgreementFactory(owner=world.danang)
    _login(client, world.province_editor)
    data = edit_with_document(agreement)
    secret = SimpleUploadedFile("du-thao.txt", "TUYỆT MẬT\nDự thảo thỏa thuận".encode(), content_type="text/plain")
    response = client.post(f"/agreements/{agreement.pk}/edit/", {**data, "documents-0-file": secret})
    assert response.status_code == 400
    assert not AgreementDocument.objects.exists()
    draft = SimpleUploadedFile("du-thao.txt", "Dự thảo thỏa thuận hợp tác".encode(), content_type="text/plain")
    response = client.post(f"/agreements/{agreement.pk}/edit/", {**data, "documents-0-file": draft})
    assert response.status_code == 302
    assert AgreementDocument.objects.get().agreement == agreement


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("2013", {"2013"}),
        ("2013-H1", {"2013"}),
        ("2013/2015", {"2013", "2015"}),
        ("2013-H9", None),
        ("x" * 300, None),
    ],
)
def test_the_period_filters_take_a_period_and_say_what_is_not_one(client, world, query, expected):
    # core.filtersets.PeriodFilter: the same period syntax as the reports. A text that is not a period finds nothing
    # on the web list, with the error under its filter saying what to write; the API answers 400 with the same words.
    for year in (2013, 2015):
        AgreementFactory(owner=world.danang, title=str(year), status="signed", signed_on=dt.date(year, 3, 1))
    login(client, world.viewer)
    listed = client.get(reverse("agreements:agreement_list"), {"signed_in": query})
    assert listed.status_code == 200
    answered = client.get(reverse("agreement-list"), {"signed_in": query})
    if expected is None:
        assert not list(listed.context["table"].data) and "2017-H1" in listed.content.decode()
        assert answered.status_code == 400 and "signed_in" in answered.json()
        return
    assert {row.title for row in listed.context["table"].data} == expected
    assert answered.status_code == 200
    assert {row["title"] for row in answered.json()["results"]} == expected
