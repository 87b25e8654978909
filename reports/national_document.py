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
from django.utils.translation import gettext as _

from core.documents import Decree30Document, RenderedDocument, docx_to_pdf, report_kind
from core.periods import Period
from reports.document import DOCX
from reports.drafting import MISSING, PLACEHOLDER, amount_text, period_words
from reports.models import ReportingRegime
from reports.national import National, aggregate, changed_by_amendments, ranking_text, share_text, total_text
from reports.regimes import reporting_period

BASIS = {"legacy_63": "so sánh trên cơ sở 63 tỉnh, thành phố trước sắp xếp", "current_34": "34 tỉnh, thành phố"}
APPENDIX_TITLE = "Phụ lục"
APPENDIX_SUBTITLE = "Tình hình gửi báo cáo của các địa phương {period}"
APPENDIX_HEADERS = ("TT", "Đơn vị", "Ngày gửi", "Ngày nhận", "Ghi chú")
APPENDIX_WIDTHS_MM = (12, 58, 27, 27, 41)
NOT_REPORTED = "Các địa phương chưa gửi báo cáo ({count}): {names}."
ALL_REPORTED = "Tất cả các địa phương đã gửi báo cáo."
AMENDED = "Số liệu đã thay đổi do địa phương gửi lại báo cáo sau khi tổng hợp lần đầu:"
FACT = "{unit}: {text}"


def national_regime(unit, period: Period) -> ReportingRegime:
    """The regime whose reports ``unit`` receives for ``period`` and for which it writes a national report."""
    for regime in ReportingRegime.objects.filter(recipient=unit).order_by("key"):
        if isinstance(regime.outline, dict) and regime.outline.get("national") and regime.accepts(period):
            return regime
    raise ValidationError(
        _("%(unit)s receives no regime's reports for %(period)s: a national report is written by a receiving body.")
        % {"unit": unit.name, "period": period.label}
    )


def _fill(text: str, national: National, words: dict[str, str]) -> tuple[str, list[str]]:
    """The sentence with its national figures, and the codes whose movement it states (for the footnotes)."""
    moved: list[str] = []

    def replace(match) -> str:
        code, aspect = match.group(1), match.group(2)
        if code in words and not aspect:
            return words[code]
        figure = national.figures.get(code)
        if figure is None:
            return MISSING
        comparison = figure.comparison
        if aspect in ("increased", "decreased", "unchanged"):
            if code not in moved:
                moved.append(code)
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

    return PLACEHOLDER.sub(replace, text), moved


def national_content(unit, period: Period) -> tuple[ReportingRegime, National, dict]:
    regime = national_regime(unit, period)
    found = reporting_period(regime, period.label)
    national = aggregate(found)
    return regime, national, regime.outline["national"]


def national_docx(unit, period: Period) -> bytes:
    from agreements.report import issuer

    regime, national, plan = national_content(unit, period)
    words = {**period_words(period.label), "reported": f"{len(national.reported)}/{national.expected}"}
    superior, issuer_lines = issuer(unit)
    doc = Decree30Document(
        superior_lines=superior,
        issuer_lines=issuer_lines,
        number="…/BC",
        place="Hà Nội",
        year=period.end.year,
        kind_title="BÁO CÁO",
        subject_lines=[line.format(**words) for line in plan["subject_vi"]],
    )
    doc.paragraph(
        plan["opening_vi"].format(
            reported=words["reported"], basis=BASIS[national.basis], committee=unit.name, period=words["period"]
        )
    )
    for section in plan["sections"]:
        doc.heading(section["title_vi"])
        for line in section["text_vi"]:
            text, moved = _fill(line, national, words)
            paragraph = doc.paragraph(text)
            for code in moved:
                facts = national.facts(code)
                if facts:
                    doc.footnote(
                        paragraph,
                        "; ".join(FACT.format(unit=item.name, text=fact.rstrip(".")) for item, fact in facts) + ".",
                    )
    changes = changed_by_amendments(national.reporting_period, national)
    if changes:
        doc.paragraph(AMENDED)
        for change in changes:
            doc.bullet(f"{change['label']}: {change['before']} → {change['after']} ({', '.join(change['units'])}).")
    doc.recipients([])
    doc.signature([f"T/M {unit.name.upper()}"], "")
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


@report_kind("national", formats=("docx", "pdf"), description="national report of a receiving body")
def render_national(unit, period: Period, fmt: str = "docx") -> RenderedDocument:
    data = national_docx(unit, period)
    name = f"bao-cao-tong-hop-{unit.key}-{period.label}"
    if fmt == "pdf":
        return RenderedDocument(docx_to_pdf(data), f"{name}.pdf", "application/pdf")
    return RenderedDocument(data, f"{name}.docx", DOCX)
