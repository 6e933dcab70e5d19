"""A real SMTP receiver for tests: aiosmtpd on 127.0.0.1 and a port the OS picks, which
collects what the outbox sends and can be told to refuse the next tries."""

from __future__ import annotations

import socket
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.smtp import AuthResult, LoginPassword

from pintu.doors.email.catcher import LoopbackController


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def email(self) -> EmailMessage:
        parsed = message_from_bytes(self.raw, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


class Receiver:
    """The aiosmtpd handler: accepts every message unless a refusal is queued."""

    def __init__(self) -> None:
        self.messages: list[Received] = []
        self.refusals: list[str] = []  # SMTP replies for the next RCPT TO commands
        self.lock = threading.Lock()

    def refuse_next(self, *replies: str) -> None:
        with self.lock:
            self.refusals.extend(replies)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        with self.lock:
            if self.refusals:
                return self.refusals.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        with self.lock:
            self.messages.append(
                Received(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.content))
            )
        return "250 Message accepted for delivery"


@dataclass
class SmtpPeer:
    receiver: Receiver
    port: int

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def messages(self) -> list[Received]:
        with self.receiver.lock:
            return list(self.receiver.messages)

    def refuse_next(self, *replies: str) -> None:
        self.receiver.refuse_next(*replies)

    def message_ids(self) -> Counter[str]:
        """How many times each Message-ID arrived."""
        return Counter(str(message.email["Message-ID"]) for message in self.messages)


@contextmanager
def smtp_peer(login: tuple[str, str] | None = None) -> Iterator[SmtpPeer]:
    """Run a receiver for the duration of the block. With ``login``, the server offers
    AUTH (without TLS: loopback only) and accepts exactly that user and password."""
    receiver = Receiver()
    options: dict[str, Any] = {}
    if login is not None:

        def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any):
            ok = (
                isinstance(data, LoginPassword)
                and (
                    data.login.decode(),
                    data.password.decode(),
                )
                == login
            )
            return AuthResult(success=ok, handled=False)

        options = {"authenticator": authenticate, "auth_require_tls": False}
    controller = LoopbackController(receiver, **options)
    controller.start()
    try:
        yield SmtpPeer(receiver, controller.port)
    finally:
        controller.stop()


def closed_port() -> int:
    """A loopback port nothing listens on: connecting to it is refused."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
