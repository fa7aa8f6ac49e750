"""Reading query parameters the same way everywhere: a bad value is an Invalid naming it."""

from datetime import date

from django.core.exceptions import ValidationError

from lib.dates import read_date
from lib.errors import Invalid
from lib.forms import PARTS, GovukDateField

MAX_ID = 2**63 - 1  # the ids are bigint (DEFAULT_AUTO_FIELD is BigAutoField): none is larger


def whole_number(raw: str | None, *, low: int = 1, high: int = MAX_ID) -> int | None:
    """`raw` as a whole number from `low` to `high`, or None when it is not one. Stricter than
    str.isdigit(), which passes digits int() refuses (such as ²)."""
    raw = (raw or "").strip()
    if not raw.isdecimal() or len(raw) > len(str(high)):
        return None
    number = int(raw)
    return number if low <= number <= high else None


def period(params, *, labels: tuple[str, str] = ("From", "To")) -> tuple[date | None, date | None]:
    """`from` and `to` as dates, either of them optional: each as one value (YYYY-MM-DD, as the API and
    links write it) or as a page's GOV.UK date input (`from_day`, `from_month`, `from_year`), whose
    errors use the page's `labels`."""
    values: list[date | None] = []
    for name, label in zip(("from", "to"), labels, strict=True):
        if any(params.get(f"{name}_{part}") for part in PARTS):
            field = GovukDateField(label=label, required=False)
            try:
                values.append(field.clean(field.widget.value_from_datadict(params, None, name)))
            except ValidationError as exc:
                raise Invalid(exc.messages[0], field=name) from exc
            continue
        raw = (params.get(name) or "").strip()
        parsed = read_date(raw) if raw else None
        if raw and parsed is None:
            raise Invalid(f"{name} must be a date like 2024-04-01.", field=name)
        values.append(parsed)
    return values[0], values[1]
