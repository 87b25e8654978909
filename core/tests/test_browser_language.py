"""The interface in one language at a time, in a real browser (Playwright on Debian's Chromium), as a provincial
officer reads it (issue 18, item 8): the main pages in Vietnamese, then in English after the language selector in the
header, then in Vietnamese again.

Records are data and stay as they were written (Vietnamese names and notes on an English page are fine). Everything
else is interface: in English, no text outside the records' own values may hold a Vietnamese letter; in Vietnamese,
no interface text may be the same English as on the English page (a message left untranslated), and no text may show
an internal code (``in_progress``, ``[gift]``) where words belong. The record values are read from the database,
so that the checks know data from interface without a list of exceptions for each page."""

import datetime as dt
import re
import unicodedata
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from agreements.models import Consultation, Evaluation, ImplementationItem
from agreements.services import (
    agreement_approve,
    agreement_enter_into_force,
    agreement_sign,
    agreement_submit,
    agreement_submit_for_consultation,
    consultation_record_reply,
)
from agreements.testing.factories import AgreementFactory
from core.models import Field
from core.services import record_update
from core.testing.factories import DeclaredFigureFactory
from core.tests.test_browser import _page, _sign_in
from partners.testing.factories import InteractionFactory, PartnerFactory, RelationshipFactory, country

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = dt.date(2024, 3, 12)
# Letters only Vietnamese uses among the languages of the interface: the vowels with a breve, circumflex or horn,
# đ, and the five tone marks (after NFD decomposition).
VIETNAMESE_MARKS = frozenset("\u0306\u0302\u031b\u0300\u0301\u0303\u0309\u0323")
# Internal codes where words belong: a choice's stored value (in_progress), a code in brackets ([gift]).
CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b|\[[a-z][a-z0-9_-]*\]")
# The same in every language: file formats and extensions, language codes, a currency's code, the date pattern a
# field asks for, a unit's name typed without diacritics as the example of a search.
SAME_IN_BOTH = frozenset({"Excel", "CSV", ".xlsx", "VI", "EN", "USD", "dd/mm/yyyy", "quang nam"})
# The text a person reads: every text node, the page's title and the attributes a browser shows or speaks.
TEXTS = """() => {
  const out = [["title", document.title]];
  const describe = (element) => {
    const parts = [];
    for (let node = element; node && node !== document.body && parts.length < 3; node = node.parentElement) {
      parts.unshift(node.tagName.toLowerCase() + (node.id ? "#" + node.id : ""));
    }
    return parts.join(" > ");
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.replace(/\\s+/g, " ").trim();
    if (text && !node.parentElement.closest("script, style, template")) out.push([describe(node.parentElement), text]);
  }
  const spoken = "[placeholder], [title], [aria-label], [alt], [data-confirm], input[type=submit], input[type=button]";
  for (const element of document.body.querySelectorAll(spoken)) {
    for (const name of ["placeholder", "title", "aria-label", "alt", "data-confirm", "value"]) {
      const value = element.getAttribute(name);
      if (value && (name !== "value" || (element.tagName === "INPUT" && ["submit", "button"].includes(element.type)))) {
        out.push([describe(element) + " @" + name, value.replace(/\\s+/g, " ").trim()]);
      }
    }
  }
  return out;
}"""


def _vietnamese(text: str) -> bool:
    return "đ" in text.lower() or any(char in VIETNAMESE_MARKS for char in unicodedata.normalize("NFD", text))


def _words(text: str) -> set[str]:
    """The words of ``text`` that English could have written: Latin letters without marks, three or more, not an
    abbreviation in capitals (UBND, ODA); phrases the same in every language left out."""
    for phrase in SAME_IN_BOTH:
        text = text.replace(phrase, " ")
    return {
        word for word in re.findall(r"\w+", text) if word.isascii() and word.isalpha() and len(word) > 2
    }.difference(word for word in re.findall(r"\w+", text) if word.isupper())


def _data(language: str) -> list[str]:
    """Every value a record holds as text (not the stored value of a choice, which the interface names in words),
    and every record as its pages name it in ``language``: what the pages may show as it is."""
    values = set()
    with translation.override(language):
        for model in apps.get_models():
            if model._meta.app_label not in {"accounts", "core", "partners", "agreements"}:
                continue
            if model.__name__.startswith("Historical"):
                continue
            text_fields = [
                field.attname
                for field in model._meta.concrete_fields
                if isinstance(field, models.CharField | models.TextField) and not field.choices
            ]
            for record in model._base_manager.all():
                values.add(str(record))
                values.update(str(getattr(record, name) or "") for name in text_fields)
    pieces = {piece.strip() for value in values for piece in value.splitlines()}
    return sorted((piece for piece in pieces if len(piece) > 1), key=len, reverse=True)


class Data:
    """The record values a page may show (:func:`_data`), to take out of its texts."""

    def __init__(self, values: list[str]):
        self.values = values
        # Whole words only: a short value ("vi", a language code) inside a word is not that value.
        self.pattern = re.compile("|".join(rf"(?<!\w){re.escape(value)}(?!\w)" for value in values))

    def interface(self, text: str) -> str:
        """``text`` without the record values it quotes; a value cut short on a list ("…") counts as the value."""
        rest = self.pattern.sub(" ", text).strip(" …·—–-:,.()“”\"'")
        if len(rest) > 3 and any(rest in value for value in self.values):
            return ""
        return rest


def _records(world) -> dict[str, str]:
    """A province's registry as an officer of Đà Nẵng meets it: partners, a relationship with its history, an
    agreement taken through its procedure with its plan, evaluation and history, others that need attention, and a
    declared figure. The pages to read, by name."""
    korea, laos = country(), country("LA", "Lào", "Laos")
    culture, _ = Field.objects.get_or_create(code="culture", defaults={"name_vi": "Văn hóa", "name_en": "Culture"})
    yongin = PartnerFactory(owner=world.danang, name_vi="Thành phố Yongin", name_en="Yongin City", key="kr-yongin")
    PartnerFactory(
        owner=world.danang, name_vi="Chungcheong Nam", name_en="South Chungcheong", level="province", country=korea
    )
    PartnerFactory(
        owner=world.danang,
        kind="government_agency",
        level="",
        name_vi="Chính phủ Lào",
        name_en="Government of Laos",
        key="la-government",
        country=laos,
    )
    relationship = RelationshipFactory(owner=world.danang, partner=yongin, kind="friendship_cooperation")
    relationship.fields.add(culture)
    relationship.kind = "twinning"
    record_update(instance=relationship, user=world.province_editor, expected_version=relationship.version)
    InteractionFactory(owner=world.danang, relationship=relationship, kind="aid", summary="Trao tặng xe cứu thương")

    agreement = AgreementFactory(
        owner=world.danang,
        title="Thỏa thuận hợp tác hữu nghị giữa thành phố Đà Nẵng và thành phố Yongin",
        parties=[yongin],
        relationship=relationship,
    )
    agreement.fields.add(culture)
    editor, approver = world.province_editor, world.approver
    agreement_submit_for_consultation(agreement=agreement, user=editor, sent_on=DAY)
    for consultation in Consultation.objects.filter(agreement=agreement):
        consultation_record_reply(consultation=consultation, user=editor, reply_on=DAY, opinion="agree")
    agreement.refresh_from_db()
    agreement_submit(agreement=agreement, user=editor)
    agreement.refresh_from_db()
    decision = {"decision_number": "15/QĐ-UBND", "decision_on": DAY, "decision_signer": "Phó Chủ tịch Nguyễn Văn A"}
    agreement_approve(agreement=agreement, user=approver, **decision)
    agreement.refresh_from_db()
    agreement_sign(agreement=agreement, user=editor, signed_on=DAY, place="Yongin", mode="during_delegation")
    agreement.refresh_from_db()
    agreement_enter_into_force(agreement=agreement, user=editor, on=DAY)
    ImplementationItem.objects.create(
        agreement=agreement, activity="Trao đổi đoàn nghệ thuật", deadline=DAY, status="in_progress"
    )
    Evaluation.objects.create(agreement=agreement, on=DAY, rating="fair", assessment="Triển khai chậm")

    # Attention: in force without a plan, and a written opinion overdue.
    AgreementFactory(owner=world.danang, title="Biên bản ghi nhớ với tỉnh Chungcheong Nam", status="in_force")
    waiting = AgreementFactory(owner=world.danang, title="Thỏa thuận với Chính phủ Lào", status="consultation")
    Consultation.objects.create(
        agreement=waiting, owner=world.danang, body="mofa", sent_on=DAY, due_on=DAY + dt.timedelta(days=14)
    )
    DeclaredFigureFactory(owner=world.danang, period="2013", value=Decimal(164), source_document="Báo cáo tổng kết")
    return {
        "home": "/",
        "partners": "/partners/",
        "partner": yongin.get_absolute_url(),
        "relationships": "/relationships/",
        "relationship": relationship.get_absolute_url(),
        "agreements": "/agreements/",
        "agreement": agreement.get_absolute_url(),
        "attention": "/agreements/attention/",
        "figures": f"/figures/?unit={world.danang.key}&period=2013",
        "search": "/search/?q=yongin",
        "add": "/agreements/add/",
        "import": "/partners/import/",
        "edit": f"{relationship.get_absolute_url()}edit/",
    }


def _read(page, live_server, pages: dict[str, str]) -> dict[str, list[tuple[str, str]]]:
    """The texts of every page, and of the message that saving a form shows (the last page read: the form is sent
    as it is and the record's page says it was saved)."""
    texts = {}
    for name, url in pages.items():
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, (name, url, response.status)
        texts[name] = [tuple(item) for item in page.evaluate(TEXTS)]
    with page.expect_navigation():
        page.locator("main form button.btn-primary").click()
    assert page.locator(".alert-success").count() == 1, page.url
    texts["saved"] = [tuple(item) for item in page.evaluate(TEXTS)]
    return texts


def _switch(page, language: str) -> None:
    """Choose ``language`` with the selector in the header, as a person does (it sends its form on change)."""
    with page.expect_navigation():
        page.locator("nav select[name=language]").select_option(language)


def test_the_interface_is_in_one_language_and_switches_back(browser, live_server, world):
    pages = _records(world)
    outside: list[str] = []
    page = _page(browser, live_server, outside)
    page.set_viewport_size({"width": 1366, "height": 768})
    _sign_in(page, live_server, "province_editor")

    vietnamese = _read(page, live_server, pages)
    _switch(page, "en")
    assert page.url == f"{live_server.url}{pages['relationship']}", "the switch stays on the page"
    assert page.locator("html").get_attribute("lang") == "en"
    english = _read(page, live_server, pages)
    _switch(page, "vi")
    assert page.locator("html").get_attribute("lang") == "vi"
    page.goto(f"{live_server.url}{pages['agreements']}")
    assert page.locator("h1").inner_text() == "Thỏa thuận quốc tế"
    assert page.locator("#nav").get_by_text("Số liệu", exact=True).count() == 1

    data = {"vi": Data(_data("vi")), "en": Data(_data("en"))}
    findings = []
    for name in vietnamese:
        # The English words of this page's interface: one of them on the Vietnamese page was left untranslated.
        english_words = set()
        for where, text in english[name]:
            rest = data["en"].interface(text)
            english_words |= _words(rest)
            if _vietnamese(rest):
                findings.append(f"EN {name} {where}: Vietnamese interface text {text!r}")
            if CODE.search(rest):
                findings.append(f"EN {name} {where}: internal code in {text!r}")
        for where, text in vietnamese[name]:
            rest = data["vi"].interface(text)
            if CODE.search(rest):
                findings.append(f"VI {name} {where}: internal code in {text!r}")
            if _words(rest) & english_words:
                findings.append(f"VI {name} {where}: English {sorted(_words(rest) & english_words)} in {text!r}")
    assert findings == [], "\n".join(sorted(set(findings)))
    # The checks read the pages' words: a page in the other language would have shown in the findings.
    assert any("Lịch sử thay đổi" == text for _where, text in vietnamese["agreement"])
    assert any("History" == text for _where, text in english["agreement"])
    assert outside == []
