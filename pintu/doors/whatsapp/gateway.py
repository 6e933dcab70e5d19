"""The WhatsApp gateway: the few calls Pintu makes to send and to fetch media.

``Gateway`` is the whole interface the door needs, so that another provider (a BSP's own
API, an on-premises bridge) can stand in without touching the desk. ``CloudApiGateway``
speaks Meta's Graph API with the standard library only:

- ``POST {graph}/{phone-number-id}/messages`` with a ``text`` or a ``template`` body,
  answered ``{"messaging_product", "contacts": [{"input", "wa_id"}],
  "messages": [{"id": "wamid..."}]}``;
- ``GET {graph}/{media-id}`` answered ``{"url", "mime_type", "sha256", "file_size",
  "id"}``, then ``GET url``; both with ``Authorization: Bearer <token>``;
- failures in Graph's envelope ``{"error": {"message", "type", "code",
  "error_subcode", "error_data": {"details"}, "fbtrace_id"}}``.
"""

from __future__ import annotations

import hashlib
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any, Protocol

from django.conf import settings

USER_AGENT = "Pintu-WhatsApp/1.0"
# Graph error codes that mean "not now" rather than "never": throttling (4, 80007,
# 130429), the per-recipient pair rate (131056), a temporarily unavailable service
# (131016, 2) and an expired or revoked token (190), which an admin can renew while the
# outbox keeps retrying.
RETRYABLE_CODES = frozenset({1, 2, 4, 17, 190, 80007, 130429, 131016, 131056})
TEXT_LIMIT = 4096  # characters in a text message body
PARAMETER_LIMIT = 1000  # characters we put in the template's one body parameter


class GatewayError(Exception):
    """A call failed. ``temporary``: worth trying again later."""

    def __init__(
        self, message: str, *, temporary: bool, code: int | None = None, status: int | None = None
    ) -> None:
        super().__init__(message)
        self.temporary = temporary
        self.code = code
        self.status = status


@dataclass(frozen=True)
class MediaFile:
    data: bytes
    mime_type: str


class Gateway(Protocol):
    def send_text(self, *, to: str, body: str) -> str:
        """Send a free-form text (inside the 24-hour window); returns the message id."""
        ...

    def send_template(self, *, to: str, name: str, language: str, parameters: list[str]) -> str:
        """Send an approved template with body parameters; returns the message id."""
        ...

    def download_media(self, media_id: str, *, max_bytes: int) -> MediaFile:
        """Fetch a received file by its media id."""
        ...


class CloudApiGateway:
    def __init__(
        self, *, graph_url: str, token: str, phone_number_id: str, timeout: float = 15.0
    ) -> None:
        self.graph_url = graph_url.rstrip("/")
        self.token = token
        self.phone_number_id = phone_number_id
        self.timeout = timeout

    # ------------------------------------------------------------ sending

    def send_text(self, *, to: str, body: str) -> str:
        if len(body) > TEXT_LIMIT:
            body = body[: TEXT_LIMIT - 1] + "…"
        return self._send(
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to,
                "type": "text",
                "text": {"preview_url": False, "body": body},
            }
        )

    def send_template(self, *, to: str, name: str, language: str, parameters: list[str]) -> str:
        template: dict[str, Any] = {"name": name, "language": {"code": language}}
        if parameters:
            template["components"] = [
                {
                    "type": "body",
                    "parameters": [
                        {"type": "text", "text": template_parameter(p)} for p in parameters
                    ],
                }
            ]
        return self._send(
            {
                "messaging_product": "whatsapp",
                "recipient_type": "individual",
                "to": to,
                "type": "template",
                "template": template,
            }
        )

    def _send(self, payload: dict[str, Any]) -> str:
        if not (self.token and self.phone_number_id):
            raise GatewayError(
                "WhatsApp is not configured (PINTU_WHATSAPP_TOKEN, PINTU_WHATSAPP_PHONE_NUMBER_ID)",
                temporary=True,
            )
        url = f"{self.graph_url}/{urllib.parse.quote(self.phone_number_id)}/messages"
        answer = self._json(self._call(url, json.dumps(payload).encode()))
        messages = answer.get("messages")
        if isinstance(messages, list) and messages and isinstance(messages[0], dict):
            message_id = messages[0].get("id")
            if isinstance(message_id, str) and message_id:
                return message_id
        # Accepted but unreadable: sending again could deliver it twice, so do not retry.
        raise GatewayError(f"Graph answered without a message id: {answer!r:.300}", temporary=False)

    # ------------------------------------------------------------ media

    def download_media(self, media_id: str, *, max_bytes: int) -> MediaFile:
        url = f"{self.graph_url}/{urllib.parse.quote(media_id, safe='')}"
        info = self._json(self._call(url))
        location = info.get("url")
        if not isinstance(location, str) or not location.startswith(("https://", "http://")):
            raise GatewayError(
                f"Graph gave no download address for media {media_id}", temporary=True
            )
        size = _integer(info.get("file_size"))
        if size is not None and size > max_bytes:
            raise GatewayError(
                f"media {media_id} is {size} bytes, more than the {max_bytes} allowed",
                temporary=False,
            )
        data = self._call(location, limit=max_bytes)
        expected = str(info.get("sha256") or "").lower()
        # Graph gives the SHA-256 in hex; the webhook's base64 form is not compared here.
        if re.fullmatch(r"[0-9a-f]{64}", expected) and hashlib.sha256(data).hexdigest() != expected:
            raise GatewayError(
                f"media {media_id} arrived damaged (SHA-256 differs)", temporary=True
            )
        mime_type = str(info.get("mime_type") or "application/octet-stream")
        return MediaFile(data=data, mime_type=mime_type)

    # ------------------------------------------------------------ HTTP

    def _call(self, url: str, data: bytes | None = None, *, limit: int | None = None) -> bytes:
        headers = {"Authorization": f"Bearer {self.token}", "User-Agent": USER_AGENT}
        if data is not None:
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                body = _read(response, limit)
        except urllib.error.HTTPError as error:
            raise _graph_failure(error.code, error.read()) from None
        except (HTTPException, OSError) as error:  # URLError and timeouts are OSErrors
            reason = getattr(error, "reason", error)
            raise GatewayError(f"Graph API unreachable: {reason}", temporary=True) from None
        if limit is not None and len(body) > limit:
            raise GatewayError(
                f"the file is larger than the {limit} bytes allowed", temporary=False
            )
        return body

    @staticmethod
    def _json(body: bytes) -> dict[str, Any]:
        try:
            answer = json.loads(body)
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            raise GatewayError(
                f"Graph answered something that is not JSON: {body[:200]!r}", temporary=True
            )
        return answer


def gateway() -> Gateway:
    """The gateway configured for this installation (read when called, never cached, so
    that a changed setting holds at once)."""
    return CloudApiGateway(
        graph_url=settings.PINTU_WHATSAPP_GRAPH_URL,
        token=settings.PINTU_WHATSAPP_TOKEN,
        phone_number_id=settings.PINTU_WHATSAPP_PHONE_NUMBER_ID,
    )


def template_parameter(text: str) -> str:
    """A reply as a template body parameter: Meta refuses new lines, tabs and more than
    four spaces in a row there, and the template body has a length limit."""
    flat = " ".join(text.split())
    return flat if len(flat) <= PARAMETER_LIMIT else flat[: PARAMETER_LIMIT - 1] + "…"


def _graph_failure(status: int, body: bytes) -> GatewayError:
    try:
        envelope = json.loads(body)
    except ValueError:
        envelope = None
    error = envelope.get("error") if isinstance(envelope, dict) else None
    if not isinstance(error, dict):
        text = body[:200].decode("utf-8", "replace").strip()
        return GatewayError(
            f"HTTP {status}: {text}", temporary=status >= 500 or status == 429, status=status
        )
    code = _integer(error.get("code"))
    message = str(error.get("message") or f"HTTP {status}")
    details = error.get("error_data")
    if isinstance(details, dict) and details.get("details"):
        message = f"{message}: {details['details']}"
    # Graph usually names the code in its message already: "(#131047) Re-engagement ...".
    text = message if code is None or f"#{code}" in message else f"(#{code}) {message}"
    temporary = status >= 500 or status == 429 or code in RETRYABLE_CODES
    return GatewayError(text, temporary=temporary, code=code, status=status)


def _read(response: Any, limit: int | None) -> bytes:
    """The whole body, or ``limit + 1`` bytes when it is longer than ``limit``."""
    if limit is None:
        return bytes(response.read())
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = response.read(min(65536, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _integer(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
