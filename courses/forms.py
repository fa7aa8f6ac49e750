from datetime import date

from django import forms

from courses.models import Course, Session
from lib.dates import LONDON


def month_choices(today: date, count: int = 12) -> list[tuple[str, str]]:
    choices = [("", "Any month")]
    year, month = today.year, today.month
    for _ in range(count):
        choices.append((f"{year:04d}-{month:02d}", date(year, month, 1).strftime("%B %Y")))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return choices


class CalendarFilterForm(forms.Form):
    level = forms.ChoiceField(required=False, choices=[("", "Any level"), *Course.Level.choices])
    theme = forms.ChoiceField(required=False, choices=[("", "Any theme")])
    format = forms.ChoiceField(required=False, label="Format", choices=[("", "Any format"), *Session.Format.choices])
    month = forms.ChoiceField(required=False)

    def __init__(self, *args, themes: list[str], today: date, partnerships: list[tuple[str, str]] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", "Any theme"), *((t, t) for t in themes)]
        self.fields["month"].choices = month_choices(today)
        if partnerships:  # a network hub: which partnership delivers it (a hub of one has no such filter)
            self.fields["partnership"] = forms.ChoiceField(
                required=False, label="Delivered by", choices=[("", "Any partnership"), *partnerships])

    @staticmethod
    def today(now) -> date:
        return now.astimezone(LONDON).date()
