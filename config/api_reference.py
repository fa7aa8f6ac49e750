"""The API reference as a plain, accessible page, built from the same OpenAPI schema as /api/schema/."""

from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

from people.partnerships import masthead_without_database

METHODS = ("get", "post", "put", "patch", "delete")
VERBS = {"list": "list", "retrieve": "read", "create": "create", "update": "replace", "partial_update": "change",
         "destroy": "delete"}


@dataclass
class Group:
    name: str
    about: str = ""
    operations: list[dict] = field(default_factory=list)


def _first_sentence(text: str) -> str:
    text = " ".join((text or "").split())
    return text.split(". ")[0].rstrip(".") + "." if text else ""


def _action(operation_id: str, resource: str) -> str:
    """'v1_bookings_accept_offer_create' -> 'Accept offer'; 'v1_courses_trainers_list' -> 'Trainers: list'."""
    rest = operation_id.removeprefix(f"v1_{resource.replace('-', '_')}_")
    for suffix, verb in sorted(VERBS.items(), key=lambda kv: -len(kv[0])):
        if rest == suffix:
            return verb.capitalize()
        if rest.endswith("_" + suffix):
            words = rest.removesuffix("_" + suffix).replace("_", " ").capitalize()
            return words if suffix == "create" else f"{words}: {verb}"
    return rest.replace("_", " ").capitalize()


@lru_cache(maxsize=1)
def groups() -> list[Group]:
    """The operations grouped by the first part of their address, each group with the words its
    operations share; an operation's own words where it has them. Computed once per process."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found: dict[str, Group] = {}
    for path, item in schema["paths"].items():
        resource = path.removeprefix("/api/v1/").split("/")[0]
        group = found.setdefault(resource, Group(resource.replace("-", " ").capitalize()))
        for method in METHODS:
            if method in item:
                op = item[method]
                group.operations.append({"method": method.upper(), "path": path,
                                         "action": _action(op["operationId"], resource),
                                         "about": _first_sentence(op.get("description", ""))})
    for group in found.values():
        group.about = Counter(op["about"] for op in group.operations).most_common(1)[0][0]
        for op in group.operations:
            if op["about"] == group.about:
                op["about"] = ""
    return [found[name] for name in sorted(found)]


def api_reference(request):
    # Built from the code alone, the page asks nothing of the database, its header included.
    return render(request, "api_reference.html", {"groups": groups(), "masthead": masthead_without_database()})
