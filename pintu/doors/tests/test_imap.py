"""The IMAP side of the e-mail door against a real dovecot: polling, marking processed only
after ingest committed, password and XOAUTH2 logins, several mailboxes, IDLE."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from email.utils import make_msgid
from typing import Any

import pytest
from django.core.management import call_command

from pintu.conftest import wait_for
from pintu.core.models import AuditEvent
from pintu.core.periodic import SCHEDULES
from pintu.desk.models import Article, Ticket
from pintu.doors.email import imap
from pintu.doors.email.mailboxes import OAuth, mailbox_save
from pintu.doors.email.tasks import poll_mailboxes
from pintu.doors.models import InboundMessage, Mailbox
from pintu.doors.secrets import unseal
from pintu.doors.tests.imap_peer import (
    HELPDESK,
    OAUTH_CLIENT_ID,
    OAUTH_CLIENT_SECRET,
    P4M,
    PASSWORDS,
    REFRESH_TOKENS,
    ImapPeer,
    compose,
    dovecot,
)
from pintu.org.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


def mail(subject: str, **options: str) -> bytes:
    return compose(subject, **options).as_bytes()


def add_oauth_mailbox(peer: ImapPeer, refresh_token: str = REFRESH_TOKENS[HELPDESK]) -> Mailbox:
    mailbox, _ = mailbox_save(
        actor=None,
        unit=Unit.objects.get(code="UPT-SI"),
        address=HELPDESK,
        host=peer.host,
        port=peer.port,
        security=Mailbox.Security.PLAIN,
        username=HELPDESK,
        oauth=OAuth(
            token_url=f"{peer.oauth.url}/token",
            client_id=OAUTH_CLIENT_ID,
            client_secret=OAUTH_CLIENT_SECRET,
            refresh_token=refresh_token,
        ),
    )
    return mailbox


@pytest.fixture
def imap_peer() -> Iterator[ImapPeer]:
    with dovecot() as peer:
        yield peer


@pytest.fixture(autouse=True)
def fresh_token_cache() -> None:
    imap._tokens.clear()


def all_seen(peer: ImapPeer, user: str, folder: str = "INBOX") -> bool:
    flags = peer.flags(user, folder)
    return bool(flags) and all("\\Seen" in found for found in flags.values())


def test_one_poll_opens_a_ticket_per_message_and_marks_each_seen(
    imap_peer: ImapPeer, sops: None
) -> None:
    mailbox = imap_peer.mailbox()
    imap_peer.append_many(HELPDESK, [mail(f"Akun terkunci {n}") for n in range(3)])

    result = imap.poll_mailbox(mailbox)

    assert result.error == ""
    assert result.fetched == 3
    assert result.outcomes["created"] == 3
    assert Ticket.objects.filter(unit__code="UPT-SI").count() == 3
    assert InboundMessage.objects.filter(mailbox=mailbox).count() == 3
    assert all_seen(imap_peer, HELPDESK)
    mailbox.refresh_from_db()
    assert mailbox.last_polled_at is not None
    assert mailbox.last_error == ""

    again = imap.poll_mailbox(mailbox)
    assert again.fetched == 0
    assert Ticket.objects.count() == 3


def test_a_reply_in_the_same_poll_threads_onto_the_ticket_opened_just_before(
    imap_peer: ImapPeer, sops: None
) -> None:
    mailbox = imap_peer.mailbox()
    first = make_msgid(domain="mahasiswa.example.ac.id")
    imap_peer.append_many(
        HELPDESK,
        [
            mail("Wi-Fi kampus tidak bisa login", Message_ID=first),
            mail("Re: Wi-Fi kampus tidak bisa login", In_Reply_To=first, References=first),
        ],
    )

    result = imap.poll_mailbox(mailbox)

    assert (result.outcomes["created"], result.outcomes["appended"]) == (1, 1)
    ticket = Ticket.objects.get()
    assert ticket.articles.filter(kind=Article.Kind.INBOUND).count() == 2


def test_a_message_read_in_a_mail_client_is_not_polled_but_others_are(
    imap_peer: ImapPeer, sops: None
) -> None:
    """The default mode trusts \\Seen: the door's mailbox is Pintu's to read."""
    mailbox = imap_peer.mailbox()
    imap_peer.append(HELPDESK, mail("Baru"))
    imap_peer.append(HELPDESK, mail("Sudah dibaca orang"), flags="\\Seen")

    result = imap.poll_mailbox(mailbox)

    assert result.fetched == 1
    assert Ticket.objects.get().subject == "Baru"


def test_quarantined_message_is_kept_and_marked_processed(imap_peer: ImapPeer, sops: None) -> None:
    """Quarantine keeps the raw bytes in our database for an admin to retry there, so
    the server copy is marked like any other; leaving it unread would re-read it forever."""
    # TRPL has no SOP loaded: there is no service to file a new request under.
    mailbox = imap_peer.mailbox(P4M, "TRPL")
    imap_peer.append(P4M, mail("Permohonan data", to=P4M))

    result = imap.poll_mailbox(mailbox)

    assert result.outcomes["quarantined"] == 1, result
    message = InboundMessage.objects.get()
    assert message.outcome == InboundMessage.Outcome.QUARANTINED
    assert bytes(message.raw).startswith(b"From: Siti Rahma")
    assert all_seen(imap_peer, P4M)


def test_wrong_password_is_recorded_on_the_mailbox_without_raising(imap_peer: ImapPeer) -> None:
    mailbox = imap_peer.mailbox(password="salah")
    imap_peer.append(HELPDESK, mail("Tidak terbaca"))

    result = imap.poll_mailbox(mailbox)

    assert "AUTHENTICATIONFAILED" in result.error
    mailbox.refresh_from_db()
    assert "AUTHENTICATIONFAILED" in mailbox.last_error
    assert mailbox.last_polled_at is not None
    assert "salah" not in mailbox.last_error
    assert imap_peer.unseen(HELPDESK) == 1


def test_one_broken_mailbox_does_not_stop_the_others(imap_peer: ImapPeer, sops: None) -> None:
    imap_peer.mailbox(password="salah")
    imap_peer.mailbox(P4M, "P4M")
    imap_peer.append(P4M, mail("Data PDDIKTI", to=P4M))

    results = {result.mailbox: result for result in imap.poll_all()}

    assert results[HELPDESK].error
    assert results[P4M].error == ""
    assert results[P4M].outcomes["created"] == 1


def test_an_unreachable_server_is_recorded(imap_peer: ImapPeer) -> None:
    mailbox = imap_peer.mailbox()
    imap_peer.stop()

    result = imap.poll_mailbox(mailbox)

    assert "ConnectionRefusedError" in result.error


def test_each_mailbox_files_requests_under_its_own_unit(imap_peer: ImapPeer, sops: None) -> None:
    imap_peer.mailbox()
    imap_peer.mailbox(P4M, "P4M")
    imap_peer.append(HELPDESK, mail("Reset kata sandi"))
    imap_peer.append(P4M, mail("Perubahan data mata kuliah", to=P4M))

    imap.poll_all()

    assert Ticket.objects.get(subject="Reset kata sandi").unit.code == "UPT-SI"
    assert Ticket.objects.get(subject="Perubahan data mata kuliah").unit.code == "P4M"


def test_the_same_message_in_two_mailboxes_gives_one_article(
    imap_peer: ImapPeer, sops: None
) -> None:
    imap_peer.mailbox()
    imap_peer.mailbox(P4M, "P4M")
    raw = mail("Ke dua alamat sekaligus", to=f"{HELPDESK}, {P4M}")
    imap_peer.append(HELPDESK, raw)
    imap_peer.append(P4M, raw)

    results = imap.poll_all()

    assert sum(result.fetched for result in results) == 2
    assert sum(result.outcomes["duplicate"] for result in results) == 1
    assert InboundMessage.objects.count() == 1
    assert Article.objects.filter(kind=Article.Kind.INBOUND).count() == 1
    assert all_seen(imap_peer, HELPDESK) and all_seen(imap_peer, P4M)


def test_a_crash_between_commit_and_flag_is_healed_by_the_next_poll(
    imap_peer: ImapPeer, sops: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailbox = imap_peer.mailbox()
    imap_peer.append_many(HELPDESK, [mail(f"Pesan {n}") for n in range(3)])

    def crash(*args: Any) -> None:
        raise ConnectionResetError("connection lost before the flag")

    with monkeypatch.context() as patched:
        patched.setattr(imap, "_mark_processed", crash)
        crashed = imap.poll_mailbox(mailbox)
    assert "connection lost" in crashed.error
    assert InboundMessage.objects.count() == 3  # committed...
    assert imap_peer.unseen(HELPDESK) == 3  # ...but not marked on the server

    healed = imap.poll_mailbox(mailbox)

    assert healed.error == ""
    assert healed.outcomes["duplicate"] == 3
    assert InboundMessage.objects.count() == 3
    assert Article.objects.filter(kind=Article.Kind.INBOUND).count() == 3
    assert all_seen(imap_peer, HELPDESK)


def test_nothing_is_marked_when_ingest_fails(
    imap_peer: ImapPeer, sops: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailbox = imap_peer.mailbox()
    imap_peer.append(HELPDESK, mail("Saat basis data mati"))

    def database_down(raw: bytes, **kwargs: Any) -> Any:
        raise OSError("database is down")

    monkeypatch.setattr(imap, "ingest_email", database_down)
    result = imap.poll_mailbox(mailbox)

    assert "database is down" in result.error
    assert imap_peer.unseen(HELPDESK) == 1


def test_polling_inside_a_transaction_is_refused(imap_peer: ImapPeer) -> None:
    from django.db import transaction

    mailbox = imap_peer.mailbox()
    with pytest.raises(RuntimeError, match="outside a transaction"), transaction.atomic():
        imap.poll_mailbox(mailbox)


def test_processed_folder_mode_moves_messages_out_even_when_read(
    imap_peer: ImapPeer, sops: None
) -> None:
    mailbox = imap_peer.mailbox()
    imap_peer.append(HELPDESK, mail("Baru"))
    imap_peer.append(HELPDESK, mail("Sudah dibuka staf"), flags="\\Seen")

    result = imap.poll_mailbox(mailbox, processed_folder="Pintu/Processed")

    assert result.outcomes["created"] == 2
    assert imap_peer.flags(HELPDESK) == {}
    # dovecot's Maildir++ uses "." between levels: the folder is spelled the server's way.
    assert all_seen(imap_peer, HELPDESK, "Pintu.Processed")
    assert len(imap_peer.flags(HELPDESK, "Pintu.Processed")) == 2
    assert imap.poll_mailbox(mailbox, processed_folder="Pintu/Processed").fetched == 0


# --- OAuth2 (XOAUTH2): Pintu refreshes the access token at the token endpoint; dovecot
# checks it by introspection at the same local server.


def test_xoauth2_login_with_a_refreshed_access_token(imap_peer: ImapPeer, sops: None) -> None:
    mailbox = add_oauth_mailbox(imap_peer)
    imap_peer.append(HELPDESK, mail("Lewat OAuth2"))

    result = imap.poll_mailbox(mailbox)

    assert result.error == ""
    assert result.outcomes["created"] == 1
    (grant,) = imap_peer.oauth.grants
    assert grant == {
        "grant_type": "refresh_token",
        "refresh_token": REFRESH_TOKENS[HELPDESK],
        "client_id": OAUTH_CLIENT_ID,
        "client_secret": OAUTH_CLIENT_SECRET,
    }
    assert "method=XOAUTH2" in imap_peer.log()

    imap.poll_mailbox(mailbox)
    assert len(imap_peer.oauth.grants) == 1  # the access token was cached


def test_an_expired_access_token_is_refreshed(imap_peer: ImapPeer) -> None:
    mailbox = add_oauth_mailbox(imap_peer)
    imap_peer.oauth.expires_in = 30  # shorter than the minute of margin: never reused

    imap.poll_mailbox(mailbox)
    imap.poll_mailbox(mailbox)

    assert len(imap_peer.oauth.grants) == 2


def test_a_revoked_access_token_is_dropped_and_refreshed_next_poll(imap_peer: ImapPeer) -> None:
    mailbox = add_oauth_mailbox(imap_peer)
    assert imap.poll_mailbox(mailbox).error == ""
    imap_peer.oauth.issued.clear()  # the provider revokes it before it expires

    refused = imap.poll_mailbox(mailbox)
    assert "AUTHENTICATIONFAILED" in refused.error
    assert imap.poll_mailbox(mailbox).error == ""
    assert len(imap_peer.oauth.grants) == 2


def test_a_refused_refresh_token_is_recorded(imap_peer: ImapPeer) -> None:
    mailbox = add_oauth_mailbox(imap_peer, refresh_token="rt-revoked")

    result = imap.poll_mailbox(mailbox)

    assert "invalid_grant" in result.error
    mailbox.refresh_from_db()
    assert "invalid_grant" in mailbox.last_error
    assert "rt-revoked" not in mailbox.last_error


def test_a_rotated_refresh_token_is_stored_sealed(
    imap_peer: ImapPeer, monkeypatch: pytest.MonkeyPatch
) -> None:
    mailbox = add_oauth_mailbox(imap_peer)
    answer = imap_peer.oauth.answer

    def rotating(path: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        status, body = answer(path, form)
        if path == "/token" and status == 200:
            imap_peer.oauth.refresh_tokens["rt-next"] = HELPDESK
            body["refresh_token"] = "rt-next"
        return status, body

    monkeypatch.setattr(imap_peer.oauth, "answer", rotating)
    assert imap.poll_mailbox(mailbox).error == ""

    mailbox.refresh_from_db()
    assert unseal(mailbox.secret) == "rt-next"
    assert "rt-next" not in mailbox.secret


# --- The worker, IDLE and the command.


def test_the_worker_polls_the_mailboxes_on_the_configured_interval(
    imap_peer: ImapPeer, sops: None, settings: Any
) -> None:
    schedule = SCHEDULES["pintu.doors.email.tasks.poll_mailboxes"]
    assert schedule.every == timedelta(seconds=settings.PINTU_IMAP_POLL_SECONDS)
    imap_peer.mailbox()
    imap_peer.append(HELPDESK, mail("Lewat worker"))

    summaries = poll_mailboxes.call()

    assert summaries == [{"mailbox": HELPDESK, "fetched": 1, "created": 1, "error": None}]


def test_watch_picks_up_new_mail_through_idle(imap_peer: ImapPeer, sops: None) -> None:
    mailbox = imap_peer.mailbox()
    stop = threading.Event()
    watcher = threading.Thread(target=imap.watch_mailbox, args=(mailbox,), kwargs={"stop": stop})
    watcher.start()
    try:
        wait_for(lambda: Mailbox.objects.get().last_polled_at is not None)
        imap_peer.append(HELPDESK, mail("Datang saat IDLE"))
        wait_for(lambda: Ticket.objects.filter(subject="Datang saat IDLE").exists())
        imap_peer.append(HELPDESK, mail("Yang kedua"))
        wait_for(lambda: Ticket.objects.filter(subject="Yang kedua").exists())
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert not watcher.is_alive()
    assert all_seen(imap_peer, HELPDESK)


def test_watch_records_a_lost_connection_and_keeps_trying(imap_peer: ImapPeer) -> None:
    mailbox = imap_peer.mailbox()
    stop = threading.Event()
    watcher = threading.Thread(
        target=imap.watch_mailbox, args=(mailbox,), kwargs={"stop": stop, "retry_seconds": 0.2}
    )
    watcher.start()
    try:
        wait_for(lambda: Mailbox.objects.get().last_polled_at is not None)
        imap_peer.stop()  # the server goes away while the watcher is in IDLE
        wait_for(lambda: "ConnectionRefusedError" in Mailbox.objects.get().last_error)
    finally:
        stop.set()
        watcher.join(timeout=10)
    assert not watcher.is_alive()


def test_mailbox_commands_add_list_and_poll(
    imap_peer: ImapPeer, sops: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORDS[HELPDESK] + "\n"))
    out = io.StringIO()
    call_command(
        "mailbox",
        "add",
        "--unit=UPT-SI",
        f"--address={HELPDESK}",
        f"--host={imap_peer.host}",
        f"--port={imap_peer.port}",
        "--security=plain",
        "--password-stdin",
        stdout=out,
    )
    assert f"added {HELPDESK} for UPT-SI (password)" in out.getvalue()
    mailbox = Mailbox.objects.get()
    assert unseal(mailbox.secret) == PASSWORDS[HELPDESK]
    event = AuditEvent.objects.get(action="mailbox.add")
    assert PASSWORDS[HELPDESK] not in json.dumps(event.after)

    imap_peer.append(HELPDESK, mail("Dari perintah"))
    out = io.StringIO()
    call_command("mailbox", "poll", stdout=out)
    line = json.loads(out.getvalue())
    assert line == {"mailbox": HELPDESK, "fetched": 1, "created": 1, "error": None}

    out = io.StringIO()
    call_command("mailbox", "list", stdout=out)
    assert HELPDESK in out.getvalue() and "UPT-SI" in out.getvalue()


def test_mailbox_add_with_oauth_reads_token_and_secret_from_stdin(
    imap_peer: ImapPeer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("rt-google\nclient-secret\n"))
    call_command(
        "mailbox",
        "add",
        "--unit=UPT-SI",
        f"--address={HELPDESK}",
        "--host=imap.gmail.com",
        "--oauth=google",
        "--client-id=123.apps.googleusercontent.com",
        stdout=io.StringIO(),
    )
    mailbox = Mailbox.objects.get()
    assert (mailbox.auth, mailbox.port, mailbox.security) == ("xoauth2", 993, "ssl")
    assert mailbox.oauth_token_url == "https://oauth2.googleapis.com/token"
    assert unseal(mailbox.secret) == "rt-google"
    assert unseal(mailbox.oauth_client_secret) == "client-secret"
