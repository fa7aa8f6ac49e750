"""Forms say what is missing in GOV.UK's words, field by field, not Django's "This field is required."."""

import pytest

from certificates.views import EvaluationForm
from charging.views import PolicyForm


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", [EvaluationForm, PolicyForm])
def test_an_empty_form_names_each_missing_answer(form_class):
    form = form_class({})  # made inside the test: a new policy reads its partnership's default from the database
    assert not form.is_valid()
    messages = [m for errors in form.errors.values() for m in errors]
    assert messages and not [m for m in messages if "This field is required" in m]
    assert all(m.startswith(("Enter ", "Select ", "Say ", "Write ")) for m in messages), messages


@pytest.mark.parametrize(("path", "words"), [
    ("/accounts/login/", ["Enter your email address", "Enter your password"]),
    ("/accounts/signup/", ["Enter your full name", "Enter your work email address", "Choose the agency you work for",
                           "Enter your job title", "Enter a password", "Enter the password again"]),
    ("/accounts/password/reset/", ["Enter your email address"]),
])
def test_the_account_forms_name_what_is_missing(client, db, path, words):
    page = client.post(path, {}).content.decode()
    for word in words:
        assert word in page, word
    assert "This field is required" not in page


def test_changing_a_password_names_what_is_missing(client, practitioner):
    client.force_login(practitioner)
    page = client.post("/accounts/password/change/", {}).content.decode()
    for word in ("Enter your current password", "Enter a new password", "Enter the new password again"):
        assert word in page, word


@pytest.mark.parametrize(("path", "words"), [
    ("/manage/people/agency/add/", ["Enter the name", "Enter the code", "Select the kind"]),
    ("/manage/people/person/add/", ["Enter the name", "Enter the work email address"]),
    ("/manage/courses/course/add/", ["Enter the title", "Select the level", "Enter the theme",
                                     "Enter the duration in minutes"]),
])
def test_the_admin_forms_name_what_is_missing(client, business_unit, path, words):
    inline = {f"trainerpoolmembership_set-{key}": value for key, value in
              (("TOTAL_FORMS", "0"), ("INITIAL_FORMS", "0"))}  # the course's trainer pool, left empty
    client.force_login(business_unit)
    page = client.post(path, inline).content.decode()
    for word in words:
        assert word in page, word
    assert "This field is required" not in page
