from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from attendance import pdf, selectors, services
from attendance.models import Correction
from attendance.selectors import sessions_delivered_by
from bookings.models import Booking
from bookings.services.register import LATE_RULE
from courses.models import Session
from lib.errors import DomainError, Invalid
from lib.params import whole_number
from people.permissions import may, require


def _session(request, pk: int) -> Session:
    session = get_object_or_404(Session.objects.select_related("course"), pk=pk)
    require(request.user, "take_register", session)
    return session


@login_required
def my_sessions(request):
    """The sessions a trainer delivers: registers to take first, then what is coming, then what is done."""
    return render(request, "attendance/my_sessions.html",
                  {"sessions": sessions_delivered_by(request.user, now=timezone.now())})


@login_required
def sign_in_sheet(request, pk: int):
    """The register's people as a paper sign-in sheet (PDF), with spare rows for walk-ins."""
    session = _session(request, pk)
    body = pdf.sign_in_sheet_pdf(session, list(services.register_rows(session)), late_rule=LATE_RULE)
    response = HttpResponse(body, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sign-in-sheet-{session.pk}.pdf"'
    return response


def _save_marks(request, session) -> dict | None:
    marks = [(b.pk, request.POST[f"outcome-{b.pk}"]) for b in services.register_rows(session)
             if request.POST.get(f"outcome-{b.pk}")]
    services.mark(session, marks, by=request.user)
    messages.success(request, f"Saved {len(marks)} mark{'s' if len(marks) != 1 else ''}.")


def _mark_all_attended(request, session) -> dict | None:
    count = services.mark_all_attended(session, by=request.user)
    messages.success(request, f"Marked {count} people attended.")


def _add_walk_in(request, session) -> dict | None:
    booking = services.add_walk_in(session, email=request.POST.get("email", ""), by=request.user)
    messages.success(request, f"Added {booking.person.name} as a walk-in, marked attended.")


def _apply_teams_report(request, session) -> dict | None:
    """Pre-fill marks from the uploaded report; the page then lists whom it matched and whom it did not."""
    upload = request.FILES.get("report")
    if upload is None:
        raise Invalid("Choose the Teams attendance report (CSV) to upload.", field="report")
    teams = services.apply_teams_report(session, upload.read(), by=request.user)
    messages.success(request, f"Pre-filled {len(teams.marked)} marks from the Teams report.")
    return {"teams": teams}


def _close(request, session) -> dict | None:
    """Close the register; when some places are unmarked, first ask (closing makes them no-shows)."""
    not_marked = list(services.unmarked(session))
    if not_marked and request.POST.get("confirm") != "yes":
        return {"confirm_close": not_marked}
    services.close_register(session, by=request.user)
    messages.success(request, "The register is closed. No-show charges have gone to finance.")


def _correct(request, session) -> dict | None:
    booking = get_object_or_404(Booking, pk=whole_number(request.POST.get("booking")), session=session)
    services.correct_mark(booking, outcome=request.POST.get("outcome", ""),
                          reason=request.POST.get("reason", ""), by=request.user)
    messages.success(request, f"Corrected {booking.person.name}'s mark.")


# One view a button on the register page: each does its one thing and says what it did. Those that
# need the page shown again (a Teams report's matches, the question before closing) return its context.
REGISTER_ACTIONS = {
    "save": _save_marks,
    "all_attended": _mark_all_attended,
    "walk_in": _add_walk_in,
    "teams": _apply_teams_report,
    "close": _close,
    "correct": _correct,
}


@login_required
def register(request, pk: int):
    """The register page; a POST runs the action its button names (REGISTER_ACTIONS), then shows the page."""
    session = _session(request, pk)
    shown = {}
    if request.method == "POST":
        act = REGISTER_ACTIONS.get(request.POST.get("action"))
        try:
            shown = (act(request, session) if act else None) or {}
        except DomainError as exc:
            messages.error(request, exc.message)
        if not shown:
            return redirect("register", pk=session.pk)
    return _register_page(request, session, teams=shown.get("teams"), confirm_close=shown.get("confirm_close"))


def _register_page(request, session, *, teams, confirm_close):
    reg = services.register_for(session)
    rows = list(services.register_rows(session))
    for row in rows:
        row.outcome = row.status if reg.closed else (row.mark.outcome if hasattr(row, "mark") else "")
    now = timezone.now()
    return render(request, "attendance/register.html", {
        "session": session, "register": reg, "rows": rows, "teams": teams, "confirm_close": confirm_close,
        "late_rule": LATE_RULE,
        "opens_at": selectors.register_opens_at(session),
        "marking": selectors.marking_open(session, closed=reg.closed, now=now),
        "can_correct": may(request.user, "correct_marks", session),
        "outcomes": [("attended", "Attended"), ("partial", "Partly"), ("no_show", "No-show")],
        "started": session.starts_at <= now,
        "corrections": Correction.objects.filter(booking__session=session).select_related("booking__person",
                                                                                          "corrected_by"),
    })
