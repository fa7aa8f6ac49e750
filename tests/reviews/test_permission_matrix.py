"""Every tracker page and API action against every role, as /work/shared/learning-reviews.md (the design)
allows: the business unit everything; an agency manager reads the tracker, the themes and the reviews, and
sees, adds evidence to and reads the reach of only the recommendations their agency owns; practitioners,
trainers, finance and people signed out nothing.

A cell is ALLOWED when the answer is not 401/403/404 and not a bounce to sign-in (a 400 or a page with a
form error for an empty body still means the person was let in), DENIED when it is one of those; no cell
may be a 5xx.
"""

import pytest

ROLES = ["signed_out", "practitioner", "trainer", "finance", "business_unit", "owner_manager", "other_manager"]
BU = {"business_unit"}
MANAGERS = {"business_unit", "owner_manager", "other_manager"}  # every agency manager, and the business unit
OWNERS = {"business_unit", "owner_manager"}  # the business unit, and managers of an agency that owns it

MATRIX = [
    # pages
    ("get", "/learning/", MANAGERS),
    ("get", "/learning/?export=csv", MANAGERS),
    ("get", "/learning/?export=xlsx", MANAGERS),
    ("get", "/learning/themes/", MANAGERS),
    ("get", "/learning/reviews/new/", BU),
    ("post", "/learning/reviews/new/", BU),
    ("get", "/learning/reviews/{review}/", MANAGERS),
    ("get", "/learning/reviews/{review}/change/", BU),
    ("post", "/learning/reviews/{review}/change/", BU),
    ("get", "/learning/reviews/{review}/recommendations/new/", BU),
    ("post", "/learning/reviews/{review}/recommendations/new/", BU),
    ("get", "/learning/recommendations/{rec}/", OWNERS),
    ("post", "/learning/recommendations/{rec}/", OWNERS),  # adding evidence
    ("get", "/learning/recommendations/{rec}/change/", BU),
    ("post", "/learning/recommendations/{rec}/change/", BU),
    # the API
    ("get", "/api/v1/learning-reviews/", MANAGERS),
    ("get", "/api/v1/learning-reviews/{review}/", MANAGERS),
    ("post", "/api/v1/learning-reviews/", BU),
    ("get", "/api/v1/recommendations/", MANAGERS),  # a manager's list holds only their agency's
    ("get", "/api/v1/recommendations/{rec}/", OWNERS),
    ("post", "/api/v1/recommendations/", BU),
    ("patch", "/api/v1/recommendations/{rec}/", BU),
    ("post", "/api/v1/recommendations/{rec}/evidence/", OWNERS),
    ("get", "/api/v1/recommendations/{rec}/reach/", OWNERS),
]


@pytest.fixture
def world(practitioner, trainer, finance, business_unit, agency_manager, police_manager, rec):
    return {"review": rec.review_id, "rec": rec.pk,
            "people": {"practitioner": practitioner, "trainer": trainer, "finance": finance,
                       "business_unit": business_unit, "owner_manager": agency_manager,
                       "other_manager": police_manager}}


def _denied(response) -> bool:
    if response.status_code in (401, 403, 404):
        return True
    return response.status_code == 302 and "login" in response.get("Location", "")


@pytest.mark.parametrize(("method", "path", "allowed"), MATRIX, ids=[f"{m} {p}" for m, p, _ in MATRIX])
def test_tracker_permission_matrix(client, world, method, path, allowed):
    url = path.format(**world)
    for role in ROLES:
        client.logout()
        if role != "signed_out":
            client.force_login(world["people"][role])
        call = getattr(client, method)
        if url.startswith("/api/") and method in ("post", "patch"):
            response = call(url, data="{}", content_type="application/json")
        else:
            response = call(url)
        assert response.status_code < 500, f"{role} {method.upper()} {url}: {response.status_code}"
        expected_in = role in allowed
        assert _denied(response) != expected_in, (
            f"{role} {'should' if expected_in else 'should not'} get through {method.upper()} {url}: "
            f"{response.status_code}")


def test_the_matrix_names_every_tracker_page_and_api_action(client, db):
    import re

    from reviews import urls

    def shape(path: str) -> str:
        return re.sub(r"\{[a-z_]+\}|<int:pk>", "{x}", path.split("?")[0])

    covered = {(method, shape(path)) for method, path, _ in MATRIX}
    pages = {shape("/learning/" + str(p.pattern)) for p in urls.urlpatterns}
    assert pages <= {path for _, path in covered}, pages - {path for _, path in covered}
    schema = client.get("/api/schema/?format=json").json()["paths"]
    api = {(method, shape(path)) for path, operations in schema.items()
           if path.startswith(("/api/v1/learning-reviews/", "/api/v1/recommendations/"))
           for method in operations if method in ("get", "post", "put", "patch", "delete")}
    assert api and api <= covered, api - covered


def test_an_agency_manager_sees_only_what_their_agency_owns_in_the_lists(api_as, client, world):
    owner, other = world["people"]["owner_manager"], world["people"]["other_manager"]
    assert [r["id"] for r in api_as(owner).get("/api/v1/recommendations/").json()] == [world["rec"]]
    assert api_as(other).get("/api/v1/recommendations/").json() == []
    client.force_login(other)
    page = client.get("/learning/").content.decode()
    assert f'/learning/recommendations/{world["rec"]}/' not in page
    client.force_login(owner)
    assert f'/learning/recommendations/{world["rec"]}/' in client.get("/learning/").content.decode()
