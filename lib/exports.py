"""Every table people download, as CSV or XLSX (openpyxl).

Names, job titles and statements are typed by people: text that starts like a formula (=, +, -, @)
would run as one when a spreadsheet opens the file (CSV or formula injection). In CSV such text
gets a leading apostrophe; in XLSX it is stored as text, which a spreadsheet never runs.
"""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    return "" if value is None else value


def _csv_cell(value):
    value = _cell(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_csv(table: dict) -> HttpResponse:
    """`table`: {"name": file name without extension, "columns": [(key, heading)], "rows": [dict]}."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table["name"]}.csv"'
    writer = csv.writer(response)
    writer.writerow([label for _, label in table["columns"]])
    for row in table["rows"]:
        writer.writerow([_csv_cell(row.get(key)) for key, _ in table["columns"]])
    return response


def as_xlsx(table: dict) -> HttpResponse:
    book = Workbook()
    sheet = book.active
    sheet.title = table["name"][:31]
    sheet.append([label for _, label in table["columns"]])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table["rows"]:
        sheet.append([_cell(row.get(key)) for key, _ in table["columns"]])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it starts with "=": never a formula
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{table["name"]}.xlsx"'
    return response


DOWNLOADS = {"csv": as_csv, "xlsx": as_xlsx}  # what `?export=` may ask for, on every page with a download
