"""A provincial report as a Word document laid out by Decree 30/2020/NĐ-CP (core.documents), from its content: the
report as it reads now while it is drafted, its frozen revision once it is sent (reports.drafting)."""

from __future__ import annotations

import re

from core.documents import Decree30Document, RenderedDocument, docx_to_pdf
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
    header = content["header"]
    return f"bao-cao-{header['regime']}-{header['unit']}-{header['period']}-lan-{header['revision']}.{extension}"


def rendered(content: dict, fmt: str = "docx") -> RenderedDocument:
    data = report_docx(content)
    if fmt == "pdf":
        return RenderedDocument(docx_to_pdf(data), filename(content, "pdf"), "application/pdf")
    return RenderedDocument(data, filename(content, "docx"), DOCX)
