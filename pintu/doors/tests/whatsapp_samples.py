"""WhatsApp webhook bodies for tests and the benchmark, in the Cloud API's shape, and the
shared corpus of real samples (read in place, never copied into the repository)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from pintu.doors.whatsapp.signature import HEADER, sign

APP_SECRET = "rahasia-aplikasi-uji"
VERIFY_TOKEN = "token-verifikasi-uji"
BUSINESS_NUMBER = "6285100001111"
PHONE_NUMBER_ID = "106540352242922"

# ../shared/corpora/whatsapp beside the project: samples/ (one case per file), the
# pywa originals and the signature test vector.
CORPUS = Path(__file__).resolve().parents[3].parent / "shared" / "corpora" / "whatsapp"


def message(
    message_id: str,
    sender: str,
    *,
    kind: str = "text",
    at: datetime | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A message object; ``text="..."`` is short for ``text={"body": "..."}``."""
    data: dict[str, Any] = {
        "from": sender,
        "id": message_id,
        "timestamp": str(int(at.timestamp())) if at else "1767225600",
        "type": kind,
    }
    for key, value in fields.items():
        data[key] = {"body": value} if key == "text" and isinstance(value, str) else value
    return data


def status(message_id: str, state: str, recipient: str, **fields: Any) -> dict[str, Any]:
    return {
        "id": message_id,
        "status": state,
        "timestamp": "1767225600",
        "recipient_id": recipient,
        **fields,
    }


def webhook(
    *messages: dict[str, Any],
    statuses: tuple[dict[str, Any], ...] = (),
    names: dict[str, str] | None = None,
) -> bytes:
    """A whole notification body with one ``messages`` change."""
    senders = dict.fromkeys(m["from"] for m in messages)
    value: dict[str, Any] = {
        "messaging_product": "whatsapp",
        "metadata": {"display_phone_number": BUSINESS_NUMBER, "phone_number_id": PHONE_NUMBER_ID},
    }
    if senders:
        value["contacts"] = [
            {"profile": {"name": (names or {}).get(s, f"Pengirim {s[-4:]}")}, "wa_id": s}
            for s in senders
        ]
        value["messages"] = list(messages)
    if statuses:
        value["statuses"] = list(statuses)
    document = {
        "object": "whatsapp_business_account",
        "entry": [{"id": "102290129340398", "changes": [{"value": value, "field": "messages"}]}],
    }
    return json.dumps(document, ensure_ascii=False).encode()


def signed_headers(body: bytes, secret: str = APP_SECRET) -> dict[str, str]:
    """Headers for ``Client.post(..., headers=...)``."""
    return {HEADER: sign(body, secret)}


def post(client: Any, body: bytes, secret: str = APP_SECRET) -> Any:
    return client.post(
        "/webhooks/whatsapp",
        data=body,
        content_type="application/json",
        headers=signed_headers(body, secret),
    )


def corpus_bodies() -> list[Path]:
    """Every webhook body of the corpus: the split samples and pywa's originals (each of
    those a JSON object of cases, which must be taken as a body without harm too)."""
    folders = ("samples", "pywa-tests-data-updates")
    return sorted(p for folder in folders for p in (CORPUS / folder).glob("*.json"))


def batch(
    bodies: int,
    *,
    per_body: int = 1,
    senders: int = 40,
    tag: str = "batch",
    at: datetime | None = None,
    numbers: str = "62812",
) -> list[bytes]:
    """``bodies`` notifications of ``per_body`` texts each, from ``senders`` numbers
    (``numbers`` and seven digits) in turn: the first message of each number opens a
    request, the others continue it. Every 25th body carries a type Pintu does not read,
    between two texts."""
    documents = []
    for i in range(bodies):
        sender = f"{numbers}{i % senders:07d}"
        items = []
        for j in range(per_body):
            message_id = f"wamid.{tag}-{i}-{j}"
            if i % 25 == 0 and j == 1:
                items.append(message(message_id, sender, kind="poll", poll={"q": "?"}, at=at))
            else:
                items.append(message(message_id, sender, text=f"Pesan {i}.{j}", at=at))
        documents.append(webhook(*items))
    return documents
