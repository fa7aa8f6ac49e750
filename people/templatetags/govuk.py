"""Render Django form fields with the GOV.UK Design System's markup and classes."""

from django import forms, template
from django.template.loader import render_to_string

from charging.selectors import agency_is_charged, policy_for_session
from lib.dates import to_london
from lib.forms import PARTS, GovukDateWidget, box_values, date_parts
from lib.money import pounds

register = template.Library()

WIDTHS = {
    "IntegerField": "govuk-input--width-5",
    "TimeField": "govuk-input--width-5",
    "DateField": "govuk-input--width-10",
    "PoundsField": "govuk-input--width-5",
}


def _kind(field) -> str:
    widget = field.field.widget
    if isinstance(widget, GovukDateWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.simple_tag
def govuk_field(field, label_class: str = ""):
    kind = _kind(field)
    if kind == "hidden":
        return field.as_widget()
    # GOV.UK's character count for text with a stated limit: the page counts down as people type, and the
    # form refuses what is past the limit with a message (no maxlength: browsers would cut pasted text).
    limit = _limit(field, kind)
    described = [f"{field.auto_id}-{part}" for part, shown in
                 (("hint", field.help_text), ("info", limit), ("error", field.errors)) if shown]
    attrs = {"placeholder": False}  # GOV.UK: labels and hints, never placeholders
    if limit:
        attrs["maxlength"] = False
    if described:
        attrs["aria-describedby"] = " ".join(described)
    attrs["class"] = _css(field, kind)
    widget_html = "" if kind in ("checkboxes", "radios", "date") else field.as_widget(attrs=attrs)
    return render_to_string(
        "includes/govuk_field.html",
        {
            "field": field,
            "kind": kind,
            "widget": widget_html,
            "options": _options(field, kind),
            "describedby": " ".join(described),
            "label_class": label_class,
            "limit": limit,
            "limit_words": f"{limit:,}" if limit else "",
            "prefix": getattr(field.field.widget, "prefix", ""),  # "£" before an amount of money
        },
    )


def _limit(field, kind: str) -> int | None:
    """The stated limit of a free-text answer (a textarea's max_length), which GOV.UK's character count shows."""
    return getattr(field.field, "max_length", None) if kind == "textarea" else None


def _css(field, kind: str) -> str:
    """The GOV.UK class of the field's widget: its kind, its width, and its error state."""
    css = {
        "select": "govuk-select",
        "textarea": "govuk-textarea",
        "input": "govuk-input",
        "checkbox": "govuk-checkboxes__input",
    }.get(kind, "")
    if kind == "input":
        css += " " + WIDTHS.get(type(field.field).__name__, "")
    if _limit(field, kind):
        css += " govuk-js-character-count"
    if field.errors and kind in ("select", "textarea", "input"):
        css += f" govuk-{'input' if kind == 'input' else kind}--error"
    return css.strip()


def _options(field, kind: str) -> list:
    """The boxes of a date (day, month, year), or each choice of a set of checkboxes or radios."""
    if kind == "date":  # GOV.UK's date input: day, month and year boxes in a fieldset
        return _date_boxes(field.auto_id, field.html_name, box_values(field.value()))
    if kind in ("checkboxes", "radios"):
        return [{"id": sub.data["attrs"].get("id"), "value": sub.data["value"], "label": sub.choice_label,
                 "checked": sub.data["selected"]} for sub in field.subwidgets]
    return []


@register.simple_tag
def date_filter(params, name: str, label: str):
    """A filter form's date, as GOV.UK's date input (day, month and year), filled from the query."""
    boxes = _date_boxes(name, name, date_parts(params, name))
    return render_to_string("includes/date_filter.html", {"name": name, "label": label, "boxes": boxes})


def _date_boxes(id_prefix: str, name_prefix: str, values: list[str]) -> list[dict]:
    """The day, month and year boxes of a date input, for includes/date_boxes.html."""
    return [{"id": f"{id_prefix}_{part}", "name": f"{name_prefix}_{part}", "label": part.capitalize(), "value": value,
             "width": 4 if part == "year" else 2} for part, value in zip(PARTS, values, strict=True)]


@register.filter
def london(value, fmt: str = "j F Y, H:i"):
    from django.utils.dateformat import format as date_format


    return date_format(to_london(value), fmt) if value else ""


@register.filter
def pence(value) -> str:
    """Whole pence as pounds, as lib.money.pounds writes them everywhere: 2500 -> £25.00."""

    return pounds(int(value or 0))


@register.filter
def hours_and_minutes(minutes) -> str:
    """390 -> "6 hours 30 minutes" (lib.dates.hours_and_minutes)."""
    from lib.dates import hours_and_minutes as words

    return words(minutes)


@register.filter
def charged(agency, session=None) -> bool:
    """Whether the charging policy charges this agency at all (charging.selectors.agency_is_charged), so
    that pages and emails warn of a charge only when one could follow: `agency|charged:session` asks the
    session's delivering partnership's policy; without a session, the first partnership's."""

    return agency_is_charged(agency, policy_for_session(session) if session else None)


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def split_words(value: str) -> list[str]:
    return value.split()
