"""The single gate every uploaded file passes: signed texts of agreements, opinions, Excel/CSV imports.

:func:`check_upload` decides what a file *is* from its bytes (never from the browser's content type, and the
name only has to agree), bounds what it may cost to open (size, unpacked size, number of members, compression
ratio, image pixels), refuses active content (macros, ActiveX, remote templates, PDF scripts) and XML with DTDs
or entities, and applies the state-secret gate.

The state-secret gate: Law No. 29/2018/QH14 on the Protection of State Secrets and Decree 26/2020/NĐ-CP forbid
storing or transmitting state-secret material on networked information systems that are not approved for it,
and this product is not. So every upload must be attested "not a state secret" by the person uploading it, and
a file whose text carries a secrecy-level mark of Art. 8 of that law ("MẬT", "TỐI MẬT", "TUYỆT MẬT") is refused
even when attested: a stamped file is either a state secret or a mistake that must not be stored.

Nothing here executes or renders the file: OOXML parts are read as XML with defusedxml through a byte-counting
stream, PDFs with pypdf (no external decoders), images by their headers only.

Text units scanned for a stamp (see :func:`find_secrecy_stamp`): docx paragraphs of every part under word/
(body, tables and each table cell as a whole, text boxes, headers, footers, footnotes, comments, charts,
SmartArt), not the glossary of building blocks, field codes or deleted revisions; xlsx shared strings, inline
and formula text cells, comments, drawings, headers/footers and sheet names; PDF text-showing operations,
extracted lines and annotation contents; csv/txt lines and csv cells. Not scanned: images (no OCR), files
embedded in a document, text in legacy 8-bit Vietnamese fonts (TCVN3, VNI) that decodes as other letters.
"""

import codecs
import contextlib
import csv
import dataclasses
import hashlib
import io
import re
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import PurePosixPath

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser, ParseError
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import TextChoices
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

__all__ = ["UploadInfo", "UploadKind", "UploadRejected", "check_upload", "find_secrecy_stamp"]

# Defaults of the settings UPLOAD_MAX_BYTES, UPLOAD_MAX_UNPACKED_BYTES, UPLOAD_MAX_MEMBERS, UPLOAD_MAX_RATIO.
DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_UNPACKED_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_MEMBERS = 2_000
DEFAULT_MAX_RATIO = 100

# The compression ratio (UPLOAD_MAX_RATIO) applies to the whole archive once it unpacks to at least
# RATIO_MIN_BYTES (a 300-byte part compressed 150:1 harms nobody), and to each member that unpacks to at least
# RATIO_MIN_MEMBER_BYTES: the XML of a blank form with a large empty table compresses 160:1 at 0.5 MB, so
# smaller members are left to the archive ratio and the unpacked limit, while a many-megabyte member at more
# than the ratio is a bomb (deflate tops out near 1030:1).
RATIO_MIN_BYTES = 256 * 1024
RATIO_MIN_MEMBER_BYTES = 4 * 1024 * 1024
# A unit longer than this (after collapsing whitespace), or of more words, is prose, never a stamp: even
# "Số: 05/2024/QĐ-UBND - HỎA TỐC - TUYỆT MẬT (Bản số 03)" is shorter. It bounds the work per unit.
MAX_STAMP_UNIT_CHARS = 160
_MAX_STAMP_WORDS = 20
# Words that may stand in a stamp unit: the marks, the label, urgency marks, "Số"/"Bản số".
_STAMP_WORDS = frozenset(
    {"mật", "tối", "tuyệt", "độ", "mức", "số", "bản", "no", "ref", "hỏa", "hoả", "tốc", "thượng", "khẩn"}
)
_MAX_SPACED_CHARS = 60  # "Đ Ộ  M Ậ T :  T U Y Ệ T  M Ậ T" and other letter-spaced marks are shorter
# The text of one unit kept while parsing (its lines are checked as they complete beyond that): a stamp unit
# is far shorter.
_UNIT_BUFFER_CHARS = 2048
# Objects of a PDF visited when looking for active content; more is refused as malformed (a parser trap).
MAX_PDF_OBJECTS = 250_000
# Decoded page content scanned for a stamp, from the first page on (hundreds of ordinary text pages).
MAX_PDF_CONTENT_BYTES = 2 * 1024 * 1024
# XML of a docx/xlsx scanned for a stamp, smallest parts first (headers, footers, shared strings before the
# body): about ten seconds of parsing. Beyond it, each remaining part is parsed only up to its root element,
# which is as far as a DTD can be.
MAX_OOXML_SCAN_BYTES = 64 * 1024 * 1024
_CHUNK = 64 * 1024


class UploadKind(TextChoices):
    """What a file is, decided from its content."""

    DOCX = "docx", _("Word document (.docx)")
    XLSX = "xlsx", _("Excel workbook (.xlsx)")
    CSV = "csv", _("CSV file (.csv)")
    PDF = "pdf", _("PDF document (.pdf)")
    PNG = "png", _("PNG image (.png)")
    JPEG = "jpeg", _("JPEG image (.jpg)")
    TXT = "txt", _("Text file (.txt)")


@dataclasses.dataclass(frozen=True)
class _Format:
    """How a file of a kind is named and what its content starts with."""

    extensions: tuple[str, ...]  # the first is the one named in messages
    family: str | None  # what _sniff() finds in the content; None for plain text, which has no signature


# Each kind's names and content, in one place; the lookups under "Names and kinds" are built from it.
_FORMATS = {
    UploadKind.DOCX: _Format(("docx",), family="zip"),
    UploadKind.XLSX: _Format(("xlsx",), family="zip"),
    UploadKind.CSV: _Format(("csv",), family=None),
    UploadKind.PDF: _Format(("pdf",), family="pdf"),
    UploadKind.PNG: _Format(("png",), family="png"),
    UploadKind.JPEG: _Format(("jpg", "jpeg"), family="jpeg"),
    UploadKind.TXT: _Format(("txt",), family=None),
}


class UploadRejected(ValidationError):
    """A refused upload. ``code`` is one of :data:`REJECTION_CODES`; ``message`` is translated, user-facing."""

    def __init__(self, message: str, *, code: str, params: dict | None = None) -> None:
        super().__init__(message, code=code, params=params)


REJECTION_CODES = (
    "too_large",
    "empty",
    "bad_type",
    "extension_mismatch",
    "zip_bomb",
    "too_many_members",
    "macro",
    "malformed",
    "xml_entities",
    "state_secret_stamp",
    "not_attested",
)


@dataclasses.dataclass(frozen=True)
class UploadInfo:
    """An accepted upload. ``text_excerpt_checked`` is True when text was extracted and scanned for a secrecy
    stamp (all of it, or the first MAX_PDF_CONTENT_BYTES of PDF pages and MAX_OOXML_SCAN_BYTES of OOXML);
    it is False for images and for files without extractable text (a scanned PDF), where only the uploader's
    attestation stands between the system and a state secret."""

    kind: UploadKind
    size: int
    sha256: str
    name: str
    text_excerpt_checked: bool


# --- Names and kinds ----------------------------------------------------------------------------------------

_EXTENSIONS = {extension: kind for kind, form in _FORMATS.items() for extension in form.extensions}
_DISPLAY_EXTENSION = {kind: "." + form.extensions[0] for kind, form in _FORMATS.items()}
# Office formats that carry VBA or Excel 4 macros by design.
MACRO_EXTENSIONS = frozenset({"docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm", "ppsm", "ppam", "sldm"})
_TEXT_KINDS = frozenset(kind for kind, form in _FORMATS.items() if form.family is None)
_FAMILY = {kind: form.family for kind, form in _FORMATS.items() if form.family is not None}
_KNOWN_FAMILIES = frozenset(_FAMILY.values())


def _reject(message: str, code: str, **params) -> UploadRejected:
    return UploadRejected(message, code=code, params=params or None)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _display_name(file) -> str:
    raw = str(getattr(file, "name", "") or "")
    name = raw.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in unicodedata.normalize("NFC", name) if unicodedata.category(ch)[0] != "C")
    return name.strip()[:255]


def _extension(name: str) -> str:
    stem = name.rstrip(" .")  # Windows drops trailing dots and spaces: "a.docm." is a .docm
    if "." not in stem:
        return ""
    return stem.rsplit(".", 1)[1].lower()


def _allowed_kinds(allowed: Iterable[str]) -> frozenset[UploadKind]:
    if isinstance(allowed, str):
        allowed = (allowed,)
    kinds = set()
    for value in allowed:
        try:
            kinds.add(UploadKind(str(value).lower()))
        except ValueError:
            raise ValueError(f"Unknown upload kind {value!r}; use UploadKind values") from None
    if not kinds:
        raise ValueError("check_upload() needs at least one allowed kind")
    return frozenset(kinds)


# --- Public API -------------------------------------------------------------------------------------------


def check_upload(
    file,
    *,
    allowed: Iterable[str],
    attested_not_secret: bool,
    user,
    request=None,
    max_bytes: int | None = None,
) -> UploadInfo:
    """Check an uploaded file and return what it is, or raise :class:`UploadRejected` (a ValidationError).

    ``file`` is a Django ``File``/``UploadedFile``; it is read through ``chunks()`` and rewound afterwards.
    Its ``content_type`` is ignored and its name only has to agree with the content. ``allowed`` lists the
    accepted :class:`UploadKind` values; ``max_bytes`` overrides the setting UPLOAD_MAX_BYTES.

    Codes, in the order they are checked: ``not_attested`` (the uploader has not confirmed the file is not a
    state secret), ``macro`` (a macro-enabled extension), ``bad_type``, ``too_large``, ``empty``,
    ``extension_mismatch``, then for archives ``too_many_members`` and ``zip_bomb`` (before anything is
    unpacked), ``macro``, ``malformed``, ``xml_entities``, and finally ``state_secret_stamp`` with
    ``params={"stamp": ...}``.

    Limits come from the settings UPLOAD_MAX_BYTES (25 MiB), UPLOAD_MAX_UNPACKED_BYTES (200 MiB; also bounds
    decoded image size and PDF stream decompression), UPLOAD_MAX_MEMBERS (2,000) and UPLOAD_MAX_RATIO (100).

    A refusal is written to the audit log here, once, for every upload path (a form, an import, the API):
    ``user`` is the person uploading (required, so that no caller forgets it; None only where no person
    uploads, e.g. a command) and ``request`` gives the client's address. A missing attestation is a form error,
    not a refused file, and is not audited (issue 17, item 7). The callers do not audit again.
    """
    try:
        return _check_upload(file, allowed=allowed, attested_not_secret=attested_not_secret, max_bytes=max_bytes)
    except UploadRejected as exc:
        if exc.code != "not_attested" and (user is not None or request is not None):
            _audit_refusal(exc, file, user=user, request=request)
        raise


def _audit_refusal(exc: UploadRejected, file, *, user, request) -> None:
    from core.audit import audit
    from core.choices import AuditAction

    detail = {"reason": exc.code, "name": _display_name(file)}
    if exc.code == "state_secret_stamp" and exc.params:
        detail["stamp"] = str(exc.params.get("stamp", ""))
    audit(AuditAction.UPLOAD_REFUSED, user=user, request=request, detail=detail)


def _check_upload(file, *, allowed: Iterable[str], attested_not_secret: bool, max_bytes: int | None) -> UploadInfo:
    kinds = _allowed_kinds(allowed)
    if not attested_not_secret:
        raise _reject(
            gettext("Confirm that the file is not a state secret before uploading it."),
            "not_attested",
        )
    name = _display_name(file)
    extension = _extension(name)
    if extension in MACRO_EXTENSIONS:
        raise _macro()
    declared = _EXTENSIONS.get(extension)
    if declared is None or declared not in kinds:
        raise _reject(
            gettext("Files of this type are not accepted. Accepted types: %(allowed)s."),
            "bad_type",
            allowed=", ".join(sorted({_DISPLAY_EXTENSION[kind] for kind in kinds})),
        )
    limit = max_bytes if max_bytes is not None else _setting("UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)
    try:
        data, digest = _read(file, limit)
    finally:
        with contextlib.suppress(AttributeError, OSError, ValueError):
            file.seek(0)  # the caller reads the file again to store it
    if not data:
        raise _reject(gettext("The file is empty."), "empty")

    family = _sniff(data)
    if family == "ole":
        # Legacy .doc/.xls, and every password-protected Office file, are OLE compound files: macros and
        # encrypted content cannot be inspected.
        raise _reject(
            gettext(
                "Old-format or password-protected Office files are not accepted; "
                "save the file as .docx or .xlsx without a password."
            ),
            "bad_type",
        )
    if family in _KNOWN_FAMILIES and family != _FAMILY.get(declared):
        # The content is positively another accepted format: a .docx renamed .xlsx, a PDF renamed .csv.
        raise _mismatch(extension)
    if declared in _TEXT_KINDS:
        if family is not None:  # an executable, an archive...
            raise _reject(gettext("The file does not contain plain text."), "bad_type")
        checked = _inspect_text(data, declared)
    else:
        if family is None or family == "other":
            raise _not_valid(declared)
        _refuse_markup(data if family != "zip" else data[:1024])
        if family == "zip":
            checked = _inspect_ooxml(data, declared, extension)
        elif family == "pdf":
            checked = _inspect_pdf(data)
        elif family == "png":
            checked = _inspect_png(data)
        else:
            checked = _inspect_jpeg(data)
    return UploadInfo(kind=declared, size=len(data), sha256=digest, name=name, text_excerpt_checked=checked)


def find_secrecy_stamp(text: str) -> str | None:
    """Return the secrecy mark ("MẬT", "TỐI MẬT" or "TUYỆT MẬT") that ``text`` carries as a stamp, or None.

    The text as a whole and each of its lines are text units. A unit is a stamp when, after Unicode NFKC
    normalisation (NFD input is composed; full-width forms folded), removal of invisible format characters,
    case folding, and removal of whitespace, punctuation, symbols and box-drawing characters, what is left is
    exactly one of the three marks, optionally after a "Độ mật:" / "Mức độ mật:" label. Letter-spaced
    ("M Ậ T") and hyphenated ("TỐI-MẬT") forms count.

    A unit that joins the mark with an urgency mark ("HỎA TỐC - MẬT", "MẬT, KHẨN") or with a document or copy
    number ("MẬT - Số 12/BC-UBND", "Số: 12/BC MẬT", "MẬT (Bản số 03)") is also a stamp: that is how the mark
    is printed next to the number on a document, and nothing else is written that way.

    Prose is never a stamp: "mật khẩu", "bí mật nhà nước", "BẢO VỆ BÍ MẬT NHÀ NƯỚC", "Tài liệu không mật",
    "Độ mật" alone (an empty form label). Forms without diacritics ("TOI MAT") are not recognised: they read
    as ordinary words ("tôi mất").
    """
    normalized = _normalize(text)
    found = _unit_stamp(normalized)
    if found:
        return found
    if "\n" in normalized or "\r" in normalized or len(normalized) > MAX_STAMP_UNIT_CHARS:
        for line in normalized.splitlines():
            found = _unit_stamp(line)
            if found:
                return found
    return None


# --- Stamp detection --------------------------------------------------------------------------------------

# Invisible characters that could split a mark without being seen: soft hyphen, zero-width and bidi controls.
_INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180e\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]"
)
_WHITESPACE = re.compile(r"\s+")
_NOT_LETTER = re.compile(r"[\W\d_]+")
_HAS_DIGIT = re.compile(r"\d")
_REPEATED = re.compile(r"(.)\1+")
# Art. 8 of Law 29/2018/QH14: the three secrecy levels; keys are the letters left after normalisation.
_STAMPS = {"mật": "MẬT", "tốimật": "TỐI MẬT", "tuyệtmật": "TUYỆT MẬT"}
_LABEL = re.compile(r"^[\W_]*(?:mức\s*)?độ\s*mật\s*[:：.\-–—]*\s*(?=.*[^\W\d_])")
_REFERENCE_CLEAN = re.compile(r"[^\w/.\-–—:]+")
_STAMP = r"(?P<stamp>tuyệt\s*[-–—]?\s*mật|tối\s*[-–—]?\s*mật|mật)"
# Urgency marks printed next to the secrecy mark (Decree 30/2020/NĐ-CP on clerical work); "hoả" is the
# old-style tone placement of "hỏa".
_URGENT = r"(?:hỏa\s*tốc|hoả\s*tốc|thượng\s*khẩn|khẩn)"
_SEP = r"[\s\-–—:./]*"
# A document or copy number: "Số: 12/BC-UBND", "05/2024/QĐ-UBND", "Bản số 03".
_REF = r"(?:(?:bản\s*số|số|no|ref)\s*[.:]?\s*)?\d+(?:\s*[/.\-]\s*[^\W_][\w.\-]*)*"
# The mark with an urgency mark on either side and a number after it, or the number first.
_STAMP_IN_CONTEXT = (
    re.compile(rf"(?:{_URGENT}{_SEP})?{_STAMP}(?:{_SEP}{_URGENT})?(?:{_SEP}{_REF})?"),
    re.compile(rf"{_REF}{_SEP}(?:{_URGENT}{_SEP})?{_STAMP}(?:{_SEP}{_URGENT})?"),
)


def _normalize(text: str) -> str:
    return _INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).casefold()


def _unit_stamp(unit: str) -> str | None:
    """The stamp of one unit already passed through :func:`_normalize`, or None."""
    if "m" not in unit:
        return None
    words = unit.split()
    if not words or len(words) > _MAX_STAMP_WORDS:
        return None
    # Prose has words a stamp never has; up to two are let through for parts of a number ("12/BC - UBND").
    if sum(1 for word in words if len(word) > 1 and word.isalpha() and word not in _STAMP_WORDS) > 2:
        return None
    unit = " ".join(words)
    if len(unit) > MAX_STAMP_UNIT_CHARS:
        return None
    if "mật" not in unit:
        if len(unit) > _MAX_SPACED_CHARS:
            return None
        letters = _NOT_LETTER.sub("", unit)
        if "mật" not in letters and "mật" not in _REPEATED.sub(r"\1", letters):
            return None
    body = _LABEL.sub("", unit, count=1)
    if not _HAS_DIGIT.search(body):
        found = _stamp_of_letters(_NOT_LETTER.sub("", body))
        if found:
            return found
    cleaned = _WHITESPACE.sub(" ", _REFERENCE_CLEAN.sub(" ", body)).strip(" -–—:./")
    for pattern in _STAMP_IN_CONTEXT:
        match = pattern.fullmatch(cleaned)
        if match:
            return _STAMPS[_NOT_LETTER.sub("", match.group("stamp"))]
    return None


def _stamp_of_letters(letters: str) -> str | None:
    """The mark spelled by ``letters`` alone, also when repeated ("MẬT MẬT") or with every glyph doubled
    ("MMẬẬTT"), which is what text extraction gives for a mark drawn twice to look bold."""
    for candidate in (letters, _REPEATED.sub(r"\1", letters)):
        for key, stamp in _STAMPS.items():
            count, rest = divmod(len(candidate), len(key))
            if count and not rest and candidate == key * count:
                return stamp
    return None


class _StampFound(Exception):
    """Raised from inside a parser to stop at the first stamp."""

    def __init__(self, stamp: str) -> None:
        super().__init__(stamp)
        self.stamp = stamp


# Every character that NFKC normalisation and case folding turn into (or into something containing) "m":
# a unit without any of them cannot carry a mark, which skips most units cheaply.
_MAYBE_M = re.compile(
    "[mM\u1d39\u1d50\u2098\u2120-\u2133\u216f\u217f\u24a8\u24c2\u24dc\u3370-\u33df\uff2d\uff4d"
    "\U0001d400-\U0001d6a5\U0001f110-\U0001f16f]"
)


def _check_unit(text: str) -> None:
    if not _MAYBE_M.search(text):
        return
    found = find_secrecy_stamp(text)
    if found:
        raise _StampFound(found)


def _stamp_rejected(stamp: str) -> UploadRejected:
    return _reject(
        gettext(
            "The file looks like a state-secret document (stamp “%(stamp)s”). "
            "Such files may not be stored in this system."
        ),
        "state_secret_stamp",
        stamp=stamp,
    )


# --- Reading and sniffing ---------------------------------------------------------------------------------


def _read(file, limit: int) -> tuple[bytes, str]:
    """The whole content (at most ``limit`` bytes) and its SHA-256; ``too_large`` as soon as it is exceeded."""
    too_large = _reject(
        gettext("The file is larger than the limit of %(limit)s."), "too_large", limit=filesizeformat(limit)
    )
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > limit:
        raise too_large
    buffer = bytearray()
    digest = hashlib.sha256()
    if hasattr(file, "chunks"):
        chunks: Iterable = file.chunks(_CHUNK)
    else:  # a plain binary file object
        with contextlib.suppress(AttributeError, OSError, ValueError):
            file.seek(0)
        chunks = iter(lambda: file.read(_CHUNK), b"")
    for chunk in chunks:
        if isinstance(chunk, str):
            raise TypeError("check_upload() needs a file opened in binary mode")
        if len(buffer) + len(chunk) > limit:
            raise too_large
        buffer += chunk
        digest.update(chunk)
    return bytes(buffer), digest.hexdigest()


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"PK\x03\x04"):
        return "zip"
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if data.startswith((b"PK\x05\x06", b"PK\x07\x08", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b", b"MZ", b"\x7fELF")):
        return "other"
    return None


def _macro() -> UploadRejected:
    return _reject(
        gettext("Files with macros or other active content are not accepted; save the file without macros."),
        "macro",
    )


def _mismatch(extension: str) -> UploadRejected:
    return _reject(
        gettext("The content of the file does not match its extension “.%(extension)s”."),
        "extension_mismatch",
        extension=extension,
    )


def _not_valid(kind: UploadKind) -> UploadRejected:
    return _reject(gettext("The content of the file is not a valid %(kind)s."), "bad_type", kind=kind.label)


def _malformed(kind: UploadKind) -> UploadRejected:
    return _reject(gettext("The file is damaged or cannot be read as %(kind)s."), "malformed", kind=kind.label)


def _zip_bomb() -> UploadRejected:
    return _reject(
        gettext("The file unpacks to too much data and looks like a compression bomb."),
        "zip_bomb",
    )


def _xml_entities() -> UploadRejected:
    return _reject(
        gettext("The file contains XML document type or entity declarations, which are not accepted."),
        "xml_entities",
    )


# Markup a browser would render: the HTML sniffing patterns of the WHATWG MIME Sniffing standard, plus SVG and
# script tags anywhere in the first bytes. A file that is both a valid upload and a web page is a polyglot.
_MARKUP_START = re.compile(
    rb"\s*<(?:!doctype\s+html|html|head|script|iframe|h1|div|font|table|a|style|title|b|body|br|p|svg|\?xml|!--)"
    rb"[\s>/]",
    re.IGNORECASE,
)
_MARKUP_ANYWHERE = re.compile(rb"<(?:script|html|iframe|svg|object|embed|!doctype\s+html)[\s>/]", re.IGNORECASE)


def _refuse_markup(data: bytes) -> None:
    if _MARKUP_START.match(data.removeprefix(codecs.BOM_UTF8)) or _MARKUP_ANYWHERE.search(data):
        raise _reject(
            gettext("The file contains web page or script markup, which is not accepted."),
            "bad_type",
        )


# --- Text: csv and txt -----------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x19\x1b-\x1f\x7f]")


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1258 (Vietnamese), else Latin-1, which never fails."""
    for encoding in ("utf-8-sig", "cp1258"):
        with contextlib.suppress(UnicodeDecodeError):
            return data.decode(encoding)
    return data.decode("latin-1")


def _inspect_text(data: bytes, kind: UploadKind) -> bool:
    not_text = _reject(gettext("The file does not contain plain text."), "bad_type")
    if b"\x00" in data:  # UTF-16 and every binary format
        raise not_text
    _refuse_markup(data)
    text = _decode(data)
    if len(_CONTROL.findall(text[:1_000_000])) * 100 > min(len(text), 1_000_000):
        raise not_text
    normalized = _normalize(text)
    delimiter = _csv_delimiter(normalized) if kind == UploadKind.CSV else None
    try:
        for line in normalized.splitlines():
            if "m" in line:  # cheap: every mark contains "m"
                _check_line(line, delimiter)
    except _StampFound as found:
        raise _stamp_rejected(found.stamp) from None
    return bool(normalized.strip())


def _csv_delimiter(text: str) -> str:
    head = text[:4096]
    return max((",", ";", "\t"), key=head.count)


def _may_be_stamp(unit: str) -> bool:
    """Cheap test on normalised text: the mark itself, or a short unit that might hold it letter-spaced."""
    return "mật" in unit or len(unit) <= _MAX_SPACED_CHARS


def _check_line(line: str, delimiter: str | None) -> None:
    """A line of a text file is a unit, and so is each cell of a CSV line."""
    if not _may_be_stamp(line):
        return
    found = _unit_stamp(line)
    if found:
        raise _StampFound(found)
    if delimiter is None or delimiter not in line or "mật" not in line:
        return
    try:
        cells = next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error:
        cells = line.split(delimiter)
    for cell in cells:
        found = _unit_stamp(cell) if "m" in cell and _may_be_stamp(cell) else None
        if found:
            raise _StampFound(found)


# --- OOXML: docx and xlsx --------------------------------------------------------------------------------

DOCX_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
# Content types and member names of VBA projects, Word VBA data, Excel 4 macro sheets and ActiveX controls.
_MACRO_CONTENT_TYPES = ("macroenabled", "vbaproject", "vbadata", "macrosheet", "activex")
_MACRO_MEMBERS = frozenset(
    {
        "vbaproject.bin",
        "vbadata.xml",
        "vbaprojectsignature.bin",
        "vbaprojectsignatureagile.bin",
        "vbaprojectsignaturev3.bin",
    }
)
_XML_SUFFIXES = (".xml", ".rels", ".vml")

_W = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "http://purl.oclc.org/ooxml/wordprocessingml/main",
)
_A = ("http://schemas.openxmlformats.org/drawingml/2006/main", "http://purl.oclc.org/ooxml/drawingml/main")
_S = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
_PACKAGE = (
    "http://schemas.openxmlformats.org/package/2006/content-types",
    "http://schemas.openxmlformats.org/package/2006/relationships",
)
_DOCX_ROOTS = frozenset(f"{ns}}}document" for ns in _W)
_XLSX_ROOTS = frozenset(f"{ns}}}workbook" for ns in _S)

# Roles of the elements that carry text; everything else is only parsed (which is what catches DTDs).
UNIT, TEXT, BREAK, SPACE, CELL, VALUE, HEADER_FOOTER, NAMED, RELATIONSHIP, CT_DEFAULT, CT_OVERRIDE = range(11)


def _roles() -> dict[str, int]:
    roles: dict[str, int] = {}
    for ns in _W:
        # Paragraphs everywhere (body, tables, text boxes, headers, footers, notes, comments); a cell and a
        # text box are units too, their paragraphs joined, so a mark split over two paragraphs is found.
        roles.update({f"{ns}}}{tag}": UNIT for tag in ("p", "tc", "txbxContent")})
        roles[f"{ns}}}t"] = TEXT
        roles.update({f"{ns}}}{tag}": BREAK for tag in ("br", "cr")})
        roles.update({f"{ns}}}{tag}": SPACE for tag in ("tab", "ptab")})
    for ns in _A:  # DrawingML shapes, SmartArt, chart titles
        roles.update({f"{ns}}}{tag}": UNIT for tag in ("p", "txBody")})
        roles[f"{ns}}}t"] = TEXT
        roles[f"{ns}}}br"] = BREAK
    for ns in _S:
        # Shared strings, inline strings, comments; a formula's cached text result; sheet names.
        roles.update({f"{ns}}}{tag}": UNIT for tag in ("si", "text")})
        roles[f"{ns}}}t"] = TEXT
        roles[f"{ns}}}c"] = CELL
        roles[f"{ns}}}v"] = VALUE
        roles[f"{ns}}}sheet"] = NAMED
        roles.update(
            {
                f"{ns}}}{tag}": HEADER_FOOTER
                for tag in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")
            }
        )
    return roles


_TEXT_ROLES = _roles()
_PACKAGE_ROLES = {
    f"{_PACKAGE[0]}}}Default": CT_DEFAULT,
    f"{_PACKAGE[0]}}}Override": CT_OVERRIDE,
    f"{_PACKAGE[1]}}}Relationship": RELATIONSHIP,
}
_ALL_ROLES = {**_TEXT_ROLES, **_PACKAGE_ROLES}
_HF_SECTION = re.compile(r"&[LCR]")
_HF_CODE = re.compile(r'&K[0-9A-Fa-f]{6}|&K\d\d[+-]\d{3}|&"[^"]*"|&\d+|&[A-Za-z]')


class _Unit:
    """The text of one unit being parsed: its own text (lines split by breaks) and the text of the units
    nested in it (the paragraphs of a table cell), both bounded so that memory stays flat."""

    __slots__ = ("parts", "size", "skip_line", "long", "children", "children_size")

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.skip_line = False  # the current line is already too long to be a stamp: drop it up to a break
        self.long = False  # lines were checked on the way: the unit as a whole is prose
        self.children: list[str] = []
        self.children_size = 0

    def add(self, text: str) -> None:
        if self.skip_line:
            cut = text.find("\n")
            if cut < 0:
                return
            text = text[cut + 1 :]
            self.skip_line = False
        self.parts.append(text)
        self.size += len(text)
        if self.size > _UNIT_BUFFER_CHARS:
            self._flush()

    def _flush(self) -> None:
        """Check the complete lines gathered so far and keep only the current line, if it is short."""
        *complete, current = "".join(self.parts).split("\n")
        for line in complete:
            _check_unit(line)
        self.long = True
        if len(current) > _UNIT_BUFFER_CHARS:
            self.parts, self.size, self.skip_line = [], 0, True
        else:
            self.parts, self.size = [current], len(current)

    def add_child(self, text: str | None) -> None:
        if text is None or self.children_size > _UNIT_BUFFER_CHARS:
            self.children_size = _UNIT_BUFFER_CHARS + 1
            return
        self.children.append(text)
        self.children_size += len(text) + 1

    def finish(self) -> str | None:
        """Check the unit; return its text with that of its children, or None when it is too long to matter."""
        own = "".join(self.parts)
        if self.long:
            for line in own.split("\n"):
                _check_unit(line)
            return None
        if own:
            _check_unit(own)
        if not self.children:
            return own
        if self.children_size > _UNIT_BUFFER_CHARS:
            return None
        combined = " ".join([own, *self.children]) if own else " ".join(self.children)
        _check_unit(combined)
        return combined


def _attribute(attributes: list[str], name: str) -> str:
    for index in range(0, len(attributes), 2):
        if attributes[index] == name:
            return attributes[index + 1]
    return ""


class _PartReader:
    """Expat handlers for one OOXML part: text units, relationships, content types.

    It builds no tree, so memory stays flat whatever the size of the part.
    """

    def __init__(self, roles: dict[str, int]) -> None:
        self.roles = roles
        self.units: list[_Unit | None] = []
        self.capture: list[bool] = []
        self.root: str | None = None
        self.saw_text = False
        self.active_content = False
        self.defaults: dict[str, str] = {}
        self.overrides: dict[str, str] = {}

    def start(self, tag: str, attributes: list[str]) -> None:
        """Start handler; ``tag`` is "namespace}local", ``attributes`` a flat [name, value, ...] list."""
        if self.root is None:
            self.root = tag
        role = self.roles.get(tag)
        if role is None:
            return
        if role == UNIT or role == HEADER_FOOTER:
            self.units.append(_Unit())
            if role == HEADER_FOOTER:
                self.capture.append(True)
        elif role == CELL:
            # Only text cells are units: inline strings and a formula's cached text ("str"); shared strings
            # are units of sharedStrings.xml, numbers carry no mark.
            kind = _attribute(attributes, "t")
            self.units.append(_Unit() if kind in ("inlineStr", "str") else None)
        elif role == TEXT:
            self.capture.append(True)
        elif role == VALUE:
            self.capture.append(bool(self.units) and self.units[-1] is not None)
        elif role == BREAK or role == SPACE:
            if self.units and self.units[-1] is not None:
                self.units[-1].add("\n" if role == BREAK else " ")
        elif role == NAMED:
            self.check(_attribute(attributes, "name"))
        elif role == RELATIONSHIP:
            relation = _attribute(attributes, "Type").lower()
            external = _attribute(attributes, "TargetMode").lower() == "external"
            # A remote template (attachedTemplate) is how macro documents are smuggled in as plain .docx.
            if "vbaproject" in relation or (external and relation.endswith("/attachedtemplate")):
                self.active_content = True
        elif role == CT_DEFAULT:
            self.defaults[_attribute(attributes, "Extension").lower()] = _attribute(attributes, "ContentType")
        elif role == CT_OVERRIDE:
            self.overrides[_attribute(attributes, "PartName")] = _attribute(attributes, "ContentType")

    def end(self, tag: str) -> None:
        role = self.roles.get(tag)
        if role is None:
            return
        if role == UNIT or role == CELL or role == HEADER_FOOTER:
            unit = self.units.pop()
            if unit is None:
                return
            if role == HEADER_FOOTER:
                self.capture.pop()
                text = self.header_footer(unit)
            else:
                text = unit.finish()
            if unit.long or (text and text.strip()):
                self.saw_text = True
            parent = self.units[-1] if self.units else None
            if parent is not None:
                parent.add_child(text)
        elif role == TEXT or role == VALUE:
            self.capture.pop()

    def data(self, text: str) -> None:
        if not self.capture or not self.capture[-1]:
            return
        unit = self.units[-1] if self.units else None
        if unit is None:  # text outside any unit is a unit of its own
            self.check(text)
        else:
            unit.add(text)

    def check(self, text: str) -> None:
        if text.strip():
            self.saw_text = True
            _check_unit(text)

    def header_footer(self, unit: _Unit) -> str | None:
        """Excel header/footer: "&L…&C…&R…" sections with formatting codes such as &"Arial,Bold" or &12."""
        text = "".join(unit.parts)
        for section in _HF_SECTION.split(text.replace("&&", "\x00")):
            self.check(_HF_CODE.sub("", section).replace("\x00", "&"))
        return None

    def close(self) -> None:
        """Called by the parser at the end of the part."""


class _Budget:
    """Bytes that may still be unpacked from one archive (a hard limit) and scanned for text (a soft one)."""

    def __init__(self, remaining: int) -> None:
        self.remaining = remaining
        self.scan_remaining = MAX_OOXML_SCAN_BYTES

    def take(self, count: int) -> None:
        self.remaining -= count
        self.scan_remaining -= count
        if self.remaining < 0:
            raise _zip_bomb()


def _parse_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, reader: _PartReader, budget: _Budget) -> None:
    """Stream one member through the defused parser, counting what is really unpacked (declared sizes lie)."""
    # forbid_dtd: no OOXML part has a DTD; any DTD is an XXE or entity-expansion attempt.
    parser = DefusedXMLParser(target=reader, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    # defusedxml has installed its DTD, entity and external-reference handlers on the underlying expat parser;
    # the element and text handlers go straight to the reader instead of through ElementTree's tree builder,
    # which halves the time per element and builds no tree.
    expat = parser.parser
    expat.StartElementHandler = reader.start
    expat.EndElementHandler = reader.end
    expat.CharacterDataHandler = reader.data
    unpacked = 0
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            unpacked += len(chunk)
            if unpacked > info.file_size:
                raise _zip_bomb()
            budget.take(len(chunk))
            parser.feed(chunk)
            if budget.scan_remaining < 0 and reader.root is not None:
                return  # past the prolog, where any DTD must be; the rest of the part is not scanned
    parser.close()


def _inspect_ooxml(data: bytes, declared: UploadKind, extension: str) -> bool:
    max_members = _setting("UPLOAD_MAX_MEMBERS", DEFAULT_MAX_MEMBERS)
    max_unpacked = _setting("UPLOAD_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)
    max_ratio = _setting("UPLOAD_MAX_RATIO", DEFAULT_MAX_RATIO)
    too_many = _reject(
        gettext("The file contains too many parts (more than %(limit)s)."), "too_many_members", limit=max_members
    )
    # Count central-directory entries before zipfile builds an object for each of them.
    if data.count(b"PK\x01\x02") > max_members:
        raise too_many
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, struct.error):
        raise _malformed(declared) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > max_members:
            raise too_many
        # Zip bomb checks on the declared sizes, before a single byte is unpacked.
        declared_total = sum(info.file_size for info in infos)
        if declared_total > max_unpacked:
            raise _zip_bomb()
        if declared_total >= RATIO_MIN_BYTES and declared_total > max_ratio * len(data):
            raise _zip_bomb()
        for info in infos:
            if info.file_size >= RATIO_MIN_MEMBER_BYTES and info.file_size > max_ratio * max(info.compress_size, 1):
                raise _zip_bomb()
        _refuse_markup(archive.comment)
        seen: set[str] = set()
        for info in infos:
            key = info.filename.casefold()
            # Two members of one name are read differently by different readers: a hiding place.
            if (
                key in seen
                or info.flag_bits & 0x1
                or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
            ):
                raise _malformed(declared)
            seen.add(key)
            path = PurePosixPath(key)
            if path.name in _MACRO_MEMBERS or "activex" in path.parts or "macrosheets" in path.parts:
                raise _macro()
            if path.suffix.lstrip(".") in MACRO_EXTENSIONS:  # an embedded macro-enabled document
                raise _macro()
        budget = _Budget(max_unpacked)
        kind, main_part = _content_types(archive, declared, budget)
        if kind != declared:
            raise _mismatch(extension)
        return _scan_parts(archive, kind, main_part, budget)


def _run_part(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, reader: _PartReader, budget: _Budget, kind: UploadKind
) -> None:
    try:
        _parse_member(archive, info, reader, budget)
    except DefusedXmlException:
        raise _xml_entities() from None
    except (ParseError, zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, ValueError):
        raise _malformed(kind) from None


def _content_types(archive: zipfile.ZipFile, declared: UploadKind, budget: _Budget) -> tuple[UploadKind, str]:
    """The kind named by the main part's content type in [Content_Types].xml, and that part's name."""
    names = {info.filename.casefold(): info for info in archive.infolist()}
    info = names.get("[content_types].xml")
    if info is None:
        raise _malformed(declared)
    reader = _PartReader(_PACKAGE_ROLES)
    _run_part(archive, info, reader, budget, declared)
    types = [value.lower() for value in (*reader.defaults.values(), *reader.overrides.values())]
    if any(marker in value for value in types for marker in _MACRO_CONTENT_TYPES):
        raise _macro()
    mains = {value.lower(): part for part, value in reader.overrides.items() if value.lower().endswith(".main+xml")}
    found = [kind for kind, main in ((UploadKind.DOCX, DOCX_MAIN), (UploadKind.XLSX, XLSX_MAIN)) if main in mains]
    if len(found) != 1:
        raise _not_valid(declared) if not found else _malformed(declared)
    kind = found[0]
    main_part = mains[DOCX_MAIN if kind == UploadKind.DOCX else XLSX_MAIN].lstrip("/").casefold()
    if main_part not in names:
        raise _malformed(kind)
    return kind, names[main_part].filename


def _scan_parts(archive: zipfile.ZipFile, kind: UploadKind, main_part: str, budget: _Budget) -> bool:
    """Parse every XML part; scan the text of the document's own parts for a secrecy stamp."""
    text_root = "word/" if kind == UploadKind.DOCX else "xl/"
    main_roots = _DOCX_ROOTS if kind == UploadKind.DOCX else _XLSX_ROOTS
    infos = [
        info
        for info in archive.infolist()
        if info.filename.lower().endswith(_XML_SUFFIXES) and info.filename != "[Content_Types].xml"
    ]
    # Relationships first (remote templates), then the smallest parts, so the scanning budget goes to
    # headers, footers and shared strings before a long body.
    infos.sort(key=lambda info: (not info.filename.lower().endswith(".rels"), info.file_size))
    saw_text = False
    main_ok = False
    for info in infos:
        lower = info.filename.lower()
        # Text of the document itself: not document properties, custom XML, or the glossary (building blocks
        # of the template, which are not in the document).
        scan = lower.startswith(text_root) and not lower.startswith("word/glossary/")
        reader = _PartReader(_ALL_ROLES if scan else _PACKAGE_ROLES)
        try:
            _run_part(archive, info, reader, budget, kind)
        except _StampFound as found:
            raise _stamp_rejected(found.stamp) from None
        except UploadRejected as exc:
            # Legacy VML drawings are often not well-formed XML, and Office tolerates it; DTDs still refuse.
            if lower.endswith(".vml") and exc.code == "malformed":
                continue
            raise
        if reader.active_content:
            raise _macro()
        saw_text = saw_text or reader.saw_text
        if info.filename == main_part:
            main_ok = reader.root in main_roots
    if not main_ok:
        raise _malformed(kind)
    return saw_text


# --- PDF ----------------------------------------------------------------------------------------------------

# Names of active content: scripts, launching programs, attached files (which nothing here can inspect) and
# rich media. Refused wherever they appear, as keys or as values (/S /JavaScript).
_PDF_ACTIVE = frozenset({"/JavaScript", "/JS", "/Launch", "/EmbeddedFile", "/EmbeddedFiles", "/EF", "/RichMedia"})
_PDF_NAME = re.compile(rb"/([A-Za-z0-9#]{2,40})")
_PDF_STREAM = re.compile(rb"stream(?:\r\n|\n|\r).*?endstream", re.DOTALL)
_PDF_HEX = re.compile(rb"#([0-9A-Fa-f]{2})")


def _pdf_active_raw(data: bytes) -> bool:
    """Names outside streams, with #xx escapes decoded ("/J#61vaScript")."""
    for match in _PDF_NAME.finditer(_PDF_STREAM.sub(b" ", data)):
        raw = match.group(1)
        if b"#" in raw:
            raw = _PDF_HEX.sub(lambda hexa: bytes([int(hexa.group(1), 16)]), raw)
        if "/" + raw.decode("latin-1") in _PDF_ACTIVE:
            return True
    return False


def _pdf_active_objects(reader) -> bool:
    """Every object reachable from the trailer, including those inside compressed object streams."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    stack = [reader.trailer]
    seen: set[tuple[int, int]] = set()
    visited = 0
    while stack:
        obj = stack.pop()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise _malformed(UploadKind.PDF)
        if isinstance(obj, IndirectObject):
            key = (obj.idnum, obj.generation)
            if key in seen:
                continue
            seen.add(key)
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            for key, value in dict.items(obj):
                if key in _PDF_ACTIVE:
                    return True
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, NameObject) and obj in _PDF_ACTIVE:
            return True
    return False


def _pdf_configuration(max_unpacked: int):
    """pypdf limits for this read: no external JBIG2 decoder (nothing is executed), and decompression capped
    by the unpacked limit. pypdf versions without run-time configuration keep their own default limits."""
    try:
        from pypdf import Configuration, apply_configuration
    except ImportError:
        return contextlib.nullcontext()
    cap = max(min(max_unpacked, 75_000_000), 1)
    wanted = {
        "jbig2dec_binary": None,
        "zlib_maximum_output_length": cap,
        "lzw_maximum_output_length": cap,
        "run_length_maximum_output_length": cap,
        "brotli_maximum_output_length": cap,
        "jbig2_maximum_output_length": cap,
        "array_based_stream_maximum_output_length": cap,
        "maximum_declared_stream_length": cap,
    }
    known = {field.name for field in dataclasses.fields(Configuration)}
    return apply_configuration(**{name: value for name, value in wanted.items() if name in known})


def _inspect_pdf(data: bytes) -> bool:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PyPdfError

    if b"%%EOF" not in data[-4096:]:  # truncated
        raise _malformed(UploadKind.PDF)
    if _pdf_active_raw(data):
        raise _pdf_active()
    saw_text = False

    def check(text: str) -> None:
        nonlocal saw_text
        if text and text.strip():
            saw_text = True
            _check_unit(text)

    try:
        with _pdf_configuration(_setting("UPLOAD_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES)):
            reader = PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                _decrypt_pdf(reader)
            if _pdf_active_objects(reader):
                raise _pdf_active()
            budget = MAX_PDF_CONTENT_BYTES
            for page in reader.pages:
                # Text extraction costs seconds per megabyte of page content: the pages are scanned from the
                # first one (where the mark is stamped) up to a budget, so that a small file cannot hold the
                # server for minutes.
                contents = page.get_contents()
                budget -= len(contents.get_data()) if contents is not None else 0
                if budget < 0:
                    break
                # Each text-showing operation is a unit (a stamp is usually drawn on its own), and so is each
                # extracted line.
                text = page.extract_text(visitor_text=lambda text, *_args: check(text))
                for line in text.splitlines():
                    check(line)
                for annotation in _resolve(page.get("/Annots")) or ():
                    contents = _resolve(_resolve(annotation).get("/Contents"))
                    if contents:
                        check(str(contents))
    except _StampFound as found:
        raise _stamp_rejected(found.stamp) from None
    except LimitReachedError:
        raise _zip_bomb() from None
    except UploadRejected:
        raise
    except (PyPdfError, ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError, zlib.error,
            struct.error, UnicodeError, OSError):  # fmt: skip
        # Any parser failure means the file cannot be read, and what cannot be read cannot be checked.
        raise _malformed(UploadKind.PDF) from None
    return saw_text


def _resolve(obj):
    return obj.get_object() if hasattr(obj, "get_object") else obj


def _decrypt_pdf(reader) -> None:
    """Open PDFs protected only by an owner password (permissions); refuse those that need a password."""
    from pypdf import PasswordType
    from pypdf.errors import DependencyError

    encrypted = _reject(
        gettext("Password-protected PDF files are not accepted; upload the file without a password."),
        "malformed",
    )
    try:
        if reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise encrypted
    except (DependencyError, NotImplementedError):  # AES needs the "cryptography" package
        raise encrypted from None


def _pdf_active() -> UploadRejected:
    return _reject(
        gettext("PDF files with scripts, launch actions or attached files are not accepted."),
        "macro",
    )


# --- Images -------------------------------------------------------------------------------------------------


def _pixels_rejected() -> UploadRejected:
    return _reject(gettext("The image is too large when decoded."), "zip_bomb")


def _inspect_png(data: bytes) -> bool:
    """Walk the chunks (lengths, CRCs, IHDR first, IEND last) and bound the decoded size by IHDR."""
    malformed = _malformed(UploadKind.PNG)
    position = 8
    first = True
    while True:
        if position + 12 > len(data):
            raise malformed
        length, chunk_type = struct.unpack(">I4s", data[position : position + 8])
        end = position + 12 + length
        if end > len(data):
            raise malformed
        body = data[position + 8 : end - 4]
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(chunk_type + body) != crc:
            raise malformed
        if first:
            if chunk_type != b"IHDR" or length != 13:
                raise malformed
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}.get(colour)
            if not width or not height or channels is None or depth not in (1, 2, 4, 8, 16):
                raise malformed
            decoded = width * height * channels * max(depth, 8) // 8
            if decoded > _setting("UPLOAD_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES):
                raise _pixels_rejected()
            first = False
        position = end
        if chunk_type == b"IEND":
            return False


_JPEG_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def _inspect_jpeg(data: bytes) -> bool:
    """Walk the marker segments up to the scan; the frame header bounds the decoded size."""
    malformed = _malformed(UploadKind.JPEG)
    position = 2
    frame = None
    while True:
        if position + 4 > len(data) or data[position] != 0xFF:
            raise malformed
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):
            position += 2
            continue
        (length,) = struct.unpack(">H", data[position + 2 : position + 4])
        if length < 2 or position + 2 + length > len(data):
            raise malformed
        if marker in _JPEG_SOF:
            if length < 8:
                raise malformed
            height, width, components = struct.unpack(">HHB", data[position + 5 : position + 10])
            frame = (width, height, components)
        if marker == 0xDA:  # start of scan: entropy-coded data follows
            break
        position += 2 + length
    if frame is None or not frame[0] or not frame[2] or data.rfind(b"\xff\xd9") < position:
        raise malformed
    width, height, components = frame
    # Height 0 means "defined later by DNL"; count it as a square image for the bound.
    if width * (height or width) * components > _setting("UPLOAD_MAX_UNPACKED_BYTES", DEFAULT_MAX_UNPACKED_BYTES):
        raise _pixels_rejected()
    return False
