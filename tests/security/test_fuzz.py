"""Property-based fuzz of the whole API and every form: hypothesis sends any unicode text (lone surrogates,
control characters, bidirectional overrides, huge strings) and any JSON shape. Nothing may answer 5xx,
and a refused request (a 4xx, or a page that shows an error) saves nothing.

The API's operations come from its own schema (every POST, PUT and PATCH, with the field names each
takes); the forms come from the pages themselves (every `<form method="post">` each role sees, with its
fields and buttons), so a new endpoint or form is fuzzed without changing this file.
"""

import json
import re
from datetime import date
from html.parser import HTMLParser
from urllib.parse import quote, urljoin

import pytest
from django.apps import apps
from django.test import Client
from hypothesis import HealthCheck, Phase, Verbosity, given, settings
from hypothesis import strategies as st

from attendance.services import close_register, mark
from bookings.models import Booking
from bookings.services import book_place
from charging.models import Charge
from resources.models import Resource
from reviews.services import add_recommendation, create_review
from tests.conftest import confirmed

HUB_APPS = ("people", "courses", "bookings", "attendance", "charging", "certificates", "notifications",
            "resources", "reviews", "account")
HUGE = ["x" * 1_100_000, "é" * 30_000, "\x00" * 1000, "[" * 3000, "\u202e" * 20_000]
ODD = st.characters(categories=["Cs", "Cc", "Cf", "Zl", "Zp", "Co"])
TEXT = st.one_of(st.text(max_size=40), st.text(ODD, max_size=10), st.sampled_from(HUGE),
                 st.sampled_from(["1.5", "-1", "0", "9" * 40, "true", "null", "https://x.example/\n",
                                  "javascript:alert(1)", "2030-02-30", "=1+1", "a@b", ""]))
JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.integers(min_value=2**63 - 2, max_value=2**70),
              st.floats(), TEXT),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=12)
# Few examples each, as every operation and form is fuzzed on every run of the suite; no shrinking (a
# failure names its request, briefly) and no example database in the working tree.
EXAMPLES = settings(max_examples=6, deadline=None, derandomize=True, verbosity=Verbosity.quiet, database=None,
                    phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
                    report_multiple_bugs=False)


def _short(value) -> str:
    """What was sent, each text cut to its first characters and its length: failures stay readable."""
    if isinstance(value, str):
        return repr(value) if len(value) <= 40 else f"{value[:20]!r}...({len(value):,} characters)"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_short(k)}: {_short(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_short(v) for v in value) + "]"
    return repr(value)


def snapshot() -> dict:
    return {model.__name__: model.objects.count() for label in HUB_APPS
            for model in apps.get_app_config(label).get_models()}


def assert_no_5xx_and_refusals_save_nothing(response, before: dict, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"
    refused = response.status_code >= 400 or b"govuk-error-message" in response.content \
        or b"govuk-error-summary" in response.content
    if refused:
        assert snapshot() == before, f"{what}: refused ({response.status_code}) but saved something"


@pytest.fixture
def world(db, business_unit, practitioner, colleague, trainer, finance, agency_manager, halton, make_session,
          soon_session, past_session):
    """One of each thing a path can name, and a booking in each state a person can act on."""
    future = soon_session()
    booking = book_place(future, practitioner)
    (attended,) = confirmed(past_session, colleague)
    from lib.dates import london

    mark(past_session, [(attended.pk, "no_show")], by=trainer, now=london(2030, 3, 14, 17))
    close_register(past_session, by=trainer, now=london(2030, 3, 14, 17))
    resource = Resource.objects.create(title="S47", theme="S47", kind="sway", owner_agency=halton,
                                       url="https://sway.cloud.microsoft/s47")
    charge = Charge.objects.first()
    review = create_review(kind="rapid_review", title="Child L", date=date(2025, 3, 1), themes=["Neglect"],
                           by=business_unit)
    rec = add_recommendation(review, text="Use the neglect toolkit.", lead_agency=halton, due=date(2030, 6, 30),
                             courses=[future.course], resources=[resource], by=business_unit)
    ids = {"sessions": future.pk, "bookings": booking.pk, "courses": future.course_id, "resources": resource.pk,
           "charges": charge.pk if charge else 1, "agencies": halton.code, "booking_id": attended.pk,
           "past_session": past_session.pk, "learning-reviews": review.pk, "recommendations": rec.pk,
           "review": review.pk, "rec": rec.pk}
    people = {"business_unit": business_unit, "practitioner": practitioner, "trainer": trainer,
              "finance": finance, "agency_manager": agency_manager, "colleague": colleague}
    return {"ids": ids, "people": people, "future": future, "past": past_session,
            "attended": Booking.objects.get(pk=attended.pk)}


# --- The API --------------------------------------------------------------------------------------------


def _operations():
    client = Client()
    schema = client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    found = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if method not in ("post", "put", "patch"):
                continue
            ref = operation.get("requestBody", {}).get("content", {}).get("application/json", {}) \
                .get("schema", {}).get("$ref", "")
            fields = sorted(components.get(ref.rsplit("/", 1)[-1], {}).get("properties", {})) if ref else []
            found.append((method, path, fields))
    return found


def _fill(path: str, ids: dict) -> str:
    resource = path.split("/")[3]
    if "{booking_id}" in path:
        return path.replace("{id}", str(ids["past_session"])).replace("{booking_id}", str(ids["booking_id"]))
    return path.replace("{id}", str(ids.get(resource, 1))).replace("{code}", str(ids["agencies"]))


@st.composite
def bodies(draw, fields):
    """Any JSON at all, or an object with the operation's own field names holding any JSON."""
    if fields and draw(st.booleans()):
        chosen = draw(st.lists(st.sampled_from(fields), unique=True))
        return {name: draw(JSON) for name in chosen}
    return draw(JSON)


def _raw(body) -> str:
    try:
        return json.dumps(body)  # ensure_ascii: a lone surrogate travels as "\udXXX", as a client would send it
    except ValueError:
        return "{"


@pytest.mark.parametrize("who", ["business_unit", "practitioner"])
def test_every_api_operation_survives_any_json(world, who):
    client = Client()
    client.force_login(world["people"][who])
    for method, path, fields in _operations():
        _fuzz_operation(client, method, _fill(path, world["ids"]), fields)


def _fuzz_operation(client, method: str, url: str, fields: list[str]) -> None:
    @EXAMPLES
    @given(body=bodies(fields))
    def send(body):
        before = snapshot()
        what = f"{method.upper()} {url} {_short(body)}"
        try:
            response = getattr(client, method)(url, data=_raw(body), content_type="application/json")
        except Exception as exc:
            raise AssertionError(f"{what}: {exc!r}"[:600]) from None
        assert_no_5xx_and_refusals_save_nothing(response, before, what)

    send()


@EXAMPLES
@given(body=JSON, endpoint=st.sampled_from(["/_allauth/app/v1/auth/login", "/_allauth/app/v1/auth/signup",
                                            "/_allauth/app/v1/auth/password/request", "/webhooks/stripe/"]))
def test_sign_in_sign_up_and_webhooks_survive_any_json_signed_out(world, body, endpoint):
    before = snapshot()
    response = Client().post(endpoint, data=_raw(body), content_type="application/json")
    assert_no_5xx_and_refusals_save_nothing(response, before, f"POST {endpoint} {str(body)[:200]}")


# --- Every form ----------------------------------------------------------------------------------------


class Forms(HTMLParser):
    """The page's POST forms: each one's action, its fields (name -> value shown) and its buttons."""

    def __init__(self):
        super().__init__()
        self.forms, self.current = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self.current = {"action": attrs.get("action") or "", "fields": {}, "buttons": [],
                            "multipart": "multipart" in (attrs.get("enctype") or "")}
            self.forms.append(self.current)
        elif self.current is not None and tag in ("input", "textarea", "select", "button") and attrs.get("name"):
            if tag == "button" or attrs.get("type") == "submit":
                self.current["buttons"].append((attrs["name"], attrs.get("value") or ""))
            elif attrs.get("type") not in ("file",):
                self.current["fields"].setdefault(attrs["name"], attrs.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "form":
            self.current = None


PAGES = [
    ("colleague", "/sessions/{sessions}/"), ("practitioner", "/bookings/"),
    ("practitioner", "/bookings/{bookings}/cancel/"), ("practitioner", "/bookings/{bookings}/hand-over/"),
    ("practitioner", "/resources/{resources}/"), ("colleague", "/bookings/{booking_id}/evaluation/"),
    ("business_unit", "/sessions/new/"), ("business_unit", "/sessions/{sessions}/change/"),
    ("business_unit", "/sessions/{sessions}/cancel/"), ("business_unit", "/sessions/{sessions}/bookings/"),
    ("business_unit", "/sessions/{past_session}/register/"), ("business_unit", "/resources/new/"),
    ("business_unit", "/briefings/new/"), ("agency_manager", "/resources/{resources}/"),
    ("finance", "/charges/"), ("finance", "/charges/{charges}/"), ("business_unit", "/charging-policy/"),
    ("business_unit", "/manage/people/agency/add/"), ("business_unit", "/manage/people/person/add/"),
    ("business_unit", "/manage/courses/course/add/"), ("business_unit", "/manage/courses/course/{courses}/change/"),
    ("business_unit", "/learning/reviews/new/"), ("business_unit", "/learning/reviews/{review}/change/"),
    ("business_unit", "/learning/reviews/{review}/recommendations/new/"),
    ("business_unit", "/learning/recommendations/{rec}/change/"), ("business_unit", "/learning/recommendations/{rec}/"),
    ("agency_manager", "/learning/recommendations/{rec}/"),
    (None, "/accounts/signup/"), (None, "/accounts/login/"), (None, "/accounts/password/reset/"),
]


def _form_body(values: dict) -> bytes:
    """URL-encoded as a browser would, lone surrogates as the bytes they would be (not UTF-8: Django
    replaces them)."""
    pairs = []
    for name, value in values.items():
        for item in value if isinstance(value, list) else [value]:
            encoded = item.encode("utf-8", "surrogatepass")
            pairs.append(f"{quote(name)}={quote(encoded)}")
    return "&".join(pairs).encode()


@pytest.mark.parametrize(("who", "page"), PAGES, ids=[f"{who}:{page}" for who, page in PAGES])
def test_every_form_survives_any_text(world, who, page):
    client = Client()
    if who:
        client.force_login(world["people"][who])
    url = page.format(**world["ids"])
    response = client.get(url)
    assert response.status_code == 200, url
    parser = Forms()
    parser.feed(response.content.decode())
    forms = [f for f in parser.forms if "logout" not in f["action"]]
    assert forms, f"no form on {url}"
    for form in forms:
        _fuzz_form(client, form, urljoin(url, form["action"]))


def _fuzz_form(client, form: dict, action: str) -> None:
    names = list(form["fields"])

    @EXAMPLES
    @given(data=st.data())
    def send(data):
        values = {name: (value if data.draw(st.booleans()) else data.draw(TEXT))
                  for name, value in form["fields"].items() if name != "csrfmiddlewaretoken"}
        for name in data.draw(st.lists(st.sampled_from(names), max_size=2)) if names else []:
            values[name] = data.draw(st.lists(TEXT, min_size=2, max_size=3))  # one name sent twice or more
        if form["buttons"]:
            button, value = data.draw(st.sampled_from(form["buttons"]))
            values[button] = value
        before = snapshot()
        what = f"POST {action} {_short(values)}"
        try:
            response = client.post(action, data=_form_body(values), content_type="application/x-www-form-urlencoded")
        except Exception as exc:  # the test client raises what the view raised: name the request, briefly
            raise AssertionError(f"{what}: {exc!r}"[:600]) from None
        assert_no_5xx_and_refusals_save_nothing(response, before, what)

    send()


def test_the_fuzz_reads_every_form_a_page_shows():
    parser = Forms()
    parser.feed('<form method="post" action="/x/"><input type="hidden" name="csrfmiddlewaretoken" value="t">'
                '<textarea name="note"></textarea><select name="kind"></select>'
                '<button name="action" value="save">Save</button></form><form method="get"><input name="q"></form>')
    assert parser.forms == [{"action": "/x/", "fields": {"csrfmiddlewaretoken": "t", "note": "", "kind": ""},
                             "buttons": [("action", "save")], "multipart": False}]
    assert re.fullmatch(r"note=%ED%A0%80", _form_body({"note": "\ud800"}).decode())


def test_the_fuzz_covers_the_learning_trackers_api_actions_and_forms(db):
    operations = {(method, path) for method, path, _ in _operations()}
    assert {("post", "/api/v1/learning-reviews/"), ("post", "/api/v1/recommendations/"),
            ("patch", "/api/v1/recommendations/{id}/"),
            ("post", "/api/v1/recommendations/{id}/evidence/")} <= operations
    pages = {page for _, page in PAGES}
    assert {"/learning/reviews/new/", "/learning/reviews/{review}/change/",
            "/learning/reviews/{review}/recommendations/new/", "/learning/recommendations/{rec}/change/",
            "/learning/recommendations/{rec}/"} <= pages
    assert "reviews" in HUB_APPS  # a refused request is checked to save nothing in the tracker too
