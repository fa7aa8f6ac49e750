"""Local-time arithmetic for Europe/London, in one place.

The database stores UTC; people see London wall-clock time. Working days are Monday to
Friday less England and Wales bank holidays (from the maintained `holidays` package).
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays
from django.utils.dateparse import parse_date, parse_datetime

from lib.errors import Invalid

LONDON = ZoneInfo("Europe/London")


def read_date(text: str) -> date | None:
    """An ISO date, or None when it is not one, including a well-formed impossible one such as 2024-02-30
    (Django's parse_date raises for those)."""
    try:
        return parse_date(text)
    except ValueError:
        return None


def read_datetime(text: str) -> datetime | None:
    """An ISO date and time, or None when it is not one (2024-02-30T09:30:00Z included)."""
    try:
        return parse_datetime(text)
    except ValueError:
        return None


def london(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """An aware datetime for a London wall-clock time."""
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def to_london(dt: datetime) -> datetime:
    return dt.astimezone(LONDON)


def require_aware(dt: datetime, *, field: str) -> datetime:
    """Refuse a time without an offset: nobody can tell which 09:30 it means."""
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise Invalid(f"{field} must include a time zone offset, e.g. 2025-03-30T09:30:00+01:00.", field=field)
    return dt


@lru_cache(maxsize=64)
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _bank_holidays(day.year)


def working_days_before(day: date, n: int) -> date:
    """The date that is `n` working days before `day` (n=0 gives `day` itself)."""
    current = day
    remaining = n
    while remaining > 0:
        current -= timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(first: date, last: date) -> int:
    """Whole working days strictly between two dates."""
    count = 0
    current = first + timedelta(days=1)
    while current < last:
        if is_working_day(current):
            count += 1
        current += timedelta(days=1)
    return count


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=LONDON)


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """Midnight London at the start of the month and of the next one."""
    first = date(year, month, 1)
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return start_of_day(first), start_of_day(nxt)


def hours_and_minutes(minutes: int) -> str:
    """A length of time as people say it: 390 -> "6 hours 30 minutes", 60 -> "1 hour", 45 -> "45 minutes"."""
    hours, rest = divmod(int(minutes or 0), 60)
    words = []
    if hours:
        words.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        words.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(words)
