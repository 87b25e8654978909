"""Text normalisation shared by search, name resolution and imports.

Every input is stored in Unicode NFC: Vietnamese text arrives in NFC and NFD (and with old-style
tone placement, "uỷ" / "ủy"), and two spellings of one name must compare equal.
"""

import re
import unicodedata

from unidecode import unidecode

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NOT_ALNUM = re.compile(r"[^0-9a-z]+")

# Old-style tone placement on "oa", "oe", "uy" (hoà, thuỷ) against the new style (hòa, thủy):
# Decision 240/QĐ (1984) and Circular 40/2018 accept both, documents mix them.
_TONE_STYLE = {
    "oà": "òa", "oá": "óa", "oả": "ỏa", "oã": "õa", "oạ": "ọa",
    "oè": "òe", "oé": "óe", "oẻ": "ỏe", "oẽ": "õe", "oẹ": "ọe",
    "uỳ": "ùy", "uý": "úy", "uỷ": "ủy", "uỹ": "ũy", "uỵ": "ụy",
}  # fmt: skip
_TONE_RE = re.compile("|".join(_TONE_STYLE) + "|" + "|".join(k.upper() for k in _TONE_STYLE))


def clean_text(value: str) -> str:
    """Return ``value`` in NFC with control characters removed and whitespace trimmed."""
    value = unicodedata.normalize("NFC", value)
    return _CONTROL.sub("", value).strip()


def _new_tone_style(match: re.Match) -> str:
    found = match.group(0)
    replacement = _TONE_STYLE.get(found.lower(), found)
    return replacement.upper() if found.isupper() else replacement


def unify_tone_marks(value: str) -> str:
    """Rewrite old-style tone placement ("Thuỷ", "hoà") into the new style ("Thủy", "hòa")."""
    return _TONE_RE.sub(_new_tone_style, unicodedata.normalize("NFC", value))


def fold(value: str | None) -> str:
    """Fold text for matching: no diacritics, no case, no spaces, hyphens or punctuation.

    ``fold("Quảng Nam") == fold("quang nam") == fold("QUANG-NAM") == "quangnam"``; "đ" becomes "d".
    """
    if not value:
        return ""
    return _NOT_ALNUM.sub("", unidecode(clean_text(value)).lower())


def fold_words(value: str | None) -> str:
    """Like :func:`fold` but keeps single spaces between words, for fuzzy matching by token."""
    if not value:
        return ""
    return " ".join(_NOT_ALNUM.sub(" ", unidecode(clean_text(value)).lower()).split())


def slug(value: str | None) -> str:
    """``value`` as a file name's words: no diacritics ("đ" is "d"), lower case, joined by hyphens.
    ``slug("Ban Đối ngoại Trung ương") == "ban-doi-ngoai-trung-uong"``."""
    return "-".join(fold_words(value).split())


def after_label(message: str, label: str) -> str:
    """``message`` without the field's name it starts with ("Cấp: chỉ đoàn vào…" under the label "Cấp"): the rules
    name their field for the API and the imports, and a page that writes the label before the message would say it
    twice."""
    text, name = str(message), str(label).strip()
    size = len(name)
    if (
        name
        and text[size : size + 1] == ":"
        and unicodedata.normalize("NFC", text[:size]).casefold() == (unicodedata.normalize("NFC", name).casefold())
    ):
        return text[size + 1 :].strip() or text
    return text
