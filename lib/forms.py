"""Form fields in the GOV.UK Design System's patterns."""

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from lib.dates import read_date

PARTS = ("day", "month", "year")


class GovukDateWidget(forms.MultiWidget):
    """GOV.UK's date input: three boxes, day, month and year, rather than the browser's own date picker,
    which some assistive technologies handle poorly. Also reads one ISO value under the field's own
    name (2024-04-01), so links and the API's style of query keep working."""

    def __init__(self, attrs=None):
        super().__init__({part: forms.TextInput(attrs={"inputmode": "numeric"}) for part in PARTS}, attrs)

    def decompress(self, value):
        return [value.day, value.month, value.year] if value else [None, None, None]

    def value_from_datadict(self, data, files, name):
        values = super().value_from_datadict(data, files, name)
        whole = (data.get(name) or "").strip()
        if not any(values) and whole:
            parsed = read_date(whole) if len(whole) == 10 else None
            return self.decompress(parsed) if parsed else whole  # unreadable: the field says so
        return values

    def value_omitted_from_data(self, data, files, name):
        return name not in data and super().value_omitted_from_data(data, files, name)

    def id_for_label(self, id_):
        return f"{id_}_day" if id_ else ""  # the error summary's link goes to the day box


class GovukDateField(forms.MultiValueField):
    """A date from GOV.UK's three-box date input, with its error messages."""

    widget = GovukDateWidget

    def __init__(self, **kwargs):
        super().__init__(tuple(forms.CharField(required=False) for _ in PARTS), require_all_fields=False, **kwargs)

    def clean(self, value):
        if isinstance(value, str):  # one value that is not a date (the widget reads ISO ones)
            raise ValidationError(f"{self.label or 'The date'} must be a real date, such as 24 10 2025")
        return super().clean(value)

    def compress(self, data_list):
        values = [str(v).strip() if v is not None else "" for v in (data_list or ["", "", ""])]
        if not any(values):
            return None
        label = self.label or "The date"
        missing = [part for part, value in zip(PARTS, values, strict=True) if not value]
        if missing:
            raise ValidationError(f"{label} must include a {' and a '.join(missing)}")
        if not all(value.isdecimal() for value in values):
            raise ValidationError(f"{label} must be a real date, in numbers, such as 24 10 2025")
        day, month, year = (int(value) for value in values)
        if len(values[2]) != 4:
            raise ValidationError("Year must include 4 numbers")
        try:
            return date(year, month, day)
        except (ValueError, OverflowError):  # OverflowError: a day or month past any C int
            raise ValidationError(f"{label} must be a real date") from None


def box_values(value) -> list[str]:
    """What the day, month and year boxes show for a value: a date split up, the boxes as typed, or
    nothing (no value, or one value that is not a date)."""
    if value is None or isinstance(value, str):
        return ["", "", ""]
    if hasattr(value, "year"):
        value = GovukDateWidget().decompress(value)
    return ["" if part is None else str(part).strip() for part in value]


def date_parts(params, name: str) -> list[str]:
    """What a date input named `name` shows from a query: its boxes, or one ISO value split into them."""
    return box_values(GovukDateWidget().value_from_datadict(params, None, name))


def limited_text(limit: int, *, label: str, named: str, rows: int = 4, **kwargs) -> forms.CharField:
    """A free-text answer with its limit stated: GOV.UK's character count on the page (includes/govuk_field.html)
    and, past the limit, "{named} must be N characters or fewer" rather than anything cut short."""
    messages = {"max_length": f"{named} must be {limit:,} characters or fewer"}
    messages |= kwargs.pop("error_messages", {})
    return forms.CharField(label=label, max_length=limit, widget=forms.Textarea(attrs={"rows": rows}),
                           error_messages=messages, **kwargs)


class PoundsInput(forms.TextInput):
    """GOV.UK's input with a "£" prefix; shows whole pence as pounds and pence (2500 -> 25.00)."""

    prefix = "£"

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "spellcheck": "false", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return f"{value // 100}.{value % 100:02d}"
        return super().format_value(value)


POUNDS = re.compile(r"£?\s*(\d{1,7})(?:\.(\d{1,2}))?")


class PoundsField(forms.Field):
    """An amount typed in pounds and pence ("25", "25.00", "£25.50") and kept as whole pence (2500, 2550).

    `amount` names the amount in the error messages ("the charge for a short session").
    """

    widget = PoundsInput

    def __init__(self, *, amount: str = "the amount", **kwargs):
        self.amount = amount
        kwargs.setdefault("error_messages", {}).setdefault("required", f"Enter {amount}")
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        text = str(value).strip().replace(",", "")
        if text.startswith("-") or text.startswith("£-"):
            raise ValidationError(f"{self.amount[:1].upper()}{self.amount[1:]} must be £0.00 or more")
        match = POUNDS.fullmatch(text)
        if not match:
            raise ValidationError(
                f"Enter {self.amount} in pounds and pence, like £25.00"
            )
        pounds, pence = match.group(1), (match.group(2) or "0").ljust(2, "0")
        return int(pounds) * 100 + int(pence)


class IdsField(forms.ModelMultipleChoiceField):
    """Several objects chosen by id (checkboxes, a multiple select): a value that is not a whole number
    within the ids' range is "not one of the choices", never a query the database cannot bind (SQLite
    raises OverflowError for 2**63 in an IN list)."""

    default_error_messages = {**forms.ModelMultipleChoiceField.default_error_messages,
                              "not_an_id": "Select from the list"}

    def clean(self, value):
        from lib.params import whole_number  # lib.params builds on this module

        values = value if isinstance(value, (list, tuple)) else [value] if value else []
        if any(whole_number(str(item)) is None for item in values if item not in self.empty_values):
            raise ValidationError(self.error_messages["not_an_id"], code="not_an_id")
        return super().clean(value)
