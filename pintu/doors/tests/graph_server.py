"""A local stand-in for Meta's Graph API as the WhatsApp Cloud API uses it, on 127.0.0.1
and a port the OS picks, following the documented shapes:

- ``POST /{version}/{phone-number-id}/messages`` (``text`` or ``template``) answers
  ``{"messaging_product": "whatsapp", "contacts": [{"input", "wa_id"}],
  "messages": [{"id": "wamid..."}]}``;
- ``GET /{version}/{media-id}`` answers ``{"messaging_product", "url", "mime_type",
  "sha256", "file_size", "id"}`` and the file itself is at that url, for the bearer
  token only;
- errors come in Graph's envelope ``{"error": {"message", "type", "code",
  "error_subcode", "error_data", "fbtrace_id"}}``, e.g. 131047 (re-engagement: free-form
  text outside the 24-hour window) for a recipient whose window the test closed.

It records every request so that tests can assert what Pintu sent.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pintu.doors.tests.whatsapp_samples import APP_SECRET

VERSION = "v21.0"
TOKEN = "graph-test-token"
PHONE_NUMBER_ID = "106540352242922"


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Media:
    data: bytes
    mime_type: str


def graph_error(
    status: int, message: str, code: int, *, kind: str = "OAuthException", **extra: Any
) -> tuple[int, dict[str, Any]]:
    error = {"message": message, "type": kind, "code": code, **extra}
    error["fbtrace_id"] = "A" + secrets.token_hex(10)
    return status, {"error": error}


def re_engagement() -> tuple[int, dict[str, Any]]:
    return graph_error(
        400,
        "(#131047) Re-engagement message",
        131047,
        error_subcode=2494010,
        error_data={
            "messaging_product": "whatsapp",
            "details": "Message failed to send because more than 24 hours have passed since "
            "the customer last replied to this number.",
        },
    )


def server_error() -> tuple[int, dict[str, Any]]:
    return graph_error(500, "An unknown error has occurred.", 1, is_transient=True)


def invalid_parameter(details: str) -> tuple[int, dict[str, Any]]:
    return graph_error(
        400,
        "(#100) Invalid parameter",
        100,
        error_data={"messaging_product": "whatsapp", "details": details},
    )


@dataclass
class GraphState:
    token: str
    phone_number_id: str
    requests: list[Received] = field(default_factory=list)
    media: dict[str, Media] = field(default_factory=dict)
    closed_windows: set[str] = field(default_factory=set)  # recipients outside 24 h
    failures: list[tuple[int, dict[str, Any]]] = field(default_factory=list)  # next sends
    delays: list[float] = field(default_factory=list)  # seconds before the next answers
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        return

    # ------------------------------------------------------------ plumbing

    def _record(self) -> Received:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        received = Received(self.command, self.path, dict(self.headers.items()), body)
        with self.server.state.lock:
            self.server.state.requests.append(received)
            delay = self.server.state.delays.pop(0) if self.server.state.delays else 0.0
        if delay:
            time.sleep(delay)
        return received

    def _answer(self, status: int, document: Any) -> None:
        self._raw(status, json.dumps(document).encode(), "application/json")

    def _raw(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _authorised(self) -> bool:
        if self.headers.get("Authorization") == f"Bearer {self.server.state.token}":
            return True
        self._answer(
            *graph_error(401, "Invalid OAuth access token - Cannot parse access token", 190)
        )
        return False

    # ------------------------------------------------------------ routes

    def do_GET(self) -> None:
        self._record()
        parts = urlsplit(self.path)
        segments = [s for s in parts.path.split("/") if s]
        if segments == ["whatsapp_business", "attachments"]:
            self._download(parse_qs(parts.query).get("mid", [""])[0])
        elif len(segments) == 2 and segments[0] == VERSION:
            self._media_info(segments[1])
        else:
            self._answer(*graph_error(404, "Unknown path components", 2500))

    def do_POST(self) -> None:
        received = self._record()
        segments = [s for s in urlsplit(self.path).path.split("/") if s]
        if len(segments) != 3 or segments[0] != VERSION or segments[2] != "messages":
            self._answer(*graph_error(404, "Unknown path components", 2500))
            return
        if not self._authorised():
            return
        if segments[1] != self.server.state.phone_number_id:
            message = (
                f"Unsupported post request. Object with ID '{segments[1]}' does not exist, "
                "cannot be loaded due to missing permissions, or does not support this operation."
            )
            self._answer(
                *graph_error(400, message, 100, kind="GraphMethodException", error_subcode=33)
            )
            return
        self._send(received)

    def _send(self, received: Received) -> None:
        try:
            request = received.json
        except ValueError:
            self._answer(*invalid_parameter("The request body is not JSON"))
            return
        problem = _invalid_send(request)
        if problem:
            self._answer(*invalid_parameter(problem))
            return
        state = self.server.state
        with state.lock:
            failure = state.failures.pop(0) if state.failures else None
            closed = request["to"] in state.closed_windows
        if failure is not None:
            self._answer(*failure)
        elif closed and request["type"] != "template":
            self._answer(*re_engagement())
        else:
            wamid = "wamid.HBgN" + secrets.token_urlsafe(24)
            self._answer(
                200,
                {
                    "messaging_product": "whatsapp",
                    "contacts": [{"input": request["to"], "wa_id": request["to"]}],
                    "messages": [{"id": wamid}],
                },
            )

    def _media_info(self, media_id: str) -> None:
        if not self._authorised():
            return
        media = self.server.state.media.get(media_id)
        if media is None:
            message = (
                f"Unsupported get request. Object with ID '{media_id}' does not exist, cannot "
                "be loaded due to missing permissions, or does not support this operation."
            )
            self._answer(
                *graph_error(400, message, 100, kind="GraphMethodException", error_subcode=33)
            )
            return
        port = self.server.server_address[1]
        url = (
            f"http://127.0.0.1:{port}/whatsapp_business/attachments/"
            f"?mid={media_id}&ext={int(time.time())}&hash={secrets.token_urlsafe(12)}"
        )
        self._answer(
            200,
            {
                "messaging_product": "whatsapp",
                "url": url,
                "mime_type": media.mime_type,
                "sha256": hashlib.sha256(media.data).hexdigest(),
                "file_size": len(media.data),
                "id": media_id,
            },
        )

    def _download(self, media_id: str) -> None:
        if self.headers.get("Authorization") != f"Bearer {self.server.state.token}":
            self._raw(401, b"Unauthorized", "text/plain")
            return
        media = self.server.state.media.get(media_id)
        if media is None:
            self._raw(404, b"Not Found", "text/plain")
            return
        self._raw(200, media.data, media.mime_type)


def _invalid_send(request: Any) -> str:
    """Why a send request breaks the documented shape ("" when it does not)."""
    if not isinstance(request, dict) or request.get("messaging_product") != "whatsapp":
        return "messaging_product must be 'whatsapp'"
    if not str(request.get("to", "")).isdigit():
        return "Parameter 'to' is invalid"
    kind = request.get("type")
    if kind == "text":
        body = request.get("text", {}).get("body") if isinstance(request.get("text"), dict) else ""
        if not body or len(body) > 4096:
            return "text.body is required and at most 4096 characters long"
        return ""
    if kind == "template":
        template = request.get("template")
        if not isinstance(template, dict) or not template.get("name"):
            return "template.name is required"
        if not isinstance(template.get("language"), dict) or not template["language"].get("code"):
            return "template.language.code is required"
        for component in template.get("components", []):
            for parameter in component.get("parameters", []):
                text = parameter.get("text", "")
                if "\n" in text or "\t" in text or "     " in text:
                    return "Param text cannot have new-line/tab characters or more than 4 spaces"
        return ""
    return f"Unsupported message type {kind!r}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: GraphState) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state


@dataclass
class GraphApi:
    state: GraphState
    port: int

    @property
    def url(self) -> str:
        """What PINTU_WHATSAPP_GRAPH_URL points at: the versioned root."""
        return f"http://127.0.0.1:{self.port}/{VERSION}"

    def configure(self, settings: Any) -> None:
        settings.PINTU_WHATSAPP_GRAPH_URL = self.url
        settings.PINTU_WHATSAPP_TOKEN = self.state.token
        settings.PINTU_WHATSAPP_PHONE_NUMBER_ID = self.state.phone_number_id

    def environment(self, unit: str = "UPT-SI") -> dict[str, str]:
        """The settings of a whole WhatsApp door on this server, for a `pintu` child
        process (and, set one by one, for this one): webhook bodies signed with the
        tests' app secret, filed under ``unit``, answered through this server."""
        return {
            "PINTU_WHATSAPP_APP_SECRET": APP_SECRET,
            "PINTU_WHATSAPP_GRAPH_URL": self.url,
            "PINTU_WHATSAPP_TOKEN": self.state.token,
            "PINTU_WHATSAPP_PHONE_NUMBER_ID": self.state.phone_number_id,
            "PINTU_WHATSAPP_UNIT": unit,
        }

    def add_media(self, media_id: str, data: bytes, mime_type: str) -> None:
        with self.state.lock:
            self.state.media[media_id] = Media(data, mime_type)

    def fail_next(self, *failures: tuple[int, dict[str, Any]]) -> None:
        with self.state.lock:
            self.state.failures.extend(failures)

    def delay_next(self, *seconds: float) -> None:
        with self.state.lock:
            self.state.delays.extend(seconds)

    def close_window(self, number: str) -> None:
        with self.state.lock:
            self.state.closed_windows.add(number)

    @property
    def requests(self) -> list[Received]:
        with self.state.lock:
            return list(self.state.requests)

    @property
    def sends(self) -> list[Any]:
        """The JSON bodies of every ``/messages`` POST, in order."""
        return [r.json for r in self.requests if r.method == "POST"]


@contextmanager
def graph_api(token: str = TOKEN, phone_number_id: str = PHONE_NUMBER_ID) -> Iterator[GraphApi]:
    state = GraphState(token=token, phone_number_id=phone_number_id)
    server = _Server(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield GraphApi(state, server.server_address[1])
    finally:
        server.shutdown()
        server.server_close()
