import csv
import io

import pytest
import time_machine
from pypdf import PdfReader

from attendance.services import close_register, correct_mark, mark
from bookings.models import Booking
from certificates.models import Certificate, Evaluation
from certificates.services import remind_refreshers, send_follow_ups, submit_evaluation
from lib.dates import london
from lib.errors import Conflict, Invalid, NotAllowed
from tests.conftest import confirmed, sent

AFTER = london(2030, 3, 14, 17, 0)
GOOD = {"confidence_before": 2, "confidence_after": 4, "learning": "The ERASE tool.",
        "impact_statement": "I will use ERASE in my assessments."}


@pytest.fixture
def attended(past_session, practitioner, colleague, outsider, trainer):
    a, b, c = confirmed(past_session, practitioner, colleague, outsider)
    mark(past_session, [(a.pk, "attended"), (b.pk, "partial")], by=trainer, now=AFTER)
    close_register(past_session, by=trainer, now=AFTER)
    return [Booking.objects.get(pk=x.pk) for x in (a, b, c)]


def test_closing_the_register_asks_those_who_attended(attended):
    asked = [m.to[0] for m in sent() if m.subject.startswith("How was")]
    assert sorted(asked) == ["priya@halton.gov.uk", "tom@halton.gov.uk"]


def test_an_evaluation_earns_a_certificate_for_full_attendance(attended, practitioner):
    evaluation = submit_evaluation(attended[0], by=practitioner, **GOOD)
    assert evaluation.confidence_after == 4
    certificate = Certificate.objects.get()
    assert certificate.learning_minutes == 390
    assert any(m.subject.startswith("Your certificate") for m in sent())


def test_partial_attendance_earns_no_certificate_unless_the_course_allows(attended, colleague, course):
    submit_evaluation(attended[1], by=colleague, **GOOD)
    assert not Certificate.objects.exists()
    course.certificate_for_partial = True
    course.save()
    from certificates.services import issue_certificate

    issue_certificate(Booking.objects.get(pk=attended[1].pk))
    assert Certificate.objects.count() == 1


@pytest.mark.parametrize(("change", "error", "words"), [
    ({"confidence_before": 0}, Invalid, "1 to 5"),
    ({"confidence_after": 6}, Invalid, "1 to 5"),
    ({"impact_statement": "  "}, Invalid, "impact statement"),
])
def test_bad_evaluations_change_nothing(attended, practitioner, change, error, words):
    with pytest.raises(error, match=words):
        submit_evaluation(attended[0], by=practitioner, **(GOOD | change))
    assert not Evaluation.objects.exists()


def test_no_evaluation_twice_from_a_no_show_for_someone_else_or_before_the_close(attended, practitioner, outsider,
                                                                               make_session, colleague):
    submit_evaluation(attended[0], by=practitioner, **GOOD)
    with pytest.raises(Conflict, match="already evaluated"):
        submit_evaluation(attended[0], by=practitioner, **GOOD)
    with pytest.raises(Conflict, match="Only people who attended"):
        submit_evaluation(attended[2], by=outsider, **GOOD)
    with pytest.raises(NotAllowed):
        submit_evaluation(attended[1], by=practitioner, **GOOD)
    open_session = make_session(starts_at=london(2030, 3, 20, 9, 30))
    [booking] = confirmed(open_session, colleague)
    Booking.objects.filter(pk=booking.pk).update(status="attended")
    with pytest.raises(Conflict, match="not been closed"):
        submit_evaluation(Booking.objects.get(pk=booking.pk), by=colleague, **GOOD)


def test_evaluation_api(api_as, attended, practitioner, outsider):
    url = f"/api/v1/bookings/{attended[0].pk}/evaluation/"
    assert api_as(practitioner).post(url, GOOD | {"confidence_after": 9}, format="json").status_code == 400
    assert api_as(practitioner).post(url, GOOD, format="json").status_code == 201
    assert api_as(practitioner).post(url, GOOD, format="json").status_code == 409
    assert api_as(outsider).post(url, GOOD, format="json").status_code == 404
    data = api_as(practitioner).get("/api/v1/certificates/").json()["results"]
    assert data[0]["course"] == "Understanding Neglect and Local Procedures"
    assert data[0]["verify_url"].endswith(f"/certificates/verify/{data[0]['code']}/")


def test_the_certificate_pdf_names_the_person_and_the_course(client, attended, practitioner, colleague):
    submit_evaluation(attended[0], by=practitioner, **GOOD)
    code = Certificate.objects.get().code
    client.force_login(practitioner)
    response = client.get(f"/certificates/{code}.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Priya Shah" in text and "Understanding Neglect and Local Procedures" in text and code in text
    client.force_login(colleague)
    assert client.get(f"/certificates/{code}.pdf").status_code == 404  # someone else's


def test_anyone_verifies_a_certificate_and_unknown_codes_are_said_plainly(client, attended, practitioner):
    submit_evaluation(attended[0], by=practitioner, **GOOD)
    code = Certificate.objects.get().code
    page = client.get(f"/certificates/verify/{code}/")
    assert page.status_code == 200 and "This certificate is genuine" in page.content.decode()
    assert "Priya Shah" in page.content.decode()
    # the same hours as the certificate prints (6.5 for a 390-minute day), so a check can compare them
    assert 'Learning hours</dt><dd class="govuk-summary-list__value">6.5</dd>' in page.content.decode()
    client.force_login(practitioner)
    pdf = PdfReader(io.BytesIO(client.get(f"/certificates/{code}.pdf").content)).pages[0].extract_text()
    assert "Learning hours: 6.5" in pdf
    unknown = client.get("/certificates/verify/NOT-A-CODE/")
    assert unknown.status_code == 404 and "We do not know this certificate" in unknown.content.decode()


def test_a_two_day_course_names_both_days_on_the_certificate_and_its_check_page(client, practitioner, course):
    from courses.services import schedule_session
    from tests.conftest import part

    two_days = schedule_session(course, capacity=20, venue="Runcorn Town Hall", now=london(2029, 9, 1),
                                parts=[part(london(2029, 10, 1, 9, 30), 180), part(london(2029, 10, 8, 9, 30), 180)])
    booking = Booking.objects.create(session=two_days, person=practitioner, status="attended")
    certificate = Certificate.objects.create(booking=booking, learning_minutes=360)
    page = client.get(f"/certificates/verify/{certificate.code}/").content.decode()
    assert "1 October 2029, 8 October 2029" in page
    client.force_login(practitioner)
    pdf = PdfReader(io.BytesIO(client.get(f"/certificates/{certificate.code}.pdf").content)).pages[0].extract_text()
    assert "Date: 1 October 2029, 8 October 2029" in " ".join(pdf.split())


def test_correcting_to_no_show_revokes_the_certificate(client, attended, practitioner, business_unit):
    submit_evaluation(attended[0], by=practitioner, **GOOD)
    code = Certificate.objects.get().code
    correct_mark(attended[0], outcome="no_show", reason="Left at 10:00", by=business_unit)
    assert "has been revoked" in client.get(f"/certificates/verify/{code}/").content.decode()


def test_follow_up_is_asked_once_after_three_months(attended, practitioner):
    submit_evaluation(attended[0], by=practitioner, now=AFTER, **GOOD)
    sent().clear()
    assert send_follow_ups(now=london(2030, 5, 1)) == 0
    assert send_follow_ups(now=london(2030, 6, 15)) == 1
    assert send_follow_ups(now=london(2030, 6, 16)) == 0
    assert sent()[-1].subject.endswith("what has changed in your practice?")


def test_refresher_reminder_before_the_certificate_lapses(attended, practitioner, course):
    course.refresh_months = 36
    course.save()
    submit_evaluation(Booking.objects.get(pk=attended[0].pk), by=practitioner, **GOOD)
    assert str(Certificate.objects.get().expires_on) == "2033-03-14"
    assert remind_refreshers(now=london(2032, 12, 1)) == 0
    assert remind_refreshers(now=london(2033, 2, 1)) == 1
    assert remind_refreshers(now=london(2033, 2, 2)) == 0


def test_the_learning_record_matches_the_bookings_and_downloads(client, attended, practitioner):
    submit_evaluation(attended[0], by=practitioner, **GOOD)
    client.force_login(practitioner)
    page = client.get("/learning-record/").content.decode()
    assert "Understanding Neglect and Local Procedures" in page and "Download certificate" in page
    rows = list(csv.reader(io.StringIO(client.get("/learning-record/?format=csv").content.decode())))
    assert rows[0][:3] == ["date", "course", "level"]
    assert [r[1] for r in rows[1:]] == ["Understanding Neglect and Local Procedures"]
    pdf = client.get("/learning-record/?format=pdf")
    assert "Understanding Neglect" in PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()


def test_the_learning_record_gives_quarter_hours_as_they_are_everywhere(client, practitioner, make_session):
    short = make_session(starts_at=london(2029, 11, 1, 9, 30), minutes=195, now=london(2029, 10, 1))  # 3h15
    Booking.objects.create(session=short, person=practitioner, status="attended")
    client.force_login(practitioner)
    page = client.get("/learning-record/").content.decode()
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3.25</td>' in page
    rows = list(csv.reader(io.StringIO(client.get("/learning-record/?format=csv").content.decode())))
    assert rows[1][3] == "3.25"
    pdf = PdfReader(io.BytesIO(client.get("/learning-record/?format=pdf").content)).pages[0].extract_text()
    assert " 3.25 " in " ".join(pdf.split()) + " "


def test_agency_manager_sees_completions_and_overdue_evaluations(client, attended, agency_manager, practitioner):
    submit_evaluation(attended[0], by=practitioner, **GOOD)
    with time_machine.travel(london(2030, 4, 1, 9, 0), tick=False):  # past the day to evaluate by
        client.force_login(agency_manager)  # signed in then: a sign-in lasts a fortnight
        page = client.get("/agency/completions/").content.decode()
    assert "Priya Shah" in page and "Tom Walsh" in page
    assert "Overdue</strong> <span class=\"govuk-body-s\">(due by 28 Mar 2030)" in page
    assert "Olly Outsider" not in page


def test_an_evaluation_is_overdue_only_after_the_day_the_email_gave(client, attended, agency_manager):
    request = next(m for m in sent() if m.to == ["tom@halton.gov.uk"] and m.subject.startswith("How was"))
    assert "Please do it by 28 March 2030." in request.body  # 14 days after the register closed
    client.force_login(agency_manager)
    for moment, state in ((london(2030, 3, 14, 17, 5), "Asked, due by 28 Mar 2030"),
                          (london(2030, 3, 28, 23, 0), "Asked, due by 28 Mar 2030"),
                          (london(2030, 3, 29, 9, 0), "Overdue")):
        with time_machine.travel(moment, tick=False):
            client.force_login(agency_manager)
            rows = client.get("/agency/completions/").content.decode().split("<tbody")[1]
        assert state in rows, moment
        if state.startswith("Asked"):
            assert "Overdue" not in rows
    client.force_login(agency_manager)
    page = client.get("/agency/completions/").content.decode()
    assert "within 14 days" in page  # the page says the deadline it uses


def test_a_long_completions_list_is_paged_and_the_downloads_hold_every_row(
        client, agency_manager, make_session, make_person, halton):
    session = make_session(starts_at=london(2029, 5, 2, 9, 30), now=london(2029, 4, 1, 9, 0))
    for n in range(60):
        person = make_person(f"person{n:02d}@halton.gov.uk", halton, name=f"Person {n:02d}")
        Booking.objects.create(session=session, person=person, status="attended")
    client.force_login(agency_manager)
    first = client.get("/agency/completions/").content.decode()
    assert first.split("<tbody")[1].count('<tr class="govuk-table__row">') == 25
    assert "60 places attended, 25 to a page" in first and "Page 1 of 3" in first
    assert "Person 00" in first and "Person 25" not in first
    last = client.get("/agency/completions/", {"page": 3}).content.decode()
    assert last.split("<tbody")[1].count('<tr class="govuk-table__row">') == 10 and "Person 59" in last
    table = list(csv.reader(io.StringIO(client.get("/agency/completions/", {"export": "csv"}).content.decode())))
    assert len(table) == 61


def test_completions_filter_by_period_export_and_say_when_no_evaluation_was_asked(
        client, attended, agency_manager, practitioner, make_session, django_assert_max_num_queries):
    submit_evaluation(attended[0], by=practitioner, **GOOD)
    before_the_hub = make_session(starts_at=london(2029, 5, 2, 9, 30), now=london(2029, 4, 1, 9, 0))
    Booking.objects.create(session=before_the_hub, person=practitioner, status="attended")  # imported history
    with time_machine.travel(london(2030, 4, 1, 9, 0), tick=False):
        client.force_login(agency_manager)
        with django_assert_max_num_queries(8):  # however many registers the partnership has closed
            page = client.get("/agency/completions/").content.decode()
    rows = page.split("<tbody")[1]
    assert rows.count("Done") == 1 and rows.count("Overdue") == 1 and rows.count("Not asked") == 1

    page = client.get("/agency/completions/", {"from": "2030-01-01"}).content.decode()
    assert "2 places attended in this period" in page and "2 May 2029" not in page
    page = client.get("/agency/completions/", {"to": "2029-12-31"}).content.decode()
    assert "1 place attended in this period" in page and "2 May 2029" in page
    page = client.get("/agency/completions/", {"from": "last spring"}).content.decode()
    assert "from must be a date like 2024-04-01." in page

    with time_machine.travel(london(2030, 4, 1, 9, 0), tick=False):
        client.force_login(agency_manager)
        exported = client.get("/agency/completions/", {"from": "2030-01-01", "export": "csv"})
    assert exported["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(exported.content.decode())))
    assert table[0] == ["Course", "Level", "Person", "Email", "Date", "Outcome", "Current certificate",
                        "Refresh by", "Evaluation"]
    assert sorted((r[2], r[4], r[6], r[8]) for r in table[1:]) == [
        ("Priya Shah", "2030-03-14", "yes", "Done"), ("Tom Walsh", "2030-03-14", "no", "Overdue")]
    assert "Olly" not in exported.content.decode()  # another agency's person
    xlsx = client.get("/agency/completions/", {"export": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_business_unit_sees_confidence_change_and_searches_statements(client, attended, practitioner,
                                                                      business_unit):
    submit_evaluation(attended[0], by=practitioner, **GOOD)
    client.force_login(business_unit)
    page = client.get("/reports/evaluations/", {"q": "ERASE"}).content.decode()
    assert "50%" in page and "2.0" in page and "4.0" in page
    assert "I will use ERASE in my assessments." in page
    assert "ERASE" not in client.get("/reports/evaluations/", {"q": "nothing-like-it"}).content.decode().split(
        "Impact statements")[1].split("No impact statements")[0]


def test_practitioners_cannot_see_reports(client, practitioner):
    client.force_login(practitioner)
    assert client.get("/reports/evaluations/").status_code == 403
    assert client.get("/agency/completions/").status_code == 403


def test_my_bookings_and_the_learning_record_show_the_next_step(client, attended, practitioner, colleague):
    from certificates.services import evaluation_settings

    client.force_login(practitioner)
    for url in ("/bookings/", "/learning-record/"):
        assert f'href="/bookings/{attended[0].pk}/evaluation/"' in client.get(url).content.decode()
    submit_evaluation(attended[0], by=practitioner, **GOOD)
    code = Certificate.objects.get().code
    for url in ("/bookings/", "/learning-record/"):
        page = client.get(url).content.decode()
        assert f'href="/certificates/{code}.pdf"' in page and "/evaluation/" not in page

    settings = evaluation_settings()
    settings.partial_may_evaluate = False
    settings.save()
    client.force_login(colleague)  # partly attended, and now not asked
    for url in ("/bookings/", "/learning-record/"):
        assert "/evaluation/" not in client.get(url).content.decode()


def test_history_from_before_the_hub_offers_no_evaluation(client, make_session, practitioner):
    (old,) = confirmed(make_session(starts_at=london(2030, 2, 1, 9, 30)), practitioner)
    Booking.objects.filter(pk=old.pk).update(status="attended")  # as import_history records it: no register here
    client.force_login(practitioner)
    for url in ("/bookings/", "/learning-record/"):
        page = client.get(url).content.decode()
        assert old.session.course.title in page and "/evaluation/" not in page


def test_evaluations_due_are_read_in_two_queries_however_many(attended, make_session, practitioner, trainer,
                                                              django_assert_num_queries):
    from certificates.selectors import evaluations_due

    later = make_session(starts_at=london(2030, 3, 21, 9, 30), trainers=[trainer])
    (second,) = confirmed(later, practitioner)
    mark(later, [(second.pk, "attended")], by=trainer, now=london(2030, 3, 21, 17, 0))
    close_register(later, by=trainer, now=london(2030, 3, 21, 17, 0))
    with django_assert_num_queries(2):  # the bookings, and the evaluation settings
        due = evaluations_due(practitioner)
        assert [b.pk for b in due] == [attended[0].pk, second.pk]
        assert [b.session.course.title for b in due]


DEJAVU = {"DejaVu-Sans", "DejaVu-Sans-Bold"}  # the fonts embedded, as WeasyPrint names them


def pdf_fonts(content: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(content))
    return {str(font["/BaseFont"]).split("+")[-1] for page in reader.pages
            for font in page["/Resources"]["/Font"].values()}


def test_the_certificate_spells_every_name_and_never_cuts_the_course_title(client, attended, practitioner, course):
    title = "How to manage risk posed by sex offenders, domestic abuse and understanding the MAPPA process"
    course.title = title
    course.save()
    practitioner.name = "Łukasz Wójcik-Ștefănescu"  # Ł and Ș are not in PDF's own Helvetica
    practitioner.save()
    submit_evaluation(attended[0], by=practitioner, **GOOD)
    client.force_login(practitioner)
    for url in (f"/certificates/{Certificate.objects.get().code}.pdf", "/learning-record/?format=pdf"):
        content = client.get(url).content
        text = " ".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
        assert "Łukasz Wójcik-Ștefănescu" in text, url
        assert "How to manage risk posed by sex offenders, domestic abuse and" in text and "MAPPA process" in text
        assert pdf_fonts(content) <= DEJAVU, url  # no fallback font's black boxes


def test_the_longest_name_and_title_wrap_and_the_certificate_stays_one_page(client, attended, practitioner, course,
                                                                             halton):
    from courses.models import TITLE_MAX

    words = "Safeguarding children across the partnership together "
    course.title = (words * 5)[:TITLE_MAX].strip()
    course.refresh_months = 36  # one more line: Refresh by
    course.save()
    practitioner.name = ("Łukasz Wójcik-Ștefănescu " * 7)[:150].strip()
    practitioner.save()
    halton.name = ("Halton Borough Council Children's Services " * 5)[:200].strip()
    halton.save()
    submit_evaluation(attended[0], by=practitioner, **GOOD)
    client.force_login(practitioner)
    reader = PdfReader(io.BytesIO(client.get(f"/certificates/{Certificate.objects.get().code}.pdf").content))
    assert len(reader.pages) == 1
    text = "".join(reader.pages[0].extract_text().split())  # lines may break after a hyphen
    assert all("".join(whole.split()) in text for whole in (practitioner.name, course.title, halton.name))
    assert "Refreshby" in text and Certificate.objects.get().code in text  # the footer is on the same page


def test_downloads_never_carry_a_formula_someone_typed(client, attended, practitioner, agency_manager):
    """A name typed as a formula stays text in the agency manager's CSV and Excel (CSV injection)."""
    from openpyxl import load_workbook

    practitioner.name = '=HYPERLINK("http://evil.example","Click")'
    practitioner.save()
    client.force_login(agency_manager)
    table = list(csv.reader(io.StringIO(client.get("/agency/completions/", {"export": "csv"}).content.decode())))
    assert "'=HYPERLINK(\"http://evil.example\",\"Click\")" in [row[2] for row in table]
    book = load_workbook(io.BytesIO(client.get("/agency/completions/", {"export": "xlsx"}).content))
    cells = [cell for row in book.active.iter_rows() for cell in row if cell.value == practitioner.name]
    assert cells and all(cell.data_type == "s" for cell in cells)  # text, not a formula
    client.force_login(practitioner)
    own = client.get("/learning-record/?format=csv").content.decode()
    assert own.splitlines()[0] == "date,course,level,hours,outcome,certificate,evaluated,refresh_by"
