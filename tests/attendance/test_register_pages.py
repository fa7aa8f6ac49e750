from django.utils import timezone

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
    client.post(f"/sessions/{past_session.pk}/register/", {"action": "close"})
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
    client.force_login(trainer)
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = ("Name,First Join,Last Leave,In-Meeting Duration,Email,Role\n"
              "Priya Shah,x,y,6h 30m,priya@halton.gov.uk,Attendee\n"
              "Guest,x,y,1h,guest@example.org,Attendee\n")
    page = client.post(f"/sessions/{past_session.pk}/register/",
                       {"action": "teams", "report": SimpleUploadedFile("report.csv", report.encode())})
    body = page.content.decode()
    assert "guest@example.org" in body and "Pre-filled 1 marks" in body


def test_nobody_else_sees_the_register(client, past_session, practitioner, finance):
    for person in (practitioner, finance):
        client.force_login(person)
        assert client.get(f"/sessions/{past_session.pk}/register/").status_code == 403


def test_trainer_sees_their_sessions(client, past_session, trainer):
    client.force_login(trainer)
    page = client.get("/teaching/").content.decode()
    assert "Take the register" in page
