"""Credentials at rest and in sight: sealed in the database (its column and its file
never hold one in clear), opened only for a current grantee who enters their password,
each view and each refusal recorded, a wrong key named as such, a key rotation that
keeps every credential readable, and an API that never carries one."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import PASSWORD, Personas, make_user
from pintu.core.models import AuditEvent
from pintu.core.tokens import api_token_create
from pintu.org.models import Role
from pintu.vault import envelope
from pintu.vault.grants import grant_revoke, grants_expire
from pintu.vault.models import DigitalAccount, Reveal, Rotation
from pintu.vault.services import credential_reveal, credential_set
from pintu.vault.tests.helpers import KEY, SECRET, entry, grant, keeper

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vault_key(settings: Any) -> None:
    settings.PINTU_VAULT_KEY = KEY
    settings.PINTU_VAULT_KEY_FILE = ""


def raw_credentials() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT credential FROM vault_digitalaccount")
        return [row[0] for row in cursor.fetchall()]


def test_the_column_holds_the_credential_sealed_never_in_clear(sops: None) -> None:
    account = entry(keeper())
    (stored,) = raw_credentials()
    assert SECRET not in stored and stored.startswith(
        f"v1:{envelope.key_id(envelope.parse_key(KEY))}:"
    )
    assert envelope.unseal(stored, envelope.parse_key(KEY), context=account.context) == SECRET
    audit = AuditEvent.objects.get(action="digital_account.register")
    assert SECRET not in json.dumps(audit.after) and audit.after["credential"] is True


def _database_files() -> list[Path]:
    if connection.vendor == "sqlite":
        name = Path(connection.settings_dict["NAME"])
        return [path for path in (name, Path(f"{name}-wal")) if path.exists()]
    with connection.cursor() as cursor:
        cursor.execute("CHECKPOINT")
        cursor.execute(
            "SELECT current_setting('data_directory'), oid FROM pg_database"
            " WHERE datname = current_database()"
        )
        data, oid = cursor.fetchone()
    root = Path(data)
    return [
        p
        for p in [*(root / "base" / str(oid)).iterdir(), *(root / "pg_wal").glob("0*")]
        if p.is_file()
    ]


@pytest.mark.django_db(transaction=True)
def test_the_database_files_never_hold_the_credential_in_clear(sops: None) -> None:
    secret = "Sangat-rahasia-" + envelope.new_key()[:12]
    entry(keeper(), credential=secret)
    files = _database_files()
    assert files, "no database file found to read"
    for path in files:
        data = path.read_bytes()
        assert secret.encode() not in data, f"{path.name} holds the credential in clear"
        assert secret.encode("utf-16-le") not in data
    assert any(b"v1:" in path.read_bytes() for path in files)  # the sealed form is there


def test_a_current_grantee_sees_it_after_entering_their_password(sops: None) -> None:
    staff, person = keeper(), make_user("dosen", Role.REQUESTER, "TRPL")
    account = entry(staff)
    made = grant(staff, person, [account])
    now = timezone.now()
    assert (
        credential_reveal(
            actor=person, account=account, password=PASSWORD, now=now, address="10.0.0.9"
        )
        == SECRET
    )
    seen = Reveal.objects.get()
    assert (seen.person, seen.grant, seen.account, seen.address) == (
        person,
        made,
        account,
        "10.0.0.9",
    )
    audit = AuditEvent.objects.get(action="digital_account.reveal")
    assert audit.actor == person and SECRET not in json.dumps(audit.after)


def test_nobody_but_a_current_grantee_sees_it_and_each_refusal_is_recorded(
    sops: None, personas: Personas
) -> None:
    staff, person = keeper(), make_user("dosen", Role.REQUESTER, "TRPL")
    account, other = entry(staff), entry(staff, service_name="Canva")
    now = timezone.now()
    # The keeper who stored it, an admin, a stranger: none of them has a grant.
    for who in (staff, personas.admin, personas.requester):
        with pytest.raises(PermissionDenied):
            credential_reveal(actor=who, account=account, password=PASSWORD, now=now)
    # A grant covers its own accounts only.
    grant(staff, person, [other])
    with pytest.raises(PermissionDenied):
        credential_reveal(actor=person, account=account, password=PASSWORD, now=now)
    # Ended grants open nothing: one expired (before and after the sweep), one revoked.
    expired = grant(staff, person, [account], days=7, now=now - timedelta(days=8))
    with pytest.raises(PermissionDenied):
        credential_reveal(actor=person, account=account, password=PASSWORD, now=now)
    assert grants_expire(now=now) == 1
    expired.refresh_from_db()
    assert expired.end == "expired"
    revoked = grant(staff, person, [account])
    grant_revoke(actor=staff, grant=revoked, reason="Selesai kuliah", now=now)
    with pytest.raises(PermissionDenied):
        credential_reveal(actor=person, account=account, password=PASSWORD, now=now)
    # A current grantee with the wrong password.
    grant(staff, person, [account])
    with pytest.raises(ValidationError, match="bukan kata sandi"):
        credential_reveal(actor=person, account=account, password="salah", now=now)
    assert not Reveal.objects.exists()
    refusals = AuditEvent.objects.filter(action="digital_account.reveal_refused")
    assert refusals.count() == 7
    assert [e.after["why"] for e in refusals.order_by("id")][-1] == "wrong password"


def test_a_wrong_key_gives_a_clear_error_never_garbage(sops: None, settings: Any) -> None:
    staff, person = keeper(), make_user("dosen", Role.REQUESTER, "TRPL")
    account = entry(staff)
    grant(staff, person, [account])
    settings.PINTU_VAULT_KEY = envelope.new_key()
    with pytest.raises(ValidationError, match="sealed with key"):
        credential_reveal(actor=person, account=account, password=PASSWORD, now=timezone.now())
    settings.PINTU_VAULT_KEY = "not-a-key"
    with pytest.raises(ValidationError, match="PINTU_VAULT_KEY"):
        credential_reveal(actor=person, account=account, password=PASSWORD, now=timezone.now())
    assert not Reveal.objects.exists()  # nothing was shown, so no view is recorded


def test_rotating_the_key_file_keeps_every_credential_readable(
    sops: None, settings: Any, tmp_path: Path
) -> None:
    key_file = tmp_path / "vault.key"
    key_file.write_text(KEY + "\n")
    settings.PINTU_VAULT_KEY = ""
    settings.PINTU_VAULT_KEY_FILE = str(key_file)
    staff, person = keeper(), make_user("dosen", Role.REQUESTER, "TRPL")
    accounts = [
        entry(staff, service_name=name, credential=f"{name}-pw")
        for name in ("Zoom", "Canva", "Turnitin")
    ]
    entry(staff, service_name="Neo Feeder", credential="")  # nothing to re-seal
    grant(staff, person, accounts)
    out = io.StringIO()
    call_command("vault", "rotate-key", stdout=out)
    new = envelope.parse_key(key_file.read_text())
    assert new != envelope.parse_key(KEY)
    old_id, new_id = envelope.key_id(envelope.parse_key(KEY)), envelope.key_id(new)
    assert f"re-sealed 3 credential(s) from key {old_id} to key {new_id}" in out.getvalue()
    assert key_file.stat().st_mode & 0o777 == 0o600 and not (tmp_path / "vault.key.new").exists()
    for account in accounts:
        account.refresh_from_db()
        assert (
            credential_reveal(actor=person, account=account, password=PASSWORD, now=timezone.now())
            == f"{account.service}-pw"
        )
    assert AuditEvent.objects.filter(action="digital_account.rekey").count() == 3


def test_a_rotation_with_a_credential_that_does_not_open_changes_nothing(
    sops: None, monkeypatch: Any
) -> None:
    staff = keeper()
    good = entry(staff)
    bad = entry(staff, service_name="Canva")
    DigitalAccount.objects.filter(pk=bad.pk).update(
        credential=envelope.seal("x", envelope.parse_key(envelope.new_key()), context=bad.context)
    )
    before = raw_credentials()
    new = envelope.new_key()
    with pytest.raises(CommandError, match="Canva"):
        monkeypatch.setattr("sys.stdin", io.StringIO(new + "\n"))
        call_command("vault", "rotate-key", "--new-key-stdin")
    assert raw_credentials() == before
    good.refresh_from_db()
    assert good.credential in before


def test_with_the_key_in_the_environment_the_new_key_comes_on_standard_input(sops: None) -> None:
    with pytest.raises(CommandError, match="new-key-stdin"):
        call_command("vault", "rotate-key")
    out = io.StringIO()
    call_command("vault", "new-key", stdout=out)
    assert len(envelope.parse_key(out.getvalue())) == 32


def test_a_new_credential_closes_the_rotation_an_ended_grant_opened(sops: None) -> None:
    staff, person = keeper(), make_user("dosen", Role.REQUESTER, "TRPL")
    account = entry(staff)
    made = grant(staff, person, [account])
    now = timezone.now()
    grant_revoke(actor=staff, grant=made, reason="", now=now)
    rotation = Rotation.objects.get(account=account, done_at__isnull=True)
    assert rotation.grant == made
    credential_set(
        actor=staff, account=account, credential="baru-123", now=now + timedelta(minutes=5)
    )
    rotation.refresh_from_db()
    assert (rotation.done_by, rotation.done_at) == (staff, now + timedelta(minutes=5))


def test_the_api_lists_without_a_credential_and_registers_one_sealed(
    sops: None, personas: Personas
) -> None:
    staff = keeper()
    entry(staff)
    _, token = api_token_create(actor=None, user=staff)
    client = Client(headers={"Authorization": f"Bearer {token}"})
    listing = client.get("/api/v1/vault/accounts")
    assert listing.status_code == 200
    body = listing.content.decode()
    assert SECRET not in body and "v1:" not in body
    (item,) = listing.json()["items"]
    assert (item["service"], item["has_credential"], item["unit"]) == ("Zoom", True, "BAA")
    assert "credential" not in item
    made = client.post(
        "/api/v1/vault/accounts",
        json.dumps(
            {
                "unit": "BAA",
                "service": "Canva",
                "login": "baa@canva.test",
                "credential": "kanva-9",
                "classification": "restricted",
            }
        ),
        "application/json",
    )
    assert made.status_code == 201 and "kanva-9" not in made.content.decode()
    assert made.json()["has_credential"] is True and made.json()["steward"] == "staf-baa"
    assert not any("kanva-9" in value for value in raw_credentials())
    refused = client.post(
        "/api/v1/vault/accounts",
        json.dumps({"unit": "BAA", "service": "Canva", "login": "baa@canva.test"}),
        "application/json",
    )
    assert refused.status_code == 422
    # Another unit's staff see none of it and register nothing there.
    _, other = api_token_create(actor=None, user=personas.staff)
    other_client = Client(headers={"Authorization": f"Bearer {other}"})
    assert other_client.get("/api/v1/vault/accounts").json()["count"] == 0
    assert (
        other_client.post(
            "/api/v1/vault/accounts",
            json.dumps({"unit": "BAA", "service": "X", "login": "y"}),
            "application/json",
        ).status_code
        == 403
    )
    _, requester = api_token_create(actor=None, user=personas.requester)
    assert (
        Client(headers={"Authorization": f"Bearer {requester}"})
        .get("/api/v1/vault/accounts")
        .status_code
        == 403
    )


def test_the_reveal_page_needs_the_password_and_is_never_cached(sops: None) -> None:
    staff, person = keeper(), make_user("dosen", Role.REQUESTER, "TRPL")
    account = entry(staff)
    grant(staff, person, [account])
    client = Client()
    client.force_login(person)
    mine = client.get(reverse("vault-my-access")).content.decode()
    assert "prodi@zoom.test" in mine and SECRET not in mine
    wrong = client.post(
        reverse("vault-reveal", args=[account.pk]), {"password": "salah"}, follow=True
    )
    assert SECRET not in wrong.content.decode() and "bukan kata sandi" in wrong.content.decode()
    shown = client.post(reverse("vault-reveal", args=[account.pk]), {"password": PASSWORD})
    assert SECRET in shown.content.decode() and "no-store" in shown["Cache-Control"]
    assert client.get(reverse("vault-reveal", args=[account.pk])).status_code == 405
    stranger = Client()
    stranger.force_login(staff)
    assert (
        stranger.post(
            reverse("vault-reveal", args=[account.pk]), {"password": PASSWORD}
        ).status_code
        == 404
    )
    assert Reveal.objects.count() == 1
