"""The local mail catcher: a reply sent through the real SMTP transport lands in it, as
a file, and admins (only they, and never in production) read it at /dev/mail/."""

from __future__ import annotations

import smtplib
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas
from pintu.desk import services
from pintu.doors.email.catcher import (
    MailCatcher,
    catcher_wanted,
    caught_files,
    caught_path,
    mail_catcher,
)
from pintu.doors.tests.test_email_out import email_ticket
from pintu.outbox.delivery import deliver_due


@pytest.mark.parametrize(
    ("production", "environ", "wanted"),
    [
        (False, {}, True),
        (False, {"PINTU_SMTP_URL": "  "}, True),
        (False, {"PINTU_SMTP_URL": "smtp://relay.poltek.ac.id:587?starttls=1"}, False),
        (True, {}, False),
        (True, {"PINTU_SMTP_URL": "smtp://relay.poltek.ac.id"}, False),
    ],
)
def test_only_a_local_run_without_a_relay_of_its_own_catches_mail(
    production: bool, environ: dict[str, str], wanted: bool
) -> None:
    assert catcher_wanted(production=production, environ=environ) is wanted


@pytest.fixture
def catcher(settings, tmp_path: Path) -> Iterator[MailCatcher]:
    with mail_catcher(tmp_path / "mail") as running:
        settings.PINTU_SMTP_URL = running.url
        settings.PINTU_CAUGHT_MAIL_DIR = running.directory
        yield running


def send(catcher: MailCatcher, subject: str, to: list[str]) -> None:
    mail = EmailMessage()
    mail["From"] = "pintu@pintu.test"
    mail["To"] = to[0]
    mail["Subject"] = subject
    mail.set_content(f"Isi {subject}.")
    with smtplib.SMTP("127.0.0.1", catcher.port, timeout=10) as client:
        client.send_message(mail, to_addrs=to)


def test_each_message_is_kept_as_a_file_with_its_envelope(catcher: MailCatcher) -> None:
    send(catcher, "Pertama", ["a@example.ac.id"])
    send(catcher, "Kedua", ["b@example.ac.id", "arsip@example.ac.id"])
    newest, oldest = caught_files(catcher.directory)
    assert [path.suffix for path in (newest, oldest)] == [".eml", ".eml"]
    mail = message_from_bytes(newest.read_bytes(), policy=policy.default)
    assert mail["Subject"] == "Kedua"
    assert mail["Return-Path"] == "<pintu@pintu.test>"
    # The Bcc copy shows in the envelope only.
    assert mail.get_all("Delivered-To") == ["b@example.ac.id", "arsip@example.ac.id"]
    assert message_from_bytes(oldest.read_bytes(), policy=policy.default)["Subject"] == "Pertama"
    # No partial file is left behind.
    assert sorted(catcher.directory.iterdir()) == [oldest, newest]


@pytest.mark.parametrize("name", ["../secret_key", "secret_key", "20261125T030000.000000Z-x"])
def test_a_name_no_caught_message_could_have_is_never_read(tmp_path: Path, name: str) -> None:
    (tmp_path / "secret_key.eml").write_text("nope")
    assert caught_path(tmp_path / "mail", name) is None


@pytest.mark.django_db
def test_a_reply_sent_through_the_real_transport_shows_on_the_admin_page(
    sops, personas: Personas, catcher: MailCatcher, client: Client
) -> None:
    ticket = email_ticket(acknowledge=False)
    services.ticket_reply(
        actor=personas.staff, ticket=ticket, body="Teknisi kami menuju R.101 sekarang."
    )
    assert deliver_due(timezone.now() + timedelta(seconds=1)) == 1
    (caught,) = caught_files(catcher.directory)

    client.force_login(personas.admin)
    listing = client.get(reverse("dev-mail")).content.decode()
    assert f"[{ticket.reference}] Proyektor R.101 mati" in listing
    assert "tamu@example.ac.id" in listing
    assert ticket.unit.name in listing  # the From: the unit sends as itself
    assert reverse("dev-mail-message", args=[caught.stem]) in listing

    page = client.get(reverse("dev-mail-message", args=[caught.stem])).content.decode()
    assert "Teknisi kami menuju R.101 sekarang." in page
    assert "Message-ID" in page and "Return-Path" in page
    assert ticket.reference in page

    raw = client.get(reverse("dev-mail-raw", args=[caught.stem]))
    assert raw["Content-Type"] == "message/rfc822"
    assert raw.content == caught.read_bytes()


@pytest.mark.django_db
def test_the_newest_mail_comes_first(
    personas: Personas, catcher: MailCatcher, client: Client
) -> None:
    send(catcher, "Lebih dulu", ["a@example.ac.id"])
    send(catcher, "Paling baru", ["a@example.ac.id"])
    client.force_login(personas.admin)
    listing = client.get(reverse("dev-mail")).content.decode()
    assert listing.index("Paling baru") < listing.index("Lebih dulu")


@pytest.mark.django_db
def test_an_empty_catcher_says_so(personas: Personas, catcher: MailCatcher, client: Client) -> None:
    client.force_login(personas.admin)
    assert "Belum ada surel yang tertangkap." in client.get(reverse("dev-mail")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["requester", "staff", "supervisor", "head", "auditor"])
def test_only_admins_read_caught_mail(
    personas: Personas, catcher: MailCatcher, client: Client, persona: str
) -> None:
    send(catcher, "Rahasia", ["a@example.ac.id"])
    (caught,) = caught_files(catcher.directory)
    client.force_login(getattr(personas, persona))
    for url in (
        reverse("dev-mail"),
        reverse("dev-mail-message", args=[caught.stem]),
        reverse("dev-mail-raw", args=[caught.stem]),
    ):
        assert client.get(url).status_code == 403


@pytest.mark.django_db
def test_visitors_are_sent_to_sign_in(catcher: MailCatcher, client: Client) -> None:
    response = client.get(reverse("dev-mail"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_in_production_the_pages_are_not_there_for_anyone(
    personas: Personas, catcher: MailCatcher, client: Client, settings
) -> None:
    send(catcher, "Lokal", ["a@example.ac.id"])
    (caught,) = caught_files(catcher.directory)
    settings.PRODUCTION = True
    assert client.get(reverse("dev-mail")).status_code == 404
    client.force_login(personas.admin)
    assert client.get(reverse("dev-mail")).status_code == 404
    assert client.get(reverse("dev-mail-message", args=[caught.stem])).status_code == 404


@pytest.mark.django_db
def test_an_unknown_message_is_404(
    personas: Personas, catcher: MailCatcher, client: Client
) -> None:
    client.force_login(personas.admin)
    missing = "20261125T030000.000000Z-0123456789ab"
    assert client.get(reverse("dev-mail-message", args=[missing])).status_code == 404
    assert client.get(reverse("dev-mail-raw", args=[missing])).status_code == 404
