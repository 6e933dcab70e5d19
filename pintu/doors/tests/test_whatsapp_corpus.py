"""Every WhatsApp Cloud API sample in ../shared/corpora/whatsapp is accepted with its
signature and processed without a crash, each on its own (many samples share one message
id). ``pytest -s`` prints what became of each file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from pintu.desk.tests.files import content_of
from pintu.doors.models import InboundMessage, WebhookDelivery
from pintu.doors.tests.graph_server import GraphApi, graph_api
from pintu.doors.tests.whatsapp_samples import APP_SECRET, CORPUS, corpus_bodies, post
from pintu.doors.whatsapp.content import MEDIA_KINDS
from pintu.doors.whatsapp.ingest import ingest
from pintu.outbox.models import OutboxItem

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"the WhatsApp corpus {CORPUS} is absent"),
]

SENDER = "972987654321"
OUR_MESSAGE = "wamid.xyzxyz"  # what the status samples report on
PDF = "application/pdf"
PHOTO = b"\xff\xd8\xff\xe0\x00\x10JFIF sample photo 65463453\xff\xd9"


@dataclass
class Result:
    status_code: int
    delivery_error: str
    outcomes: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)
    attachments: list[tuple[str, str, bytes]] = field(default_factory=list)
    our_message: str = ""  # the status of our outbound wamid.xyzxyz afterwards

    def row(self) -> str:
        outcomes = ",".join(self.outcomes) or "-"
        return (
            f"{outcomes:<24} {len(self.articles):>3} {len(self.attachments):>4}  {self.our_message}"
        )


@pytest.fixture
def graph(settings: Any, tmp_path: Path, sops: None) -> Iterator[GraphApi]:
    settings.MEDIA_ROOT = tmp_path
    settings.PINTU_WHATSAPP_APP_SECRET = APP_SECRET
    settings.PINTU_WHATSAPP_UNIT = "UPT-SI"
    with graph_api() as server:
        server.configure(settings)
        # The samples reuse one media id for a document, a voice note and a sticker: it
        # is served as the document (the others' files are then refused as not what
        # their message says, and noted on the article).
        served: set[str] = set()
        for media_id, mime in sorted(media_in_corpus(), key=lambda m: (m[0], m[1] != PDF)):
            if media_id not in served:
                served.add(media_id)
                data = PHOTO if media_id == "65463453" else content_of(mime)
                server.add_media(media_id, data, mime)
        yield server


def media_in_corpus() -> set[tuple[str, str]]:
    """Every (media id, type) a sample refers to, so that the Graph API can serve it."""
    found = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in MEDIA_KINDS and isinstance(value, dict) and value.get("id"):
                    found.add((str(value["id"]), str(value.get("mime_type", "image/jpeg"))))
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in corpus_bodies():
        walk(json.loads(path.read_bytes()))
    return found


def process(client: Client, body: bytes) -> Result:
    """POST one body and run the worker's ingestion, inside a savepoint rolled back
    afterwards so that the next file starts from the same state."""
    with transaction.atomic():
        ours = OutboxItem.objects.create(
            transport="whatsapp",
            purpose="reply",
            recipient=SENDER,
            body_text="Balasan kami",
            status=OutboxItem.Status.SENT,
            external_id=OUR_MESSAGE,
        )
        response = post(client, body)
        assert ingest().finished
        delivery = WebhookDelivery.objects.get()
        assert delivery.processed_at is not None
        rows = InboundMessage.objects.order_by("id").select_related("article")
        result = Result(response.status_code, delivery.error)
        for row in rows:
            result.outcomes.append(row.outcome)
            if row.article is not None:
                result.articles.append(row.article.body)
                for a in row.article.attachments.all():
                    result.attachments.append((a.filename, a.content_type, a.file.read()))
        ours.refresh_from_db()
        result.our_message = ours.status
        transaction.set_rollback(True)
    return result


def test_every_corpus_body_is_accepted_and_processed(graph: GraphApi, client: Client) -> None:
    results = {path.relative_to(CORPUS).as_posix(): process(client, path.read_bytes())
               for path in corpus_bodies()}  # fmt: skip
    print(f"\n{'file':<60} {'outcomes':<24} art. att.  our reply")
    for name, result in results.items():
        print(f"{name:<60} {result.row()}")

    assert len(results) >= 93
    for name, result in results.items():
        assert result.status_code == 200, name
        assert result.delivery_error == "", name
        assert "pending" not in result.outcomes, name

    def one(name: str) -> Result:
        return results[f"samples/{name}.json"]

    text = one("message__text")
    assert (text.outcomes, text.articles) == (["created"], ["Body Text"])

    image = one("message__image")
    assert image.outcomes == ["created"]
    assert image.attachments == [("whatsapp-image-65463453.jpg", "image/jpeg", PHOTO)]
    assert one("message__media_with_url").attachments == image.attachments
    document = one("message__document")
    assert document.attachments[0][:2] == ("filename.pdf", "application/pdf")
    assert document.articles[0].startswith("caption\n\n[")

    chosen, current = one("message__chosen_location"), one("message__current_location")
    assert chosen.articles[0].splitlines()[1:4] == [
        "Facebook HQ",
        "1 Hacker Way, Menlo Park, CA 94025",
        "37.4611978, -122.2164385",
    ]
    assert "mlat=12.25089&mlon=43.90539" in current.articles[0]

    (cards,) = one("message__contacts").articles
    assert cards.count("BEGIN:VCARD") == 3
    assert (
        "FN:Chandler Bing" in cards and "TEL;TYPE=CELL;waid=972987654321:+1 555-555-5555" in cards
    )

    assert "title (id: callback_data)" in one("callback_button__button").articles[0]
    assert "description" in one("callback_selection__description").articles[0]
    assert "title" in one("callback_button__quick_reply").articles[0]
    assert '"comment_text": "Comment Text"' in one("flow_completion__completion").articles[0]

    # Reactions only join an open request; alone they are recorded and open none.
    for name in ("message__reaction", "message__unreaction_empty", "system__identity_change"):
        assert (one(name).outcomes, one(name).articles) == (["ignored"], []), name

    (unsupported,) = one("message__unsupported_with_type").articles
    assert "(pool)" in unsupported and "131051" in unsupported
    (broken,) = one("message__interactive_message_with_err").articles
    assert "interactive" in broken and "131000" in broken
    assert "HAMBURGER" in one("message__order").articles[0]
    assert "AD_TITLE" in one("message__referral").articles[0]

    # A documentation placeholder where the sender's number belongs cannot be filed.
    assert one("deleted_message__revoke").outcomes == ["quarantined"]

    statuses = {
        "message_status__sent": "sent",
        "message_status__delivered": "delivered",
        "message_status__read": "read",
        "message_status__played": "read",
        "message_status__failed": "dead",
        "message_status__group": "sent",  # about another message
    }
    for name, expected in statuses.items():
        assert (one(name).outcomes, one(name).our_message) == ([], expected), name

    for name in ("account_update__account_deleted", "call_connect__user_initiated",
                 "template_status_update__rejected", "outgoing_message__text"):  # fmt: skip
        assert one(name).outcomes == [], name
