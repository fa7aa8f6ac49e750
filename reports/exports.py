"""Every report table as CSV or XLSX (openpyxl)."""

import csv
import io

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.styles import Font


def _cell(value):
    return "" if value is None else value


def as_csv(table: dict) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{table["name"]}.csv"'
    writer = csv.writer(response)
    writer.writerow([label for _, label in table["columns"]])
    for row in table["rows"]:
        writer.writerow([_cell(row.get(key)) for key, _ in table["columns"]])
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
    buffer = io.BytesIO()
    book.save(buffer)
    response = HttpResponse(buffer.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{table["name"]}.xlsx"'
    return response
