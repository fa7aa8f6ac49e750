"""Forms say what is missing in GOV.UK's words, field by field, not Django's "This field is required."."""

import pytest

from certificates.views import EvaluationForm
from charging.views import PolicyForm


@pytest.mark.django_db
@pytest.mark.parametrize("form", [EvaluationForm({}), PolicyForm({})])
def test_an_empty_form_names_each_missing_answer(form):
    assert not form.is_valid()
    messages = [m for errors in form.errors.values() for m in errors]
    assert messages and not [m for m in messages if "This field is required" in m]
    assert all(m.startswith(("Enter ", "Select ", "Say ", "Write ")) for m in messages), messages
