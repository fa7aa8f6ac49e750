"""Certificates and learning records as tagged PDFs, the certificate with a QR code to its check page."""

import segno
from django.conf import settings

from lib.pdf import render_pdf
from people.partnerships import masthead


def _size(text: str, *, large: float, small: float, longest_large: int) -> float:
    """A long name, agency or course title is set smaller, so that the certificate stays one page even
    at the longest the database holds (a test checks this); it wraps, and is never cut."""
    return large if len(text) <= longest_large else small


def certificate_pdf(certificate) -> bytes:
    """One landscape A4 page."""
    booking = certificate.booking
    course, person = booking.session.course, booking.person
    verify_url = settings.SITE_URL + certificate.get_absolute_url()
    agency = person.agency.name if person.agency else "no agency given"
    return render_pdf("pdf/certificate.html", {
        "certificate": certificate, "person": person, "course": course, "session": booking.session,
        "verify_url": verify_url, "agency": agency,
        "name_size": _size(person.name, large=30, small=18, longest_large=40),
        "agency_size": _size(agency, large=16, small=12, longest_large=70),
        "title_size": _size(course.title, large=20, small=14, longest_large=90),
        "qr_code": segno.make(verify_url, error="m").svg_data_uri(border=0),
        "partnership_name": masthead(course.partnership).name,  # on a network, the partnership that delivered it
    }, title=f"Certificate: {course.title}")


def learning_record_pdf(person, rows: list[dict], worked: list) -> bytes:
    """A person's courses and digital resources, as A4 tables that wrap and run on to more pages."""
    return render_pdf("pdf/learning_record.html", {"person": person, "rows": rows, "worked": worked,
                                                   "partnership_name": masthead().name},  # on a network, its name
                      title=f"Learning record: {person.name}")
