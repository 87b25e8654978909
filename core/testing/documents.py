"""How a rendered document is held against the document it reproduces (issue 18, item 3; issue 20, "Done when")."""

from __future__ import annotations

import difflib
import io
import unicodedata


def _folded(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split())


def reproduced(seed_text: str, paragraphs: list[str]) -> tuple[float, list[str]]:
    """Issue 18, item 3: the share of the seed's lines of 25 characters or more that the report holds at a
    difflib ratio of 0.9 or more (after NFC and whitespace folding), each line held against the report's
    paragraphs and against two consecutive ones joined; and the lines it misses."""
    paragraphs = [_folded(text) for text in paragraphs if text.strip()]
    candidates = paragraphs + [f"{first} {second}" for first, second in zip(paragraphs, paragraphs[1:], strict=False)]
    lines = [_folded(line) for line in seed_text.splitlines() if len(_folded(line)) >= 25]
    missed = []
    for line in lines:
        matcher = difflib.SequenceMatcher(None, line)
        best = 0.0
        for candidate in candidates:
            matcher.set_seq2(candidate)
            if matcher.real_quick_ratio() >= 0.9 and matcher.quick_ratio() >= 0.9:
                best = max(best, matcher.ratio())
        if best < 0.9:
            missed.append(line)
    return 1 - len(missed) / len(lines), missed


def docx_paragraphs(data: bytes) -> list[str]:
    """Every paragraph of a Word document, those of its tables included (the recipients and the signature block
    stand in a layout table), in the order they are written."""
    from docx import Document

    document = Document(io.BytesIO(data))
    found = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                found += [paragraph.text for paragraph in cell.paragraphs]
    return found
