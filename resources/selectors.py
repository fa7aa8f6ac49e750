"""The reach report, aggregated in SQL: openings, people, worked through and staff briefed."""

from collections.abc import Collection
from datetime import date, datetime, time

from django.db.models import Count, Q, Sum

from lib.dates import LONDON
from people.models import Agency
from people.partnerships import at_home_in
from resources.models import Dissemination, Opening, Resource, WorkedThrough


def _bounds(start: date | None, end: date | None) -> tuple[datetime | None, datetime | None]:
    return (datetime.combine(start, time.min, tzinfo=LONDON) if start else None,
            datetime.combine(end, time.max, tzinfo=LONDON) if end else None)


def reach(*, start: date | None = None, end: date | None = None, agency: Agency | None = None,
          resource_partnerships: Collection[int] | None = None, home_partnership: int | None = None,
          default_partnership: int | None = None) -> list[dict]:
    """One row per resource and agency that touched it, plus agencies that never did (zeros).

    On a network hub: only the resources of `resource_partnerships` (None: every partnership's), and with
    `home_partnership` only the openings of that partnership's people and the briefings of its agencies (no home
    partnership, or an agency in none, counts as `default_partnership`)."""
    t0, t1 = _bounds(start, end)
    openings = Opening.objects.all()
    worked = WorkedThrough.objects.all()
    disseminations = Dissemination.objects.all()
    if resource_partnerships is not None:
        openings = openings.filter(resource__partnership_id__in=resource_partnerships)
        worked = worked.filter(resource__partnership_id__in=resource_partnerships)
        disseminations = disseminations.filter(resource__partnership_id__in=resource_partnerships)
    if home_partnership:
        people = at_home_in({home_partnership}, default=default_partnership, person="person__")
        agencies = Q(agency__partnerships=home_partnership)
        if home_partnership == default_partnership:
            agencies |= Q(agency__partnerships__isnull=True)
        openings, worked = openings.filter(people), worked.filter(people)
        disseminations = disseminations.filter(agencies)
    if t0:
        openings, worked = openings.filter(opened_at__gte=t0), worked.filter(at__gte=t0)
        disseminations = disseminations.filter(date__gte=start)
    if t1:
        openings, worked = openings.filter(opened_at__lte=t1), worked.filter(at__lte=t1)
        disseminations = disseminations.filter(date__lte=end)
    if agency is not None:
        openings, worked = openings.filter(agency=agency), worked.filter(agency=agency)
        disseminations = disseminations.filter(agency=agency)
    rows: dict[tuple[int, int], dict] = {}

    def row(resource_id, agency_id):
        return rows.setdefault((resource_id, agency_id),
                               {"openings": 0, "people": 0, "worked_through": 0, "staff_briefed": 0})

    for r in openings.values("resource_id", "agency_id").annotate(n=Count("pk"), people=Count("person", distinct=True)):
        entry = row(r["resource_id"], r["agency_id"])
        entry["openings"], entry["people"] = r["n"], r["people"]
    for r in worked.values("resource_id", "agency_id").annotate(n=Count("pk")):
        row(r["resource_id"], r["agency_id"])["worked_through"] = r["n"]
    for r in disseminations.values("resource_id", "agency_id").annotate(n=Sum("staff_briefed")):
        row(r["resource_id"], r["agency_id"])["staff_briefed"] = r["n"]
    resources = Resource.objects.filter(retired_at=None)
    if resource_partnerships is not None:
        resources = resources.filter(partnership_id__in=resource_partnerships)
    resources = {r.pk: r for r in resources}
    agencies = Agency.objects.filter(pk=agency.pk) if agency else Agency.objects.all()
    if resource_partnerships is not None and not agency:  # the agencies of those partnerships (none: the default's)
        members = Q(partnerships__in=resource_partnerships)
        if default_partnership in resource_partnerships:
            members |= Q(partnerships__isnull=True)
        agencies = agencies.filter(pk__in=Agency.objects.filter(members).values("pk"))
    agencies = {a.pk: a for a in agencies}
    result = []
    for resource in resources.values():
        for agency_obj in agencies.values():
            figures = rows.get((resource.pk, agency_obj.pk),
                               {"openings": 0, "people": 0, "worked_through": 0, "staff_briefed": 0})
            result.append({"resource": resource.pk, "title": resource.title, "agency": agency_obj.code,
                           "agency_name": agency_obj.name, **figures,
                           "untouched": not any(figures.values())})
    result.sort(key=lambda r: (r["title"], r["untouched"], r["agency_name"]))
    return result


def totals_by_resource(rows: list[dict]) -> list[dict]:
    """For the chart: each resource's openings and staff briefed across agencies."""
    totals: dict[int, dict] = {}
    for r in rows:
        t = totals.setdefault(r["resource"], {"title": r["title"], "openings": 0, "staff_briefed": 0,
                                              "agencies_reached": 0})
        t["openings"] += r["openings"]
        t["staff_briefed"] += r["staff_briefed"]
        t["agencies_reached"] += 0 if r["untouched"] else 1
    return sorted(totals.values(), key=lambda t: t["title"])


