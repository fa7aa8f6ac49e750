import runpy
from datetime import date
from pathlib import Path

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


def test_postgresql_keeps_repeated_statements_prepared_unless_told_not_to(monkeypatch):
    settings_file = str(Path(__file__).resolve().parent.parent / "config" / "settings.py")
    monkeypatch.setenv("DATABASE_URL", "postgresql://hub:pw@db.example/hub")
    monkeypatch.delenv("DB_PREPARED_STATEMENTS", raising=False)
    options = runpy.run_path(settings_file)["DATABASES"]["default"]["OPTIONS"]
    assert options == {"server_side_binding": True, "prepare_threshold": 5}
    monkeypatch.setenv("DB_PREPARED_STATEMENTS", "false")  # behind PgBouncer in transaction mode
    assert not runpy.run_path(settings_file)["DATABASES"]["default"].get("OPTIONS")


@pytest.mark.postgres
def test_the_postgresql_connection_binds_values_on_the_server(db):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::int + 1", [41])
        assert cursor.fetchone() == (42,)
        assert type(cursor.cursor).__name__ == "ServerBindingCursor"
    assert connection.connection.prepare_threshold == 5


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


def test_running_tasks_in_process_names_a_broker_host_so_kombu_does_not_warn(settings, caplog):
    """Without REDIS_URL the broker is in memory; kombu warned "No hostname was supplied" on every start."""
    from config.celery import app

    assert settings.CELERY_TASK_ALWAYS_EAGER
    with caplog.at_level("WARNING"), app.connection_for_write() as connection:
        assert connection.info()["hostname"] == "localhost"
        assert connection.transport_cls == "memory"
    assert not [r for r in caplog.records if "hostname" in r.getMessage()]
