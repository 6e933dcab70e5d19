"""WhatsApp out: free-form text inside the 24-hour customer-service window, the approved
template outside it, as the local Graph API receives them; retries and dead letters."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from pintu.conftest import Personas
from pintu.desk import services as desk
from pintu.desk.channels import CUSTOMER_SERVICE_WINDOW, Mode, reply_channel
from pintu.desk.models import Ticket
from pintu.doors.models import InboundMessage
from pintu.doors.tests.graph_server import GraphApi, graph_api, server_error
from pintu.doors.tests.smtp_peer import closed_port
from pintu.doors.tests.whatsapp_samples import message, status, webhook
from pintu.doors.whatsapp.ingest import ingest
from pintu.doors.whatsapp.services import webhook_receive
from pintu.outbox.delivery import deliver_due
from pintu.outbox.models import OutboxItem, of_source

pytestmark = pytest.mark.django_db
Status = OutboxItem.Status
SITI = "6281234567890"
REPLY = "Akun SIAKAD Anda sudah kami reset.\n\nSilakan masuk dengan NIM."


@pytest.fixture
def graph(settings: Any, tmp_path: Any, sops: None) -> Iterator[GraphApi]:
    settings.MEDIA_ROOT = tmp_path
    settings.PINTU_WHATSAPP_UNIT = "UPT-SI"
    settings.PINTU_WHATSAPP_TEMPLATE = "balasan_layanan"
    settings.PINTU_WHATSAPP_TEMPLATE_LANGUAGE = "id"
    with graph_api() as server:
        server.configure(settings)
        yield server


def request_from(number: str, at: datetime) -> Ticket:
    """A request that arrived by WhatsApp at ``at``, acknowledgement already sent."""
    webhook_receive(
        body=webhook(message(f"wamid.in-{at.timestamp()}", number, text="Lupa sandi", at=at))
    )
    ingest()
    ticket = InboundMessage.objects.latest("id").ticket
    assert ticket is not None
    OutboxItem.objects.filter(ticket=ticket).update(status=Status.SENT)
    return ticket


def reply(ticket: Ticket, personas: Personas, body: str = REPLY) -> OutboxItem:
    article = desk.ticket_reply(actor=personas.staff, ticket=ticket, body=body)
    return OutboxItem.objects.get(of_source(article))


def deliver(outbound: OutboxItem, now: datetime | None = None) -> OutboxItem:
    deliver_due(now or timezone.now())
    outbound.refresh_from_db()
    return outbound


def test_a_reply_inside_the_window_is_free_form_text(graph: GraphApi, personas: Personas) -> None:
    ticket = request_from(SITI, timezone.now() - timedelta(hours=2))
    assert reply_channel(ticket, timezone.now()).mode == Mode.WHATSAPP_TEXT
    sent = deliver(reply(ticket, personas))
    (request,) = graph.requests
    assert request.path == "/v21.0/106540352242922/messages"
    assert request.headers["Authorization"] == "Bearer graph-test-token"
    assert request.headers["Content-Type"] == "application/json"
    assert request.json == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": SITI,
        "type": "text",
        "text": {"preview_url": False, "body": REPLY},
    }
    assert sent.status == Status.SENT and sent.external_id.startswith("wamid.")


def test_a_reply_outside_the_window_uses_the_template(graph: GraphApi, personas: Personas) -> None:
    ticket = request_from(SITI, timezone.now() - timedelta(hours=30))
    graph.close_window(SITI)  # Meta would refuse free-form text (131047)
    assert reply_channel(ticket, timezone.now()).mode == Mode.WHATSAPP_TEMPLATE
    sent = deliver(reply(ticket, personas))
    (request,) = graph.sends
    assert request == {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": SITI,
        "type": "template",
        "template": {
            "name": "balasan_layanan",
            "language": {"code": "id"},
            "components": [
                {
                    "type": "body",
                    "parameters": [
                        {
                            "type": "text",
                            "text": "Akun SIAKAD Anda sudah kami reset. Silakan masuk dengan NIM.",
                        }
                    ],
                }
            ],
        },
    }
    assert sent.status == Status.SENT


def test_the_window_closes_24_hours_after_the_last_message_from_that_number(
    graph: GraphApi,
) -> None:
    arrived = timezone.now() - timedelta(hours=1)
    ticket = request_from(SITI, arrived)
    assert (
        reply_channel(ticket, arrived + CUSTOMER_SERVICE_WINDOW - timedelta(seconds=1)).mode
        == Mode.WHATSAPP_TEXT
    )
    assert reply_channel(ticket, arrived + CUSTOMER_SERVICE_WINDOW).mode == Mode.WHATSAPP_TEMPLATE


def test_a_server_error_is_retried_and_then_delivered(graph: GraphApi, personas: Personas) -> None:
    ticket = request_from(SITI, timezone.now())
    graph.fail_next(server_error())
    outbound = deliver(reply(ticket, personas))
    assert (outbound.status, outbound.attempts) == (Status.FAILED, 1)
    assert "An unknown error has occurred" in outbound.last_error
    assert outbound.next_attempt_at > timezone.now()
    outbound = deliver(outbound, now=outbound.next_attempt_at)
    assert (outbound.status, outbound.attempts) == (Status.SENT, 2)
    assert len(graph.sends) == 2


def test_an_unreachable_graph_api_is_retried(
    graph: GraphApi, personas: Personas, settings: Any
) -> None:
    ticket = request_from(SITI, timezone.now())
    settings.PINTU_WHATSAPP_GRAPH_URL = f"http://127.0.0.1:{closed_port()}/v21.0"
    outbound = deliver(reply(ticket, personas))
    assert outbound.status == Status.FAILED and "unreachable" in outbound.last_error


def test_a_refusal_by_whatsapp_is_a_dead_letter_with_its_reason(
    graph: GraphApi, personas: Personas
) -> None:
    ticket = request_from(SITI, timezone.now())
    graph.close_window(SITI)  # Meta thinks otherwise than we do: 131047
    outbound = deliver(reply(ticket, personas))
    assert outbound.status == Status.DEAD
    assert outbound.last_error.startswith("(#131047) Re-engagement message: Message failed")


def test_a_recipient_that_is_no_number_is_a_dead_letter_without_a_call(
    graph: GraphApi, personas: Personas
) -> None:
    ticket = request_from(SITI, timezone.now())
    outbound = reply(ticket, personas)
    OutboxItem.objects.filter(pk=outbound.pk).update(recipient="siti@example.ac.id")
    assert deliver(outbound).status == Status.DEAD
    assert not graph.sends


def test_status_callbacks_move_our_message_forward_and_report_failures(
    graph: GraphApi, personas: Personas
) -> None:
    ticket = request_from(SITI, timezone.now())
    outbound = deliver(reply(ticket, personas))
    wamid = outbound.external_id
    for state, expected in [
        ("delivered", Status.DELIVERED),
        ("sent", Status.DELIVERED),  # late and out of order: never backwards
        ("read", Status.READ),
    ]:
        webhook_receive(body=webhook(statuses=(status(wamid, state, SITI),)))
        ingest()
        outbound.refresh_from_db()
        assert outbound.status == expected

    other = deliver(reply(ticket, personas, "Satu lagi"))
    failure = {
        "errors": [
            {
                "code": 131026,
                "title": "Message undeliverable",
                "error_data": {"details": "Receiver is incapable of receiving this message"},
            }
        ]
    }
    webhook_receive(body=webhook(statuses=(status(other.external_id, "failed", SITI, **failure),)))
    ingest()
    other.refresh_from_db()
    assert other.status == Status.DEAD
    assert other.last_error == (
        "131026 Message undeliverable: Receiver is incapable of receiving this message"
    )
