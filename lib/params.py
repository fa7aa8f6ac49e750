"""Reading query parameters the same way everywhere: a bad value is an Invalid naming it."""

from datetime import date

from django.utils.dateparse import parse_date

from lib.errors import Invalid


def period(params) -> tuple[date | None, date | None]:
    """`from` and `to` as dates (YYYY-MM-DD), either of them optional."""
    values: list[date | None] = []
    for name in ("from", "to"):
        raw = (params.get(name) or "").strip()
        parsed = parse_date(raw) if raw else None
        if raw and parsed is None:
            raise Invalid(f"{name} must be a date like 2024-04-01.", field=name)
        values.append(parsed)
    return values[0], values[1]
