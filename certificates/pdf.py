"""Certificates and learning records as PDFs (ReportLab), with a QR code to the verification page."""

import io

from django.conf import settings
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from lib.dates import to_london

BLUE = colors.HexColor("#1d70b8")


def _qr(c: canvas.Canvas, text: str, x: float, y: float, size: float) -> None:
    widget = QrCodeWidget(text)
    left, bottom, right, top = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (right - left), 0, 0, size / (top - bottom), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, c, x, y)


def certificate_pdf(certificate) -> bytes:
    booking = certificate.booking
    session, course, person = booking.session, booking.session.course, booking.person
    verify_url = settings.SITE_URL + certificate.get_absolute_url()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    c = canvas.Canvas(buffer, pagesize=(width, height))
    c.setTitle(f"Certificate: {course.title}")
    c.setAuthor(settings.PARTNERSHIP_NAME)
    c.setFillColor(BLUE)
    c.rect(0, height - 30 * mm, width, 30 * mm, fill=1, stroke=0)
    c.setFillColor(colors.white)
    c.setFont("Helvetica-Bold", 16)
    c.drawString(20 * mm, height - 18 * mm, settings.PARTNERSHIP_NAME)
    c.setFillColor(colors.black)
    c.setFont("Helvetica", 16)
    c.drawString(20 * mm, height - 55 * mm, "This certifies that")
    c.setFont("Helvetica-Bold", 30)
    c.drawString(20 * mm, height - 72 * mm, person.name)
    c.setFont("Helvetica", 16)
    c.drawString(20 * mm, height - 88 * mm, f"of {person.agency.name if person.agency else 'no agency given'}")
    c.drawString(20 * mm, height - 100 * mm, "completed the multi-agency safeguarding course")
    c.setFont("Helvetica-Bold", 20)
    c.drawString(20 * mm, height - 114 * mm, course.title[:80])
    c.setFont("Helvetica", 14)
    days = ", ".join(f"{to_london(p.starts_at):%-d %B %Y}" for p in session.parts.all())
    hours = certificate.learning_minutes / 60
    c.drawString(20 * mm, height - 128 * mm, f"Level: {course.get_level_display()}    Date: {days}")
    c.drawString(20 * mm, height - 138 * mm, f"Learning hours: {hours:g}")
    if certificate.expires_on:
        c.drawString(20 * mm, height - 148 * mm, f"Refresh by: {certificate.expires_on:%-d %B %Y}")
    c.setFont("Helvetica", 11)
    c.drawString(20 * mm, 25 * mm, f"Verification code: {certificate.code}")
    c.drawString(20 * mm, 18 * mm, f"Check it at {verify_url}")
    _qr(c, verify_url, width - 60 * mm, 15 * mm, 40 * mm)
    c.showPage()
    c.save()
    return buffer.getvalue()


def learning_record_pdf(person, rows: list[dict], worked: list) -> bytes:
    buffer = io.BytesIO()
    width, height = A4
    c = canvas.Canvas(buffer, pagesize=A4)
    c.setTitle(f"Learning record: {person.name}")
    y = height - 25 * mm

    def line(text: str, font: str = "Helvetica", size: int = 11, gap: float = 6 * mm) -> None:
        nonlocal y
        if y < 20 * mm:
            c.showPage()
            y = height - 20 * mm
        c.setFont(font, size)
        c.drawString(20 * mm, y, text[:110])
        y -= gap

    line(f"Learning record: {person.name}", "Helvetica-Bold", 18, 9 * mm)
    line(f"{person.agency.name if person.agency else ''}    {settings.PARTNERSHIP_NAME}", size=10, gap=10 * mm)
    line("Courses attended", "Helvetica-Bold", 13, 8 * mm)
    for row in rows:
        line(f"{row['date']}  {row['course']} ({row['level']}), {row['hours']:g} h, {row['outcome']}"
             f"{', certificate ' + row['certificate'] if row['certificate'] else ''}")
    if not rows:
        line("None yet.")
    y -= 4 * mm
    line("Digital resources worked through", "Helvetica-Bold", 13, 8 * mm)
    for w in worked:
        line(f"{to_london(w.at):%-d %B %Y}  {w.resource.title}")
    if not worked:
        line("None yet.")
    c.showPage()
    c.save()
    return buffer.getvalue()
