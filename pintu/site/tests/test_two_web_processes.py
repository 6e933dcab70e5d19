"""Two web processes, no sticky sessions: each request of one person goes to the other
gunicorn process in turn. Signing in, a request with an attachment, its download, and
the conversation's live update all work, because sessions, files and state live in
the database and the storage, never in a process."""

from __future__ import annotations

import http.cookiejar
import re
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from pintu.conftest import PASSWORD, Personas, child_environment, free_port, require_peer, wait_for
from pintu.core.passwords import PintuArgon2PasswordHasher
from pintu.desk import services as desk
from pintu.desk.models import Attachment, Ticket
from pintu.desk.portal_selectors import conversation_mark, latest_public_article_id
from pintu.desk.tests.files import PNG

pytestmark = pytest.mark.django_db(transaction=True)

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM = "/layanan/PR.33.8/layanan-ringan/"


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[list[str]]:
    gunicorn = Path(sys.executable).parent / "gunicorn"
    require_peer("gunicorn", gunicorn.exists() or bool(shutil.which("gunicorn")), "not installed")
    environ = child_environment(PINTU_MEDIA_ROOT=str(tmp_path / "media"))
    started = []
    for _ in range(2):
        port = free_port()
        process = subprocess.Popen(
            [str(gunicorn), "pintu.wsgi", "-w", "1", "-b", f"127.0.0.1:{port}"],
            env=environ,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        started.append((process, f"http://127.0.0.1:{port}"))
    try:
        for _, base in started:
            wait_for(partial(_answers, base), f"gunicorn at {base}")
        yield [base for _, base in started]
    finally:
        for process, _ in started:
            process.terminate()
            process.wait(timeout=30)


def _answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/healthz", timeout=2):  # noqa: S310
            return True
    except OSError:
        return False


class Browser:
    """One person's cookies, sent to whichever server a request goes to."""

    def __init__(self) -> None:
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, url: str) -> tuple[int, bytes, str]:
        return self._open(urllib.request.Request(url))  # noqa: S310

    def post(self, url: str, fields: dict[str, str], files: dict[str, Any] | None = None) -> Any:
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content) in (files or {}).items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(  # noqa: S310
            url,
            data=body,
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Referer": url,
            },
        )
        return self._open(request)

    def _open(self, request: urllib.request.Request) -> tuple[int, bytes, str]:
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read(), response.url
        except urllib.error.HTTPError as error:
            return error.code, error.read(), request.full_url


def token(page: bytes) -> str:
    found = CSRF.search(page.decode())
    assert found is not None, "no form on the page"
    return found.group(1)


def test_one_persons_requests_alternate_between_two_web_processes(
    servers: list[str], sops: None, personas: Personas
) -> None:
    a, b = servers
    # The servers hash as production does, not with the suite's fast MD5.
    hasher = PintuArgon2PasswordHasher()
    personas.requester.password = hasher.encode(PASSWORD, hasher.salt())
    personas.requester.save(update_fields=["password"])
    browser = Browser()
    _, login, _ = browser.get(a + "/login/")
    status, _, landed = browser.post(
        b + "/login/",
        {"csrfmiddlewaretoken": token(login), "username": "mahasiswa", "password": PASSWORD},
    )
    assert status == 200 and "/login/" not in landed  # signed in on A's form, through B

    _, form, _ = browser.get(b + FORM)
    status, _, confirmed = browser.post(
        a + FORM,
        {
            "csrfmiddlewaretoken": token(form),
            "subject": "Proyektor ruang 204 mati",
            "body": "Tidak menyala sejak pagi.",
            "field_jenis": "Perbaikan koneksi jaringan kabel/nirkabel",
            "field_lokasi": "Ruang 204",
        },
        files={"attachments": ("proyektor.png", PNG)},
    )
    assert status == 200 and "/layanan/terkirim/" in confirmed
    ticket = Ticket.objects.get(subject="Proyektor ruang 204 mati")
    photo = Attachment.objects.get(article__ticket=ticket)

    status, page, _ = browser.get(b + f"/permintaan-saya/{ticket.reference}/")
    assert status == 200 and f"/desk/attachments/{photo.pk}/".encode() in page
    status, downloaded, _ = browser.get(a + f"/desk/attachments/{photo.pk}/")
    assert (status, downloaded) == (200, PNG)  # stored by A, served by the other

    mark = conversation_mark(latest_public_article_id(ticket), ticket.status)
    conversation = f"/permintaan-saya/{ticket.reference}/percakapan/?mark={mark}"
    assert browser.get(a + conversation)[0] == 204  # nothing new yet
    desk.ticket_reply(actor=personas.staff, ticket=ticket, body="Teknisi segera datang.")
    status, live, _ = browser.get(b + conversation)
    assert status == 200 and "Teknisi segera datang." in live.decode()
