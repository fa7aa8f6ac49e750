"""Every table people download, as CSV or XLSX (openpyxl).

Names, job titles and statements are typed by people: text that starts like a formula (=, +, -, @)
would run as one when a spreadsheet opens the file (CSV or formula injection). In CSV such text
gets a leading apostrophe; in XLSX it is stored as text, which a spreadsheet never runs.

Every XLSX cell is written by xlsx_cell, whichever table it belongs to: the XML inside an XLSX file
cannot hold most control characters (a name typed as "Bob\x01Smith" once failed the whole download),
so they are left out there, and text past Excel's 32,767 characters a cell is cut with a mark saying
so. CSV keeps the text as it is.
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from lib.money import pounds
from lib.text import UNREADABLE

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = '"£"#,##0.00'  # the cell holds pounds (25.5) and shows £25.50
PERCENT_FORMAT = "0.0%"  # the cell holds the fraction (0.5657) and shows 56.6%


def _cell(value):
    return "" if value is None else value


def _money(key: str) -> bool:
    return key.endswith("_pence")  # money is kept in whole pence, and written as pounds and pence


def _rate(key: str) -> bool:
    return key.endswith("_rate")  # a fraction, 0.5657, shown as a percentage


def _csv_cell(value):
    value = _cell(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


EXCEL_CELL_MAX = 32_767  # characters Excel shows in one cell
CUT_MARK = " [cut: longer than a spreadsheet cell holds]"


def xlsx_cell(sheet, row: int, column: int, value):
    """Write one value to an XLSX cell: text without what XLSX cannot hold, always as text (never a
    formula), within Excel's length for a cell; numbers and dates as themselves."""
    value = _cell(value)
    if isinstance(value, str):
        value = UNREADABLE.sub("", ILLEGAL_CHARACTERS_RE.sub("", value))
        if len(value) > EXCEL_CELL_MAX:
            value = value[:EXCEL_CELL_MAX - len(CUT_MARK)] + CUT_MARK
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text, even when it starts with "=": never a formula
    return cell


def as_csv(table: dict) -> HttpResponse:
    """`table`: {"name": file name without extension, "columns": [(key, heading)], "rows": [dict]}."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table["name"]}.csv"'
    writer = csv.writer(response)
    writer.writerow([label for _, label in table["columns"]])
    for row in table["rows"]:
        writer.writerow([pounds(row.get(key) or 0) if _money(key) else _csv_cell(row.get(key))
                         for key, _ in table["columns"]])
    return response


def as_xlsx(table: dict) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = table["name"][:31]
    for column, (_, label) in enumerate(table["columns"], start=1):
        xlsx_cell(sheet, 1, column, label).font = Font(bold=True)
    for number, row in enumerate(table["rows"], start=2):
        for column, (key, _) in enumerate(table["columns"], start=1):
            if _money(key):
                xlsx_cell(sheet, number, column, (row.get(key) or 0) / 100).number_format = MONEY_FORMAT
            elif _rate(key) and isinstance(row.get(key), int | float):
                xlsx_cell(sheet, number, column, row.get(key)).number_format = PERCENT_FORMAT
            else:
                xlsx_cell(sheet, number, column, row.get(key))
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{table["name"]}.xlsx"'
    return response


DOWNLOADS = {"csv": as_csv, "xlsx": as_xlsx}  # what `?export=` may ask for, on every page with a download
