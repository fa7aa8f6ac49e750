from datetime import date

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list
from lib.dates import is_working_day, london, working_days_before, working_days_between


def test_malformed_settings_fail_loudly(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="true or false"):
        env_bool("DJANGO_DEBUG")
    monkeypatch.setenv("N", "three")
    with pytest.raises(ImproperlyConfigured, match="whole number"):
        env_int("N", default=3)
    monkeypatch.setenv("HOSTS", "a,,b")
    with pytest.raises(ImproperlyConfigured):
        env_list("HOSTS")


def test_settings_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_DEBUG", "true")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "hub.example, www.hub.example")
    assert env_bool("DJANGO_DEBUG") is True
    assert env_list("DJANGO_ALLOWED_HOSTS") == ["hub.example", "www.hub.example"]


def test_bank_holidays_are_not_working_days():
    assert not is_working_day(date(2025, 12, 25))
    assert not is_working_day(date(2025, 8, 25))  # summer bank holiday, England and Wales
    assert not is_working_day(date(2025, 3, 29))  # Saturday
    assert is_working_day(date(2025, 3, 31))


def test_working_days_count_across_easter():
    # Easter 2025: Good Friday 18 April and Easter Monday 21 April.
    assert working_days_before(date(2025, 4, 23), 3) == date(2025, 4, 16)
    assert working_days_between(date(2025, 4, 16), date(2025, 4, 23)) == 2


def test_london_times_across_both_2025_changes():
    assert london(2025, 3, 30, 9, 30).utcoffset().total_seconds() == 3600
    assert london(2025, 10, 26, 9, 30).utcoffset().total_seconds() == 0
