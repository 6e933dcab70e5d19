"""Every URL pattern and every API operation × every persona, with the expected answer
from the tables in ``permission_matrix`` (and any app's ``tests/permissions.py``). The
rows are checked against the URL conf and the OpenAPI document, so a new page or
operation without its row fails here until someone writes down who may open it."""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

import pintu
from pintu.conftest import Personas, make_user
from pintu.core.tokens import api_token_create
from pintu.org.models import Role
from pintu.site.tests import permission_matrix
from pintu.site.tests.permission_matrix import PERSONAS, Row
from pintu.site.tests.tickets import open_ticket

pytestmark = pytest.mark.django_db
# Django's admin has its own checks (test_admin); static files are no page.
NOT_IN_MATRIX = {"admin"}


def tables() -> tuple[dict[str, Row], dict[str, Row]]:
    pages, api = dict(permission_matrix.PAGES), dict(permission_matrix.API)
    for app in pkgutil.iter_modules(pintu.__path__):
        if not app.ispkg:
            continue
        try:
            module = importlib.import_module(f"pintu.{app.name}.tests.permissions")
        except ModuleNotFoundError:
            continue
        pages.update(getattr(module, "PAGES", {}))
        api.update(getattr(module, "API", {}))
    return pages, api


def url_names(resolver: URLResolver | None = None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in NOT_IN_MATRIX:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


@dataclass
class World:
    reference: str


@pytest.fixture
def world(sops: None, personas: Personas) -> World:
    return World(reference=open_ticket(personas).reference)


def people(personas: Personas) -> dict[str, Any]:
    others = make_user("mahasiswa-lain", Role.REQUESTER, "TRPL")
    return {
        "anonymous": None,
        "other_requester": others,
        **{name: getattr(personas, name) for name in PERSONAS if hasattr(personas, name)},
    }


def answer(response: Any) -> Any:
    if response.status_code in (301, 302):
        return "login" if "/login/" in response["Location"] else "→"
    return response.status_code


def test_every_page_and_operation_has_a_row(client: Client, db: None) -> None:
    pages, api = tables()
    names = url_names()
    document = client.get("/api/v1/openapi.json").json()
    operations = {
        operation["operationId"]
        for methods in document["paths"].values()
        for operation in methods.values()
    }
    # Each operation's own URL name, in the API's namespace (checked by operationId).
    api_names = {"api:" + o.rsplit("_api_", 1)[-1] for o in operations}
    assert sorted(names - set(pages) - api_names) == [], "pages without a row"
    assert sorted(operations - set(api)) == [], "API operations without a row"
    assert sorted(set(pages) - names) == [], "rows for pages that are gone"
    assert api_names <= names
    assert sorted(set(api) - operations) == [], "rows for operations that are gone"


def test_each_persona_gets_what_the_matrix_says(world: World, personas: Personas) -> None:
    pages, api = tables()
    document = Client().get("/api/v1/openapi.json").json()
    routes = {
        operation["operationId"]: (method, path)
        for path, methods in document["paths"].items()
        for method, operation in methods.items()
    }
    wrong = []
    for index, (persona, user) in enumerate(people(personas).items()):
        column = PERSONAS.index(persona)
        client = Client(headers={"Accept-Language": "en"})
        if user is not None:
            client.force_login(user)
        for name, (arguments, expected) in sorted(pages.items()):
            got = answer(client.get(reverse(name, kwargs=arguments(world))))
            if got != expected[column]:
                wrong.append(f"{name} as {persona}: {got}, not {expected[column]}")
        token = (
            Client()
            if user is None
            else Client(
                headers={"Authorization": f"Bearer {api_token_create(actor=None, user=user)[1]}"}
            )
        )
        for operation, (arguments, expected) in sorted(api.items()):
            method, path = routes[operation]
            url = path.format(**arguments(world))
            if method == "get":
                response = token.get(url)
            else:
                response = getattr(token, method)(url, "{}", content_type="application/json")
            got = answer(response)
            if got != expected[column]:
                wrong.append(f"{operation} as {persona}: {got}, not {expected[column]}")
        assert index < len(PERSONAS)
    assert wrong == [], "\n".join(wrong)
