from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone

from bookings.selectors import my_place_on, open_offers, places_for_viewer
from bookings.views import booking_panel
from certificates.selectors import evaluations_due
from courses import selectors
from courses.forms import CalendarFilterForm
from courses.models import Course, Session
from people.directory import contact_email_of
from people.models import Partnership
from people.partnerships import is_network, masthead
from people.permissions import may
from people.selectors import partnership_named

PAGE_SIZE = 20


def _for_listing(sessions, person) -> None:
    """What each listed session shows: places left, the organisations supporting it, and the
    signed-in person's own place there (booked, waiting ...)."""
    mine = my_place_on(person, [session.pk for session in sessions])
    places = places_for_viewer(sessions, person, now=timezone.now())
    for session in sessions:
        session.places, session.kept_note, session.free_places = places[session.pk]
        session.supported_by = selectors.supporting_agencies(session)
        session.my_place = mine.get(session.pk, "")


def calendar(request):
    """The public training calendar, filtered by level, theme, format and month; on a network hub, the network
    calendar: what is open to the whole network and, signed in, the person's home partnership's, each session
    naming the partnership that delivers it, with a filter by partnership."""
    return _calendar_page(request, partnership=None)


def partnership_calendar(request, slug: str):
    """A partnership's own calendar page: its sessions, headed with its name, its contact and its statements."""
    partnership = partnership_named(slug)
    if partnership is None:
        raise Http404("No partnership has that name in its address: check the link, or see the training calendar.")
    return _calendar_page(request, partnership=partnership)


def _calendar_page(request, *, partnership):
    now = timezone.now()
    network = is_network()
    partnerships = list(Partnership.objects.values_list("slug", "name")) if network and partnership is None else []
    form = CalendarFilterForm(request.GET or None, themes=selectors.themes(), today=CalendarFilterForm.today(now),
                              partnerships=partnerships)
    filters, delivered_by = selectors.CalendarFilters(), ""
    if form.is_bound and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if v}
        delivered_by = values.pop("partnership", "")
        filters = selectors.CalendarFilters(**values)
    sessions = selectors.calendar_for(selectors.sessions_for_calendar(filters, now=now), request.user,
                                      network=network, partnership=partnership)
    if delivered_by:  # the filter narrows what the person sees at / to one partnership's sessions
        sessions = sessions.filter(course__partnership__slug=delivered_by)
    page = Paginator(sessions, PAGE_SIZE).get_page(request.GET.get("page"))
    _for_listing(page.object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    here = reverse("partnership_calendar", args=[partnership.slug]) if partnership else reverse("home")
    return render(request, "courses/calendar.html", {
        "form": form, "page": page, "sessions": page.object_list, "filtered": form.is_bound,
        "query": query.urlencode(), "network": network, "partnership": partnership, "here": here,
        "partnership_contact": contact_email_of(partnership) if partnership else "",
        "offers": open_offers(request.user, now=now), "evaluations_due": evaluations_due(request.user),
        "masthead": masthead(partnership),  # a partnership's page names it; /, the network
    })


def healthz(request):
    """For load balancers and uptime checks: the process answers (no database work)."""
    return HttpResponse("ok", content_type="text/plain")


def course_detail(request, pk: int):
    course = get_object_or_404(Course.objects.prefetch_related("prerequisites"), pk=pk, is_active=True)
    network = is_network()
    sessions = list(selectors.calendar_for(selectors.sessions_for_calendar(selectors.CalendarFilters(course=course.pk)),
                                           request.user, network=network, partnership=course.partnership_id))
    _for_listing(sessions, request.user)
    return render(request, "courses/course_detail.html", {"course": course, "sessions": sessions, "network": network})


def session_detail(request, pk: int):
    session = get_object_or_404(selectors.sessions_with_details(Session.objects.all()), pk=pk)
    show_link = session.pk in selectors.link_visible_for(request.user, [session])
    network = is_network()
    places, kept_note, _ = places_for_viewer([session], request.user, now=timezone.now())[session.pk]
    return render(
        request,
        "courses/session_detail.html",
        {
            "session": session,
            "course": session.course,
            "places": places,
            "kept_note": kept_note,
            "supported_by": selectors.supporting_agencies(session),
            "show_link": show_link,
            "past": session.ends_at < timezone.now(),
            "can_take_register": may(request.user, "take_register", session),
            "network": network,
            "partnership_contact": contact_email_of(session.course.partnership) if network else "",
            "can_manage_session": may(request.user, "manage_sessions", session),  # its partnership's business unit
        }
        | booking_panel(request, session),
    )
