"""An agreement's procedure in a real browser (Playwright on Debian's Chromium): an editor creates it with the
partner type-ahead, asks for the opinions, records the Ministry's reply and submits it; an approver approves with
the decision's number, date and signer; the editor records the signing and the entry into force. Irreversible steps
ask for confirmation (a static script reads ``data-confirm``). A leader who approves with an opinion missing is
refused, then approves with a written reason, which the page shows. Every step is taken on the agreement's page,
whose forms work without inline script (the CSP forbids it), and no request leaves the server."""

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from django.utils import timezone, translation

from agreements.choices import AgreementStatus
from agreements.models import Agreement, Consultation
from agreements.testing.factories import AgreementFactory
from agreements.verbs import AGREEMENT_VERBS
from core.tests.test_browser import _page, _sign_in
from partners.testing.factories import PartnerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Pictures to look at after a run (the page under consultation, the page in force).
SCREENSHOTS = Path(tempfile.gettempdir())
TITLE = "Thỏa thuận thiết lập quan hệ hợp tác hữu nghị giữa thành phố Đà Nẵng và thành phố Yongin"


def _console_error(message) -> str:
    return f"{message.text} ({(message.location or {}).get('url', '')})"


def _watch(page, requests: list, errors: list) -> None:
    page.on("request", lambda request: requests.append(request.url))
    page.on("console", lambda message: errors.append(_console_error(message)) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))


def _status(page) -> str:
    return page.get_attribute("#agreement-status", "data-status")


def _fill(page, verb: str, **values):
    """Open a step's form (a <details> element) and fill its values; the step's button."""
    step = page.locator(f"#verb-{verb}")
    if step.locator("summary").count() and step.locator("details").get_attribute("open") is None:
        step.locator("summary").click()
    for name, value in values.items():
        field = step.locator(f"[name={name}]")
        if field.evaluate("element => element.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    return step.locator("button")


def _confirm(page, button, questions: list[str]) -> None:
    """Click ``button`` and answer yes to the question an irreversible step asks (kept in ``questions``)."""

    def accept(dialog) -> None:
        questions.append(dialog.message)
        dialog.accept()

    if button.get_attribute("data-confirm"):
        page.once("dialog", accept)
    with page.expect_navigation():
        button.click()


def _step(page, verb: str, **values) -> None:
    """Open a step's form, fill its values and confirm it, answering yes to its question if it asks one."""
    _confirm(page, _fill(page, verb, **values), [])
    assert page.locator(".alert-danger").count() == 0, page.locator(".alert-danger").all_inner_texts()


def test_an_agreement_through_its_procedure(browser, live_server, world):
    yongin = PartnerFactory(owner=world.danang, name_vi="Thành phố Yongin", name_en="Yongin City")
    today = timezone.localdate().strftime("%d/%m/%Y")
    outside: list[str] = []
    requests: list[str] = []
    errors: list[str] = []
    editor = _page(browser, live_server, outside)
    _watch(editor, requests, errors)
    _sign_in(editor, live_server, "province_editor")

    editor.goto(f"{live_server.url}/agreements/add/")
    form = editor.locator("main form")
    form.locator("select[name=owner]").select_option(str(world.danang.pk))
    form.locator("textarea[name=title]").fill(TITLE)
    form.locator("select[name=kind]").select_option("agreement")
    form.locator("select[name=signatory_level]").select_option("provincial")
    # The partner type-ahead: part of the name in the search box, then the option it brings.
    form.locator(".partner-choice input[name=partner_query]").fill("Yongi")
    form.locator(f"select[name=partners] option[value='{yongin.pk}']").wait_for(state="attached", timeout=10000)
    form.locator("select[name=partners]").select_option(str(yongin.pk))
    with editor.expect_navigation():
        form.locator("button.btn-primary").click()
    agreement = Agreement.objects.get(title=TITLE)
    assert editor.url == f"{live_server.url}{agreement.get_absolute_url()}"
    assert list(agreement.partners.all()) == [yongin]
    assert _status(editor) == "draft"

    _step(editor, "submit_for_consultation", sent_on=today)
    assert _status(editor) == "consultation"
    consultation = agreement.consultations.get(body="mofa")
    reply = editor.locator(f"#consultation-{consultation.pk}")
    reply.locator("summary").click()
    editor.screenshot(path=SCREENSHOTS / "agreement-consultation.png", full_page=True)
    reply.locator("[name=reply_on]").fill(today)
    reply.locator("[name=opinion]").select_option("agree")
    with editor.expect_navigation():
        reply.locator("button").click()
    assert editor.locator(f"#consultation-{consultation.pk} .consultation-opinion").get_attribute("data-opinion") == (
        "agree"
    )
    assert editor.locator(".missing-opinion").count() == 0
    _step(editor, "submit")
    assert _status(editor) == "submitted"
    assert editor.locator("#verb-approve").count() == 0, "an editor does not decide"

    approver = _page(browser, live_server, outside)
    _watch(approver, requests, errors)
    _sign_in(approver, live_server, "approver")
    approver.goto(f"{live_server.url}{agreement.get_absolute_url()}")
    assert _status(approver) == "submitted"
    approver.locator("#verb-refuse summary").click()  # the refusal's reason opens without script
    assert approver.locator("#refuse-reason").is_visible()
    _step(approver, "approve", decision_number="15/QĐ-UBND", decision_signer="Phó Chủ tịch UBND Nguyễn Văn A")
    assert _status(approver) == "approved"
    assert "15/QĐ-UBND" in approver.locator("#agreement-decision").inner_text()

    editor.reload()
    assert _status(editor) == "approved"
    _step(editor, "sign", signed_on=today, place="Yongin, Hàn Quốc")
    assert _status(editor) == "signed"
    assert editor.locator("#agreement-copy").is_visible()
    _step(editor, "enter_into_force", on=today)
    assert _status(editor) == "in_force"
    editor.screenshot(path=SCREENSHOTS / "agreement-in-force.png", full_page=True)
    agreement.refresh_from_db()
    assert (agreement.status, agreement.place_signed) == ("in_force", "Yongin, Hàn Quốc")

    assert outside == [], outside
    assert all(url.startswith(live_server.url) for url in requests)
    assert [error for error in errors if error] == [], "no script error and no refusal by the CSP"


def test_a_document_is_attached_and_downloaded_through_its_agreement(browser, live_server, world):
    """The document form takes a file; the page links to it through the agreement's policy, never /media/."""
    from agreements.models import AgreementDocument
    from agreements.testing.factories import AgreementFactory

    content = "Văn bản thỏa thuận đã ký.".encode()
    agreement = AgreementFactory(owner=world.danang, title=TITLE)
    outside: list[str] = []
    editor = _page(browser, live_server, outside)
    _sign_in(editor, live_server, "province_editor")
    editor.goto(f"{live_server.url}/agreements/{agreement.pk}/edit/")
    form = editor.locator("main form")
    form.locator("select[name=documents-0-kind]").select_option("signed_text")
    form.locator("input[name=documents-0-title]").fill("Văn bản đã ký")
    form.locator("input[name=documents-0-file]").set_input_files(
        files=[{"name": "Văn bản ký.txt", "mimeType": "text/plain", "buffer": content}]
    )
    form.locator("input[name=documents-0-attest_not_secret]").check()
    with editor.expect_navigation():
        form.locator("button.btn-primary").click()
    errors = editor.locator(".alert-danger, .invalid-feedback")
    assert errors.count() == 0, errors.all_inner_texts()
    document = AgreementDocument.objects.get(agreement=agreement)
    link = editor.locator("#agreement-documents a[download]")
    assert link.get_attribute("href") == f"/files/agreement-documents/{document.pk}/"
    with editor.expect_download() as downloading:
        link.click()
    download = downloading.value
    assert download.suggested_filename == "Văn_bản_ký.txt"
    assert Path(download.path()).read_bytes() == content

    other = _page(browser, live_server, outside)
    _sign_in(other, live_server, "other_editor")  # another province
    assert other.request.get(f"{live_server.url}/files/agreement-documents/{document.pk}/").status == 404
    assert outside == [], outside


def test_a_leader_approves_with_an_opinion_missing_only_with_a_written_reason(browser, live_server, world):
    """The police have not answered: the leader's approval is refused, then given with a written reason after
    confirming the dialog, and the page shows the decision, the override and its reason (issue 18, item 5)."""
    today = timezone.localdate()
    agreement = AgreementFactory(owner=world.danang, title=TITLE, concerns_security=True)
    Agreement.all_objects.filter(pk=agreement.pk).update(status=AgreementStatus.SUBMITTED)
    asked = today - dt.timedelta(days=12)
    Consultation.objects.create(
        agreement=agreement, owner=world.danang, body="mofa", sent_on=asked, reply_on=asked, opinion="agree"
    )
    Consultation.objects.create(agreement=agreement, owner=world.danang, body="police", sent_on=asked)
    reason = "Đoàn cấp cao của thành phố Yongin chỉ ở lại một ngày; Công an thành phố đã trao đổi trực tiếp."
    decision = {"decision_number": "2468/QĐ-UBND", "decision_signer": "Phó Chủ tịch UBND thành phố Trần Văn B"}
    outside: list[str] = []
    requests: list[str] = []
    errors: list[str] = []
    questions: list[str] = []
    leader = _page(browser, live_server, outside)
    leader.set_viewport_size({"width": 1366, "height": 768})
    _watch(leader, requests, errors)
    _sign_in(leader, live_server, "approver")
    leader.goto(f"{live_server.url}{agreement.get_absolute_url()}")
    assert _status(leader) == "submitted"

    button = _fill(leader, "approve", **decision)
    warning = leader.locator("#verb-approve .step-warning")
    assert warning.is_visible() and "Công an" in warning.inner_text()
    assert leader.locator("#approve-decision_on").input_value() == today.strftime("%d/%m/%Y")
    # Saying no to the question sends nothing.
    posted = len(requests)
    leader.once("dialog", lambda dialog: (questions.append(dialog.message), dialog.dismiss()))
    button.click()
    leader.wait_for_timeout(300)
    assert len(requests) == posted and _status(leader) == "submitted"
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.SUBMITTED

    # Yes, without a reason: refused, naming the field, and nothing written.
    _confirm(leader, button, questions)
    refusal = leader.locator(".alert-danger")
    assert refusal.count() == 1
    assert "Lý do vẫn tiến hành khi chưa đủ ý kiến bằng văn bản" in refusal.inner_text()
    assert "Công an" in refusal.inner_text()
    assert _status(leader) == "submitted"
    stored = Agreement.objects.get(pk=agreement.pk)
    assert (stored.status, stored.decision_number) == (AgreementStatus.SUBMITTED, "")

    # With the reason written.
    _confirm(leader, _fill(leader, "approve", **decision, override_reason=reason), questions)
    assert leader.locator(".alert-danger").count() == 0, leader.locator(".alert-danger").all_inner_texts()
    assert _status(leader) == "approved"
    override = leader.locator("#agreement-approval-override")
    assert override.is_visible()
    assert reason in override.inner_text() and "Công an" in override.inner_text()
    shown = leader.locator("#agreement-decision").inner_text()
    assert "2468/QĐ-UBND" in shown and today.strftime("%d/%m/%Y") in shown and "Trần Văn B" in shown
    leader.screenshot(path=SCREENSHOTS / "agreement-approved-with-override.png", full_page=True)
    with translation.override("vi"):
        assert questions == [str(AGREEMENT_VERBS["approve"].confirm)] * 3
    stored = Agreement.objects.get(pk=agreement.pk)
    assert (stored.approval_override_reason, stored.approval_override_by) == (reason, world.approver)

    assert outside == [], outside
    assert all(url.startswith(live_server.url) for url in requests)
    assert [error for error in errors if error] == [], "no script error and no refusal by the CSP"
