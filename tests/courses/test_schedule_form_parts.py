"""The schedule form's parts: one to start with, "Add another part" (GOV.UK's add-another pattern, no
JavaScript needed), "Remove part N", the later parts marked optional, and an example date to come."""

import re
from datetime import date, timedelta

from courses import services
from courses.models import Session
from lib.dates import london
from tests.conftest import part
from tests.courses.test_pages import form_data


def _example(page: str) -> date:
    day, month, year = re.search(r"For example, (\d+) (\d+) (\d{4})", page).groups()
    return date(int(year), int(month), int(day))


def test_the_form_starts_with_one_part_and_a_button_to_add_another(client, business_unit):
    client.force_login(business_unit)
    page = client.get("/sessions/new/").content.decode()
    assert "Part 1</legend>" in page and 'name="part1_start"' in page
    assert 'name="part2_start"' not in page and "Part 2" not in page
    assert '<button type="submit" name="add_part"' in page and "Add another part</button>" in page
    assert _example(page) > date.today()


def test_adding_a_part_keeps_what_was_typed_saves_nothing_and_marks_it_optional(client, business_unit, course):
    client.force_login(business_unit)
    response = client.post("/sessions/new/", form_data(course, venue="The Brindley", add_part="yes"))
    page = response.content.decode()
    assert response.status_code == 200 and not Session.objects.exists()
    assert "There is a problem" not in page
    assert "Part 2 (optional)</legend>" in page and 'name="part2_start"' in page and "Part 3" not in page
    assert 'value="The Brindley"' in page and 'name="parts" value="2"' in page
    assert "Remove part 2</button>" in page


def test_an_added_part_left_empty_stays_until_removed(client, business_unit, course):
    client.force_login(business_unit)
    page = client.post("/sessions/new/", form_data(course, parts="2", add_part="yes")).content.decode()
    assert "Part 3 (optional)</legend>" in page
    assert "Add another part</button>" not in page  # three parts at most


def test_a_session_in_two_parts_is_saved(client, business_unit, course):
    client.force_login(business_unit)
    data = form_data(course, parts="2", part2_date="2030-03-21", part2_start="09:30", part2_end="12:30")
    assert client.post("/sessions/new/", data).status_code == 302
    session = Session.objects.get()
    assert [p.starts_at for p in session.parts.order_by("starts_at")] == [london(2030, 3, 14, 9, 30),
                                                                           london(2030, 3, 21, 9, 30)]


def test_removing_a_part_moves_the_later_ones_up(client, business_unit, course):
    client.force_login(business_unit)
    data = form_data(course, parts="3", part2_date="2030-03-21", part2_start="09:30", part2_end="12:30",
                     part3_date="2030-03-28", part3_start="13:00", part3_end="16:00", remove_part="2")
    page = client.post("/sessions/new/", data).content.decode()
    assert not Session.objects.exists()
    assert 'name="parts" value="2"' in page and "Part 3" not in page
    assert 'id="id_part2_date_day" name="part2_date_day" type="text" inputmode="numeric" value="28"' in page
    assert 'name="part2_start" value="13:00"' in page


def test_changing_a_session_shows_each_of_its_parts(client, business_unit, course):
    start = london(2030, 3, 14, 9, 30)
    session = services.schedule_session(course, capacity=20, parts=[part(start, 180), part(start + timedelta(days=7),
                                        180)], trainers=[], venue="Runcorn Town Hall",
                                        now=london(2030, 1, 6, 9, 0))
    client.force_login(business_unit)
    page = client.get(f"/sessions/{session.pk}/change/").content.decode()
    assert "Part 2 (optional)</legend>" in page and 'name="parts" value="2"' in page
    assert 'name="part2_date_day" type="text" inputmode="numeric" value="21"' in page
