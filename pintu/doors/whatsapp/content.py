"""What a WhatsApp message says, as the text of an article (and the media to fetch).

Pure: every message type Meta documents is written out in words staff can read
(locations with a map link, shared contacts as vCards, button and list choices with
their ids, reactions with the message they react to); a type this module does not know
is named as such, and its JSON stays on the inbound record.
"""

from __future__ import annotations

import contextlib
import json
import mimetypes
import re
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from pintu.doors.whatsapp.payload import (
    GraphError,
    JsonObject,
    Message,
    json_object,
    json_objects,
    json_text,
)

MEDIA_KINDS = ("image", "video", "audio", "document", "sticker")
# Types that are about an earlier message or about the account, not a request: they join
# an open request of the sender but never open one.
FOLLOW_UP_KINDS = ("reaction", "revoke", "edit", "system")
KNOWN_KINDS = (
    "text",
    *MEDIA_KINDS,
    "location",
    "contacts",
    "interactive",
    "button",
    *FOLLOW_UP_KINDS,
    "order",
)
SUBJECT_LENGTH = 120

# Extensions for the types WhatsApp sends; mimetypes alone answers ".jpe" for JPEG and
# knows no ".opus"/".amr" on some systems.
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "video/mp4": "mp4",
    "video/3gpp": "3gp",
    "audio/ogg": "ogg",
    "audio/opus": "opus",
    "audio/mpeg": "mp3",
    "audio/mp4": "m4a",
    "audio/aac": "aac",
    "audio/amr": "amr",
    "application/pdf": "pdf",
    "text/plain": "txt",
}


@dataclass(frozen=True)
class MediaRef:
    """A file attached to a message, to be fetched from the Graph API by its id."""

    id: str
    kind: str  # image, video, audio, document, sticker
    mime_type: str
    filename: str


@dataclass(frozen=True)
class Content:
    text: str  # the article's body
    subject: str  # the first line the person wrote, "" when they wrote nothing
    media: MediaRef | None = None
    follow_up: bool = False  # never opens a request on its own


def render(message: Message) -> Content:
    content = _render(message.kind, message.data, message.errors)
    notes = _context_notes(message.data)
    if notes:
        content = Content(
            "\n".join([content.text, "", *notes]), content.subject, content.media, content.follow_up
        )
    return content


def _render(kind: str, data: JsonObject, errors: tuple[GraphError, ...] = ()) -> Content:
    body = json_object(data.get(kind))
    if kind == "text":
        text = json_text(body.get("body"))
        return Content(text or _("(empty message)"), first_line(text))
    if kind in MEDIA_KINDS and json_text(body.get("id")):
        return _media(kind, body)
    if kind == "location" and body:
        return Content(_location(body), "")
    if kind == "contacts":
        cards = [vcard(c) for c in json_objects(data.get("contacts"))]
        return Content("\n\n".join([_("Shared contacts:"), *cards]), "")
    if kind == "interactive" and body:
        return _interactive(body)
    if kind == "button":
        text = json_text(body.get("text"))
        payload = json_text(body.get("payload"))
        return Content(
            _("Button: %(text)s (payload: %(payload)s)") % {"text": text, "payload": payload},
            first_line(text),
        )
    if kind == "reaction":
        return _reaction(body)
    if kind == "revoke":
        return Content(
            _("Deleted their message %(id)s.") % {"id": json_text(body.get("original_message_id"))},
            "",
            follow_up=True,
        )
    if kind == "edit":
        inner = json_object(body.get("message"))
        edited = _render(json_text(inner.get("type")) or "unknown", inner)
        header = _("Edited their message %(id)s; it now reads:") % {
            "id": json_text(body.get("original_message_id"))
        }
        return Content(f"{header}\n{edited.text}", "", edited.media, follow_up=True)
    if kind == "system":
        text = json_text(body.get("body")) or json_text(body.get("type"))
        return Content(_("WhatsApp notice: %(text)s") % {"text": text}, "", follow_up=True)
    if kind == "order":
        return Content(_order(body), "")
    return _unsupported(kind, data, errors)


def _media(kind: str, body: JsonObject) -> Content:
    mime = json_text(body.get("mime_type")) or "application/octet-stream"
    media_id = json_text(body.get("id"))
    caption = json_text(body.get("caption"))
    label = {
        "image": _("Image"),
        "video": _("Video"),
        "audio": _("Voice message") if body.get("voice") else _("Audio"),
        "document": _("Document"),
        "sticker": _("Sticker"),
    }[kind]
    filename = media_filename(kind, media_id, mime, json_text(body.get("filename")))
    text = f"{caption}\n\n[{label}: {filename}]" if caption else f"[{label}: {filename}]"
    media = MediaRef(media_id, kind, mime, filename) if media_id else None
    return Content(text, first_line(caption), media)


def media_filename(kind: str, media_id: str, mime_type: str, given: str = "") -> str:
    """The document's own name (without any folder), else ``whatsapp-<kind>-<id>.<ext>``."""
    name = re.split(r"[/\\]", given)[-1].strip().lstrip(".")
    if name:
        return name[:200]
    base = mime_type.split(";")[0].strip().lower()
    extension = EXTENSIONS.get(base) or (mimetypes.guess_extension(base) or ".bin").lstrip(".")
    safe_id = re.sub(r"[^A-Za-z0-9_-]", "", media_id)[:60] or "file"
    return f"whatsapp-{kind}-{safe_id}.{extension}"


def _location(body: JsonObject) -> str:
    latitude, longitude = body.get("latitude"), body.get("longitude")
    lines = [_("Location")]
    lines += [json_text(body.get(key)) for key in ("name", "address") if json_text(body.get(key))]
    if _is_number(latitude) and _is_number(longitude):
        lines.append(f"{latitude}, {longitude}")
        lines.append(
            f"https://www.openstreetmap.org/?mlat={latitude}&mlon={longitude}"
            f"#map=17/{latitude}/{longitude}"
        )
    if json_text(body.get("url")):
        lines.append(json_text(body.get("url")))
    return "\n".join(lines)


def vcard(contact: JsonObject) -> str:
    """A shared contact as vCard 3.0 text (RFC 2426)."""
    name = json_object(contact.get("name"))
    lines = ["BEGIN:VCARD", "VERSION:3.0"]
    parts = ("last_name", "first_name", "middle_name", "prefix", "suffix")
    lines.append("N:" + ";".join(_escape(json_text(name.get(p))) for p in parts))
    formatted = json_text(name.get("formatted_name")) or " ".join(
        json_text(name.get(p)) for p in ("first_name", "last_name") if json_text(name.get(p))
    )
    lines.append("FN:" + _escape(formatted))
    org = json_object(contact.get("org"))
    if org:
        company = ";".join(_escape(json_text(org.get(k))) for k in ("company", "department"))
        lines.append("ORG:" + company.rstrip(";"))
        if json_text(org.get("title")):
            lines.append("TITLE:" + _escape(json_text(org.get("title"))))
    for phone in json_objects(contact.get("phones")):
        kind = json_text(phone.get("type")).upper()
        params = (f";TYPE={kind}" if kind else "") + (
            f";waid={phone['wa_id']}" if json_text(phone.get("wa_id")) else ""
        )
        lines.append(f"TEL{params}:{_escape(json_text(phone.get('phone')))}")
    for email in json_objects(contact.get("emails")):
        kind = json_text(email.get("type")).upper()
        address_text = _escape(json_text(email.get("email")))
        lines.append(f"EMAIL{f';TYPE={kind}' if kind else ''}:{address_text}")
    for address in json_objects(contact.get("addresses")):
        kind = json_text(address.get("type")).upper()
        keys = ("street", "city", "state", "zip", "country")
        value = ";;" + ";".join(_escape(json_text(address.get(k))) for k in keys)
        lines.append(f"ADR{f';TYPE={kind}' if kind else ''}:{value}")
    for url in json_objects(contact.get("urls")):
        lines.append("URL:" + _escape(json_text(url.get("url"))))
    if json_text(contact.get("birthday")):
        lines.append("BDAY:" + _escape(json_text(contact.get("birthday"))))
    lines.append("END:VCARD")
    return "\n".join(lines)


def _interactive(body: JsonObject) -> Content:
    kind = json_text(body.get("type"))
    reply = json_object(body.get(kind))
    if kind in ("button_reply", "list_reply"):
        title = json_text(reply.get("title"))
        choice = json_text(reply.get("id"))
        text = _("Chose: %(title)s (id: %(id)s)") % {"title": title, "id": choice}
        if json_text(reply.get("description")):
            text += "\n" + json_text(reply.get("description"))
        return Content(text, first_line(title))
    if kind == "nfm_reply":
        answers = json_text(reply.get("response_json"))
        with contextlib.suppress(ValueError):
            answers = json.dumps(json.loads(answers), indent=2, ensure_ascii=False)
        title = json_text(reply.get("body")) or json_text(reply.get("name"))
        return Content(_("Form answers (%(title)s):") % {"title": title} + "\n" + answers, "")
    if kind == "call_permission_reply":
        return Content(
            _("Answered a call permission request: %(response)s")
            % {"response": json_text(reply.get("response"))},
            "",
        )
    return Content(_("Interactive reply (%(type)s):") % {"type": kind} + "\n" + _dump(reply), "")


def _reaction(body: JsonObject) -> Content:
    target = json_text(body.get("message_id"))
    emoji = json_text(body.get("emoji"))
    if emoji:
        text = _("Reacted %(emoji)s to message %(id)s.") % {"emoji": emoji, "id": target}
    else:
        text = _("Removed their reaction to message %(id)s.") % {"id": target}
    return Content(text, "", follow_up=True)


def _order(body: JsonObject) -> str:
    lines = [_("Order from catalogue %(id)s:") % {"id": json_text(body.get("catalog_id"))}]
    for item in json_objects(body.get("product_items")):
        lines.append(
            f"- {json_text(item.get('quantity'))} × {json_text(item.get('product_retailer_id'))}"
            f" @ {json_text(item.get('item_price'))} {json_text(item.get('currency'))}"
        )
    if json_text(body.get("text")):
        lines.append(json_text(body.get("text")))
    return "\n".join(lines)


def _unsupported(kind: str, data: JsonObject, errors: tuple[GraphError, ...]) -> Content:
    """A type WhatsApp could not deliver (``unsupported``), a known type whose content
    is missing, or a type this module does not know: say so in the article, with
    WhatsApp's errors; the JSON is kept on the inbound record."""
    inner = json_text(json_object(data.get("unsupported")).get("type"))
    if kind in KNOWN_KINDS:
        text = _("A WhatsApp %(type)s message arrived without its content.") % {"type": kind}
    elif kind == "unsupported":
        text = _("WhatsApp could not deliver this message: its type (%(type)s) is not supported.")
        text %= {"type": inner or _("unknown")}
    else:
        text = _("A WhatsApp message of a type Pintu does not read yet (%(type)s).") % {
            "type": kind
        }
    details = [e.describe() for e in errors if e.describe()]
    if details:
        text += "\n" + "\n".join(details)
    return Content(text, "")


def _context_notes(data: JsonObject) -> list[str]:
    context = json_object(data.get("context"))
    notes = []
    if context.get("frequently_forwarded"):
        notes.append(_("(forwarded many times)"))
    elif context.get("forwarded"):
        notes.append(_("(forwarded)"))
    referral = json_object(data.get("referral"))
    if referral:
        found = (json_text(referral.get(k)) for k in ("headline", "source_url"))
        source = " · ".join(part for part in found if part)
        notes.append(_("(came from an advertisement or post: %(source)s)") % {"source": source})
    return notes


def first_line(text: str) -> str:
    for line in text.splitlines():
        if line.strip():
            line = " ".join(line.split())
            return line if len(line) <= SUBJECT_LENGTH else line[: SUBJECT_LENGTH - 1] + "…"
    return ""


# ---------------------------------------------------------------- helpers


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _dump(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _is_number(item: Any) -> bool:
    return isinstance(item, int | float) and not isinstance(item, bool)
