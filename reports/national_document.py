"""The national report of a receiving body for a regime's period (issue 20, item 6): a Word document laid out by
Decree 30/2020/NĐ-CP with the sections of the regime's national outline, their figures aggregated from the provinces'
reports as sent (reports.national) and written as sentences, the illustrative facts of the provinces in footnotes,
the national figures an amendment changed, and the appendix table of who sent their report when, followed by the
provinces that did not report.

The outline's sentences write the national figures as placeholders, as a province's report does
(reports.drafting): ``{{outgoing_delegations.total}}``, ``.previous_total``, ``.increased`` (``41/59 địa phương
(69,5%)``), ``.decreased``, ``.unchanged``, ``.top`` (the ranking); ``{{period}}``, ``{{previous_period}}``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.choices import UnitKind
from core.documents import Decree30Document, docx_to_pdf, header_name_lines
from core.periods import Period
from core.reference import CENTRAL_BODIES, MERGER_DATE
from core.report_kinds import RenderedDocument, document_filename, period_for_files, report_kind, unit_for_files
from reports.document import DOCX
from reports.drafting import MISSING, PLACEHOLDER, amount_text, period_words
from reports.models import ReportingRegime
from reports.national import National, aggregate, changed_by_amendments, ranking_text, share_text, total_text
from reports.regimes import reporting_period

APPENDIX_TITLE = "Phụ lục"
APPENDIX_SUBTITLE = "Tình hình gửi báo cáo của các địa phương {period}"
APPENDIX_HEADERS = ("TT", "Đơn vị", "Ngày gửi", "Ngày nhận", "Ghi chú")
# The dates take 24 mm at 12 pt, the longest province's name ("Bà Rịa - Vũng Tàu") 38 mm: the notes ("Chậm do chờ
# số liệu của các sở; chậm 21 ngày") get the rest, two lines at most.
APPENDIX_WIDTHS_MM = (10, 42, 24, 24, 65)
NOT_REPORTED = "Các địa phương chưa gửi báo cáo ({count}): {names}."
ALL_REPORTED = "Tất cả các địa phương đã gửi báo cáo."
AMENDED = "Số liệu đã thay đổi do địa phương gửi lại báo cáo sau khi tổng hợp lần đầu:"
FACT = "{unit}: {text}"
# The aspects of a figure that state how the provinces moved: the sentence's clause that states them takes the
# footnote of the illustrative facts.
MOVEMENTS = ("increased", "decreased", "unchanged")
# The central bodies of the Party (core.reference.CENTRAL_BODIES): the Party Central Foreign Relations Commission;
# the Ministry of Foreign Affairs is a body of the State.
PARTY_CENTRAL_BODIES = frozenset(key for key, _name, english in CENTRAL_BODIES if english.startswith("Party "))


def party_body(unit) -> bool:
    """Whether ``unit`` issues the Party's documents (Regulation 66-QĐ/TW, Guidance 36-HD/VPTW) rather than the
    State's (Decree 30/2020/NĐ-CP): a Party committee, or a central body of the Party."""
    return unit.kind == UnitKind.PARTY_COMMITTEE or (
        unit.kind == UnitKind.CENTRAL_BODY and unit.key in PARTY_CENTRAL_BODIES
    )


def national_regime(unit, period: Period) -> ReportingRegime:
    """The regime whose reports ``unit`` receives for ``period`` and for which it writes a national report."""
    for regime in ReportingRegime.objects.filter(recipient=unit).order_by("key"):
        if isinstance(regime.outline, dict) and regime.outline.get("national") and regime.accepts(period):
            return regime
    raise ValidationError(
        _("%(unit)s receives no regime's reports for %(period)s: a national report is written by a receiving body.")
        % {"unit": unit.name, "period": period.label}
    )


def _fill(text: str, national: National, words: dict[str, str]) -> str:
    """The sentence with its national figures."""

    def replace(match) -> str:
        code, aspect = match.group(1), match.group(2)
        if code in words and not aspect:
            return words[code]
        figure = national.figures.get(code)
        if figure is None:
            return MISSING
        comparison = figure.comparison
        if aspect in MOVEMENTS:
            return share_text(len(getattr(comparison, aspect)), comparison.compared)
        if aspect == "total" or aspect is None:
            return total_text(figure)
        if aspect == "previous_total":
            if figure.previous_total is None:
                return MISSING
            return amount_text(figure.previous_total, {"money": figure.money, "currency": figure.currency})
        if aspect == "top":
            return ranking_text(figure)
        return MISSING

    return PLACEHOLDER.sub(replace, text)


def _clause_end(text: str, start: int) -> int:
    """Where the clause that goes on at ``start`` ends: after the bracket that holds it ("(… tăng so với
    {{previous_period}})"), else before the comma, semicolon or full stop that closes it, else at the end."""
    depth = 0
    for index in range(start, len(text)):
        char = text[index]
        if char == "(":
            depth += 1
        elif char == ")":
            if depth == 0:
                return index + 1
            depth -= 1
        elif char in ",;." and depth == 0 and text[index + 1 : index + 2] in ("", " "):
            return index
    return len(text)


def _marks(text: str, national: National) -> dict[int, list[str]]:
    """The codes whose movement the sentence states, by the place of their footnote mark: the end of the clause
    of the code's last movement. Two marks at one place are written "³,⁴" (never "³⁴", which reads as 34)."""
    last: dict[str, int] = {}
    for match in PLACEHOLDER.finditer(text):
        code, aspect = match.group(1), match.group(2)
        if aspect in MOVEMENTS and code in national.figures:
            last[code] = match.end()
    marks: dict[int, list[str]] = {}
    for code, end in last.items():
        marks.setdefault(_clause_end(text, end), []).append(code)
    return dict(sorted(marks.items()))


def _sentence(doc: Decree30Document, text: str, national: National, words: dict[str, str]) -> None:
    """A sentence of the outline with its national figures, each movement's illustrative facts in a footnote whose
    mark stands at the end of the clause that states the movement."""
    marks = _marks(text, national)
    place = 0
    paragraph = None
    for end, codes in marks.items():
        facts = [found for found in (national.facts(code) for code in codes) if found]
        if not facts:
            continue
        piece = _fill(text[place:end], national, words)
        if paragraph is None:
            paragraph = doc.paragraph(piece)
        else:
            paragraph.add_run(piece)
        for index, found in enumerate(facts):
            if index:
                paragraph.add_run(",").font.superscript = True
            doc.footnote(
                paragraph, "; ".join(FACT.format(unit=item.name, text=fact.rstrip(".")) for item, fact in found) + "."
            )
        place = end
    rest = _fill(text[place:], national, words)
    if paragraph is None:
        doc.paragraph(rest)
    elif rest:
        paragraph.add_run(rest)


def _basis(national: National, words: dict[str, str]) -> str:
    """The provinces the figures stand on: the 63 before the 2025 merger, the 34 after it; and, where a period after
    it is compared with one before, that the period compared with stands on the 63 before the reorganisation."""
    if national.basis == "legacy_63":
        return _("63 provinces and cities")
    reporting = national.reporting_period
    compared = reporting.regime.dates_for(reporting.parsed.year_before())["data_to"]
    if compared < MERGER_DATE:
        previous = words["previous_period"]
        # A year stands as "năm 2024"; a half-year's words already say it ("6 tháng cuối năm 2024").
        previous = _("the year %(year)s") % {"year": previous} if previous.isdigit() else previous
        return _(
            "34 provinces and cities; compared with %(previous)s on the basis of the 63 provinces and cities before "
            "the reorganisation"
        ) % {"previous": previous}
    return _("34 provinces and cities")


def _closing(unit) -> tuple[list[str], list[str], str]:
    """The recipients, the authority lines and the signer's title of the body's national report. The head of a
    Party body that advises the Central Committee signs as himself ("TRƯỞNG BAN"; Guidance 36-HD/VPTW: "T/M" is
    for the committees that decide together), as the Minister signs for the Ministry (Decree 30/2020/NĐ-CP); the
    name is left to the one who signs."""
    # The archive line ("Lưu: VT.") is the document's own (Decree30Document.recipients).
    if party_body(unit):
        recipients = [
            _("The Politburo, the Secretariat (for information)"),
            _("The provincial and municipal Party committees"),
        ]
    else:
        recipients = [
            _("The Prime Minister (for information)"),
            _("The People's Committees of the provinces and cities"),
        ]
    heads = {"Ban": _("HEAD OF THE COMMISSION"), "Bộ": _("MINISTER")}
    head = heads.get(unit.name.split(" ", 1)[0])
    if head:
        return recipients, [], head
    authority = _("Party: on behalf of %(unit)s") if party_body(unit) else _("State: on behalf of %(unit)s")
    return recipients, [authority % {"unit": unit.name}], ""


def national_content(unit, period: Period) -> tuple[ReportingRegime, National, dict]:
    regime = national_regime(unit, period)
    found = reporting_period(regime, period.label)
    national = aggregate(found)
    return regime, national, regime.outline["national"]


def national_docx(unit, period: Period) -> bytes:
    _regime, national, plan = national_content(unit, period)
    # The document is Vietnamese whoever asks for it.
    with translation.override("vi"):
        return _document(unit, period, national, plan)


def _document(unit, period: Period, national: National, plan: dict) -> bytes:
    from agreements.report import issuer

    words = {
        **period_words(period.label, national.reporting_period.regime),
        "reported": f"{len(national.reported)}/{national.expected}",
    }
    superior, issuer_lines = issuer(unit)
    party = party_body(unit)
    doc = Decree30Document(
        superior_lines=[line for text in superior for line in header_name_lines(text, superior=True)],
        issuer_lines=[line for text in issuer_lines for line in header_name_lines(text)],
        # A Party document is numbered "Số 12-BC/..." (Guidance 36-HD/VPTW), a State one "Số: 12/BC-...".
        number="…-BC" if party else "…/BC",
        place="Hà Nội",
        year=period.end.year,
        kind_title="BÁO CÁO",
        subject_lines=[line.format(**words) for line in plan["subject_vi"]],
        party_title=_("COMMUNIST PARTY OF VIETNAM") if party else "",
    )
    doc.paragraph(
        plan["opening_vi"].format(
            reported=words["reported"], basis=_basis(national, words), committee=unit.name, period=words["period"]
        )
    )
    for section in plan["sections"]:
        doc.heading(section["title_vi"])
        for line in section["text_vi"]:
            _sentence(doc, line, national, words)
    changes = changed_by_amendments(national.reporting_period, national)
    if changes:
        doc.paragraph(AMENDED)
        for change in changes:
            doc.bullet(f"{change['label']}: {change['before']} → {change['after']} ({', '.join(change['units'])}).")
    recipients, authority, title = _closing(unit)
    doc.recipients(recipients)
    doc.signature(authority, title, "")
    register = national.register
    doc.appendix(APPENDIX_TITLE, [APPENDIX_SUBTITLE.format(**words)])
    sent = sorted(register.submitted, key=lambda row: (row.submission.sent_on, row.unit.name))
    rows = [
        (
            str(number),
            row.unit.name,
            f"{row.submission.sent_on:%d/%m/%Y}",
            f"{row.submission.received_on:%d/%m/%Y}" if row.submission.received_on else "",
            _note(row),
        )
        for number, row in enumerate(sent, start=1)
    ]
    doc.table(
        APPENDIX_HEADERS, rows, widths_mm=APPENDIX_WIDTHS_MM, align=("center", "left", "center", "center", "left")
    )
    missing = [row.unit.name for row in register.missing]
    doc.paragraph(NOT_REPORTED.format(count=len(missing), names=", ".join(missing)) if missing else ALL_REPORTED)
    return doc.to_bytes()


def _note(row) -> str:
    parts = [row.submission.note] if row.submission.note else []
    if row.submission.days_late:
        parts.append(f"chậm {row.submission.days_late} ngày")
    return "; ".join(parts)


@report_kind(
    "national",
    formats=("docx", "pdf"),
    description="national report of a receiving body",
    title=gettext_lazy("Consolidated report"),
)
def render_national(unit, period: Period, fmt: str = "docx") -> RenderedDocument:
    data = national_docx(unit, period)
    # The receiving body's name, not its key: "bao-cao-tong-hop-ban-doi-ngoai-trung-uong-6-thang-dau-nam-2017.docx".
    parts = ("Báo cáo tổng hợp", unit_for_files(unit), period_for_files(period.label))
    if fmt == "pdf":
        return RenderedDocument(docx_to_pdf(data), document_filename(*parts, extension="pdf"), "application/pdf")
    return RenderedDocument(data, document_filename(*parts, extension="docx"), DOCX)
