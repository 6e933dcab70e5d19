"""A real IMAP server for the e-mail door's tests: Debian's dovecot, private and unprivileged.

Each test gets its own dovecot on a free 127.0.0.1 port (plaintext, as RECIPES.md
describes), with two mailboxes that accept a password (PLAIN/LOGIN) and, through a small
local OAuth2 server, XOAUTH2: dovecot's ``oauth2`` passdb asks that server to introspect
the bearer token, and the same server answers the refresh-token grant Pintu makes first.
Messages are seeded with IMAP APPEND, as a mail server's delivery would leave them.
"""

from __future__ import annotations

import grp
import imaplib
import json
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from pintu.conftest import free_port, require_peer

DOVECOT = os.environ.get("PINTU_DOVECOT", "/usr/sbin/dovecot")

HELPDESK = "helpdesk@si.example.ac.id"  # UPT-SI's door
P4M = "p4m@example.ac.id"  # P4M's door
PASSWORDS = {HELPDESK: "sandi-helpdesk", P4M: "sandi-p4m"}
REFRESH_TOKENS = {HELPDESK: "rt-helpdesk", P4M: "rt-p4m"}
OAUTH_CLIENT_ID = "pintu-test-client"
OAUTH_CLIENT_SECRET = "pintu-test-secret"

# The config file does not expand variables: every {name} below is filled in by Python.
CONFIG = """\
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login xoauth2
auth_failure_delay = 0
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = 0
passdb {{
  driver = passwd-file
  mechanisms = plain login
  args = scheme=PLAIN username_format=%u {root}/users
}}
passdb {{
  driver = oauth2
  mechanisms = xoauth2
  args = {root}/oauth2.conf.ext
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={root}/mail/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
  # No growing delay after failed logins: the tests fail logins on purpose.
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""

OAUTH2_PASSDB = """\
introspection_mode = post
introspection_url = {oauth_url}/introspect
username_attribute = username
active_attribute = active
active_value = true
"""


def compose(
    subject: str,
    *,
    to: str = HELPDESK,
    sender: str = "Siti Rahma <siti@mahasiswa.example.ac.id>",
    body: str = "Mohon bantuan, akun SIAKAD saya terkunci.",
    **headers: str,
) -> EmailMessage:
    """A requester's mail; ``headers`` such as ``In_Reply_To`` are set as given."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = format_datetime(datetime.now(UTC))
    message["Message-ID"] = make_msgid(domain="mahasiswa.example.ac.id")
    for name, value in headers.items():
        field_name = name.replace("_", "-")
        del message[field_name]  # Message_ID replaces the generated one
        message[field_name] = value
    message.set_content(body)
    return message


@dataclass
class OAuthServer:
    """An authorization server's two endpoints, as far as the door needs them:
    ``POST /token`` (RFC 6749 section 6, refresh_token grant) and ``POST /introspect``
    (RFC 7662, asked by dovecot). Every access token it issues is remembered."""

    refresh_tokens: dict[str, str]  # refresh token -> mailbox user
    issued: dict[str, str] = field(default_factory=dict)  # access token -> user
    grants: list[dict[str, str]] = field(default_factory=list)  # token requests seen
    expires_in: int = 3600
    httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.httpd is not None
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                status, body = server.answer(self.path, form)
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self.httpd is not None:
            self.httpd.shutdown()
            self.httpd.server_close()

    def answer(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if path == "/token":
            self.grants.append(form)
            user = self.refresh_tokens.get(form.get("refresh_token", ""))
            if form.get("grant_type") != "refresh_token" or user is None:
                return 400, {"error": "invalid_grant", "error_description": "Bad refresh token"}
            if (form.get("client_id"), form.get("client_secret")) != (
                OAUTH_CLIENT_ID,
                OAUTH_CLIENT_SECRET,
            ):
                return 401, {"error": "invalid_client"}
            token = f"at-{secrets.token_hex(8)}"
            self.issued[token] = user
            return 200, {
                "access_token": token,
                "token_type": "Bearer",
                "expires_in": self.expires_in,
            }
        if path == "/introspect":
            user = self.issued.get(form.get("token", ""))
            return 200, {"active": True, "username": user} if user else {"active": False}
        return 404, {"error": "not_found"}


class PeerError(RuntimeError):
    pass


@dataclass
class ImapPeer:
    host: str
    port: int
    root: Path
    oauth: OAuthServer
    command: list[str] = field(default_factory=list)
    process: subprocess.Popen[bytes] | None = None

    def connect(self, user: str) -> imaplib.IMAP4:
        client = imaplib.IMAP4(self.host, self.port, timeout=10)
        client.login(user, PASSWORDS[user])
        return client

    def append(self, user: str, raw: bytes, folder: str = "INBOX", flags: str = "") -> None:
        """Deliver ``raw``; ``flags`` such as ``\\Seen`` as a person's mail client would."""
        self.append_many(user, [raw], folder, flags)

    def append_many(
        self, user: str, raws: Iterable[bytes], folder: str = "INBOX", flags: str = ""
    ) -> None:
        client = self.connect(user)
        try:
            for raw in raws:
                status, detail = client.append(folder, f"({flags})" if flags else None, None, raw)
                if status != "OK":
                    raise PeerError(f"APPEND refused: {detail!r}")
        finally:
            client.logout()

    def flags(self, user: str, folder: str = "INBOX") -> dict[int, set[str]]:
        """Every message in ``folder`` by UID, with its flags."""
        client = self.connect(user)
        try:
            status, _ = client.select(folder, readonly=True)
            if status != "OK":
                raise PeerError(f"no folder {folder}")
            status, data = client.uid("FETCH", "1:*", "(FLAGS)")
            found: dict[int, set[str]] = {}
            for line in data:
                uid = re.search(rb"UID (\d+)", line) if isinstance(line, bytes) else None
                if uid is not None:
                    found[int(uid.group(1))] = {f.decode() for f in imaplib.ParseFlags(line)}
            return found
        finally:
            client.logout()

    def mailbox(self, address: str = HELPDESK, unit: str = "UPT-SI", password: str = "") -> Any:
        """Configure ``address`` in Pintu as the door of ``unit``, read from this server."""
        from pintu.doors.email.mailboxes import mailbox_save
        from pintu.doors.models import Mailbox
        from pintu.org.models import Unit

        mailbox, _ = mailbox_save(
            actor=None,
            unit=Unit.objects.get(code=unit),
            address=address,
            host=self.host,
            port=self.port,
            security=Mailbox.Security.PLAIN,
            username=address,
            password=password or PASSWORDS[address],
        )
        return mailbox

    def unseen(self, user: str, folder: str = "INBOX") -> int:
        return sum(1 for flags in self.flags(user, folder).values() if "\\Seen" not in flags)

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def halt(self) -> None:
        """The server gone, its port closed, its mail kept (until ``resume``)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # its children let go of the port a moment later
            try:
                socket.create_connection((self.host, self.port), timeout=1).close()
            except ConnectionRefusedError:
                return
            time.sleep(0.02)
        raise PeerError(f"dovecot still listens on {self.port}")

    def resume(self) -> None:
        """Start the server (again), on the same port with the same mail."""
        # A master killed with SIGKILL may linger as a zombie whose pid dovecot would
        # take for a running master.
        (self.root / "run" / "master.pid").unlink(missing_ok=True)
        self.process = subprocess.Popen(
            self.command, stdin=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection((self.host, self.port), timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise PeerError(f"dovecot did not start:\n{self.log()}") from None
                time.sleep(0.02)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            # SIGKILL to the whole group (runuser, the master and its children): a clean
            # SIGTERM shutdown costs one to six seconds per test, and the mail folders
            # go away with the directory anyway.
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.oauth.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def start_dovecot() -> ImapPeer:
    """Start a private dovecot (and its OAuth2 server); the caller must ``stop()`` it."""
    if not Path(DOVECOT).exists():
        raise PeerError(f"{DOVECOT} is missing; install dovecot-imapd")
    oauth = OAuthServer(refresh_tokens={token: user for user, token in REFRESH_TOKENS.items()})
    oauth.start()
    # Not pytest's tmp_path: its parents are private to root, and dovecot runs as nobody.
    root = Path(tempfile.mkdtemp(prefix="pintu-dovecot-"))
    as_root = os.geteuid() == 0
    account = pwd.getpwnam("nobody") if as_root else pwd.getpwuid(os.geteuid())
    group = grp.getgrgid(account.pw_gid).gr_name
    port = free_port()
    (root / "dovecot.conf").write_text(
        CONFIG.format(root=root, port=port, user=account.pw_name, group=group)
    )
    (root / "oauth2.conf.ext").write_text(OAUTH2_PASSDB.format(oauth_url=oauth.url))
    (root / "users").write_text(
        "".join(f"{user}:{{PLAIN}}{password}\n" for user, password in PASSWORDS.items())
    )
    root.chmod(0o755)
    if as_root:
        for path in [root, *root.rglob("*")]:
            os.chown(path, account.pw_uid, account.pw_gid)
    command = [DOVECOT, "-F", "-c", str(root / "dovecot.conf")]
    if as_root:
        command = ["runuser", "-u", account.pw_name, "--", *command]
    peer = ImapPeer(host="127.0.0.1", port=port, root=root, oauth=oauth, command=command)
    try:
        peer.resume()
    except PeerError:
        peer.stop()
        raise
    return peer


@contextmanager
def dovecot() -> Iterator[ImapPeer]:
    """A running dovecot for the block (the test skips, or in CI fails, without one)."""
    require_peer("dovecot", Path(DOVECOT).exists(), f"{DOVECOT} is missing; install dovecot-imapd")
    peer = start_dovecot()
    try:
        yield peer
    finally:
        peer.stop()
