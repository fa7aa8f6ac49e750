import pytest
from django.utils import timezone

from attendance.models import Mark, Register
from bookings.models import Booking
from charging.models import Charge
from courses.models import Session
from tests.conftest import confirmed


def started(session):
    Session.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timezone.timedelta(hours=1))


def test_trainer_marks_and_closes_the_register_on_the_page(client, past_session, practitioner, colleague, trainer):
    a, b = confirmed(past_session, practitioner, colleague)
    started(past_session)
    client.force_login(trainer)
    page = client.get(f"/sessions/{past_session.pk}/register/").content.decode()
    assert "Arriving more than 30 minutes late counts as a no-show" in page
    assert "Priya Shah" in page and "Tom Walsh" in page
    client.post(f"/sessions/{past_session.pk}/register/", {"action": "save", f"outcome-{a.pk}": "attended"})
    asked = client.post(f"/sessions/{past_session.pk}/register/", {"action": "close"}).content.decode()
    assert "1 person is not marked" in asked and "Tom Walsh" in asked and "Close and make them no-shows" in asked
    assert not Register.objects.get(session=past_session).closed
    client.post(f"/sessions/{past_session.pk}/register/", {"action": "close", "confirm": "yes"})
    assert Booking.objects.get(pk=a.pk).status == "attended"
    assert Booking.objects.get(pk=b.pk).status == "no_show"
    assert Charge.objects.get().booking_id == b.pk
    page = client.get(f"/sessions/{past_session.pk}/register/").content.decode()
    assert "Only the business unit can correct a mark now" in page


def test_teams_upload_lists_the_unmatched(client, past_session, practitioner, trainer):
    confirmed(past_session, practitioner)
    past_session.format = "online"
    past_session.online_url = "https://teams.microsoft.com/l/x"
    past_session.save()
    started(past_session)
    client.force_login(trainer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = ("Name,First Join,Last Leave,In-Meeting Duration,Email,Role\n"
              "Priya Shah,x,y,6h 30m,priya@halton.gov.uk,Attendee\n"
              "Guest,x,y,1h,guest@example.org,Attendee\n")
    page = client.post(f"/sessions/{past_session.pk}/register/",
                       {"action": "teams", "report": SimpleUploadedFile("report.csv", report.encode())})
    body = page.content.decode()
    assert "guest@example.org" in body and "Pre-filled 1 marks" in body


def test_before_the_day_the_register_is_a_list_and_marks_are_refused(client, past_session, practitioner, trainer):
    (booking,) = confirmed(past_session, practitioner)
    client.force_login(trainer)
    page = client.get(f"/sessions/{past_session.pk}/register/").content.decode()
    assert "You can mark this register from Thursday 14 March 2030" in page and "Priya Shah" in page
    assert 'name="action"' not in page
    response = client.post(f"/sessions/{past_session.pk}/register/",
                           {"action": "save", f"outcome-{booking.pk}": "no_show"}, follow=True)
    assert "The register opens on the day of the session, 14 March 2030." in response.content.decode()
    assert not hasattr(Booking.objects.get(pk=booking.pk), "mark")


def test_a_register_is_to_take_from_the_morning_of_the_session(past_session, trainer):
    from attendance.selectors import sessions_delivered_by
    from lib.dates import london

    eve, morning = london(2030, 3, 13, 18, 0), london(2030, 3, 14, 8, 0)  # the session starts 14 March, 09:30
    assert [s.pk for s in sessions_delivered_by(trainer, now=eve).coming] == [past_session.pk]
    assert [s.pk for s in sessions_delivered_by(trainer, now=morning).to_take] == [past_session.pk]


def test_nobody_else_sees_the_register(client, past_session, practitioner, finance):
    for person in (practitioner, finance):
        client.force_login(person)
        assert client.get(f"/sessions/{past_session.pk}/register/").status_code == 403


def test_trainer_sees_registers_to_take_then_what_is_coming_then_what_is_done(
        client, make_session, course, trainer, practitioner, colleague, business_unit):
    from attendance.selectors import sessions_delivered_by
    from attendance.services import close_register, mark
    from courses import services as course_services

    course_services.add_to_pool(course, trainer)
    now = timezone.now()

    def starting(delta):
        return make_session(starts_at=now + delta, trainers=[trainer], now=now + delta - timezone.timedelta(days=30))

    done, today, ahead = (starting(timezone.timedelta(days=-7)), starting(timezone.timedelta(hours=-2)),
                          starting(timezone.timedelta(days=10)))
    went, missed = confirmed(done, practitioner, colleague)
    mark(done, [(went.pk, "attended")], by=trainer, now=now)
    close_register(done, by=trainer, now=now)
    confirmed(today, practitioner)
    confirmed(ahead, practitioner, colleague)
    starting(timezone.timedelta(days=20)).allocations.all().delete()  # someone else's session
    # Cancelled: ahead, it is still coming (to say it is off); once its day has passed, it is done with.
    called_off = course_services.cancel_session(starting(timezone.timedelta(days=12)), now=now)
    called_off_late = course_services.cancel_session(starting(timezone.timedelta(days=-3)), now=now)

    sessions = sessions_delivered_by(trainer, now=now)
    assert [[s.pk for s in group] for group in (sessions.to_take, sessions.coming, sessions.delivered)] == [
        [today.pk], [ahead.pk, called_off.pk], [called_off_late.pk, done.pk]]
    client.force_login(trainer)
    page = client.get("/teaching/").content.decode()
    to_take, coming, delivered = page.index("Registers to take"), page.index("Coming up"), page.index("Delivered")
    assert to_take < coming < delivered
    assert page.count("Take the register<") == 1 and page.index("Take the register<") < coming
    assert "2 of 20" in page[coming:delivered]
    assert "1 came, 1 did not" in page[delivered:]
    client.force_login(business_unit)  # allocated to nothing
    assert "You are not allocated to any sessions." in client.get("/teaching/").content.decode()


def test_the_trainer_prints_a_sign_in_sheet(client, past_session, practitioner, colleague, trainer, halton):
    import io

    from pypdf import PdfReader

    halton.name = "Halton Borough Council & Partners <Children's Services>"  # markup-like text stays text
    halton.save()
    confirmed(past_session, practitioner, colleague)
    client.force_login(trainer)
    assert "Print a sign-in sheet (PDF)" in client.get(f"/sessions/{past_session.pk}/register/").content.decode()
    response = client.get(f"/sessions/{past_session.pk}/register/sign-in-sheet.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Sign-in sheet: Understanding Neglect and Local Procedures" in text
    assert "Priya Shah" in text and "Tom Walsh" in text and "& Partners <Children's Services>" in text
    assert "Thursday 14 March 2030, 09:30" in text and "Signature" in text


def test_only_those_who_take_the_register_print_the_sheet(client, past_session, practitioner):
    client.force_login(practitioner)
    assert client.get(f"/sessions/{past_session.pk}/register/sign-in-sheet.pdf").status_code == 403


def test_the_business_unit_sees_registers_left_open(client, past_session, practitioner, trainer, business_unit,
                                                    make_session):
    from attendance.services import close_register

    confirmed(past_session, practitioner)
    Session.objects.filter(pk=past_session.pk).update(starts_at=timezone.now() - timezone.timedelta(days=3),
                                                      ends_at=timezone.now() - timezone.timedelta(days=3, hours=-6))
    done = make_session(starts_at=timezone.now() - timezone.timedelta(days=2), trainers=[trainer],
                        now=timezone.now() - timezone.timedelta(days=30))
    confirmed(done, practitioner)
    close_register(done, by=trainer)
    client.force_login(business_unit)
    page = client.get("/programme/").content.decode()
    assert "Registers still open after the session" in page
    assert f'href="/sessions/{past_session.pk}/register/"' in page and "Sam Hughes" in page
    assert f'href="/sessions/{done.pk}/register/"' not in page


def test_the_sign_in_sheet_spells_every_name(client, past_session, practitioner, trainer):
    import io

    from pypdf import PdfReader

    from tests.certificates.test_evaluations_and_certificates import DEJAVU, pdf_fonts

    practitioner.name = "Łukasz Wójcik-Ștefănescu"
    practitioner.save()
    confirmed(past_session, practitioner)
    client.force_login(trainer)
    content = client.get(f"/sessions/{past_session.pk}/register/sign-in-sheet.pdf").content
    text = "".join(PdfReader(io.BytesIO(content)).pages[0].extract_text().split())  # the name may wrap
    assert "ŁukaszWójcik-Ștefănescu" in text
    assert pdf_fonts(content) <= DEJAVU


@pytest.mark.parametrize("raw, message", [
    (b"\xff\xfe" + "Name\tEmail\tDuration\n".encode("utf-16-le") + b"a", "cannot be read as UTF-16"),
    (b"\xff\xfe" + "Name\tEmail\tDuration\n".encode("utf-16-le") + b"\x00\xd8", "cannot be read as UTF-16"),
    (b"Name,Email,Duration\n\xff,a,b\n", "cannot be read as UTF-8"),
    (("Name,Email,Duration\n\"" + "x" * 140_000 + "\",a@b.example,1m\n").encode(), "Line 2 of the report"),
    (("Name,Email,Duration\nx," + "y" * 3000 + ",1m\n").encode(), "Line 2 of the report"),
    (b"Name,Email,Duration\n" + b"x" * (2 * 1024 * 1024), "2 MB or less"),
])
def test_a_teams_report_that_cannot_be_read_is_a_message_and_marks_nothing(
        client, past_session, practitioner, trainer, raw, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    confirmed(past_session, practitioner)
    past_session.format = "online"
    past_session.online_url = "https://teams.microsoft.com/l/x"
    past_session.save()
    started(past_session)
    client.force_login(trainer)
    response = client.post(f"/sessions/{past_session.pk}/register/",
                           {"action": "teams", "report": SimpleUploadedFile("report.csv", raw)}, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Mark.objects.exists()


def test_a_teams_report_far_past_the_limit_is_refused_before_it_is_read(client, past_session, trainer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(trainer)
    response = client.post(f"/sessions/{past_session.pk}/register/",
                           {"action": "teams", "report": SimpleUploadedFile("report.csv", b"x" * 3 * 1024 * 1024)})
    assert response.status_code == 413
    assert "files up to 2 MB" in response.content.decode()
