r"""Read a unit's mailbox over IMAP and hand every new message to the e-mail intake.

Which messages are new: in the default mode, those without ``\Seen`` in the folder. It is
the one flag that every server keeps (Google, Microsoft 365 and dovecot alike; Microsoft 365
accepts no keywords of our own), at the price that a person who opens the door's mailbox
in a mail client hides a message from us: the door's mailbox is Pintu's, not a person's.
When ``PINTU_IMAP_PROCESSED_FOLDER`` names a folder (e.g. ``Pintu/Processed``), every
message still in the folder is new, read or not, and a processed one moves out of it.

A message is marked processed on the server only after ``ingest_email`` has returned,
that is after its transaction committed. A crash in between leaves it unmarked; the next
poll hands it in again, ingest recognises it (Message-ID and hash) as a duplicate, and
only then is it marked. What ingest quarantines is kept in our database with its raw
bytes, so it is marked too: an admin retries it from Pintu, not from the mailbox.

No UID is remembered between sessions (the server's flags and our dedupe keys are the
state), so a change of UIDVALIDITY costs nothing but a re-read.
"""

from __future__ import annotations

import hashlib
import imaplib
import json
import logging
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from django.conf import settings
from django.db import close_old_connections, transaction
from django.utils import timezone
from imap_tools import BaseMailBox, MailBox, MailBoxStartTls, MailBoxUnencrypted, MailMessage

from pintu.doors.email.ingest import ingest_email
from pintu.doors.models import Mailbox
from pintu.doors.secrets import seal, unseal

logger = logging.getLogger("pintu.doors.imap")

TIMEOUT_SECONDS = 60
CHUNK = 25  # messages fetched per command, then marked together: bounds memory and loss
IDLE_SECONDS = 25 * 60  # RFC 2177: re-issue IDLE at least every 29 minutes
RETRY_SECONDS = 30
# The refresh grant must name the IMAP scope at Microsoft's token endpoint; Google's
# keeps the scope granted at consent.
OAUTH_SCOPES = {
    "login.microsoftonline.com": "https://outlook.office.com/IMAP.AccessAsUser.All offline_access"
}


class OAuthError(Exception):
    """The token endpoint refused the refresh token or could not be reached."""


@dataclass
class PollResult:
    mailbox: str
    fetched: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)  # outcome, or "duplicate"
    error: str = ""

    def summary(self) -> dict[str, Any]:
        return {
            "mailbox": self.mailbox,
            "fetched": self.fetched,
            **{key: self.outcomes[key] for key in sorted(self.outcomes)},
            "error": self.error or None,
        }


# --- OAuth2: an access token from the refresh token, kept until shortly before expiry.


@dataclass(frozen=True)
class _Token:
    value: str
    expires_at: datetime
    refresh_digest: str  # which refresh token it came from: a new one invalidates it


_tokens: dict[int, _Token] = {}
_tokens_lock = threading.Lock()


def _digest(refresh_token: str) -> str:
    return hashlib.sha256(refresh_token.encode()).hexdigest()


def access_token(mailbox: Mailbox, *, now: datetime | None = None) -> str:
    """An OAuth2 access token for ``mailbox`` (RFC 6749 section 6, refresh_token grant).

    Tokens are cached per process until a minute before they expire. When the server
    rotates the refresh token (Microsoft does), the new one is stored, sealed.
    """
    now = now or timezone.now()
    refresh_token = unseal(mailbox.secret)
    with _tokens_lock:
        cached = _tokens.get(mailbox.pk)
        if cached and cached.refresh_digest == _digest(refresh_token) and cached.expires_at > now:
            return cached.value
    form = {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "client_id": mailbox.oauth_client_id,
    }
    client_secret = unseal(mailbox.oauth_client_secret)
    if client_secret:
        form["client_secret"] = client_secret
    scope = OAUTH_SCOPES.get(urllib.parse.urlsplit(mailbox.oauth_token_url).hostname or "")
    if scope:
        form["scope"] = scope
    answer = _post_form(mailbox.oauth_token_url, form)
    token = answer.get("access_token")
    if not isinstance(token, str) or not token:
        raise OAuthError(f"the token endpoint answered without an access token: {answer}")
    rotated = answer.get("refresh_token")
    if isinstance(rotated, str) and rotated and rotated != refresh_token:
        mailbox.secret = seal(rotated)
        Mailbox.objects.filter(pk=mailbox.pk).update(secret=mailbox.secret)
        refresh_token = rotated
    lifetime = int(answer.get("expires_in") or 3600)
    with _tokens_lock:
        _tokens[mailbox.pk] = _Token(
            value=token,
            expires_at=now + timedelta(seconds=max(lifetime - 60, 0)),
            refresh_digest=_digest(refresh_token),
        )
    return token


def forget_access_token(mailbox: Mailbox) -> None:
    with _tokens_lock:
        _tokens.pop(mailbox.pk, None)


def _post_form(url: str, form: dict[str, str]) -> dict[str, Any]:
    if urllib.parse.urlsplit(url).scheme not in ("https", "http"):
        raise OAuthError(f"the OAuth2 token URL must be http(s): {url!r}")
    request = urllib.request.Request(  # noqa: S310 (http(s) only, checked above)
        url,
        data=urllib.parse.urlencode(form).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            body = response.read()
    except urllib.error.HTTPError as error:
        # RFC 6749 section 5.2: {"error": ..., "error_description": ...}
        detail = error.read().decode(errors="replace")[:500]
        try:
            parsed = json.loads(detail)
            detail = " ".join(
                str(parsed[key]) for key in ("error", "error_description") if key in parsed
            )
        except (ValueError, TypeError):
            pass
        raise OAuthError(f"token endpoint refused ({error.code}): {detail}") from None
    except OSError as error:
        raise OAuthError(f"token endpoint unreachable: {error}") from None
    try:
        answer = json.loads(body)
    except ValueError:
        raise OAuthError("the token endpoint did not answer JSON") from None
    if not isinstance(answer, dict):
        raise OAuthError("the token endpoint did not answer a JSON object")
    return answer


# --- The IMAP session.


class _RawMessage(MailMessage):
    """A fetched message as its exact bytes (they are the record): not parsed here."""

    def __init__(self, fetch_data: list[Any]) -> None:
        raw, uid_data, flag_data = self._get_message_data_parts(fetch_data)
        self._raw_uid_data = uid_data
        self._raw_flag_data = flag_data
        self.raw: bytes = raw


def _client(mailbox: Mailbox) -> BaseMailBox:
    if mailbox.security == Mailbox.Security.PLAIN:
        return MailBoxUnencrypted(mailbox.host, mailbox.port, timeout=TIMEOUT_SECONDS)
    secure = MailBox if mailbox.security == Mailbox.Security.SSL else MailBoxStartTls
    return secure(
        mailbox.host,
        mailbox.port,
        timeout=TIMEOUT_SECONDS,
        ssl_context=ssl.create_default_context(),  # verifies the server's certificate
    )


def _xoauth2(box: BaseMailBox, username: str, token: str) -> None:
    """SASL XOAUTH2 (Google's and Microsoft's IMAP): ``user=U^Aauth=Bearer T^A^A``.

    On failure the server sends a challenge with a JSON error; the client must answer
    it with an empty line before the server says NO, so the string is sent only once.
    """
    sasl = f"user={username}\x01auth=Bearer {token}\x01\x01".encode()
    challenges: list[bytes] = []

    def respond(challenge: bytes) -> bytes:
        challenges.append(challenge)
        return sasl if len(challenges) == 1 else b""

    try:
        box.client.authenticate("XOAUTH2", respond)
    except imaplib.IMAP4.error as error:
        detail = b" ".join(c for c in challenges[1:] if c).decode(errors="replace")
        raise imaplib.IMAP4.error(f"{error} {detail}".strip()) from None


@contextmanager
def session(mailbox: Mailbox) -> Iterator[BaseMailBox]:
    """A logged-in connection with the mailbox's folder selected."""
    box = _client(mailbox)
    box.email_message_class = _RawMessage
    try:
        if mailbox.auth == Mailbox.Auth.XOAUTH2:
            try:
                _xoauth2(box, mailbox.username, access_token(mailbox))
            except imaplib.IMAP4.error:
                forget_access_token(mailbox)  # perhaps revoked early: refresh next time
                raise
        else:
            box.login(mailbox.username, unseal(mailbox.secret), initial_folder=None)
        # Servers announce more once logged in (MOVE, IDLE); imaplib keeps the first list.
        status, data = box.client.capability()
        if status == "OK" and data and isinstance(data[-1], bytes):
            box.client.capabilities = tuple(data[-1].decode().upper().split())
        box.folder.set(mailbox.folder)
        yield box
    finally:
        try:
            box.logout()
        except Exception:  # the connection may already be gone; nothing left to close
            logger.debug("logout from %s failed", mailbox.address, exc_info=True)


def _folder_name(box: BaseMailBox, path: str) -> str:
    """``Pintu/Processed`` spelled with the server's hierarchy delimiter."""
    listed = box.folder.list("", "INBOX")
    delimiter = listed[0].delim if listed else "/"
    if not delimiter or delimiter.upper() == "NIL":
        return path
    return delimiter.join(part for part in path.split("/") if part)


def _mark_processed(box: BaseMailBox, uids: list[str], processed_folder: str) -> None:
    if not uids:
        return
    status, detail = box.client.uid("STORE", ",".join(uids), "+FLAGS.SILENT", r"(\Seen)")
    if status != "OK":
        raise imaplib.IMAP4.error(f"could not mark messages seen: {detail!r}")
    if processed_folder:
        box.move(uids, processed_folder)


def drain(
    box: BaseMailBox, mailbox: Mailbox, result: PollResult, *, processed_folder: str = ""
) -> None:
    """Hand every new message of the selected folder to ingest, oldest first."""
    # New mail announced before this point is read by the search below; what the server
    # announces from here on stays in the untagged responses for _idle to see.
    box.client.untagged_responses.pop("EXISTS", None)
    criteria = "UNDELETED" if processed_folder else "UNSEEN UNDELETED"
    uids = sorted(box.uids(criteria), key=int)
    if processed_folder:
        processed_folder = _folder_name(box, processed_folder)
        if uids and not box.folder.exists(processed_folder):
            box.folder.create(processed_folder)
    for start in range(0, len(uids), CHUNK):
        done = []
        for message in box.fetch(uid_list=uids[start : start + CHUNK], mark_seen=False, bulk=True):
            outcome = ingest_email(cast(_RawMessage, message).raw, mailbox=mailbox)
            result.fetched += 1
            result.outcomes["duplicate" if outcome.reason == "duplicate" else outcome.outcome] += 1
            if message.uid:
                done.append(message.uid)
        _mark_processed(box, done, processed_folder)


def _processed_folder(given: str | None) -> str:
    folder: str = settings.PINTU_IMAP_PROCESSED_FOLDER
    return folder if given is None else given


def _record(mailbox: Mailbox, error: str) -> None:
    mailbox.last_polled_at = timezone.now()
    mailbox.last_error = error[:2000]
    Mailbox.objects.filter(pk=mailbox.pk).update(
        last_polled_at=mailbox.last_polled_at, last_error=mailbox.last_error
    )


def _describe(error: BaseException) -> str:
    return f"{error.__class__.__name__}: {error}"


def poll_mailbox(mailbox: Mailbox, *, processed_folder: str | None = None) -> PollResult:
    """One poll: connect, ingest what is new, mark it, record the outcome on the mailbox.

    Never raises for a broken mailbox (wrong password, server down, revoked token): the
    error is recorded in ``last_error`` and what was ingested before it stays ingested.
    """
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError("poll_mailbox must run outside a transaction: ingest commits first")
    result = PollResult(mailbox=mailbox.address)
    try:
        with session(mailbox) as box:
            drain(box, mailbox, result, processed_folder=_processed_folder(processed_folder))
    except Exception as error:  # one broken mailbox must not stop the others
        result.error = _describe(error)
        logger.warning("polling %s failed: %s", mailbox.address, result.error, exc_info=True)
    _record(mailbox, result.error)
    return result


def poll_all(*, processed_folder: str | None = None) -> list[PollResult]:
    mailboxes = Mailbox.objects.filter(is_active=True).select_related("unit", "service_type")
    return [poll_mailbox(mailbox, processed_folder=processed_folder) for mailbox in mailboxes]


# --- IDLE: near-immediate pickup on servers that offer it; the periodic poll stays.


def _idle(box: BaseMailBox, stop: threading.Event, seconds: float) -> bool:
    """Wait in IDLE until the server reports new mail (True), time is up or stop is set."""
    deadline = time.monotonic() + seconds
    box.idle.start()
    try:
        if "EXISTS" in box.client.untagged_responses:
            return True  # arrived while the last drain ran, before IDLE began
        while not stop.is_set() and time.monotonic() < deadline:
            asked = time.monotonic()
            responses = box.idle.poll(timeout=1.0)
            if any(b"EXISTS" in response for response in responses):
                return True
            # A socket that is readable but yields no line has reached its end.
            gone = not responses and time.monotonic() - asked < 0.5
            if gone or any(response.startswith(b"* BYE") for response in responses):
                raise imaplib.IMAP4.abort("the server closed the connection during IDLE")
        return False
    finally:
        box.idle.stop()


def _drain_and_record(box: BaseMailBox, mailbox: Mailbox, processed_folder: str) -> None:
    result = PollResult(mailbox=mailbox.address)
    drain(box, mailbox, result, processed_folder=processed_folder)
    _record(mailbox, "")
    if result.fetched:
        logger.info("%s", result.summary())


def watch_mailbox(
    mailbox: Mailbox,
    *,
    stop: threading.Event,
    processed_folder: str | None = None,
    idle_seconds: float = IDLE_SECONDS,
    retry_seconds: float = RETRY_SECONDS,
) -> None:
    """Poll, then wait in IDLE and poll again whenever mail arrives, until ``stop``.

    A server without IDLE is polled every ``PINTU_IMAP_POLL_SECONDS``; a lost connection
    is recorded and retried after ``retry_seconds``. The periodic poll may run as well:
    what both see is ingested once.
    """
    folder = _processed_folder(processed_folder)
    while not stop.is_set():
        try:
            with session(mailbox) as box:
                _drain_and_record(box, mailbox, folder)
                idle = "IDLE" in box.client.capabilities
                while idle and not stop.is_set():
                    if _idle(box, stop, idle_seconds):
                        _drain_and_record(box, mailbox, folder)
                    close_old_connections()
            if not idle:
                stop.wait(settings.PINTU_IMAP_POLL_SECONDS)
        except Exception as error:
            _record(mailbox, _describe(error))
            logger.warning("watching %s failed: %s", mailbox.address, error, exc_info=True)
            stop.wait(retry_seconds)
        finally:
            close_old_connections()
