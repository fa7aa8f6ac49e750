from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from lib import exports
from lib.errors import DomainError
from lib.money import pounds
from lib.params import whole_number
from people.models import Agency
from people.permissions import may, require
from reports import selectors
from reports.api import filters_from

ATTENDANCE_COLUMNS = [("label", "Group"), ("booked", "Booked"), ("attended", "Attended"), ("partial", "Partial"),
                      ("no_show", "No-show"), ("late_cancelled", "Late cancelled"), ("cancelled", "Cancelled"),
                      ("attendance_rate", "Attendance rate")]


NO_PLACES = "no places"  # a rate with nothing to divide by: not 0%, and not a bare dash


def _bars(rows: list[dict], key: str, *, as_percent: bool = False) -> list[dict]:
    top = max([r.get(key) or 0 for r in rows] + [1e-9])
    return [{"label": r["label"], "value": r.get(key) or 0,
             "shown": _shown(key, r.get(key)) if as_percent else f"{r.get(key) or 0:g}",
             "pct": round(100 * (1 if as_percent else 1 / top) * (r.get(key) or 0))} for r in rows]


def _shown(key: str, value) -> str:
    """A figure as the page shows it: rates as percentages ("no places" with none to count), money
    (kept in pence) as pounds and pence (£25.00)."""
    if key.endswith("_rate"):
        return NO_PLACES if value is None else f"{value * 100:.0f}%"
    if key.endswith("_pence"):
        return pounds(value or 0)
    return "–" if value is None else f"{value:g}" if isinstance(value, float) else str(value)


def _with_cells(table: dict) -> dict:
    """Each row's cells as shown on the page, in the columns' order."""
    for row in table["rows"]:
        row["cells"] = [_shown(key, row.get(key)) if key != "label" else row["label"] for key, _ in table["columns"]]
    return table


def _attendance_table(filters, by: str) -> dict:
    rows = selectors.with_empty_periods(selectors.attendance(filters, by=by), by=by)
    return {"name": f"attendance-by-{by}", "title": f"Attendance by {by.replace('_', ' ')}",
            "columns": ATTENDANCE_COLUMNS, "rows": rows,
            "chart": _bars(rows, "attendance_rate", as_percent=True), "chart_title": "Attendance rate"}


def _no_show_table(filters, by: str) -> dict:
    rows = selectors.attendance(filters, by="agency")
    return {"name": "no-shows-by-agency", "title": "No-shows by agency", "columns": ATTENDANCE_COLUMNS,
            "rows": rows, "chart": _bars(rows, "no_show"), "chart_title": "No-shows"}


def _fill_table(filters, by: str) -> dict:
    rows = selectors.fill_and_demand(filters)
    return {"name": "fill-rate-by-course", "title": "Fill rate and unmet demand by course",
            "columns": [("label", "Course"), ("sessions", "Sessions"), ("places", "Places"), ("taken", "Taken"),
                        ("fill_rate", "Fill rate"), ("unmet_demand", "Left waiting")],
            "rows": rows, "chart": _bars(rows, "fill_rate", as_percent=True), "chart_title": "Fill rate",
            "note": "Places are the partnership's; places taken and people left waiting are this agency's staff's, "
                    "so the fill rate is the share of places they took." if filters.agency else ""}


def _contribution_table(filters, by: str) -> dict:
    rows = selectors.trainer_contributions(filters)
    return {"name": "trainer-contributions", "title": "Trainer pool contributions against places used",
            "columns": [("label", "Agency"), ("sessions_delivered", "Sessions delivered"),
                        ("hours_delivered", "Trainer hours"), ("places_used", "Places its staff used")],
            "rows": rows, "chart": _bars(rows, "hours_delivered"), "chart_title": "Trainer hours delivered"}


def _charge_table(filters, by: str) -> dict:
    rows = selectors.charges_by_agency(filters)
    return {"name": "charges-by-agency", "title": "Charges by agency",
            "columns": [("label", "Agency"), ("raised", "Raised"), ("raised_pence", "Amount raised"),
                        ("waived", "Waived"), ("paid", "Paid"), ("paid_pence", "Amount paid")],
            "rows": rows, "chart": _bars(rows, "raised"), "chart_title": "Charges raised"}


def _builders(person, by: str) -> dict:
    """The tables this person may see, by export name, built only when asked for."""
    builders = {}
    if may(person, "view_reports"):
        builders |= {f"attendance-by-{by}": _attendance_table, "no-shows-by-agency": _no_show_table,
                     "fill-rate-by-course": _fill_table, "trainer-contributions": _contribution_table}
    if may(person, "view_charge_reports"):
        builders["charges-by-agency"] = _charge_table
    return builders


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
    builders = _builders(request.user, by)
    export = request.GET.get("export")
    if export in exports.DOWNLOADS:
        builder = builders.get(request.GET.get("table", ""))
        if builder is None:
            raise Http404("No such table.")
        table = builder(filters, by)
        return exports.DOWNLOADS[export](table)
    tables = [_with_cells(build(filters, by)) for build in builders.values()]
    query = request.GET.copy()
    for name in ("export", "table"):
        query.pop(name, None)
    any_agency = may(request.user, "report_on_any_agency")
    agencies = list(Agency.objects.order_by("name").values_list("code", "name")) if any_agency else []
    return render(request, "reports/dashboard.html", {
        "tables": tables, "by": by, "groupings": selectors.GROUPING_LABELS.items(), "error": error,
        "params": request.GET, "query": query.urlencode(), "manager_only": not may(request.user, "manage_catalogue"),
        "own_agency_only": not any_agency, "agency": filters.agency, "agencies": agencies,
        "agency_name": dict(agencies).get(filters.agency, ""),
    })


@login_required
def annual(request):
    """The year's training figures in the annual report's own sentences (April to March).

    Opens on the latest year with figures; a year without any says so in one sentence.
    """
    require(request.user, "manage_catalogue")
    latest = selectors.latest_reporting_year_with_figures()
    year = (whole_number(request.GET.get("year"), low=2000, high=2999) or latest
            or selectors.reporting_year_of(timezone.localdate()))
    halves = [(date(year, 4, 1), date(year, 9, 30)), (date(year, 10, 1), date(year + 1, 3, 31))]
    figures = [selectors.totals(selectors.Filters(start=a, end=b)) for a, b in halves]
    whole = selectors.totals(selectors.Filters(start=halves[0][0], end=halves[1][1]))
    return render(request, "reports/annual.html", {"year": year, "first": figures[0], "second": figures[1],
                                                   "whole": whole, "latest": latest})
