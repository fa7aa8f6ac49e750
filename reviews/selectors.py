"""Reading the learning tracker: reach per recommendation and agency, counted in SQL, and the RAG flag.

Every read of reviews starts from `visible_reviews` or `visible_recommendations`: the one place that
decides whose reviews a person sees (and the place to scope by partnership once partnerships exist).
Reach takes a fixed number of queries however many recommendations, agencies and bookings there are.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection
from django.db.models import Count, F, Max, Prefetch, Q, Sum
from django.db.models.functions import TruncDate

from bookings.models import Booking
from courses.models import Course
from lib.dates import LONDON
from people import roles
from people.models import Agency
from people.partnerships import is_network, named_with_partnership
from people.permissions import managed_agency_id, may, scope
from resources.models import Dissemination, Opening, Resource
from reviews.models import AgencyHeadcount, Evidence, LearningReview, Recommendation, ReviewTheme
from reviews.services import tracker_settings

DONE = (Recommendation.Status.EVIDENCED, Recommendation.Status.CLOSED)
DUE_SOON_DAYS = 30
RED, AMBER, GREEN = "red", "amber", "green"


# --- Who sees what ---------------------------------------------------------------------------------------

def visible_reviews(person):
    """The reviews this person may read: the business unit, those of the partnerships it holds the role for;
    an agency manager, every partnership's (network-wide: their agency's recommendations wherever they are)."""
    if not may(person, "view_learning_tracker"):
        return LearningReview.objects.none()
    if managed_agency_id(person) is not None:
        return LearningReview.objects.all()
    return LearningReview.objects.filter(scope(person, roles.BUSINESS_UNIT, "partnership"))


def visible_recommendations(person):
    """The business unit sees every recommendation of its partnerships' reviews; an agency manager those their
    agency owns."""
    reviews = visible_reviews(person)
    recs = Recommendation.objects.filter(review__in=reviews)
    agency_id = managed_agency_id(person)
    if may(person, "manage_learning_reviews"):
        runs = scope(person, roles.BUSINESS_UNIT, "review__partnership")
        if agency_id is None or not runs:  # the business unit alone, or every partnership's (a superuser)
            return recs.filter(runs)
        return recs.filter(runs | Q(lead_agency_id=agency_id) | Q(owner_agencies__id=agency_id)).distinct()
    if agency_id is None:
        return Recommendation.objects.none()
    return recs.filter(Q(lead_agency_id=agency_id) | Q(owner_agencies__id=agency_id)).distinct()


def own_agency_only(person) -> int | None:
    """The agency whose figures alone this person sees, or None for the business unit (every agency)."""
    return None if may(person, "manage_learning_reviews") else managed_agency_id(person)


# --- Filters ---------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Filters:
    review: int | None = None
    kind: str = ""
    theme: str = ""
    status: str = ""
    agency: str = ""
    overdue: bool = False


def filtered(recs, filters: Filters, *, today: date):
    if filters.review:
        recs = recs.filter(review_id=filters.review)
    if filters.kind:
        recs = recs.filter(review__kind=filters.kind)
    if filters.theme:
        recs = recs.filter(review__in=ReviewTheme.objects.filter(theme__iexact=filters.theme).values("review"))
    if filters.status:
        recs = recs.filter(status=filters.status)
    if filters.agency:
        owned = Recommendation.objects.filter(Q(lead_agency__code=filters.agency)
                                              | Q(owner_agencies__code=filters.agency))
        recs = recs.filter(pk__in=owned.values("pk"))
    if filters.overdue:
        recs = recs.filter(due__lt=today).exclude(status__in=DONE)
    return recs


# --- Reach -----------------------------------------------------------------------------------------------

def _sql(queryset) -> tuple[str, tuple]:
    return queryset.query.get_compiler(using=queryset.db).as_sql()


def _people_reached(rec_ids, *, owners_only: bool = False) -> dict[tuple[int, int], dict]:
    """(recommendation, agency) -> distinct people who attended a linked course's session held on or after
    the review's date, who opened a linked resource on or after it, and who did either (each person once).

    Bookings and openings are first folded to one row per course or resource, agency and person with the
    latest London day they attended or opened it (someone counts when that day is on or after the review's),
    so that repeated bookings and openings are not multiplied by every recommendation linking the same
    course or resource; then joined to the links and counted in one statement.
    """
    course_links = Recommendation.courses.through.objects.filter(recommendation_id__in=rec_ids)
    resource_links = Recommendation.resources.through.objects.filter(recommendation_id__in=rec_ids)
    attended = Booking.objects.came().filter(
        person__agency__isnull=False, session__course__in=course_links.values("course_id"),
    ).order_by().values(t=F("session__course"), a=F("person__agency"), p=F("person")).annotate(
        latest=Max(TruncDate("session__starts_at")))
    opened = Opening.objects.filter(
        agency__isnull=False, resource__in=resource_links.values("resource_id"),
    ).order_by().values(t=F("resource"), a=F("agency"), p=F("person")).annotate(latest=Max(TruncDate("opened_at")))
    courses_to = course_links.order_by().values(r=F("recommendation_id"), t=F("course_id"),
                                                since=F("recommendation__review__date"))
    resources_to = resource_links.order_by().values(r=F("recommendation_id"), t=F("resource_id"),
                                                    since=F("recommendation__review__date"))
    owners, o_params = "", ()
    if owners_only:  # only (recommendation, agency) pairs where the agency leads or owns it
        leads = Recommendation.objects.filter(pk__in=rec_ids).order_by().values(r=F("pk"), a=F("lead_agency"))
        others = Recommendation.owner_agencies.through.objects.filter(recommendation_id__in=rec_ids).order_by().values(
            r=F("recommendation_id"), a=F("agency_id"))
        pairs = leads.union(others, all=True)
        pairs_sql, o_params = _sql(pairs)
        owners = f" JOIN ({pairs_sql}) w ON w.r = l.r AND w.a = x.a"
    (a_sql, a_params), (c_sql, c_params) = _sql(attended), _sql(courses_to)
    (b_sql, b_params), (r_sql, r_params) = _sql(opened), _sql(resources_to)
    # Only Django's own compiled SQL is spliced in; every value travels in the parameters.
    sql = (
        "SELECT r, a, COUNT(DISTINCT CASE WHEN s = 1 THEN p END), COUNT(DISTINCT CASE WHEN s = 2 THEN p END), "  # noqa: S608
        "COUNT(DISTINCT p) FROM ("
        f"SELECT l.r AS r, x.a AS a, x.p AS p, 1 AS s FROM ({a_sql}) x JOIN ({c_sql}) l ON l.t = x.t{owners} "
        "WHERE x.latest >= l.since "
        "UNION ALL "
        f"SELECT l.r, x.a, x.p, 2 FROM ({b_sql}) x JOIN ({r_sql}) l ON l.t = x.t{owners} WHERE x.latest >= l.since"
        ") reached GROUP BY r, a")
    with connection.cursor() as cursor:
        cursor.execute(sql, (*a_params, *c_params, *o_params, *b_params, *r_params, *o_params))
        return {(r, a): {"attended": n1, "opened": n2, "people": n} for r, a, n1, n2, n in cursor.fetchall()}


def _briefed(rec_ids) -> dict[tuple[int, int], int]:
    """(recommendation, agency) -> staff briefed through disseminations of linked resources since the review,
    plus staff reached that the agency's evidence counts."""
    briefed: dict[tuple[int, int], int] = {}
    disseminations = Dissemination.objects.filter(
        resource__recommendations__in=rec_ids, date__gte=F("resource__recommendations__review__date"),
    ).order_by().values(r=F("resource__recommendations"), a=F("agency")).annotate(n=Sum("staff_briefed"))
    evidence = Evidence.objects.filter(recommendation__in=rec_ids, agency__isnull=False,
                                       staff_reached__isnull=False).order_by().values(
        r=F("recommendation"), a=F("agency")).annotate(n=Sum("staff_reached"))
    for row in [*disseminations, *evidence]:
        briefed[(row["r"], row["a"])] = briefed.get((row["r"], row["a"]), 0) + (row["n"] or 0)
    return briefed


def reach(recs: list[Recommendation], *, agency_id: int | None = None,
          owners_only: bool = False) -> dict[int, list[dict]]:
    """Per recommendation, a row per agency: owners always (with zeros, which stand out), then any other
    agency reached (none with `owners_only`, which the tracker uses: it is cheaper over many bookings).
    `agency_id` keeps only that agency's row (an agency manager's own).

    reached = distinct named people (attended or opened) + staff briefed (counts, not names); share =
    reached / headcount, at most 1, where the headcount is known. Five queries, however many rows.
    """
    rec_ids = [r.pk for r in recs]
    if not rec_ids:
        return {}
    people: dict[int, dict[int, dict]] = {}
    for (r, a), counts in _people_reached(rec_ids, owners_only=owners_only).items():
        people.setdefault(r, {})[a] = counts
    briefed: dict[int, dict[int, int]] = {}
    for (r, a), count in _briefed(rec_ids).items():
        briefed.setdefault(r, {})[a] = count
    headcounts = dict(AgencyHeadcount.objects.values_list("agency_id", "headcount"))
    agencies = {a.pk: a for a in Agency.objects.only("pk", "code", "name")}
    result = {}
    for rec in recs:
        owners = rec.owner_ids()
        mine, told = people.get(rec.pk, {}), briefed.get(rec.pk, {})
        ids = owners if owners_only else owners | set(mine) | set(told)
        if agency_id is not None:
            ids = {agency_id}
        rows = []
        for a in ids:
            named = mine.get(a, {"attended": 0, "opened": 0, "people": 0})
            count = told.get(a, 0)
            headcount = headcounts.get(a)
            reached = named["people"] + count
            rows.append({
                "agency": agencies[a].code, "agency_name": agencies[a].name, "owner": a in owners,
                "lead": a == rec.lead_agency_id, **named, "briefed": count, "reached": reached,
                "headcount": headcount, "share": min(1.0, reached / headcount) if headcount else None,
            })
        rows.sort(key=lambda row: (not row["lead"], not row["owner"], row["agency_name"]))
        result[rec.pk] = rows
    return result


# --- RAG -------------------------------------------------------------------------------------------------

def rag(*, status: str, due: date, today: date, lowest_share: float | None, amber_percent: int) -> str:
    """Red when overdue and not evidenced; amber when due within 30 days (and not evidenced) or an owner
    agency's reach is below the business unit's share; green otherwise. A closed recommendation is green."""
    if status == Recommendation.Status.CLOSED:
        return GREEN
    if status not in DONE and due < today:
        return RED
    if status not in DONE and due <= today + timedelta(days=DUE_SOON_DAYS):
        return AMBER
    if lowest_share is not None and lowest_share * 100 < amber_percent:
        return AMBER
    return GREEN


def lowest_owner_share(rows: list[dict]) -> float | None:
    shares = [row["share"] for row in rows if row["owner"] and row["share"] is not None]
    return min(shares) if shares else None


# --- The tracker -----------------------------------------------------------------------------------------

def with_details(recs):
    return recs.select_related("review", "lead_agency").prefetch_related(
        Prefetch("owner_agencies", queryset=Agency.objects.only("pk", "code", "name")),
        Prefetch("courses", queryset=Course.objects.only("pk", "title")),
        Prefetch("resources", queryset=Resource.objects.only("pk", "title")),
        "briefings", "review__themes",
    )


def tracker(person, filters: Filters = Filters(), *, today: date, pk: int | None = None) -> list[dict]:
    """Every recommendation this person may see (or only `pk`), with owners, reach and RAG: a fixed
    number of queries however many recommendations, agencies and bookings."""
    recs = filtered(visible_recommendations(person), filters, today=today)
    if pk is not None:
        recs = recs.filter(pk=pk)
    recs = list(with_details(recs).order_by("due", "review__title", "number"))
    mine = own_agency_only(person)
    # The owners' reach: RAG weighs every owner's, also for a manager who sees only their own row.
    owner_rows = reach(recs, owners_only=True)
    # Each review's partnership's amber threshold: a query per partnership shown (one on a hub of one), however
    # many recommendations; the settings are made with the defaults where a partnership has none yet.
    amber = {pk: tracker_settings(pk).amber_reach_percent for pk in {rec.review.partnership_id for rec in recs}}
    rows = []
    for rec in recs:
        flag = rag(status=rec.status, due=rec.due, today=today, lowest_share=lowest_owner_share(owner_rows[rec.pk]),
                   amber_percent=amber[rec.review.partnership_id])
        shown = [r for r in owner_rows[rec.pk] if mine is None or r["agency"] == _code(mine, rec)]
        rows.append({"rec": rec, "rag": flag, "reach": shown,
                     "owners": [rec.lead_agency, *rec.owner_agencies.all()],
                     "reached": sum(r["reached"] for r in shown)})
    return rows


def _code(agency_id: int, rec: Recommendation) -> str:
    owners = [rec.lead_agency, *rec.owner_agencies.all()]
    return next((a.code for a in owners if a.pk == agency_id), "")


def export_rows(rows: list[dict]) -> list[dict]:
    """The tracker as a flat table for the executive group's CSV and XLSX."""
    return [{
        "review": row["rec"].review.title, "kind": row["rec"].review.get_kind_display(),
        "number": row["rec"].number, "recommendation": row["rec"].text,
        "owners": ", ".join(a.name for a in row["owners"]), "due": row["rec"].due.isoformat(),
        "status": row["rec"].get_status_display(), "rag": row["rag"].title(),
        "reach": "; ".join(f"{r['agency_name']}: {r['reached']}"
                           + (f" ({r['share']:.0%})" if r["share"] is not None else "") for r in row["reach"]),
    } for row in rows]


EXPORT_COLUMNS = [("review", "Review"), ("kind", "Kind"), ("number", "Number"), ("recommendation", "Recommendation"),
                  ("owners", "Owner agencies"), ("due", "Due"), ("status", "Status"), ("rag", "RAG"),
                  ("reach", "Reach by owner agency")]


# --- Practice change ---------------------------------------------------------------------------------------

def practice_change(rec: Recommendation, *, person, limit: int = 50) -> list[dict]:
    """Follow-up answers and impact statements from linked courses' sessions held on or after the review,
    with the agency; the person's name only for the business unit; an agency manager sees their agency's."""
    from certificates.models import Evaluation

    evaluations = Evaluation.objects.filter(
        booking__session__course__in=rec.courses.values("pk"),
        booking__session__starts_at__date__gte=rec.review.date,
    ).select_related("booking__person__agency", "booking__session__course").order_by("-submitted_at")
    mine = own_agency_only(person)
    if mine is not None:
        evaluations = evaluations.filter(booking__person__agency_id=mine)
    names = may(person, "manage_learning_reviews", rec)
    quotes = []
    for ev in evaluations[:limit]:
        base = {"agency": ev.booking.person.agency.name if ev.booking.person.agency else "No agency",
                "course": ev.booking.session.course.title,
                "name": ev.booking.person.name if names else ""}
        if ev.impact_statement.strip():
            quotes.append(base | {"kind": "Impact statement", "text": ev.impact_statement, "at": ev.submitted_at})
        if ev.follow_up_answer.strip():
            quotes.append(base | {"kind": "Three months on", "text": ev.follow_up_answer,
                                  "at": ev.follow_up_answered_at})
    return quotes


# --- Recurring themes ------------------------------------------------------------------------------------

def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)


def recurring_themes(person, *, start: date, end: date) -> list[dict]:
    """Themes of more than one review dated in [start, end], with the courses and resources that answer each
    (linked to the theme's recommendations, or sharing its theme) and their reach in the period."""
    reviews = visible_reviews(person).filter(date__gte=start, date__lte=end)
    counts = (ReviewTheme.objects.filter(review__in=reviews).values("theme")
              .annotate(n=Count("review", distinct=True)).filter(n__gt=1).order_by("-n", "theme"))
    themes = {row["theme"]: {"theme": row["theme"], "reviews": row["n"], "courses": {}, "resources": {}}
              for row in counts}
    if not themes:
        return []
    lowered = {t.lower(): t for t in themes}
    linked = Recommendation.objects.filter(review__in=reviews, review__themes__theme__in=list(themes))
    course_links = linked.values_list("review__themes__theme", "courses")
    resource_links = linked.values_list("review__themes__theme", "resources")
    course_ids: dict[int, set[str]] = {}
    resource_ids: dict[int, set[str]] = {}
    for theme, pk in course_links:
        if pk:
            course_ids.setdefault(pk, set()).add(theme)
    for theme, pk in resource_links:
        if pk:
            resource_ids.setdefault(pk, set()).add(theme)
    same_theme = Q(theme__iregex=r"^(" + "|".join(_regex_escape(t) for t in lowered) + r")$")
    courses = Course.objects.filter(Q(pk__in=list(course_ids)) | (same_theme & Q(is_active=True)))
    resources = Resource.objects.filter(Q(pk__in=list(resource_ids)) | (same_theme & Q(retired_at=None)))
    t0, t1 = _start(start), _start(end + timedelta(days=1))
    attended = dict(Booking.objects.came().filter(session__course__in=courses,
                                           session__starts_at__gte=t0, session__starts_at__lt=t1)
                    .order_by().values("session__course").annotate(n=Count("person", distinct=True))
                    .values_list("session__course", "n"))
    opened = dict(Opening.objects.filter(resource__in=resources, opened_at__gte=t0, opened_at__lt=t1)
                  .order_by().values("resource").annotate(n=Count("person", distinct=True))
                  .values_list("resource", "n"))
    network = is_network()  # two partnerships may each run a course of the same title: name the one running it
    for course in courses.select_related("partnership").only("pk", "title", "theme", "partnership__name"):
        title = named_with_partnership(course.title, course.partnership.name, network=network)
        for theme in course_ids.get(course.pk, set()) | {lowered.get(course.theme.lower())} - {None}:
            themes[theme]["courses"][course.pk] = {"title": title, "url": course.get_absolute_url(),
                                                   "reach": attended.get(course.pk, 0)}
    for resource in resources.only("pk", "title", "theme"):
        for theme in resource_ids.get(resource.pk, set()) | {lowered.get(resource.theme.lower())} - {None}:
            themes[theme]["resources"][resource.pk] = {"title": resource.title, "url": resource.get_absolute_url(),
                                                       "reach": opened.get(resource.pk, 0)}
    top = max(t["reviews"] for t in themes.values())
    return [t | {"courses": sorted(t["courses"].values(), key=lambda c: c["title"]),
                 "resources": sorted(t["resources"].values(), key=lambda r: r["title"]),
                 "pct": round(100 * t["reviews"] / top)} for t in themes.values()]


def _regex_escape(text: str) -> str:
    import re

    return re.escape(text)


# --- Where practitioners see it ---------------------------------------------------------------------------

def reviews_answered_by(*, course: Course | None = None, resource: Resource | None = None) -> list[dict]:
    """The reviews whose learning a course or resource answers: title and kind only, for anyone."""
    recs = Recommendation.objects.filter(courses=course) if course is not None else \
        Recommendation.objects.filter(resources=resource)
    reviews = LearningReview.objects.filter(pk__in=recs.values("review")).order_by("-date", "title")
    return [{"title": r.title, "kind": r.get_kind_display()} for r in reviews.only("title", "kind", "date")]
