"""schemathesis against /api/v1/openapi.json, through the real application on the test
database: generated requests (valid and invalid) to every operation, as staff, a
requester, an auditor and no one; no answer is a server error, and every answer has a
status code the document declares for that operation and a body that matches it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from pintu.conftest import Personas
from pintu.core.tokens import api_token_create
from pintu.desk.tests.test_api import open_ticket
from pintu.wsgi import application

pytestmark = pytest.mark.django_db
CHECKS = [
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
]
EXAMPLES = 25  # per operation and generation mode


@pytest.fixture
def api_schema(sops: None, personas: Personas) -> Iterator[Any]:
    open_ticket(personas)  # something to read, reply to and move
    # As Django's test client does: the test's database connection stays open between
    # the requests (the application would close it at the end of each).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        for signal in (request_started, request_finished):
            signal.connect(close_old_connections)


def operations(schema: Any) -> list[Any]:
    found = [result.ok() for result in schema.get_all_operations()]
    assert len(found) >= 9, "the document lost its operations"
    return found


@pytest.mark.parametrize("mode", list(schemathesis.GenerationMode), ids=str)
def test_every_operation_answers_as_its_document_says(
    api_schema: Any, personas: Personas, mode: Any
) -> None:
    credentials = [
        {"Authorization": f"Bearer {api_token_create(actor=None, user=person)[1]}"}
        for person in (personas.staff, personas.requester, personas.auditor)
    ]
    for operation in operations(api_schema):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def answers(case: Any) -> None:
            for headers in [*credentials, {}]:
                case.call_and_validate(headers=headers, checks=CHECKS)

        answers()


def test_the_document_declares_the_errors_where_they_happen(client: Any) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert set(paths["/api/v1/tickets"]["get"]["responses"]) == {"200", "401", "403", "422"}
    vault = paths["/api/v1/vault/accounts"]["get"]["responses"]  # a requester is refused
    assert "403" in vault
    note = paths["/api/v1/tickets/{reference}/note"]["post"]["responses"]
    assert set(note) == {"201", "400", "401", "403", "404", "422"}
    refused = note["422"]["content"]["application/json"]["schema"]["$ref"]
    assert refused == "#/components/schemas/ValidationErrors"
