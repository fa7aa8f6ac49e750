"""A synthetic history in the previous booking system's CSV shape, built to the partnership's published totals.

Seed 003 (section 11.1) publishes only totals: April-September 2024, 936 booked and 543 attended
(393 no-shows, 58%); October 2024-March 2025, 708 attended and 107 no-shows (87%). The raw
records behind them are not ours to have, so this makes records that add up to exactly those
totals, spread over the real agencies, courses and months (with some cancellations, which the
published "booked" does not count). The tests load it with import_history and check the
attendance report reproduces the published figures from the raw rows.
"""

import csv
import io
import random
from datetime import date, datetime, time, timedelta

from demo.partnership import AGENCIES, COURSES
from lib.dates import LONDON, is_working_day

HEADER = ["email", "name", "agency_code", "course_title", "level", "session_start", "session_end", "outcome",
          "booked_at"]

# (first day, last day, attended, no-shows, cancelled in time, cancelled late)
HALVES = [
    (date(2024, 4, 1), date(2024, 9, 30), 543, 393, 61, 38),
    (date(2024, 10, 1), date(2025, 3, 31), 708, 107, 74, 29),
]
PLACES_PER_SESSION = 24


def _working_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if is_working_day(day):
            days.append(day)
        day += timedelta(days=1)
    return days


def rows() -> list[list[str]]:

    rng = random.Random(20242025)
    agencies = [a[0] for a in AGENCIES]
    weights = [24, 14, 10, 12, 5, 4, 3, 5, 6, 12, 5]  # councils, police and health book most
    people = [(f"practitioner{n:03d}@{agencies[n % len(agencies)]}.example", f"Practitioner {n:03d}",
               agencies[n % len(agencies)]) for n in range(600)]
    by_agency: dict[str, list] = {}
    for person in people:
        by_agency.setdefault(person[2], []).append(person)
    out = []
    for first, last, attended, no_shows, cancelled, late in HALVES:
        outcomes = ["attended"] * attended + ["no_show"] * no_shows
        rng.shuffle(outcomes)
        extra = ["cancelled"] * cancelled + ["late_cancelled"] * late
        days = _working_days(first, last)
        sessions = (len(outcomes) + PLACES_PER_SESSION - 1) // PLACES_PER_SESSION
        step = max(1, len(days) // sessions)
        for index in range(sessions):
            course = COURSES[index % len(COURSES)]
            day = days[min(index * step, len(days) - 1)]
            if course[3] <= 120:
                starts = datetime.combine(day, time(12, 30), tzinfo=LONDON)
                ends = starts + timedelta(minutes=max(course[3], 60))
            else:
                starts = datetime.combine(day, time(9, 30), tzinfo=LONDON)
                ends = datetime.combine(day, time(16, 0), tzinfo=LONDON)
            batch = outcomes[index * PLACES_PER_SESSION:(index + 1) * PLACES_PER_SESSION]
            batch += extra[index::sessions]
            chosen = set()
            for n, outcome in enumerate(batch):
                agency = rng.choices(agencies, weights=weights)[0]
                candidates = [p for p in by_agency[agency] if p[0] not in chosen]
                email, name, code = rng.choice(candidates)
                chosen.add(email)
                booked = starts - timedelta(days=20 + n % 15, hours=n % 7)
                out.append([email, name, code, course[0], course[1], starts.isoformat(), ends.isoformat(), outcome,
                            booked.isoformat()])
    return out


def history_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows())
    return buffer.getvalue()
