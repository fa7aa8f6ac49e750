"""The business unit's figures, every one aggregated in SQL (no Python loop over bookings)."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db.models import BigIntegerField, Count, DurationField, ExpressionWrapper, F, Q, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

from bookings.models import Booking, status_q, taken_q, waiting_q
from charging.models import Charge
from courses.models import Session, TrainerAllocation
from lib.dates import LONDON
from people.models import Agency, Partnership
from people.partnerships import at_home_in, is_network, keyed_by_partnership, named_with_partnership

GROUPINGS = {
    "agency": ("person__agency__code", "person__agency__name"),
    "course": ("session__course_id", "session__course__title"),
    "level": ("session__course__level", "session__course__level"),
    "theme": ("session__course__theme", "session__course__theme"),
    "month": ("month", "month"),
    "half_year": ("month", "month"),
}
# How the "Group by" list names each grouping.
GROUPING_LABELS = {
    "month": "Month",
    "half_year": "Half-year (from April, from October)",
    "agency": "Agency",
    "course": "Course",
    "level": "Level",
    "theme": "Theme",
}
OUTCOMES = (*Booking.OUTCOMES, *Booking.ENDED)  # attended, partial, no_show, late_cancelled, cancelled


@dataclass
class Filters:
    start: date | None = None
    end: date | None = None
    agency: str = ""  # agency code
    level: str = ""
    theme: str = ""
    partnership: int | None = None  # the delivering partnership (the course's)
    home_partnership: int | None = None  # the bookers' home partnership
    # The partnerships the reader reports on (None: every one): a booking is theirs when one of them delivers it
    # or is the booker's home partnership.
    within: frozenset[int] | None = None
    default_partnership: int | None = None  # a person with no home partnership belongs to this one


def _home_q(ids, default: int | None, person: str = "person__") -> Q:
    return at_home_in(ids, default=default, person=person)


def partnership_q(filters: Filters, booking: str = "") -> Q:
    """The filters' partnerships as a Q on bookings (`booking`: the path to the booking, e.g. "booking__")."""
    delivering = f"{booking}session__course__partnership_id"
    q = Q()
    if filters.within is not None:
        q &= Q(**{f"{delivering}__in": filters.within}) | _home_q(filters.within, filters.default_partnership,
                                                                   f"{booking}person__")
    if filters.partnership:
        q &= Q(**{delivering: filters.partnership})
    if filters.home_partnership:
        q &= _home_q({filters.home_partnership}, filters.default_partnership, f"{booking}person__")
    return q


def agencies_of(filters: Filters) -> Q:
    """A Q on Agency: the agencies belonging to the reader's partnerships (an agency in none belongs to the
    default one); every agency when the reader reports on every partnership."""
    if filters.within is None:
        return Q()
    return Q(pk__in=Agency.objects.filter(_agency_member_q(filters.within, filters.default_partnership)).values("pk"))


def _agency_member_q(ids, default: int | None) -> Q:
    q = Q(partnerships__in=ids)
    if default is not None and default in ids:
        q |= Q(partnerships__isnull=True)
    return q


def _delivered_q(filters: Filters, session: str = "session__") -> Q:
    """Sessions (through `session`) delivered by the partnerships the filters allow."""
    q = Q()
    if filters.within is not None:
        q &= Q(**{f"{session}course__partnership_id__in": filters.within})
    if filters.partnership:
        q &= Q(**{f"{session}course__partnership_id": filters.partnership})
    return q


def _bounds(filters: Filters, field: str = "session__starts_at") -> Q:
    q = Q()
    if filters.start:
        q &= Q(**{f"{field}__gte": datetime.combine(filters.start, time.min, tzinfo=LONDON)})
    if filters.end:
        q &= Q(**{f"{field}__lte": datetime.combine(filters.end, time.max, tzinfo=LONDON)})
    return q


def _bookings(filters: Filters):
    qs = Booking.objects.filter(_bounds(filters), partnership_q(filters))
    if filters.agency:
        qs = qs.filter(person__agency__code=filters.agency)
    if filters.level:
        qs = qs.filter(session__course__level=filters.level)
    if filters.theme:
        qs = qs.filter(session__course__theme__iexact=filters.theme)
    return qs


COURSE_FIELDS = ("title", "partnership__slug", "partnership__name")  # what a row grouped by course is named by


def _course_row(values: dict, prefix: str, *, network: bool) -> tuple[str, str]:
    """The key and label of a row grouped by course (one course, by its id), from its `values()` (the fields under
    `prefix`). On a hub of one, the title for both, as before partnerships; on a network, where two partnerships
    may each run a course of the same title, the key is the delivering partnership's slug and the title
    ("warrington/Neglect: basic": readable, one per course, since a title is unique within its partnership, and
    the same whoever reads it) and the label adds the partnership's name."""
    title, slug, name = (values[f"{prefix}{field}"] for field in COURSE_FIELDS)
    return (keyed_by_partnership(title, slug, network=network),
            named_with_partnership(title, name, network=network))


def half_year_key(month: date) -> str:
    """The partnership's reporting halves: April-September and October-March."""
    if 4 <= month.month <= 9:
        return f"{month.year}-04 to {month.year}-09"
    first = month.year if month.month >= 10 else month.year - 1
    return f"{first}-10 to {first + 1}-03"


def _finish(row: dict) -> dict:
    booked = row["attended"] + row["partial"] + row["no_show"]
    row["booked"] = booked
    row["attendance_rate"] = round((row["attended"] + row["partial"]) / booked, 4) if booked else None
    return row


def attendance(filters: Filters, *, by: str = "agency") -> list[dict]:
    """booked = places still held when the register closed (attended + partial + no_show), as the annual report
    counts them; attendance_rate = (attended + partial) / booked."""
    if by not in GROUPINGS:
        raise ValueError(by)
    key, label = GROUPINGS[by]
    qs = _bookings(filters)
    if by in ("month", "half_year"):
        qs = qs.annotate(month=TruncMonth("session__starts_at", tzinfo=LONDON))
    counts = {o: Count("pk", filter=status_q(o)) for o in OUTCOMES}
    course_fields = [f"session__course__{field}" for field in COURSE_FIELDS] if by == "course" else []
    grouped = qs.values(key, label, *course_fields).annotate(**counts).order_by(
        *((label, key) if by == "course" else (key,)))
    network = by == "course" and is_network()
    rows: dict[str, dict] = {}
    for g in grouped:
        if by == "course":
            k, name = _course_row(g, "session__course__", network=network)
        elif by == "month":
            k = f"{g[key]:%Y-%m}"
            name = f"{g[key]:%B %Y}"
        elif by == "half_year":
            k = name = half_year_key(g[key])
        elif by == "level":
            k = g[key]
            name = str(g[key]).capitalize()
        else:
            k, name = g[key] or "none", g[label] or "No agency"
        row = rows.setdefault(k, {"key": k, "label": name, **{o: 0 for o in OUTCOMES}})
        for o in OUTCOMES:
            row[o] += g[o]
    return [_finish(r) for r in rows.values()]


def with_empty_periods(rows: list[dict], *, by: str) -> list[dict]:
    """Rows by month or half-year with the periods between them that had no places put back, each
    with zero places, so that a table or chart never jumps from February 2025 to October 2026 unseen.
    Rows grouped any other way come back as they are."""
    if by not in ("month", "half_year") or len(rows) < 2:
        return rows
    have = {r["key"]: r for r in rows}
    step = 1 if by == "month" else 6
    year, month = (int(part) for part in rows[0]["key"][:7].split("-"))
    last = rows[-1]["key"]
    last_start = date(*(int(part) for part in last[:7].split("-")), 1)
    filled = []
    while (start := date(year, month, 1)) <= last_start:
        key = f"{start:%Y-%m}" if by == "month" else half_year_key(start)
        label = f"{start:%B %Y}" if by == "month" else key
        filled.append(have.get(key) or _finish({"key": key, "label": label, **{o: 0 for o in OUTCOMES}}))
        month += step
        if month > 12:
            year, month = year + 1, month - 12
    return filled


def reporting_year_of(day: date) -> int:
    """The partnership's reporting year (April to March) that a day falls in, named by its first year."""
    return day.year if day.month >= 4 else day.year - 1


def latest_reporting_year_with_figures(filters: Filters | None = None) -> int | None:
    """The latest April-to-March year with a place counted at a closed register, or None if there is none."""
    latest = (Booking.objects.settled().filter(partnership_q(filters or Filters())).order_by("-session__starts_at")
              .values_list("session__starts_at", flat=True).first())
    return reporting_year_of(latest.astimezone(LONDON).date()) if latest else None


def totals(filters: Filters) -> dict:
    counts = {o: Count("pk", filter=status_q(o)) for o in OUTCOMES}
    return _finish(dict(_bookings(filters).aggregate(**counts)))


def fill_and_demand(filters: Filters) -> list[dict]:
    """Per course: places offered, places taken (fill rate), and people left waiting (unmet demand).

    Unmet demand counts bookings still on a waiting list: people who asked and never got a place.
    Narrowed to an agency, places taken and people waiting are that agency's staff's: the fill rate is
    then the share of the partnership's places its staff took.
    """
    sessions = Session.objects.filter(_bounds(filters, "starts_at"), _delivered_q(filters, ""), status="scheduled")
    if filters.level:
        sessions = sessions.filter(course__level=filters.level)
    if filters.theme:
        sessions = sessions.filter(course__theme__iexact=filters.theme)
    course_fields = [f"course__{field}" for field in COURSE_FIELDS]
    capacity = {r["course_id"]: r for r in sessions.values("course_id", *course_fields).annotate(
        sessions=Count("pk"), places=Sum("capacity")).order_by()}
    bookings = Booking.objects.filter(session__in=sessions)
    if filters.home_partnership:
        bookings = bookings.filter(_home_q({filters.home_partnership}, filters.default_partnership))
    if filters.agency:
        bookings = bookings.filter(person__agency__code=filters.agency)
    taken = {r["session__course_id"]: r for r in bookings.values("session__course_id").annotate(
        taken=Count("pk", filter=taken_q()),
        unmet=Count("pk", filter=waiting_q())
        ).order_by()}
    network = is_network()
    rows = []
    for course_id, c in sorted(capacity.items(), key=lambda item: (item[1]["course__title"], item[0])):
        t = taken.get(course_id, {"taken": 0, "unmet": 0})
        key, label = _course_row(c, "course__", network=network)
        rows.append({"key": key, "label": label, "sessions": c["sessions"], "places": c["places"] or 0,
                     "taken": t["taken"], "unmet_demand": t["unmet"],
                     "fill_rate": round(t["taken"] / c["places"], 4) if c["places"] else None})
    return rows


def charges_by_agency(filters: Filters) -> list[dict]:
    charges = Charge.objects.filter(_bounds(filters, "booking__session__starts_at"),
                                    partnership_q(filters, "booking__"))
    if filters.agency:
        charges = charges.filter(agency__code=filters.agency)
    grouped = charges.values("agency__code", "agency__name").annotate(
        raised=Count("pk"), raised_pence=Sum("amount_pence"),
        waived=Count("pk", filter=Q(status="waived")),
        paid=Count("pk", filter=Q(status="paid")),
        paid_pence=Sum("amount_pence", filter=Q(status="paid")),
    ).order_by("agency__name")
    return [{"key": g["agency__code"], "label": g["agency__name"], "raised": g["raised"],
             "raised_pence": g["raised_pence"] or 0, "waived": g["waived"], "paid": g["paid"],
             "paid_pence": g["paid_pence"] or 0} for g in grouped]


def trainer_contributions(filters: Filters) -> list[dict]:
    """Per agency: sessions and hours its trainers delivered, set against the places its staff used."""
    allocations = TrainerAllocation.objects.filter(_bounds(filters, "session__starts_at"), _delivered_q(filters),
                                                   session__status="scheduled")
    if filters.agency:
        allocations = allocations.filter(agency__code=filters.agency)
    if filters.level:
        allocations = allocations.filter(session__course__level=filters.level)
    if filters.theme:
        allocations = allocations.filter(session__course__theme__iexact=filters.theme)
    delivered = {r["agency__code"]: r for r in allocations.values("agency__code", "agency__name").annotate(
        sessions=Count("session", distinct=True)).order_by()}
    length = ExpressionWrapper(F("session__parts__ends_at") - F("session__parts__starts_at"),
                               output_field=DurationField())
    hours = {r["agency__code"]: r["time"] for r in allocations.values("agency__code").annotate(
        time=Sum(length)).order_by()}
    used = {r["person__agency__code"]: r for r in _bookings(filters).settled()
        .values("person__agency__code", "person__agency__name")
        .annotate(places=Count("pk")).order_by()}
    codes = sorted(set(delivered) | set(used), key=lambda c: (delivered.get(c) or used.get(c))[
        "agency__name" if c in delivered else "person__agency__name"] or "")
    rows = []
    for code in codes:
        d, u = delivered.get(code), used.get(code)
        name = d["agency__name"] if d else u["person__agency__name"]
        seconds = hours.get(code)
        hours_delivered = round(seconds.total_seconds() / 3600, 1) if seconds else 0
        rows.append({"key": code, "label": name or "No agency", "sessions_delivered": d["sessions"] if d else 0,
                     "hours_delivered": hours_delivered, "places_used": u["places"] if u else 0})
    return rows


def exchange(filters: Filters) -> list[dict]:
    """Places booked, attended and no-shows for a period by home partnership x delivering partnership: what the
    partnerships settle between themselves. Counted as the attendance report counts them (booked = attended +
    partial + no_show, the places still held when the register closed). A person with no home partnership
    belongs to the default one. Rows touch the reader's partnerships only (`filters.within`), in the order of
    the partnerships (home, then delivering)."""
    home = Coalesce("person__home_partnership_id", Value(filters.default_partnership, output_field=BigIntegerField()),
                    output_field=BigIntegerField())
    counts = {o: Count("pk", filter=status_q(o)) for o in ("attended", "partial", "no_show")}
    grouped = (_bookings(filters).annotate(home=home)
               .values("home", "session__course__partnership_id").annotate(**counts).order_by())
    names = dict(Partnership.objects.values_list("pk", "slug"))
    labels = dict(Partnership.objects.values_list("pk", "name"))
    order = {pk: n for n, pk in enumerate(sorted(names))}
    rows = []
    for g in grouped:
        home_id, delivering_id = g["home"], g["session__course__partnership_id"]
        booked = g["attended"] + g["partial"] + g["no_show"]
        if not booked:
            continue
        rows.append({"key": f"{names.get(home_id)}/{names.get(delivering_id)}", "home_partnership": names.get(home_id),
                     "delivering_partnership": names.get(delivering_id), "home_name": labels.get(home_id, ""),
                     "delivering_name": labels.get(delivering_id, ""), "label": f"{labels.get(home_id, '')} at "
                     f"{labels.get(delivering_id, '')}", "booked": booked, "attended": g["attended"],
                     "partial": g["partial"], "no_show": g["no_show"],
                     "sort": (order.get(home_id, 0), order.get(delivering_id, 0))})
    rows.sort(key=lambda r: r.pop("sort"))
    return rows
