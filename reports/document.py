"""A provincial report as a Word document laid out by Decree 30/2020/NĐ-CP (core.documents), from its content: the
report as it reads now while it is drafted, its frozen revision once it is sent (reports.drafting)."""

from __future__ import annotations

import re

from core.documents import Decree30Document, docx_to_pdf
from core.report_kinds import RenderedDocument, document_filename, period_for_files, unit_for_files
from core.text import fold
from reports.drafting import issued_on

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A line of a section that opens a sub-heading the author wrote ("a) Về chính trị đối ngoại"): bold italics, as
# Appendix I writes the third level of a body's headings.
SUBHEADING = re.compile(r"^[a-zđ]\)\s+\S")
BLANK_LINE = "…" * 60


def report_docx(content: dict) -> bytes:
    header = content["header"]
    day = issued_on(content)
    doc = Decree30Document(
        superior_lines=header["superior_lines"],
        issuer_lines=header["issuer_lines"],
        number=header["number"],
        place=header["place"],
        issued_on=day,
        year=day.year if day else header["year"],
        kind_title="BÁO CÁO",
        subject_lines=header["subject_lines"],
    )
    doc.paragraph(header["opening"])
    numbered_parts = len(header["parts"]) > 1
    for part in header["parts"]:
        sections = [section for section in content["sections"] if section["part"] == part["key"]]
        if numbered_parts:
            doc.heading(part["title"])
        for section in sections:
            if not section["paragraphs"] and not section["required"]:
                continue  # an optional section left empty is not written
            if section["heading"]:
                doc.heading(section["title"], level=2 if numbered_parts else 1)
            for line in section["paragraphs"] or [BLANK_LINE]:
                if SUBHEADING.match(line) and len(line) < 200:
                    doc.paragraph(line, bold=True, italic=True)
                else:
                    doc.paragraph(line)
    doc.paragraph(header["closing"])
    doc.recipients(header["recipients"])
    signature = header["signature"]
    doc.signature(signature["authority_lines"], signature["title"], signature["name"])
    return doc.to_bytes()


def filename(content: dict, extension: str) -> str:
    """The report's file as its reader knows it: "bao-cao-tinh-hinh-cong-tac-doi-ngoai-dia-phuong-da-nang-6-thang-
    dau-nam-2017-lan-1.docx", from the regime's and the unit's names (a revision sent before the header kept them
    reads them from its keys), never the keys themselves."""
    header = content["header"]
    title = header.get("regime_name") or _regime_name(header["regime"])
    if not fold(title).startswith("baocao"):
        title = f"Báo cáo {title}"
    unit = _unit_name(header["unit"], header.get("unit_name"))
    revision = f"lần {header['revision']}"
    return document_filename(title, unit, period_for_files(header["period"]), revision, extension=extension)


def _regime_name(key: str) -> str:
    from reports.models import ReportingRegime

    regime = ReportingRegime.objects.filter(key=key).first()
    return regime.name_vi if regime is not None else key


def _unit_name(key: str, name: str | None) -> str:
    from core.models import Unit

    # The unit's record, when it is still there, tells a legacy unit ("Quảng Nam (cũ)") from today's of its name.
    unit = Unit.objects.filter(key=key).first()
    return unit_for_files(unit) if unit is not None else name or key


def rendered(content: dict, fmt: str = "docx") -> RenderedDocument:
    data = report_docx(content)
    if fmt == "pdf":
        return RenderedDocument(docx_to_pdf(data), filename(content, "pdf"), "application/pdf")
    return RenderedDocument(data, filename(content, "docx"), DOCX)
