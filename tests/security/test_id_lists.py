"""Every form field that takes a list of ids (ticked boxes, a multiple select) answers a form error a person can
act on for anything that is not one of its choices: words, numbers past any id, control characters, lone
surrogates, JSON. Never a 500 (SQLite cannot bind 2**63 in an IN list; PostgreSQL calls it out of range)."""

import importlib
import pkgutil
from urllib.parse import quote

import pytest
from django import forms

from charging.models import ChargingPolicy
from lib.forms import IdsField
from reviews import services
from reviews.models import Recommendation

HUB_PACKAGES = ("people", "courses", "bookings", "attendance", "charging", "certificates", "resources", "reviews",
                "reports", "privacy", "notifications")
BAD = ["words", "9" * 40, str(2**63), str(2**70), "-1", "1.5", "²", "\x01", "\ud800", "[1, [2]]", '{"id": 1}']


def _hub_forms() -> list[type[forms.BaseForm]]:
    for name in HUB_PACKAGES:
        package = importlib.import_module(name)
        for module in pkgutil.iter_modules(package.__path__):
            if module.name in ("forms", "views", "manage", "signup", "admin"):
                importlib.import_module(f"{name}.{module.name}")
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in HUB_PACKAGES:
            found.append(cls)
    return found


def test_every_list_of_ids_in_every_hub_form_is_an_ids_field(db):
    forms_seen = _hub_forms()
    assert {"RecommendationForm", "ChangeForm", "PolicyForm", "SessionForm"} <= {f.__name__ for f in forms_seen}
    wrong = []
    for form_class in forms_seen:
        try:
            fields = form_class().fields  # fields added in __init__ too
        except (TypeError, KeyError):  # a form that needs its request or user: its declared fields
            fields = form_class.base_fields
        wrong += [f"{form_class.__module__}.{form_class.__name__}.{name}" for name, field in fields.items()
                  if isinstance(field, forms.ModelMultipleChoiceField) and not isinstance(field, IdsField)]
    assert wrong == [], wrong


def _body(values: dict) -> bytes:
    return "&".join(f"{quote(k)}={quote(v.encode('utf-8', 'surrogatepass'))}" for k, v in values.items()).encode()


@pytest.mark.parametrize("bad", BAD)
def test_the_trackers_and_the_charging_policys_lists_of_ids_refuse_bad_values_with_words(client, business_unit,
                                                                                          halton, bad):
    from datetime import date

    review = services.create_review(kind="cspr", title="Child M", date=date(2025, 1, 1), by=business_unit)
    rec = services.add_recommendation(review, text="Use the toolkit.", lead_agency=halton, due=date(2030, 1, 1))
    client.force_login(business_unit)
    due = {"due_day": "1", "due_month": "1", "due_year": "2031"}
    forms_ = [(f"/learning/reviews/{review.pk}/recommendations/new/",
               {"text": "t", "lead_agency": str(halton.pk)} | due),
              (f"/learning/recommendations/{rec.pk}/change/",
               {"status": "open", "text": "t", "lead_agency": str(halton.pk)} | due)]
    for url, good in forms_:
        for field in ("owner_agencies", "courses", "resources", "briefings"):
            response = client.post(url, data=_body(good | {field: bad}),
                                   content_type="application/x-www-form-urlencoded")
            assert response.status_code == 200, (url, field)
            assert "Select from the list" in response.content.decode(), (url, field)
    policy = {"notice_working_days": "5", "short_session_minutes": "240", "short_session_amount": "25",
              "long_session_amount": "50", "repeat_no_shows": "2", "repeat_window_months": "12",
              "waiver_reasons_text": "Illness", "exempt_agencies": bad}
    response = client.post("/charging-policy/", data=_body(policy), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and "Select from the list" in response.content.decode()
    assert Recommendation.objects.count() == 1 and not ChargingPolicy.objects.filter(exempt_agencies__gt=0).exists()


# --- The API -----------------------------------------------------------------------------------------------

API_BAD = [[2**70], ["9" * 40], [[1]], [{"id": 1}], ["\x01"], [1.5], [True], [None], "1", 2**70, {"a": [1]}]


def _api_serializers():
    from rest_framework import serializers

    for name in HUB_PACKAGES:
        try:
            importlib.import_module(f"{name}.api")
        except ModuleNotFoundError:
            continue
    found, todo = [], [serializers.BaseSerializer]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in HUB_PACKAGES:
            found.append(cls)
    return found


def test_every_object_the_api_takes_by_id_or_code_is_an_id_or_code_field(db):
    from rest_framework import relations

    from config.api import CodeField, IdField

    wrong = []
    for serializer in _api_serializers():
        try:
            fields = serializer().fields
        except Exception:  # noqa: BLE001 - one that needs its context: nothing to learn here
            continue
        for name, field in fields.items():
            field = getattr(field, "child_relation", field)
            if isinstance(field, relations.RelatedField) and not field.read_only \
                    and not isinstance(field, (IdField, CodeField)):
                wrong.append(f"{serializer.__module__}.{serializer.__name__}.{name}")
    assert wrong == [], wrong


@pytest.mark.parametrize("bad", API_BAD, ids=[repr(b)[:20] for b in API_BAD])
def test_the_trackers_and_the_charging_policys_api_lists_refuse_bad_values_with_words(api_as, business_unit,
                                                                                       halton, course, bad):
    from datetime import date

    review = services.create_review(kind="cspr", title="Child M", date=date(2025, 1, 1), by=business_unit)
    rec = services.add_recommendation(review, text="Use the toolkit.", lead_agency=halton, due=date(2030, 1, 1))
    api = api_as(business_unit)
    words = ("whole number", "Give a list", "does not exist (or is not one you may use)", "No agency has the code",
             "Give the agency's code")
    for field in ("owner_agencies", "courses", "resources", "briefings"):
        response = api.patch(f"/api/v1/recommendations/{rec.pk}/", {field: bad}, format="json")
        assert response.status_code == 400, (field, response.status_code)
        detail = response.json()["detail"]
        assert any(w in detail for w in words) and "Invalid pk" not in detail and "Object with" not in detail
    response = api.patch("/api/v1/charging-policy/", {"exempt_agencies": bad}, format="json")
    assert response.status_code == 400 and any(w in response.json()["detail"] for w in words)
    rec.refresh_from_db()
    assert not rec.courses.exists() and not rec.owner_agencies.exists()


def test_a_fraction_is_never_rounded_to_an_id(api_as, business_unit, halton, course):
    from datetime import date

    review = services.create_review(kind="cspr", title="Child M", date=date(2025, 1, 1), by=business_unit)
    rec = services.add_recommendation(review, text="Use the toolkit.", lead_agency=halton, due=date(2030, 1, 1))
    response = api_as(business_unit).patch(f"/api/v1/recommendations/{rec.pk}/",
                                           {"courses": [course.pk + 0.5]}, format="json")
    assert response.status_code == 400 and "whole number" in response.json()["detail"]
    assert not rec.courses.exists()
