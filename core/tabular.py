"""Reading and writing spreadsheets: one place for xlsx and csv, import and export.

Exports neutralise formula injection (a cell starting with = + - @ is prefixed with an
apostrophe) so that a name typed by a user never runs as a formula in a colleague's Excel; reading takes
that apostrophe off again, so that an export imports back unchanged. :func:`write_template` writes the blank
workbook a registry's import page offers (issue 18, item 6).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from core.text import clean_text

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
MAX_ROWS = 100_000


def safe_cell(value):
    """A value fit for a spreadsheet cell: text that could run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | Decimal):
        return value
    if isinstance(value, dt.datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, dt.date):
        return value
    text = str(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


# How a typed cell shows: a date as Vietnamese documents write it, a number with its thousands grouped (the
# separators are the reader's Excel's: dots in a Vietnamese one, 1.234.567).
DATE_FORMAT = "dd/mm/yyyy"
WHOLE_FORMAT = "#,##0"
FRACTION_FORMAT = "#,##0.0#########"


def _xlsx_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=safe_cell(value))
    if isinstance(cell.value, dt.datetime):
        cell.number_format = f"{DATE_FORMAT} hh:mm"
    elif isinstance(cell.value, dt.date):
        cell.number_format = DATE_FORMAT
    elif isinstance(cell.value, int | float | Decimal) and not isinstance(cell.value, bool):
        value = cell.value
        whole = value == value.to_integral_value() if isinstance(value, Decimal) else float(value).is_integer()
        cell.number_format = WHOLE_FORMAT if whole else FRACTION_FORMAT
    return cell


def write_xlsx(headers: Sequence[str], rows: Iterable[Sequence], title: str = "Data") -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31] or "Data")
    sheet.append([str(header) for header in headers])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv_text(value):
    value = safe_cell(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value


def write_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(header) for header in headers])
    for row in rows:
        writer.writerow(["" if value is None else _csv_text(value) for value in row])
    # The BOM lets Excel open Vietnamese text as UTF-8.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@dataclass
class TemplateColumn:
    """A column of an import template: its header (the screen's label), whether a new record needs it, what to
    write in it (the header's comment and a line of the guide), and the values it allows, if it is a list."""

    header: str
    required: bool
    note: str
    options: list[str] | None = None
    # A column that takes one value from ``options`` gets a drop-down list; a many-valued one only lists them.
    drop_down: bool = True
    # Cells kept as text: a date typed 01/06/2013 stays as written, whatever the reader's Excel takes for a date.
    text: bool = False


# Rows of the data sheet that offer the drop-down lists.
TEMPLATE_ROWS = 5000
_SHEET_TITLE = 31  # Excel's longest sheet name
_PROMPT = 255  # Excel's longest data-validation message
_REQUIRED_FONT = Font(bold=True, color="9C0006")
_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def write_template(columns: Sequence[TemplateColumn], *, guide: Sequence[str]) -> bytes:
    """A blank import workbook: the data sheet first (the one :func:`read_table` reads) with the headers alone,
    each with its note as a comment; a sheet of the values each list column allows, which the drop-down lists
    of the data sheet read; and a guide sheet (``guide``: lines of text, then a table of the columns). No
    example row: whatever stands below the headers is imported as data."""
    book = Workbook()
    data = book.active
    data.title = _("Data")[:_SHEET_TITLE]
    values = book.create_sheet(_("Allowed values")[:_SHEET_TITLE])
    notes = book.create_sheet(_("Guide")[:_SHEET_TITLE])
    listed = 0
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = data.cell(row=1, column=index, value=column.header)
        cell.font = _REQUIRED_FONT if column.required else Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        comment = Comment(column.note, _("Import template"))
        comment.width, comment.height = 320, 160
        cell.comment = comment
        data.column_dimensions[letter].width = min(max(len(column.header) + 4, 14), 40)
        if column.text:
            data.column_dimensions[letter].number_format = "@"
        if not column.options:
            continue
        listed += 1
        list_letter = get_column_letter(listed)
        values.cell(row=1, column=listed, value=column.header).font = Font(bold=True)
        for row, option in enumerate(column.options, start=2):
            values.cell(row=row, column=listed, value=option)
        values.column_dimensions[list_letter].width = 40
        if not column.drop_down:
            continue
        source = f"{quote_sheetname(values.title)}!${list_letter}$2:${list_letter}${len(column.options) + 1}"
        # A warning, not a stop: the importer also reads a value written without diacritics or by its code.
        validation = DataValidation(
            type="list",
            formula1=source,
            allow_blank=True,
            showErrorMessage=True,
            errorStyle="warning",
            errorTitle=_("Not in the list")[:_SHEET_TITLE],
            error=_("This value is not in the list. Check it: a value written without diacritics is accepted.")[
                :_PROMPT
            ],
            showInputMessage=True,
            promptTitle=column.header[:_SHEET_TITLE],
            prompt=column.note[:_PROMPT],
        )
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
        data.add_data_validation(validation)
    data.freeze_panes = "A2"
    values.freeze_panes = "A2"
    for line in guide:
        notes.append([line])
    notes.append([])
    header_row = notes.max_row + 1
    notes.append([_("Column"), _("Required for a new record"), _("What to write")])
    for cell in notes[header_row]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
    for column in columns:
        notes.append([column.header, capfirst(_("yes") if column.required else _("no")), column.note])
    for row in notes.iter_rows(min_row=header_row):
        row[2].alignment = Alignment(wrap_text=True, vertical="top")
    notes.column_dimensions["A"].width = 32
    notes.column_dimensions["B"].width = 16
    notes.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def unquote(text: str) -> str:
    """``text`` without the apostrophe :func:`safe_cell` put before a value that starts like a formula, so that the
    product's own export imports back unchanged ("'-Sê Koong" reads "-Sê Koong"). An apostrophe before anything
    else is the writer's own and stays."""
    if text[:1] == "'" and text[1:2] and text[1:2] in _FORMULA_START:
        return text[1:]
    return text


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return unquote(clean_text(str(value)))


def same_value(text: str, value) -> bool:
    """Whether the cell ``text``, as :func:`read_table` gives it, reads what an export wrote for ``value`` (in xlsx
    or csv): the importer keeps a record's stored value for a cell its own export wrote unchanged."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        try:
            return Decimal(text) == Decimal(str(value))
        except ArithmeticError:
            return False
    written = safe_cell(value)
    if isinstance(written, dt.datetime):
        return text in {_cell_text(written), written.strftime("%d/%m/%Y %H:%M")}
    return text == _cell_text(written)


def read_table(content: bytes, kind: str) -> tuple[list[str], list[list[str]]]:
    """Headers and rows (as text) of the first sheet of an xlsx, or of a csv.

    Raises ValidationError with a readable message for a broken file.
    """
    if kind == "xlsx":
        try:
            workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = workbook.worksheets[0]
            raw = sheet.iter_rows(values_only=True)
            table = []
            for index, row in enumerate(raw):
                if index > MAX_ROWS:
                    raise ValidationError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
                table.append([_cell_text(value) for value in row])
            workbook.close()
        except ValidationError:
            raise
        except Exception as exc:  # noqa: BLE001 - any parser failure is a broken file to the user
            raise ValidationError(_("The Excel file cannot be read: %(error)s") % {"error": str(exc)[:200]}) from exc
    else:
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("The CSV file must be encoded in UTF-8.")) from exc
        try:
            delimiter = csv.Sniffer().sniff(text[:4096], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
        # Only the delimiter is guessed: the sniffer takes the apostrophes of quoted formulas ("'-Sê Koong,'=1+1")
        # for quote marks, where Excel and the exports quote with double quotes.
        rows = csv.reader(io.StringIO(text), delimiter=delimiter)
        table = [[unquote(clean_text(value)) for value in row] for row in rows]
        if len(table) > MAX_ROWS + 1:
            raise ValidationError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
    table = [row for row in table if any(cell for cell in row)]
    if not table:
        raise ValidationError(_("The file is empty."))
    headers = [cell.strip() for cell in table[0]]
    width = len(headers)
    rows = [(row + [""] * width)[:width] for row in table[1:]]
    return headers, rows
