"""Input no view should see is refused before any view reads it, for every JSON body, form and query:
lone surrogates, NULs, JSON nested past the limit, and bodies past the size limit. Each is a 4xx with a
`detail` (or the error page), and nothing is saved."""

import json

import pytest

from bookings.models import Booking
from courses.models import Course
from people.models import Agency
from resources.models import Resource

SURROGATE = '"\\ud800"'  # JSON's escape for a lone surrogate: json.loads gives "\ud800"


def _post_json(client, path, raw: str):
    return client.post(path, data=raw, content_type="application/json")


@pytest.mark.parametrize("path, body", [
    ("/api/v1/agencies/", '{"code": "x", "name": "X", "kind": %s}'),
    ("/api/v1/courses/", '{"title": "T", "level": %s, "theme": "t", "summary": "s", "duration_minutes": 60}'),
    ("/api/v1/resources/", '{"title": "T", "theme": "t", "kind": %s, "url": "https://a.example", '
                           '"owner_agency": "halton-bc"}'),
])
def test_a_lone_surrogate_in_a_choice_field_is_a_400_with_a_detail_and_saves_nothing(
        client, business_unit, path, body):
    client.force_login(business_unit)
    agencies, courses = Agency.objects.count(), Course.objects.count()
    response = _post_json(client, path, body % SURROGATE)
    assert response.status_code == 400
    assert "lone surrogate" in response.json()["detail"]
    assert (Agency.objects.count(), Course.objects.count(), Resource.objects.count()) == (agencies, courses, 0)


def test_a_lone_surrogate_anywhere_in_a_json_body_is_refused_but_an_escaped_pair_is_an_emoji(
        client, practitioner, soon_session):
    session = soon_session()
    client.force_login(practitioner)
    response = _post_json(client, f"/api/v1/sessions/{session.pk}/book/", '{"adjustments": "a\\udfffb"}')
    assert response.status_code == 400 and not Booking.objects.exists()
    response = _post_json(client, f"/api/v1/sessions/{session.pk}/book/", '{"\\ud800": 1}')
    assert response.status_code == 400 and not Booking.objects.exists()
    response = _post_json(client, f"/api/v1/sessions/{session.pk}/book/", '{"adjustments": "\\ud83d\\ude00"}')
    assert response.status_code == 201
    assert Booking.objects.get().adjustments == "\U0001f600"


def test_a_lone_surrogate_in_a_query_or_form_is_a_400(rf):
    """Browsers cannot send one (Django replaces what is not UTF-8), but whatever builds the request, the
    rule is the same."""
    from django.http import HttpResponse, QueryDict

    from config.middleware import RefuseUnreadableInputMiddleware

    middleware = RefuseUnreadableInputMiddleware(lambda request: HttpResponse("the view ran"))
    request = rf.get("/api/v1/bookings/")
    request.GET = QueryDict(mutable=True)
    request.GET["status"] = "\ud800"
    assert middleware(request).status_code == 400
    request = rf.post("/sessions/1/book/", {"adjustments": "ok"})
    request.POST = QueryDict(mutable=True)
    request.POST["adjustments"] = "a\udc00"
    assert middleware(request).status_code == 400


def test_deeply_nested_json_to_allauths_sign_in_is_a_400_not_a_crash(client):
    response = _post_json(client, "/_allauth/app/v1/auth/login", "[" * 1000 + "]" * 1000)
    assert response.status_code == 400
    assert "nested" in response.json()["detail"]


def test_deeply_nested_json_to_the_api_is_a_400_and_saves_nothing(client, practitioner, soon_session):
    session = soon_session()
    client.force_login(practitioner)
    deep = '{"adjustments": ' + "[" * 5000 + "]" * 5000 + "}"
    response = _post_json(client, f"/api/v1/sessions/{session.pk}/book/", deep)
    assert response.status_code == 400 and "nested" in response.json()["detail"]
    assert not Booking.objects.exists()


def test_brackets_inside_strings_do_not_count_as_nesting(client, practitioner, soon_session):
    session = soon_session()
    client.force_login(practitioner)
    text = "[{" * 100 + '\\"' + "]" * 50
    response = _post_json(client, f"/api/v1/sessions/{session.pk}/book/", json.dumps({"adjustments": text[:900]}))
    assert response.status_code == 201


def test_a_body_over_the_limit_is_a_413_before_it_is_read(client, practitioner, soon_session, settings):
    session = soon_session()
    client.force_login(practitioner)
    huge = json.dumps({"adjustments": "x" * (settings.UPLOAD_MAX_BYTES + 100_000)})
    response = _post_json(client, f"/api/v1/sessions/{session.pk}/book/", huge)
    assert response.status_code == 413 and "too big" in response.json()["detail"]
    form = {"adjustments": "x" * (settings.UPLOAD_MAX_BYTES + 100_000)}
    response = client.post(f"/sessions/{session.pk}/book/", form)
    assert response.status_code == 413 and "too big" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_form_over_djangos_field_limit_is_a_413(client, practitioner, soon_session, settings):
    session = soon_session()
    client.force_login(practitioner)
    response = client.post(f"/sessions/{session.pk}/book/",
                           {"adjustments": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    assert response.status_code == 413
    assert not Booking.objects.exists()


@pytest.mark.parametrize("url", ["https://a.example/x\nSet-Cookie: a=b", "https://a.example/\rx",
                                 "https://a.example/\x7f",
                                 "https://a.example/\u202e", "https://a. example/", "https://a.example:port/"])
def test_a_web_address_with_control_characters_or_spaces_is_a_400_and_saves_nothing(
        api_as, business_unit, halton, url):
    response = api_as(business_unit).post("/api/v1/resources/", {
        "title": "T", "theme": "t", "kind": "sway", "url": url, "owner_agency": "halton-bc"}, format="json")
    assert response.status_code == 400
    assert "https:// or http://" in response.json()["detail"]
    assert not Resource.objects.exists()


def test_a_new_resources_location_is_its_place_in_the_api_not_its_web_address(api_as, business_unit, halton):
    response = api_as(business_unit).post("/api/v1/resources/", {
        "title": "T", "theme": "t", "kind": "sway", "url": "http://a.example/x", "owner_agency": "halton-bc"},
        format="json")
    assert response.status_code == 201
    assert response["Location"] == f"/api/v1/resources/{response.json()['id']}/"


def test_a_create_whose_answer_fails_saves_nothing(api_as, business_unit, halton, monkeypatch):
    from resources.api import ResourceViewSet

    def fail(self, data):
        raise ValueError("the answer could not be built")

    monkeypatch.setattr(ResourceViewSet, "get_success_headers", fail)
    client = api_as(business_unit)
    client.raise_request_exception = True
    with pytest.raises(ValueError):
        client.post("/api/v1/resources/", {"title": "T", "theme": "t", "kind": "sway", "url": "https://a.example/",
                                           "owner_agency": "halton-bc"}, format="json")
    assert not Resource.objects.exists()
