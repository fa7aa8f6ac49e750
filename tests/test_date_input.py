"""GOV.UK's date input (day, month and year boxes) in place of the browser's date picker."""

from datetime import date

import pytest
from django import forms

from courses.models import Session
from lib.dates import london
from lib.forms import GovukDateField
from tests.courses.test_pages import form_data


class Form(forms.Form):
    when = GovukDateField(label="Date used")
    review = GovukDateField(label="Review date", required=False)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"when_day": "24", "when_month": "10", "when_year": "2025"}, date(2025, 10, 24)),
        ({"when_day": " 4 ", "when_month": "07", "when_year": "2026"}, date(2026, 7, 4)),
        ({"when": "2025-10-24"}, date(2025, 10, 24)),  # one ISO value, as links and the API write it
    ],
)
def test_a_date_is_read_from_its_boxes_or_one_iso_value(data, expected):
    form = Form(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {"when": expected, "review": None}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"when_day": "24", "when_year": "2025"}, "Date used must include a month"),
        ({"when_day": "24"}, "Date used must include a month and a year"),
        ({"when_day": "31", "when_month": "2", "when_year": "2025"}, "Date used must be a real date"),
        ({"when_day": "1", "when_month": "May", "when_year": "2025"},
         "Date used must be a real date, in numbers, such as 24 10 2025"),
        ({"when_day": "1", "when_month": "5", "when_year": "25"}, "Year must include 4 numbers"),
        ({"when": "last spring"}, "Date used must be a real date, such as 24 10 2025"),
        ({}, "This field is required."),
    ],
)
def test_a_bad_date_says_what_is_wrong_in_govuk_words(data, message):
    form = Form(data)
    assert not form.is_valid()
    assert form.errors["when"] == [message]


def test_the_session_form_asks_for_day_month_and_year(client, business_unit, course):
    client.force_login(business_unit)
    page = client.get("/sessions/new/").content.decode()
    assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Part 1: date</legend>' in page
    for part in ("day", "month", "year"):
        assert f'id="id_part1_date_{part}" name="part1_date_{part}" type="text" inputmode="numeric"' in page
    assert 'type="date"' not in page
    data = form_data(course, part1_date_day="14", part1_date_month="3", part1_date_year="2030")
    del data["part1_date"]
    assert client.post("/sessions/new/", data).status_code == 302
    assert Session.objects.get().starts_at == london(2030, 3, 14, 9, 30)


def test_a_wrong_date_keeps_what_was_typed_and_the_summary_links_to_the_day_box(client, business_unit, course):
    client.force_login(business_unit)
    data = form_data(course, part1_date_day="30", part1_date_month="2", part1_date_year="2030")
    del data["part1_date"]
    page = client.post("/sessions/new/", data).content.decode()
    assert '<a href="#id_part1_date_day">Part 1: date must be a real date</a>' in page
    assert 'name="part1_date_day" type="text" inputmode="numeric" value="30"' in page
    assert 'name="part1_date_month" type="text" inputmode="numeric" value="2"' in page
    assert not Session.objects.exists()


def test_filters_read_the_boxes_and_links_iso_dates_alike(client, business_unit):
    client.force_login(business_unit)
    boxes = {"from_day": "1", "from_month": "4", "from_year": "2024", "to_day": "30", "to_month": "9",
             "to_year": "2024"}
    page = client.get("/reports/", boxes).content.decode()
    assert 'id="from_day" name="from_day" type="text" inputmode="numeric" value="1"' in page
    assert 'id="to_month" name="to_month" type="text" inputmode="numeric" value="9"' in page
    assert 'type="date"' not in page
    linked = client.get("/reports/", {"from": "2024-04-01"}).content.decode()  # a link's ISO date fills the boxes
    assert 'id="from_year" name="from_year" type="text" inputmode="numeric" value="2024"' in linked
    wrong = client.get("/reports/", boxes | {"to_day": "31"}).content.decode()
    assert "To must be a real date" in wrong


def test_the_boxes_narrow_the_period_as_the_iso_dates_do(client, agency_manager):
    from lib.params import period

    assert period({"from_day": "1", "from_month": "4", "from_year": "2024"}) == (date(2024, 4, 1), None)
    assert period({"from": "2024-04-01", "to": "2024-09-30"}) == (date(2024, 4, 1), date(2024, 9, 30))
    client.force_login(agency_manager)
    page = client.get("/agency/completions/", {"from_day": "1", "from_month": "13", "from_year": "2024"})
    assert "Attended from must be a real date" in page.content.decode()


def test_the_session_form_says_what_is_missing_in_its_own_words(client, business_unit):
    client.force_login(business_unit)
    page = client.post("/sessions/new/", {"format": "in_person"}).content.decode()
    summary = page.split('govuk-error-summary__list"', 1)[1].split("</ul>", 1)[0]
    for words in ("Select the course", "Enter the number of places", "Enter the date of part 1",
                  "Enter the time part 1 starts", "Enter the time part 1 ends"):
        assert words in summary
    assert "This field is required" not in summary
