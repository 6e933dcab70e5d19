"""Read a WhatsApp Cloud API webhook body into plain dataclasses.

Pure and tolerant: Meta adds fields and message types without notice, and samples in the
wild carry placeholders where numbers should be. Only a body that is not a JSON object
at all is an error; anything else yields what could be read, and the messages keep their
JSON as it came so that nothing is lost to a parser that does not know a type yet.

Shape (``object: whatsapp_business_account``): ``entry[].changes[]`` each with a
``field`` and a ``value``. Field ``messages`` carries ``messages`` (from people),
``statuses`` (reports on what we sent), ``contacts`` (the senders' profile names) and
``errors``; other fields (account updates, templates, calls, message echoes) carry no
messages from requesters.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

JsonObject = Mapping[str, Any]


class PayloadError(ValueError):
    """The body is not a webhook notification at all (not JSON, not an object)."""


@dataclass(frozen=True)
class GraphError:
    """An error as WhatsApp reports it in webhooks (message, status or value level)."""

    code: int | None
    title: str
    message: str
    details: str

    def describe(self) -> str:
        parts = [str(self.code) if self.code is not None else "", self.title or self.message]
        text = " ".join(p for p in parts if p)
        if self.details and self.details not in text:
            text = f"{text}: {self.details}" if text else self.details
        return text


@dataclass(frozen=True)
class Message:
    """One message a person sent to our number."""

    id: str
    sender: str  # the sender's WhatsApp number ("from"), international, no "+"
    sender_name: str  # their profile name, when the notification carries it
    timestamp: datetime | None  # when WhatsApp received it from the sender
    kind: str  # Meta's "type": text, image, location, reaction, unsupported, ...
    data: JsonObject  # the message object exactly as it came
    envelope: JsonObject  # the change value reduced to this message (what we store)
    errors: tuple[GraphError, ...] = ()  # the message's own and its notification's

    def raw(self) -> bytes:
        """The bytes kept for this message: a webhook ``value`` holding only it and its
        sender's contact entry, so that ``parse_value`` reads it back alone."""
        return json.dumps(self.envelope, ensure_ascii=False, separators=(",", ":")).encode()


@dataclass(frozen=True)
class Status:
    """WhatsApp's report on a message we sent: sent, delivered, read, failed, ..."""

    message_id: str
    status: str
    recipient: str
    timestamp: datetime | None
    errors: tuple[GraphError, ...] = ()


@dataclass(frozen=True)
class Notification:
    messages: tuple[Message, ...] = ()
    statuses: tuple[Status, ...] = ()
    errors: tuple[GraphError, ...] = ()  # value-level errors (not tied to one message)
    other_fields: tuple[str, ...] = field(default=())  # changes that carry no messages


def parse(body: bytes) -> Notification:
    """The notification in a raw webhook body."""
    try:
        document = json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise PayloadError(f"the body is not JSON: {error}") from None
    if not isinstance(document, dict):
        raise PayloadError(f"the body is JSON but not an object ({type(document).__name__})")
    messages: list[Message] = []
    statuses: list[Status] = []
    errors: list[GraphError] = []
    other: list[str] = []
    for entry in json_objects(document.get("entry")):
        for change in json_objects(entry.get("changes")):
            name = json_text(change.get("field"))
            value = change.get("value")
            if name != "messages" or not isinstance(value, dict):
                other.append(name or "?")
                continue
            part = parse_value(value)
            messages.extend(part.messages)
            statuses.extend(part.statuses)
            errors.extend(part.errors)
    return Notification(tuple(messages), tuple(statuses), tuple(errors), tuple(other))


def parse_value(value: JsonObject) -> Notification:
    """One ``messages`` change value (also the shape each stored message is kept in)."""
    names = {
        json_text(c.get("wa_id")): json_text(json_object(c.get("profile")).get("name"))
        for c in json_objects(value.get("contacts"))
    }
    contacts = {json_text(c.get("wa_id")): c for c in json_objects(value.get("contacts"))}
    messages = []
    for data in json_objects(value.get("messages")):
        sender = json_text(data.get("from"))
        envelope: dict[str, Any] = {
            key: value[key] for key in ("messaging_product", "metadata", "errors") if key in value
        }
        if sender in contacts:
            envelope["contacts"] = [contacts[sender]]
        envelope["messages"] = [data]
        messages.append(
            Message(
                id=json_text(data.get("id")) or _fallback_id(data),
                sender=sender,
                sender_name=names.get(sender, ""),
                timestamp=_moment(data.get("timestamp")),
                kind=json_text(data.get("type")) or "unknown",
                data=data,
                envelope=envelope,
                errors=graph_errors(data.get("errors")) + graph_errors(value.get("errors")),
            )
        )
    statuses = [
        Status(
            message_id=json_text(s.get("id")),
            status=json_text(s.get("status")).lower(),
            recipient=json_text(s.get("recipient_id")),
            timestamp=_moment(s.get("timestamp")),
            errors=graph_errors(s.get("errors")),
        )
        for s in json_objects(value.get("statuses"))
    ]
    return Notification(tuple(messages), tuple(statuses), graph_errors(value.get("errors")))


def graph_errors(items: Any) -> tuple[GraphError, ...]:
    found = []
    for item in json_objects(items):
        code = item.get("code")
        found.append(
            GraphError(
                code=code if isinstance(code, int) and not isinstance(code, bool) else None,
                title=json_text(item.get("title")),
                message=json_text(item.get("message")),
                details=json_text(json_object(item.get("error_data")).get("details")),
            )
        )
    return tuple(found)


# ---------------------------------------------------------------- tolerant readers


def json_objects(items: Any) -> list[JsonObject]:
    """The objects in a JSON list; anything else reads as an empty list."""
    if not isinstance(items, Sequence) or isinstance(items, str | bytes):
        return []
    return [item for item in items if isinstance(item, dict)]


def json_object(item: Any) -> JsonObject:
    return item if isinstance(item, dict) else {}


def json_text(item: Any) -> str:
    if item is None or isinstance(item, dict | list):
        return ""
    return str(item)


def _moment(item: Any) -> datetime | None:
    """WhatsApp timestamps are Unix seconds, as a string or a number."""
    try:
        return datetime.fromtimestamp(int(str(item)), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _fallback_id(data: JsonObject) -> str:
    # Every real message has an id; one without is still kept once, by its content.
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False).encode()
    return "sha256:" + hashlib.sha256(canonical).hexdigest()
