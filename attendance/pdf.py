"""A paper sign-in sheet for a session: the room's back-up when there is no signal, and the proof of
attendance some partnerships ask for (people sign in person)."""

from lib.dates import to_london
from lib.pdf import render_pdf
from people.partnerships import masthead

BLANK_ROWS = 5  # for walk-ins, added to the register afterwards


def sign_in_sheet_pdf(session, rows, *, late_rule: str) -> bytes:
    """`rows`: the register's rows (bookings with person and agency)."""
    return render_pdf("pdf/sign_in_sheet.html", {
        "session": session, "rows": rows, "late_rule": late_rule,
        "parts": ", ".join(f"{to_london(p.starts_at):%A %-d %B %Y, %H:%M} to {to_london(p.ends_at):%H:%M}"
                           for p in session.parts.all()),
        "trainers": ", ".join(a.person.name for a in session.allocations.select_related("person")),
        "blanks": range(len(rows) + 1, len(rows) + 1 + BLANK_ROWS),
        "partnership_name": masthead(session.course.partnership).name,  # on a network, the delivering one
    }, title=f"Sign-in sheet: {session.course.title}")
