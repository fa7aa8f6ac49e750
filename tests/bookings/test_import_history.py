import pytest
from django.core.management import CommandError, call_command

from bookings.models import Booking
from courses.models import Session

HEADER = "email,name,agency_code,course_title,level,session_start,session_end,outcome,booked_at\n"
ROWS = (
    "priya@halton.gov.uk,Priya Shah,halton-bc,Educational Neglect,basic,2024-05-14T09:30:00+01:00,"
    "2024-05-14T12:30:00+01:00,attended,2024-04-01T10:00:00+01:00\n"
    "sam@cheshire.police.uk,Sam Hughes,cheshire-police,Educational Neglect,basic,2024-05-14T09:30:00+01:00,"
    "2024-05-14T12:30:00+01:00,no_show,2024-04-02T10:00:00+01:00\n"
    "grace@bridgewater.nhs.uk,Grace Okafor,bridgewater,Prevent,basic,2024-06-04T12:30:00+01:00,"
    "2024-06-04T13:30:00+01:00,confirmed,2024-05-02T10:00:00+01:00\n"
)


def write(tmp_path, text):
    path = tmp_path / "history.csv"
    path.write_text(text)
    return path


def test_history_comes_in_once_creating_what_is_missing(tmp_path, db, capsys):
    path = write(tmp_path, HEADER + ROWS)
    call_command("import_history", str(path))
    assert "3 bookings imported" in capsys.readouterr().out
    assert Booking.objects.count() == 3
    assert Session.objects.count() == 2
    assert sorted(Booking.objects.values_list("status", flat=True)) == ["attended", "confirmed", "no_show"]
    call_command("import_history", str(path))
    assert "0 bookings imported, 3 already there" in capsys.readouterr().out
    assert Booking.objects.count() == 3


def test_a_bad_row_stops_the_whole_file_and_names_its_line(tmp_path, db):
    bad = ROWS + ("x@halton.gov.uk,X,halton-bc,Prevent,expert,2024-06-04T12:30:00+01:00,"
                  "2024-06-04T13:30:00+01:00,confirmed,2024-05-02T10:00:00+01:00\n"
                  "y@halton.gov.uk,Y,halton-bc,Prevent,basic,2024-06-04T12:30:00,"
                  "2024-06-04T13:30:00+01:00,confirmed,2024-05-02T10:00:00+01:00\n"
                  "z@halton.gov.uk,Z,halton-bc,Prevent,basic,2024-06-04T12:30:00+01:00,"
                  "2024-06-04T13:30:00+01:00,lost,2024-05-02T10:00:00+01:00\n")
    with pytest.raises(CommandError) as error:
        call_command("import_history", str(write(tmp_path, HEADER + bad)))
    message = str(error.value)
    assert "line 5, column 5 (level): level 'expert'" in message
    assert "line 6, column 6 (session_start): session_start" in message and "no offset" in message
    assert "line 7, column 8 (outcome): outcome 'lost'" in message
    assert not Booking.objects.exists()


def test_a_wrong_header_is_refused(tmp_path, db):
    with pytest.raises(CommandError, match="line 1: the header must be"):
        call_command("import_history", str(write(tmp_path, "email,name\n")))


def test_imported_past_confirmed_bookings_wait_on_a_register(tmp_path, db, business_unit, client):
    call_command("import_history", str(write(tmp_path, HEADER + ROWS)))
    session = Session.objects.get(course__title="Prevent")
    client.force_login(business_unit)
    page = client.get(f"/sessions/{session.pk}/register/").content.decode()
    assert "Grace Okafor" in page and "Close the register" in page


def _row(**values) -> str:
    row = dict(zip(HEADER.strip().split(","), ROWS.splitlines()[0].split(","), strict=True)) | values
    return ",".join(row.values()) + "\n"


def test_a_file_that_is_not_utf8_names_the_line_and_column_and_imports_nothing(tmp_path, db):
    path = tmp_path / "history.csv"
    path.write_bytes((HEADER + ROWS).encode() + b"ann@halton.gov.uk,Ann \xe9toile,halton-bc\n")
    with pytest.raises(CommandError, match=r"line 5, column 23 \(byte \d+\) is not UTF-8"):
        call_command("import_history", str(path))
    assert not Booking.objects.exists()


@pytest.mark.parametrize(("row", "where"), [
    (_row(name="Nul\x00Name"), "line 3, column 2 (name): name holds a control character"),
    (_row(name="Esc\x1b[31m"), "line 3, column 2 (name): name must not contain control characters"),
    (_row(name="https://evil.example"), "line 3, column 2 (name): name must not contain a web address"),
    (_row(name="N" * 151), "line 3, column 2 (name): name is 151 characters long: the most is 150"),
    (_row(course_title="T" * 201), "line 3, column 4 (course_title): course_title is 201 characters long"),
    (_row(agency_code="a" * 41), "line 3, column 3 (agency_code): agency_code is 41 characters long"),
    (_row(email="a" * 250 + "@halton.gov.uk"), "line 3, column 1 (email): email is 264 characters long"),
    (_row(outcome="atten\x01ded"), "line 3, column 8 (outcome): outcome holds a control character"),
    (_row(name='"' + "x" * 140_000 + '"'), "line 3: field larger than field limit"),
])
def test_a_bad_field_ends_in_a_command_error_naming_line_and_column_and_nothing_is_saved(tmp_path, db, row, where):
    from courses.models import Course
    from people.models import Agency, Person

    with pytest.raises(CommandError) as error:
        call_command("import_history", str(write(tmp_path, HEADER + ROWS.splitlines(keepends=True)[0] + row)))
    assert where in str(error.value)
    assert not Booking.objects.exists() and not Person.objects.exists() and not Course.objects.exists()
    assert not Agency.objects.exists()
