"""Certificates and learning records as PDFs (ReportLab), with a QR code to the verification page."""

import io
from xml.sax.saxutils import escape

from django.conf import settings
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from lib.dates import to_london
from lib.pdf import BOLD, REGULAR, fit, grid, register, styles

BLUE = colors.HexColor("#1d70b8")


def _qr(c: canvas.Canvas, text: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(text)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.initialFontName = REGULAR  # the QR code has no text, but ReportLab would set Helvetica
    drawing.add(widget)
    renderPDF.draw(drawing, c, x, y)


def certificate_pdf(certificate) -> bytes:
    """One landscape A4 page. Long names and course titles wrap (and shrink a little) rather than
    run off the page or being cut."""
    register()
    booking = certificate.booking
    session, course, person = booking.session, booking.session.course, booking.person
    verify_url = settings.SITE_URL + certificate.get_absolute_url()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    left, text_width = 20 * mm, width - 40 * mm
    c = canvas.Canvas(buffer, pagesize=(width, height), initialFontName=REGULAR)
    c.setTitle(f"Certificate: {course.title}")
    c.setAuthor(settings.PARTNERSHIP_NAME)
    c.setFillColor(BLUE)
    c.rect(0, height - 30 * mm, width, 30 * mm, fill=1, stroke=0)
    c.setFillColor(colors.white)
    c.setFont(BOLD, 16)
    c.drawString(left, height - 18 * mm, settings.PARTNERSHIP_NAME)
    c.setFillColor(colors.black)
    y = height - 55 * mm

    def write(text: str, font: str, size: float, *, after: float, max_lines: int = 1) -> None:
        nonlocal y
        lines, size = fit(text, font=font, size=size, width=text_width, max_lines=max_lines)
        c.setFont(font, size)
        for index, line in enumerate(lines):
            if index:
                y -= size * 1.2
            c.drawString(left, y, line)
        y -= after

    write("This certifies that", REGULAR, 16, after=17 * mm)
    write(person.name, BOLD, 30, after=16 * mm, max_lines=2)
    write(f"of {person.agency.name if person.agency else 'no agency given'}", REGULAR, 16, after=12 * mm,
          max_lines=2)
    write("completed the multi-agency safeguarding course", REGULAR, 16, after=14 * mm)
    write(course.title, BOLD, 20, after=14 * mm, max_lines=2)
    days = ", ".join(f"{to_london(p.starts_at):%-d %B %Y}" for p in session.parts.all())
    write(f"Level: {course.get_level_display()} · Date: {days}", REGULAR, 14, after=10 * mm, max_lines=2)
    write(f"Learning hours: {certificate.learning_minutes / 60:g}", REGULAR, 14, after=10 * mm)
    if certificate.expires_on:
        write(f"Refresh by: {certificate.expires_on:%-d %B %Y}", REGULAR, 14, after=10 * mm)
    c.setFont(REGULAR, 11)
    c.drawString(left, 25 * mm, f"Verification code: {certificate.code}")
    c.drawString(left, 18 * mm, f"Check it at {verify_url}")
    _qr(c, verify_url, width - 60 * mm, 15 * mm, 40 * mm)
    c.showPage()
    c.save()
    return buffer.getvalue()


def learning_record_pdf(person, rows: list[dict], worked: list) -> bytes:
    """A person's courses and digital resources, as A4 tables that wrap and run on to more pages."""
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm,
                            bottomMargin=20 * mm, title=f"Learning record: {person.name}",
                            author=settings.PARTNERSHIP_NAME, initialFontName=REGULAR)
    st = styles()
    story = [
        Paragraph(escape(f"Learning record: {person.name}"), st["Title"]),
        Paragraph(escape(f"{person.agency.name + '. ' if person.agency else ''}{settings.PARTNERSHIP_NAME}"),
                  st["Normal"]),
        Spacer(1, 6 * mm),
        Paragraph("Courses attended", st["Heading2"]),
    ]
    if rows:
        story.append(grid([["Date", "Course", "Level", "Hours", "Outcome", "Certificate"]] + [
            [str(r["date"]), r["course"], r["level"], f"{r['hours']:g}", r["outcome"], r["certificate"] or ""]
            for r in rows
        ], [22 * mm, 50 * mm, 30 * mm, 16 * mm, 26 * mm, 26 * mm]))
    else:
        story.append(Paragraph("None yet.", st["Normal"]))
    story += [Spacer(1, 6 * mm), Paragraph("Digital resources worked through", st["Heading2"])]
    if worked:
        story.append(grid([["Date", "Resource"]] + [[f"{to_london(w.at):%-d %B %Y}", w.resource.title]
                                                     for w in worked], [34 * mm, 136 * mm]))
    else:
        story.append(Paragraph("None yet.", st["Normal"]))
    doc.build(story)
    return buffer.getvalue()
