"""The days the demo puts training on: working days (Monday to Friday, not one of England's bank holidays)
outside the week between Christmas Eve and New Year's Eve, when no partnership runs courses."""

from collections.abc import Iterator
from datetime import date, timedelta

from lib.dates import is_working_day


def is_training_day(day: date) -> bool:
    """A working day (lib.dates: no weekend, no English bank holiday) that is not 24 to 31 December."""
    return is_working_day(day) and not (day.month == 12 and day.day >= 24)


def training_days_after(start: date, count: int) -> Iterator[date]:
    """The first `count` training days after `start` (not `start` itself), in order."""
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_training_day(day):
            count -= 1
            yield day


def training_day_before(day: date, n: int) -> date:
    """The training day `n` training days before `day` (n=0 gives `day` itself)."""
    while n > 0:
        day -= timedelta(days=1)
        if is_training_day(day):
            n -= 1
    return day
