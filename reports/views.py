from dataclasses import replace
from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from lib import exports
from lib.errors import DomainError
from lib.money import pounds
from lib.params import period, whole_number
from people.models import Agency, Partnership
from people.partnerships import default_partnership, is_network
from people.permissions import may, require
from reports import selectors
from reports.api import filters_from, partnership_filters, reported_partnerships

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
    agencies = list(Agency.objects.filter(selectors.agencies_of(filters)).order_by("name")
                    .values_list("code", "name")) if any_agency else []
    return render(request, "reports/dashboard.html", {
        "tables": tables, "by": by, "groupings": selectors.GROUPING_LABELS.items(), "error": error,
        "params": request.GET, "query": query.urlencode(), "links": _other_reports(request.user),
        "own_agency_only": not any_agency, "agency": filters.agency, "agencies": agencies,
        "agency_name": dict(agencies).get(filters.agency, ""), **partnership_choices(filters),
    })


def _other_reports(person) -> list[tuple[str, str]]:
    """The other report pages this person may open, for the line of links under the filters (the labels are
    written here, never typed by anyone: the page shows them as they are)."""
    links = []
    if may(person, "view_annual_report"):
        links.append((reverse("annual_report"), "The year in the annual report's words"))
    if may(person, "view_evaluation_report"):
        links.append((reverse("evaluation_report"), "Evaluation and impact"))
    if may(person, "view_reach") and (may(person, "manage_resources") or may(person, "report_on_every_partnership")):
        links.append((reverse("reach_report"), "Digital reach"))
    if is_network() and may(person, "view_exchange_report"):
        links.append((reverse("exchange_report"), "Places exchanged between partnerships"))
    return links


def partnership_choices(filters: selectors.Filters) -> dict:
    """On a network hub, the partnership filters' choices (slug, name) and what is chosen; a hub of one has none."""
    if not is_network():
        return {"partnerships": []}
    partnerships = list(Partnership.objects.values_list("pk", "slug", "name"))
    slugs = {pk: slug for pk, slug, _ in partnerships}
    return {"partnerships": [(slug, name) for _, slug, name in partnerships],
            "partnership": slugs.get(filters.partnership, ""),
            "home_partnership": slugs.get(filters.home_partnership, "")}


@login_required
def annual(request):
    """The year's training figures in the annual report's own sentences (April to March).

    Opens on the latest year with figures; a year without any says so in one sentence. On a network hub the
    figures are one delivering partnership's (`partnership`, by default the first the reader reports on).
    """
    require(request.user, "view_annual_report")
    within = reported_partnerships(request.user)
    base = selectors.Filters(within=within, default_partnership=default_partnership().pk)
    try:  # the bookers' home partnership narrows the figures; an unknown one is left out, as an unknown year is
        base.home_partnership = partnership_filters({"home_partnership": request.GET.get("home_partnership")},
                                                    request.user).home_partnership
    except DomainError:
        base.home_partnership = None
    choices = []
    if is_network():
        choices = list(Partnership.objects.filter(**({} if within is None else {"pk__in": within}))
                       .values_list("pk", "slug", "name"))
        chosen = next((c for c in choices if c[1] == request.GET.get("partnership")), choices[0] if choices else None)
        base.partnership = chosen[0] if chosen else -1  # -1: a reader with no partnership sees no figures
    latest = selectors.latest_reporting_year_with_figures(base)
    year = (whole_number(request.GET.get("year"), low=2000, high=2999) or latest
            or selectors.reporting_year_of(timezone.localdate()))
    halves = [(date(year, 4, 1), date(year, 9, 30)), (date(year, 10, 1), date(year + 1, 3, 31))]
    figures = [selectors.totals(replace(base, start=a, end=b)) for a, b in halves]
    whole = selectors.totals(replace(base, start=halves[0][0], end=halves[1][1]))
    chosen_slug = next((slug for pk, slug, _ in choices if pk == base.partnership), "")
    return render(request, "reports/annual.html", {
        "year": year, "first": figures[0], "second": figures[1], "whole": whole, "latest": latest,
        "partnerships": [(slug, name) for _, slug, name in choices], "partnership": chosen_slug,
        "homes": list(Partnership.objects.values_list("slug", "name")) if choices else [],
        "home_partnership": request.GET.get("home_partnership", "") if base.home_partnership else "",
        "delivering_name": next((name for pk, _, name in choices if pk == base.partnership), "")})


EXCHANGE_COLUMNS = [("home_name", "Home partnership"), ("delivering_name", "Delivered by"), ("booked", "Booked"),
                    ("attended", "Attended"), ("partial", "Partial"), ("no_show", "No-show")]


@login_required
def exchange(request):
    """Places booked, attended and no-shows by home partnership x delivering partnership for a period, as a
    table, a chart, CSV and XLSX: what the partnerships settle between themselves. The business unit sees the
    rows touching its partnerships; the network lead sees all."""
    require(request.user, "view_exchange_report")
    error = None
    try:
        start, end = period(request.GET)
        filters = replace(partnership_filters(request.GET, request.user), start=start, end=end)
    except DomainError as exc:
        error, filters = exc.message, partnership_filters({}, request.user)
    rows = selectors.exchange(filters)
    table = {"name": "exchange", "title": "Places exchanged between partnerships", "columns": EXCHANGE_COLUMNS,
             "rows": rows}
    export = request.GET.get("export")
    if export in exports.DOWNLOADS:
        return exports.DOWNLOADS[export](table)
    top = max([r["booked"] for r in rows] + [1])
    for row in rows:
        row["cells"] = [_shown(key, row.get(key)) for key, _ in EXCHANGE_COLUMNS]
        row["attended_pct"] = round(100 * (row["attended"] + row["partial"]) / top)
        row["no_show_pct"] = round(100 * row["no_show"] / top)
    query = request.GET.copy()
    query.pop("export", None)
    return render(request, "reports/exchange.html", {"table": table, "error": error, "params": request.GET,
                                                     "query": query.urlencode(), **partnership_choices(filters)})
