"""Reading and writing spreadsheets: one place for xlsx and csv, import and export.

Exports neutralise formula injection (a cell starting with = + - @ is prefixed with an
apostrophe) so that a name typed by a user never runs as a formula in a colleague's Excel.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell

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
    return clean_text(str(value))


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
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
        except csv.Error:
            dialect = csv.excel
        table = [[clean_text(value) for value in row] for row in csv.reader(io.StringIO(text), dialect)]
        if len(table) > MAX_ROWS + 1:
            raise ValidationError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
    table = [row for row in table if any(cell for cell in row)]
    if not table:
        raise ValidationError(_("The file is empty."))
    headers = [cell.strip() for cell in table[0]]
    width = len(headers)
    rows = [(row + [""] * width)[:width] for row in table[1:]]
    return headers, rows
