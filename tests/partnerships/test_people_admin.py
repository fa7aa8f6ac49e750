"""The data manager (Django admin) for partnerships, an agency's partnerships and a person's role grants."""

import pytest
from django.contrib.auth.models import Group

from people import roles
from people.models import Agency, Partnership, Person, RoleGrant
from people.partnerships import default_partnership, partnership_ids_for
from people.selectors import agency_partnerships
from people.services import ensure_role_groups, grant_role


@pytest.fixture
def warrington(db):
    default_partnership()
    return Partnership.objects.create(slug="warrington", name="Warrington Safeguarding Partnership")


@pytest.fixture
def superuser(db, halton):
    return Person.objects.create_superuser("root@halton.gov.uk", "pw", name="Root", agency=halton)


def _group_ids(*names) -> list[str]:
    ensure_role_groups()
    return [str(pk) for pk in Group.objects.filter(name__in=names).values_list("pk", flat=True)]


def _person_form(person, *, groups=(), home="", grants=(), network=True) -> dict:
    data = {"name": person.name, "email": person.email, "agency": str(person.agency_id), "job_title": "",
            "groups": _group_ids(*groups), "is_active": "on"}
    if network:
        data["home_partnership"] = home
        existing = list(RoleGrant.objects.filter(person=person))
        prefix = "role_grants"
        data |= {f"{prefix}-TOTAL_FORMS": str(len(existing) + len(grants)),
                 f"{prefix}-INITIAL_FORMS": str(len(existing)), f"{prefix}-MIN_NUM_FORMS": "0",
                 f"{prefix}-MAX_NUM_FORMS": "1000"}
        for n, grant in enumerate(existing):
            data |= {f"{prefix}-{n}-id": str(grant.pk), f"{prefix}-{n}-person": str(person.pk),
                     f"{prefix}-{n}-role": grant.role, f"{prefix}-{n}-partnership": str(grant.partnership_id)}
        for n, (role, partnership) in enumerate(grants, start=len(existing)):
            data |= {f"{prefix}-{n}-person": str(person.pk), f"{prefix}-{n}-role": role,
                     f"{prefix}-{n}-partnership": str(partnership.pk)}
    return data


def test_the_business_unit_reads_the_partnerships_and_changes_its_own(client, business_unit, warrington):
    client.force_login(business_unit)
    page = client.get("/manage/people/partnership/").content.decode()
    assert "Warrington Safeguarding Partnership" in page and default_partnership().name in page
    halton_p = default_partnership()
    response = client.post(f"/manage/people/partnership/{halton_p.pk}/change/", {
        "name": halton_p.name, "contact_email": "hcypsp@halton.gov.uk", "website": "https://hcypsp.example"})
    assert response.status_code == 302
    halton_p.refresh_from_db()
    assert (halton_p.contact_email, halton_p.slug) == ("hcypsp@halton.gov.uk", "halton")
    # another partnership's details: read only
    response = client.post(f"/manage/people/partnership/{warrington.pk}/change/", {
        "name": "Taken over", "contact_email": "x@evil.example"})
    warrington.refresh_from_db()
    assert warrington.name == "Warrington Safeguarding Partnership" and response.status_code in (302, 403)
    assert client.get("/manage/people/partnership/add/").status_code == 403
    assert client.post(f"/manage/people/partnership/{warrington.pk}/delete/").status_code == 403
    assert Partnership.objects.count() == 2


def test_a_superuser_adds_a_partnership_in_the_admin(client, superuser):
    default_partnership()
    client.force_login(superuser)
    response = client.post("/manage/people/partnership/add/", {
        "name": "Cheshire East", "slug": "cheshire-east", "contact_email": "", "website": ""})
    assert response.status_code == 302
    assert Partnership.objects.get(slug="cheshire-east").name == "Cheshire East"


@pytest.mark.parametrize(("field", "value", "words"), [
    ("name", "Cheshire\x1b East", "must not contain control characters"),
    ("slug", "Cheshire East", "letters, numbers, underscores or hyphens"),
    ("slug", "halton", "already exists"),
    ("contact_email", "not-an-address", "Enter a valid email address"),
])
def test_the_partnership_admin_refuses_bad_details(client, superuser, field, value, words):
    default_partnership()
    client.force_login(superuser)
    data = {"name": "Cheshire East", "slug": "cheshire-east", "contact_email": "", "website": ""} | {field: value}
    response = client.post("/manage/people/partnership/add/", data)
    assert response.status_code == 200 and words in response.content.decode()
    assert Partnership.objects.count() == 1


def test_a_hub_of_one_s_agency_admin_shows_no_partnerships(client, business_unit, halton):
    client.force_login(business_unit)
    assert 'name="partnerships"' not in client.get(f"/manage/people/agency/{halton.pk}/change/").content.decode()
    assert "home_partnership" not in client.get(f"/manage/people/person/{business_unit.pk}/change/").content.decode()


def test_the_agency_admin_on_a_network_ticks_its_partnerships(client, business_unit, halton, warrington):
    client.force_login(business_unit)
    page = client.get(f"/manage/people/agency/{halton.pk}/change/").content.decode()
    assert 'type="checkbox" name="partnerships"' in page
    response = client.post(f"/manage/people/agency/{halton.pk}/change/", {
        "code": halton.code, "name": halton.name, "kind": halton.kind, "billing_contact_name": "",
        "billing_email": "", "email_domains": "", "partnerships": [str(default_partnership().pk), str(warrington.pk)]})
    assert response.status_code == 302
    assert [p.slug for p in agency_partnerships(halton)] == ["halton", "warrington"]
    listing = client.get("/manage/people/agency/").content.decode()
    assert "Halton Children and Young People Safeguarding Partnership, Warrington Safeguarding Partnership" in listing


def test_the_agency_admin_refuses_a_partnership_that_is_not_one(client, business_unit, halton, warrington):
    client.force_login(business_unit)
    for value in ("99999", "1.5", "\x00", "9" * 40):
        response = client.post(f"/manage/people/agency/{halton.pk}/change/", {
            "code": halton.code, "name": halton.name, "kind": halton.kind, "partnerships": [value]})
        assert response.status_code in (200, 400)
    assert [p.slug for p in agency_partnerships(halton)] == ["halton"]


def test_a_hub_of_one_ticks_scoped_roles_held_for_its_one_partnership(client, business_unit, make_person, halton):
    sam = make_person("sam@halton.gov.uk", halton)
    client.force_login(business_unit)
    response = client.post(f"/manage/people/person/{sam.pk}/change/",
                           _person_form(sam, groups=[roles.PRACTITIONER, roles.TRAINER], network=False))
    assert response.status_code == 302
    assert partnership_ids_for(Person.objects.get(pk=sam.pk), roles.TRAINER) == {default_partnership().pk}
    response = client.post(f"/manage/people/person/{sam.pk}/change/",
                           _person_form(sam, groups=[roles.PRACTITIONER], network=False))
    assert not RoleGrant.objects.filter(person=sam).exists()


def test_a_network_gives_scoped_roles_per_partnership(client, business_unit, make_person, halton, warrington):
    sam = make_person("sam@halton.gov.uk", halton)
    client.force_login(business_unit)
    page = client.get(f"/manage/people/person/{sam.pk}/change/").content.decode()
    assert "role_grants-TOTAL_FORMS" in page and 'name="home_partnership"' in page
    response = client.post(f"/manage/people/person/{sam.pk}/change/", _person_form(
        sam, groups=[roles.PRACTITIONER], grants=[(roles.TRAINER, warrington), (roles.FINANCE, default_partnership())]))
    assert response.status_code == 302, response.content.decode()[:3000]
    sam = Person.objects.get(pk=sam.pk)
    assert partnership_ids_for(sam, roles.TRAINER) == {warrington.pk}
    assert partnership_ids_for(sam, roles.FINANCE) == {default_partnership().pk}
    assert set(sam.groups.values_list("name", flat=True)) == {roles.PRACTITIONER, roles.TRAINER, roles.FINANCE}
    # deleting a grant ends the role
    data = _person_form(sam, groups=[roles.PRACTITIONER])
    finance = RoleGrant.objects.get(person=sam, role=roles.FINANCE)
    index = next(k for k, v in data.items() if k.endswith("-id") and v == str(finance.pk)).split("-")[1]
    data[f"role_grants-{index}-DELETE"] = "on"
    assert client.post(f"/manage/people/person/{sam.pk}/change/", data).status_code == 302
    sam = Person.objects.get(pk=sam.pk)
    assert partnership_ids_for(sam, roles.FINANCE) == frozenset()
    assert set(sam.groups.values_list("name", flat=True)) == {roles.PRACTITIONER, roles.TRAINER}


def test_a_network_keeps_the_ticked_roles_to_the_network_wide_ones(client, business_unit, make_person, halton,
                                                                   warrington):
    sam = make_person("sam@halton.gov.uk", halton)
    client.force_login(business_unit)
    response = client.post(f"/manage/people/person/{sam.pk}/change/",
                           _person_form(sam, groups=[roles.PRACTITIONER, roles.BUSINESS_UNIT]))
    assert response.status_code == 200  # business_unit is not among the ticked roles' choices
    assert "Select a valid choice" in response.content.decode()
    assert not RoleGrant.objects.filter(person=sam).exists()


@pytest.mark.parametrize("grant", [("network_lead", "halton"), ("trainer\x00", "halton"), ("trainer", "99999"),
                                   ("", "halton")])
def test_a_role_grant_must_be_a_scoped_role_and_a_partnership(client, business_unit, make_person, halton,
                                                               warrington, grant):
    sam = make_person("sam@halton.gov.uk", halton)
    client.force_login(business_unit)
    data = _person_form(sam, groups=[roles.PRACTITIONER], grants=[(roles.TRAINER, warrington)])
    role, partnership = grant
    data["role_grants-0-role"] = role
    data["role_grants-0-partnership"] = str(default_partnership().pk) if partnership == "halton" else partnership
    response = client.post(f"/manage/people/person/{sam.pk}/change/", data)
    assert response.status_code in (200, 400)
    assert not RoleGrant.objects.filter(person=sam).exists()


def test_the_admin_refuses_a_home_partnership_the_agency_is_not_in(client, business_unit, make_person, halton,
                                                                   warrington):
    sam = make_person("sam@halton.gov.uk", halton)
    client.force_login(business_unit)
    response = client.post(f"/manage/people/person/{sam.pk}/change/",
                           _person_form(sam, groups=[roles.PRACTITIONER], home=str(warrington.pk)))
    assert response.status_code == 200
    assert "Halton Borough Council does not work with Warrington Safeguarding Partnership" in response.content.decode()
    sam.refresh_from_db()
    assert sam.home_partnership is None
    halton.partnerships.add(warrington)
    response = client.post(f"/manage/people/person/{sam.pk}/change/",
                           _person_form(sam, groups=[roles.PRACTITIONER], home=str(warrington.pk)))
    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.home_partnership == warrington


def test_grants_for_another_partnership_survive_a_hub_of_one_save(business_unit, warrington):
    grant_role(business_unit, roles.BUSINESS_UNIT, partnership=warrington)
    from people.services import settle_role_grants

    settle_role_grants(business_unit, from_grants=False)
    assert partnership_ids_for(business_unit, roles.BUSINESS_UNIT) == {default_partnership().pk, warrington.pk}
    assert Agency.objects.exists()
