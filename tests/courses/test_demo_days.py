"""The demo puts training only on days a partnership would run it: no weekend, no English bank holiday, and
nothing between Christmas Eve and New Year's Eve."""

from datetime import date

from courses.models import Session
from demo.data import load_demo
from demo.days import is_training_day, training_day_before, training_days_after
from lib.dates import london, to_london


def test_training_days_skip_weekends_bank_holidays_and_the_christmas_week():
    assert is_training_day(date(2026, 12, 23))  # a Wednesday
    for day in (date(2026, 12, 24), date(2026, 12, 29), date(2026, 12, 31),  # working days, but Christmas week
                date(2026, 12, 25), date(2026, 12, 28), date(2027, 1, 1),  # bank holidays
                date(2026, 12, 26), date(2027, 1, 2), date(2026, 5, 25), date(2026, 8, 31)):
        assert not is_training_day(day), day
    assert list(training_days_after(date(2026, 12, 22), 3)) == [date(2026, 12, 23), date(2027, 1, 4),
                                                                 date(2027, 1, 5)]
    assert training_day_before(date(2027, 1, 4), 1) == date(2026, 12, 23)
    assert training_day_before(date(2027, 1, 4), 0) == date(2027, 1, 4)


def test_no_demo_session_falls_on_a_day_without_training(db):
    load_demo(now=london(2026, 11, 23, 10, 0))  # the programme runs on past Christmas into the new year
    days = {to_london(start).date() for start in Session.objects.values_list("starts_at", flat=True)}
    assert any(day.year == 2027 for day in days)
    assert [day for day in sorted(days) if day >= date(2026, 1, 1) and not is_training_day(day)] == []


def test_the_demo_run_names_the_network_as_the_demo_data_says():
    from pathlib import Path

    from demo import network

    run = (Path(__file__).resolve().parents[2] / "scripts" / "run.sh").read_text()
    assert f"export NETWORK_NAME=${{NETWORK_NAME:-{network.NAME}}}" in run
