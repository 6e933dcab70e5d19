"""The MIME plumbing under the mail reader: parsing bytes leniently, reading a part's
type and disposition that may be unreadable, uuencoded bodies, safe file names, writing
a message back out, and Message-IDs.

Pure (stdlib ``email``; no ORM, no clock). Each helper falls back instead of failing,
as real mail needs (see ``pintu.doors.email.parse``).
"""

from __future__ import annotations

import binascii
import email
import io
import mimetypes
import re
from email import policy
from email.generator import BytesGenerator
from email.message import EmailMessage, Message
from email.parser import BytesParser
from typing import cast

from pintu.doors.email.charsets import has_surrogates

ANGLED = re.compile(r"<([^<>]+)>")
FOLD = re.compile(r"\r?\n(?=[ \t])")

EXTENSIONS = {
    "text/plain": ".txt",
    "text/html": ".html",
    "text/calendar": ".ics",
    "text/rfc822-headers": ".txt",
    "message/delivery-status": ".txt",
    "message/rfc822": ".eml",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "application/pdf": ".pdf",
    "application/pgp-signature": ".asc",
    "application/pgp-encrypted": ".asc",
    "application/pgp-keys": ".asc",
    "application/pkcs7-signature": ".p7s",
    "application/x-pkcs7-signature": ".p7s",
    "application/pkcs7-mime": ".p7m",
    "application/x-pkcs7-mime": ".p7m",
    "application/octet-stream": ".bin",
}

# Written back byte for byte where possible: no refolding of the headers we read.
KEEP = policy.default.clone(refold_source="none")


def one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def parse_message(raw: bytes) -> Message:
    """``policy.default`` where it can; the parser itself may stumble on a damaged header
    it consults (an RFC 2231 parameter in a broken charset), and then the lenient
    ``compat32`` reading, which never interprets a header, is used instead."""
    try:
        return email.message_from_bytes(raw, policy=policy.default)
    except Exception:  # a header the modern policy cannot even read while parsing
        return email.message_from_bytes(raw, policy=policy.compat32)


def content_type(part: Message) -> str:
    try:
        return part.get_content_type()
    except Exception:  # an unreadable Content-Type: the part is kept as opaque bytes
        return "application/octet-stream"


def disposition(part: Message) -> str | None:
    try:
        return part.get_content_disposition()
    except Exception:  # an unreadable Content-Disposition is none
        return None


def uu_bytes(lines: list[str]) -> bytes | None:
    out = bytearray()
    for line in lines:
        line = line.rstrip("\r")
        if not line:
            continue
        try:
            out += binascii.a2b_uu(line)
        except (binascii.Error, ValueError):
            # Encoders that pad lines differently: decode the length the line declares.
            length = (((ord(line[0]) - 32) & 63) * 4 + 5) // 3
            try:
                out += binascii.a2b_uu(line[:length])
            except (binascii.Error, ValueError):
                return None
    return bytes(out)


def generated_name(ctype: str, number: int) -> str:
    extension = EXTENSIONS.get(ctype) or mimetypes.guess_extension(ctype, strict=False) or ".bin"
    stem = "image" if ctype.startswith("image/") else "attachment"
    return f"{stem}-{number}{extension}"


def safe_filename(name: str) -> str:
    """A file name without folders, control characters or hidden-file dots, at most 150
    characters (keeping the extension); "" when nothing usable is left."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"\s", " ", name)
    name = "".join(ch for ch in name if ch.isprintable() and not has_surrogates(ch))
    name = one_line(name).strip(". ")
    if len(name) > 150:
        stem, dot, extension = name.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            name = f"{stem[: 149 - len(extension)]}.{extension}"
        else:
            name = name[:150]
    return name if re.search(r"\w", name) else ""


def message_bytes(msg: Message) -> bytes:
    """A parsed message written back out, its headers as they came."""
    buffer = io.BytesIO()
    try:
        BytesGenerator(buffer, mangle_from_=False, policy=KEEP).flatten(cast(EmailMessage, msg))
    except Exception:  # a message too damaged to write out whole
        payload = msg.get_payload()
        return payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else b""
    return buffer.getvalue()


def message_ids(value: str) -> list[str]:
    """The Message-IDs in a Message-ID, In-Reply-To or References value, without <>."""
    found = [re.sub(r"\s+", "", m) for m in ANGLED.findall(value)]
    if not found:
        found = [token.strip("<>") for token in value.split() if "@" in token]
    return [m for m in found if m]


def message_id_of(raw: bytes) -> str:
    """The Message-ID of raw bytes, read from the headers alone ("" when none)."""
    headers: Message
    try:
        headers = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    except Exception:  # as in parse_message: the lenient reading never interprets
        headers = BytesParser(policy=policy.compat32).parsebytes(raw, headersonly=True)
    values = [str(v) for k, v in headers.raw_items() if k.lower() == "message-id"]
    found = message_ids(FOLD.sub("", values[0])) if values else []
    return found[0] if found and not has_surrogates(found[0]) else ""
