"""A paper sign-in sheet for a session: the room's back-up when there is no signal, and the proof of
attendance some partnerships ask for (people sign in person)."""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from lib.dates import to_london
from lib.pdf import REGULAR, grid
from lib.pdf import styles as pdf_styles

BLANK_ROWS = 5  # for walk-ins, added to the register afterwards


def sign_in_sheet_pdf(session, rows, *, late_rule: str) -> bytes:
    """`rows`: the register's rows (bookings with person and agency)."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                            bottomMargin=15 * mm, title=f"Sign-in sheet: {session.course.title}",
                            author=settings.PARTNERSHIP_NAME, initialFontName=REGULAR)
    styles = pdf_styles()
    parts = ", ".join(f"{to_london(p.starts_at):%A %-d %B %Y, %H:%M} to {to_london(p.ends_at):%H:%M}"
                      for p in session.parts.all())
    trainers = ", ".join(a.person.name for a in session.allocations.select_related("person"))
    story = [
        Paragraph(escape(f"Sign-in sheet: {session.course.title}"), styles["Title"]),
        Paragraph(escape(parts), styles["Normal"]),
        Paragraph(escape(f"{session.venue or 'Online'}{f'. Trainers: {trainers}' if trainers else ''}"),
                  styles["Normal"]),
        Paragraph(escape(f"{late_rule} Please sign when you arrive."), styles["Normal"]),
        Spacer(1, 6 * mm),
    ]
    table = [["", "Name", "Agency", "Arrived", "Signature"]]
    for n, row in enumerate(rows, 1):
        table.append([str(n), row.person.name, str(row.person.agency or ""), "", ""])
    for n in range(len(rows) + 1, len(rows) + 1 + BLANK_ROWS):
        table.append([str(n), "", "", "", ""])
    story.append(grid(table, [8 * mm, 45 * mm, 62 * mm, 20 * mm, 45 * mm],
                      row_heights=[8 * mm] + [11 * mm] * (len(table) - 1)))
    story.append(Spacer(1, 6 * mm))
    story.append(Paragraph(escape(f"{settings.PARTNERSHIP_NAME}. Walk-ins: add them to the register on the hub "
                                  "with their work email."), styles["Italic"]))
    doc.build(story)
    return buffer.getvalue()
