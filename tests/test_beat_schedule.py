"""Every entry of Celery beat's schedule names a task the worker has registered, and each task runs through
without an error on an empty database (a fresh install's first night): a typo in a name, or a task that
assumes rows exist, would otherwise only show in production's logs."""

import pytest

from config.celery import app


def _registered() -> set[str]:
    app.loader.import_default_modules()  # the apps' tasks modules, as the worker imports them
    return set(app.tasks)


def test_every_beat_entry_names_a_registered_task():
    registered = _registered()
    schedule = app.conf.beat_schedule
    assert schedule, "beat has nothing to run"
    missing = {entry: item["task"] for entry, item in schedule.items() if item["task"] not in registered}
    assert missing == {}
    assert all(item["schedule"] > 0 for item in schedule.values())


@pytest.mark.parametrize("entry", sorted(app.conf.beat_schedule))
def test_each_scheduled_task_runs_eagerly_on_an_empty_database(db, entry):
    _registered()
    item = app.conf.beat_schedule[entry]
    result = app.tasks[item["task"]].apply(args=item.get("args", ()), kwargs=item.get("kwargs", {}))
    assert result.successful(), f"{entry} ({item['task']}): {result.result!r}"
