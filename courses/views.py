from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from bookings.selectors import my_place_on, open_offers
from bookings.views import booking_panel
from certificates.selectors import evaluations_due
from courses import selectors
from courses.forms import CalendarFilterForm
from courses.models import Course, Session
from people.permissions import may

PAGE_SIZE = 20


def _for_listing(sessions, person) -> None:
    """What each listed session shows: places left, the organisations supporting it, and the
    signed-in person's own place there (booked, waiting ...)."""
    mine = my_place_on(person, [session.pk for session in sessions])
    for session in sessions:
        session.places = selectors.places_left(session)
        session.supported_by = selectors.supporting_agencies(session)
        session.my_place = mine.get(session.pk, "")


def calendar(request):
    """The public training calendar, filtered by level, theme, format and month."""
    now = timezone.now()
    form = CalendarFilterForm(request.GET or None, themes=selectors.themes(), today=CalendarFilterForm.today(now))
    filters = selectors.CalendarFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.CalendarFilters(**{k: v for k, v in form.cleaned_data.items() if v})
    page = Paginator(selectors.sessions_for_calendar(filters, now=now), PAGE_SIZE).get_page(request.GET.get("page"))
    _for_listing(page.object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "courses/calendar.html", {
        "form": form, "page": page, "sessions": page.object_list, "filtered": form.is_bound,
        "query": query.urlencode(),
        "offers": open_offers(request.user, now=now), "evaluations_due": evaluations_due(request.user),
    })


def healthz(request):
    """For load balancers and uptime checks: the process answers (no database work)."""
    return HttpResponse("ok", content_type="text/plain")


def course_detail(request, pk: int):
    course = get_object_or_404(Course.objects.prefetch_related("prerequisites"), pk=pk, is_active=True)
    sessions = list(selectors.sessions_for_calendar(selectors.CalendarFilters(course=course.pk)))
    _for_listing(sessions, request.user)
    return render(request, "courses/course_detail.html", {"course": course, "sessions": sessions})


def session_detail(request, pk: int):
    session = get_object_or_404(selectors.sessions_with_details(Session.objects.all()), pk=pk)
    show_link = session.pk in selectors.link_visible_for(request.user, [session])
    return render(
        request,
        "courses/session_detail.html",
        {
            "session": session,
            "course": session.course,
            "places": selectors.places_left(session),
            "supported_by": selectors.supporting_agencies(session),
            "show_link": show_link,
            "past": session.ends_at < timezone.now(),
            "can_take_register": may(request.user, "take_register", session),
            "can_manage_session": may(request.user, "manage_sessions", session),  # its partnership's business unit
        }
        | booking_panel(request, session),
    )
