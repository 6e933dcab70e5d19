"""The local mail catcher: an SMTP receiver on loopback that `pintu run` points the
outbox at, so that mail "sent" on a laptop is kept for admins to read at /dev/mail/
instead of failing again and again against a relay that is not there.

Each message is kept as one ``.eml`` file under ``PINTU_CAUGHT_MAIL_DIR`` (``var/mail/``)
rather than as a row in a table: the catcher then needs no migration and no production
schema carries a table for a developer's tool; it adds no third writer to the SQLite
file beside the web and the worker; each file opens as it is in any mail program; and the
mail outlives a fresh database and goes with ``rm -r var/mail``. File names start with
the UTC time of arrival, so they sort newest last without a file being opened.
"""

from __future__ import annotations

import os
import re
import secrets
import socket
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

_TIME_FORMAT = "%Y%m%dT%H%M%S.%fZ"
_NAME = re.compile(r"\d{8}T\d{6}\.\d{6}Z-[0-9a-f]{12}")


def catcher_wanted(*, production: bool, environ: Mapping[str, str]) -> bool:
    """A local run catches mail unless it names a relay of its own in PINTU_SMTP_URL;
    production always sends through its configured relay."""
    return not production and not environ.get("PINTU_SMTP_URL", "").strip()


class LoopbackController(Controller):
    """An aiosmtpd server on 127.0.0.1 and a socket bound to port 0 before it starts, so
    the port is free by construction (no pick-then-bind race with other processes)."""

    def __init__(self, handler: Any, **kwargs: Any) -> None:
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        port = self.listener.getsockname()[1]
        super().__init__(handler, hostname="127.0.0.1", port=port, **kwargs)

    def _create_server(self) -> Any:
        return self.loop.create_server(
            self._factory_invoker, sock=self.listener, ssl=self.ssl_context
        )


class KeepEveryMessage:
    """The aiosmtpd handler: accepts every message and writes it to ``directory``, with
    the envelope in front as a local delivery would (Return-Path, Delivered-To), since
    Bcc recipients appear nowhere else."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        envelope_lines = [f"Return-Path: <{envelope.mail_from}>"] + [
            f"Delivered-To: {recipient}" for recipient in envelope.rcpt_tos
        ]
        raw = "".join(f"{line}\r\n" for line in envelope_lines).encode() + envelope.content
        name = f"{datetime.now(UTC).strftime(_TIME_FORMAT)}-{secrets.token_hex(6)}"
        partial = self.directory / f".{name}.partial"
        partial.write_bytes(raw)
        # Renamed once complete, so that the page never lists half a message.
        os.replace(partial, self.directory / f"{name}.eml")
        return "250 Message kept by the Pintu mail catcher"


@dataclass(frozen=True)
class MailCatcher:
    port: int
    directory: Path

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"


@contextmanager
def mail_catcher(directory: Path) -> Iterator[MailCatcher]:
    """Catch mail on a free loopback port for the duration of the block."""
    directory.mkdir(parents=True, exist_ok=True)
    controller = LoopbackController(KeepEveryMessage(directory))
    controller.start()
    try:
        yield MailCatcher(port=controller.port, directory=directory)
    finally:
        controller.stop()


# ---------------------------------------------------------------- reading it back


@dataclass(frozen=True)
class CaughtMail:
    name: str
    received_at: datetime
    sender: str
    recipients: str
    subject: str


def caught_files(directory: Path) -> list[Path]:
    """The caught messages' files, newest first."""
    if not directory.is_dir():
        return []
    files = (path for path in directory.glob("*.eml") if _NAME.fullmatch(path.stem))
    return sorted(files, key=lambda path: path.name, reverse=True)


def caught_path(directory: Path, name: str) -> Path | None:
    """The file of the message called ``name``, or None for a name that no caught
    message could have (so that nothing outside ``directory`` is ever read)."""
    if not _NAME.fullmatch(name):
        return None
    path = directory / f"{name}.eml"
    return path if path.is_file() else None


def caught_summary(path: Path) -> CaughtMail:
    with path.open("rb") as handle:
        headers = BytesParser(policy=policy.default).parse(handle, headersonly=True)
    arrived = path.stem.partition("-")[0]
    return CaughtMail(
        name=path.stem,
        received_at=datetime.strptime(arrived, _TIME_FORMAT).replace(tzinfo=UTC),
        sender=str(headers.get("From", "")),
        recipients=str(headers.get("To", "")),
        subject=str(headers.get("Subject", "")),
    )


def caught_message(path: Path) -> EmailMessage:
    with path.open("rb") as handle:
        message = BytesParser(policy=policy.default).parse(handle)
    assert isinstance(message, EmailMessage)
    return message
