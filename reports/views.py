from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render

from lib.errors import DomainError
from people.permissions import may
from reports import exports, selectors
from reports.api import filters_from

ATTENDANCE_COLUMNS = [("label", "Group"), ("booked", "Booked"), ("attended", "Attended"), ("partial", "Partial"),
                      ("no_show", "No-show"), ("late_cancelled", "Late cancelled"), ("cancelled", "Cancelled"),
                      ("attendance_rate", "Attendance rate")]


def _bars(rows: list[dict], key: str, *, as_percent: bool = False) -> list[dict]:
    top = max([r.get(key) or 0 for r in rows] + [1e-9])
    return [{"label": r["label"], "value": r.get(key) or 0,
             "shown": f"{(r.get(key) or 0) * 100:.0f}%" if as_percent else f"{r.get(key) or 0:g}",
             "pct": round(100 * (1 if as_percent else 1 / top) * (r.get(key) or 0))} for r in rows]


def _tables(person, filters, by: str) -> list[dict]:
    tables = []
    if may(person, "view_reports"):
        rows = selectors.attendance(filters, by=by)
        tables.append({"name": f"attendance-by-{by}", "title": f"Attendance by {by.replace('_', ' ')}",
                       "columns": ATTENDANCE_COLUMNS, "rows": rows,
                       "chart": _bars(rows, "attendance_rate", as_percent=True), "chart_title": "Attendance rate"})
        by_agency = selectors.attendance(filters, by="agency") if by != "agency" else rows
        tables.append({"name": "no-shows-by-agency", "title": "No-shows by agency", "columns": ATTENDANCE_COLUMNS,
                       "rows": by_agency, "chart": _bars(by_agency, "no_show"), "chart_title": "No-shows"})
        fill = selectors.fill_and_demand(filters)
        tables.append({"name": "fill-rate-by-course", "title": "Fill rate and unmet demand by course",
                       "columns": [("label", "Course"), ("sessions", "Sessions"), ("places", "Places"),
                                   ("taken", "Taken"), ("fill_rate", "Fill rate"), ("unmet_demand", "Left waiting")],
                       "rows": fill, "chart": _bars(fill, "fill_rate", as_percent=True), "chart_title": "Fill rate"})
        contributions = selectors.trainer_contributions(filters)
        tables.append({"name": "trainer-contributions", "title": "Trainer pool contributions against places used",
                       "columns": [("label", "Agency"), ("sessions_delivered", "Sessions delivered"),
                                   ("hours_delivered", "Trainer hours"), ("places_used", "Places its staff used")],
                       "rows": contributions, "chart": _bars(contributions, "hours_delivered"),
                       "chart_title": "Trainer hours delivered"})
    if may(person, "view_charge_reports"):
        charges = selectors.charges_by_agency(filters)
        for row in charges:
            row["raised_pounds"] = row["raised_pence"] / 100
            row["paid_pounds"] = row["paid_pence"] / 100
        tables.append({"name": "charges-by-agency", "title": "Charges by agency",
                       "columns": [("label", "Agency"), ("raised", "Raised"), ("raised_pounds", "Raised (£)"),
                                   ("waived", "Waived"), ("paid", "Paid"), ("paid_pounds", "Paid (£)")],
                       "rows": charges, "chart": _bars(charges, "raised"), "chart_title": "Charges raised"})
    return tables


@login_required
def dashboard(request):
    if not (may(request.user, "view_reports") or may(request.user, "view_charge_reports")):
        raise PermissionDenied
    by = request.GET.get("by", "month")
    if by not in selectors.GROUPINGS:
        by = "month"
    error = None
    try:
        filters = filters_from(request.GET, request.user)
    except DomainError as exc:
        error, filters = exc.message, filters_from({}, request.user)
    tables = _tables(request.user, filters, by)
    export = request.GET.get("export")
    if export in ("csv", "xlsx"):
        table = next((t for t in tables if t["name"] == request.GET.get("table")), None)
        if table is None:
            raise Http404("No such table.")
        return exports.as_csv(table) if export == "csv" else exports.as_xlsx(table)
    query = request.GET.copy()
    for name in ("export", "table"):
        query.pop(name, None)
    return render(request, "reports/dashboard.html", {
        "tables": tables, "by": by, "groupings": list(selectors.GROUPINGS), "error": error,
        "params": request.GET, "query": query.urlencode(), "manager_only": not may(request.user, "manage_catalogue"),
    })


@login_required
def annual(request):
    """The year's training figures in the annual report's own sentences (April to March)."""
    if not may(request.user, "manage_catalogue"):
        raise PermissionDenied
    try:
        year = int(request.GET.get("year", date.today().year - 1))
    except ValueError:
        year = date.today().year - 1
    halves = [(date(year, 4, 1), date(year, 9, 30)), (date(year, 10, 1), date(year + 1, 3, 31))]
    figures = [selectors.totals(selectors.Filters(start=a, end=b)) for a, b in halves]
    whole = selectors.totals(selectors.Filters(start=halves[0][0], end=halves[1][1]))
    return render(request, "reports/annual.html", {"year": year, "first": figures[0], "second": figures[1],
                                                   "whole": whole})
