"""Personal API tokens: made once, kept only as a digest, checked, revoked; `pintu token`."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from pintu.conftest import Personas
from pintu.core.models import ApiToken, AuditEvent
from pintu.core.tokens import api_token_create, api_token_revoke, api_token_verify

pytestmark = pytest.mark.django_db
T0 = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def test_a_new_token_is_shown_once_and_only_its_digest_is_stored(personas: Personas) -> None:
    row, token = api_token_create(actor=personas.admin, user=personas.staff, name="laporan")
    assert token.startswith("pintu_")
    assert len(token) == len("pintu_") + 40
    assert row.prefix == token[6:14]
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert all(token not in str(value) for value in stored.values())
    event = AuditEvent.objects.get(action="api_token.create")
    assert event.actor == personas.admin
    assert event.after == {"user": "staf-si", "name": "laporan", "prefix": row.prefix}
    assert token not in str(event.after)


def test_verify_knows_the_token_and_refuses_anything_else(personas: Personas) -> None:
    _, token = api_token_create(actor=None, user=personas.staff)
    assert api_token_verify(token) == personas.staff
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert api_token_verify(tampered) is None
    assert api_token_verify("pintu_" + "x" * 40) is None
    assert api_token_verify(token[6:]) is None
    assert api_token_verify("") is None


def test_a_revoked_token_no_longer_works_and_the_revocation_is_audited(
    personas: Personas,
) -> None:
    row, token = api_token_create(actor=None, user=personas.staff)
    api_token_revoke(actor=personas.admin, token=row, now=T0)
    row.refresh_from_db()
    assert row.revoked_at == T0
    assert api_token_verify(token) is None
    api_token_revoke(actor=personas.admin, token=row, now=T0 + timedelta(hours=1))
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_a_deactivated_persons_token_no_longer_works(personas: Personas) -> None:
    _, token = api_token_create(actor=None, user=personas.staff)
    personas.staff.is_active = False
    personas.staff.save(update_fields=["is_active"])
    assert api_token_verify(token) is None


def test_last_use_is_written_at_most_once_a_minute(
    personas: Personas, django_assert_num_queries
) -> None:
    row, token = api_token_create(actor=None, user=personas.staff)
    with django_assert_num_queries(2):  # the look-up and the first use
        api_token_verify(token, now=T0)
    with django_assert_num_queries(1):  # within the minute: no write
        api_token_verify(token, now=T0 + timedelta(seconds=59))
    row.refresh_from_db()
    assert row.last_used_at == T0
    api_token_verify(token, now=T0 + timedelta(seconds=61))
    row.refresh_from_db()
    assert row.last_used_at == T0 + timedelta(seconds=61)


def run(*args: str) -> str:
    out = StringIO()
    call_command("token", *args, stdout=out)
    return out.getvalue()


def test_token_create_prints_the_token_and_nothing_else(personas: Personas) -> None:
    output = run("create", "staf-si", "--name", "skrip laporan")
    lines = output.splitlines()
    assert len(lines) == 1
    token = lines[0]
    assert token.startswith("pintu_")
    assert api_token_verify(token) == personas.staff
    assert ApiToken.objects.get().name == "skrip laporan"
    assert AuditEvent.objects.get(action="api_token.create").actor is None


def test_token_list_shows_prefixes_never_tokens(personas: Personas) -> None:
    token = run("create", "staf-si", "--name", "skrip").strip()
    listing = run("list", "staf-si")
    assert token[:14] in listing
    assert "skrip" in listing
    assert "active" in listing
    assert token not in listing


def test_token_revoke_by_prefix(personas: Personas) -> None:
    token = run("create", "staf-si").strip()
    output = run("revoke", token[:14])
    assert output.strip() == f"revoked {token[:14]} of staf-si"
    assert api_token_verify(token) is None
    assert "revoked" in run("list", "staf-si")
    with pytest.raises(CommandError, match="already revoked"):
        run("revoke", token[:14])


def test_token_commands_name_what_they_cannot_find(personas: Personas) -> None:
    with pytest.raises(CommandError, match="no user nobody"):
        run("create", "nobody")
    with pytest.raises(CommandError, match="no token pintu_zzzzzzzz"):
        run("revoke", "pintu_zzzzzzzz")
