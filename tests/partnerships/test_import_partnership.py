"""import_history's optional partnership column: whose booking system a row comes from (default: the first)."""

import pytest
from django.core.management import CommandError, call_command

from bookings.models import Booking
from courses.models import Course
from people.models import Agency, Partnership, Person
from people.partnerships import default_partnership, home_partnership_id
from people.selectors import agency_partnerships

HEADER = "email,name,agency_code,course_title,level,session_start,session_end,outcome,booked_at,partnership\n"


def row(email="olly@cheshire.police.uk", agency="cheshire-police", title="Educational Neglect", partnership="",
        start="2024-05-14T09:30:00+01:00", end="2024-05-14T12:30:00+01:00") -> str:
    return f"{email},Olly Jones,{agency},{title},basic,{start},{end},attended,2024-04-01T10:00:00+01:00,{partnership}\n"


@pytest.fixture
def warrington(db):
    default_partnership()
    return Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")


def _import(tmp_path, text: str) -> None:
    path = tmp_path / "history.csv"
    path.write_text(text)
    call_command("import_history", str(path))


def test_rows_go_to_the_partnership_they_name(tmp_path, warrington):
    _import(tmp_path, HEADER + row(partnership="warrington")
            + row(email="wendy@warrington.gov.uk", agency="warrington-bc", partnership="warrington")
            + row(email="priya@halton.gov.uk", agency="halton-bc", title="Prevent"))
    assert set(Course.objects.values_list("title", "partnership__slug")) == {
        ("Educational Neglect", "warrington"), ("Prevent", "halton")}
    assert Booking.objects.filter(session__course__partnership=warrington).count() == 2
    assert [p.slug for p in agency_partnerships(Agency.objects.get(code="warrington-bc"))] == ["warrington"]
    assert [p.slug for p in agency_partnerships(Agency.objects.get(code="halton-bc"))] == ["halton"]
    assert Person.objects.get(email="wendy@warrington.gov.uk").home_partnership == warrington
    assert Person.objects.get(email="priya@halton.gov.uk").home_partnership is None


def test_a_known_agency_joins_the_partnership_its_staff_booked_with(tmp_path, warrington, police):
    _import(tmp_path, HEADER + row(partnership="warrington"))
    assert [p.slug for p in agency_partnerships(police)] == ["halton", "warrington"]


def test_the_same_file_twice_adds_nothing(tmp_path, warrington, capsys):
    text = HEADER + row(partnership="warrington") + row(email="p@halton.gov.uk", agency="halton-bc", title="Prevent")
    _import(tmp_path, text)
    _import(tmp_path, text)
    assert "0 bookings imported, 2 already there" in capsys.readouterr().out
    assert Booking.objects.count() == 2 and Course.objects.count() == 2


def test_the_column_may_stand_anywhere(tmp_path, warrington):
    header = "partnership,email,name,agency_code,course_title,level,session_start,session_end,outcome,booked_at\n"
    line = row(partnership="").rstrip(",\n")
    _import(tmp_path, header + "warrington," + line + "\n")
    assert Booking.objects.get().session.course.partnership == warrington


def test_without_the_column_everything_goes_to_the_first(tmp_path, warrington):
    _import(tmp_path, HEADER.replace(",partnership", "") + row().rstrip(",\n") + "\n")
    assert Course.objects.get().partnership == default_partnership()
    assert home_partnership_id(Person.objects.get()) == default_partnership().pk


@pytest.mark.parametrize(("value", "words"), [
    ("wigan", "line 2, column 10 (partnership): partnership 'wigan' is not a partnership on the hub: choose one of "
              "halton, warrington, add it with manage.py add_partnership, or leave it empty for halton"),
    ("warr\x07ington", "line 2, column 10 (partnership): partnership holds a control character"),
    ("warrington\x1b[0m", "line 2, column 10 (partnership): partnership holds a control character"),
    ("w" * 41, "line 2, column 10 (partnership): partnership is 41 characters long: the most is 40"),
    ("Warrington", "partnership 'Warrington' is not a partnership on the hub"),
])
def test_a_bad_partnership_stops_the_whole_file(tmp_path, warrington, value, words):
    text = HEADER + row(email="p@halton.gov.uk", agency="halton-bc") + row(partnership=value)
    with pytest.raises(CommandError) as error:
        _import(tmp_path, text)
    assert words.replace("line 2", "line 3") in str(error.value)
    assert not Booking.objects.exists() and not Person.objects.exists() and not Course.objects.exists()


def test_a_title_another_partnership_delivers_gets_a_course_of_its_own(tmp_path, warrington, make_course):
    halton_s = make_course(title="Educational Neglect")
    header = "partnership,email,name,agency_code,course_title,level,session_start,session_end,outcome,booked_at\n"
    _import(tmp_path, header + "warrington," + row(partnership="").rstrip(",\n") + "\n")
    booking = Booking.objects.get()
    assert booking.session.course.partnership == warrington and booking.session.course.title == "Educational Neglect"
    assert booking.session.course != halton_s and not halton_s.sessions.exists()


def test_one_title_in_two_partnerships_rows_makes_a_course_for_each(tmp_path, warrington, capsys):
    text = (HEADER + row(partnership="warrington")
            + row(email="p@halton.gov.uk", agency="halton-bc", title="EDUCATIONAL NEGLECT")
            + row(email="w@warrington.gov.uk", agency="warrington-bc", title="educational neglect",
                  partnership="warrington")
            + row(email="q@halton.gov.uk", agency="halton-bc", title="Educational Neglect"))
    _import(tmp_path, text)
    assert sorted(Course.objects.values_list("partnership__slug", "title")) == [
        ("halton", "EDUCATIONAL NEGLECT"), ("warrington", "Educational Neglect")]  # each found in any capitals
    assert sorted(Booking.objects.values_list("session__course__partnership__slug", "person__email")) == [
        ("halton", "p@halton.gov.uk"), ("halton", "q@halton.gov.uk"),
        ("warrington", "olly@cheshire.police.uk"), ("warrington", "w@warrington.gov.uk")]
    _import(tmp_path, text)  # the same file again finds each partnership's course and adds nothing
    assert "0 bookings imported, 4 already there" in capsys.readouterr().out
    assert Course.objects.count() == 2 and Booking.objects.count() == 4


def test_the_column_twice_is_a_wrong_header(tmp_path, warrington):
    with pytest.raises(CommandError, match="line 1: the header must be .* \\(and, if you like, partnership\\)"):
        _import(tmp_path, HEADER.rstrip("\n") + ",partnership\n" + row().rstrip("\n") + ",\n")
