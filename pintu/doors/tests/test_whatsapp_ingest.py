"""WhatsApp in: stored bodies become requests and articles, once, with their files
fetched from a local Graph API; a message that fails never holds up the ones after it."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from pintu.conftest import Personas, make_user
from pintu.core.models import AuditEvent
from pintu.desk import services as desk
from pintu.desk.models import Article, Door, Status, Ticket
from pintu.doors.models import InboundMessage, WebhookDelivery
from pintu.doors.tests.graph_server import GraphApi, graph_api
from pintu.doors.tests.smtp_peer import closed_port
from pintu.doors.tests.whatsapp_samples import APP_SECRET, message, post, webhook
from pintu.doors.whatsapp.ingest import (
    MEDIA_RETRY_AFTER,
    Reason,
    ingest,
    pending,
    process,
    retry_media_one,
    unpack,
)
from pintu.doors.whatsapp.services import inbound_requeue, webhook_receive
from pintu.org.models import Role, Unit
from pintu.outbox.models import OutboxItem

Outcome = InboundMessage.Outcome
SITI = "6281234567890"
BUDI = "6289876543210"


@pytest.fixture
def graph(settings: Any) -> Iterator[GraphApi]:
    with graph_api() as server:
        server.configure(settings)
        yield server


@pytest.fixture
def whatsapp(settings: Any, tmp_path: Any, sops: None, graph: GraphApi) -> GraphApi:
    settings.MEDIA_ROOT = tmp_path
    settings.PINTU_WHATSAPP_APP_SECRET = APP_SECRET
    settings.PINTU_WHATSAPP_UNIT = "UPT-SI"
    return graph


def receive(*messages: dict[str, Any], **options: Any) -> None:
    webhook_receive(body=webhook(*messages, **options))
    run = ingest()
    assert run.finished


def inbound(message_id: str) -> InboundMessage:
    return InboundMessage.objects.get(dedupe_key=f"whatsapp:{message_id}")


pytestmark = pytest.mark.django_db


def test_a_text_from_a_new_number_opens_a_request_of_the_whatsapp_unit(
    whatsapp: GraphApi,
) -> None:
    sent_at = timezone.now().replace(microsecond=0) - timedelta(minutes=3)
    receive(
        message("wamid.S1", SITI, text="Tidak bisa login SIAKAD\nNIM 2201001", at=sent_at),
        names={SITI: "Siti Aminah"},
    )
    row = inbound("wamid.S1")
    assert (row.outcome, row.reason, row.error) == (Outcome.CREATED, "", "")
    ticket = row.ticket
    assert ticket.unit.code == "UPT-SI" and ticket.door == Door.WHATSAPP
    assert ticket.subject == "Tidak bisa login SIAKAD"
    assert ticket.contact.phone == SITI and ticket.contact.name == "Siti Aminah"
    assert ticket.received_at == sent_at  # the clock starts when WhatsApp received it
    assert row.article.body == "Tidak bisa login SIAKAD\nNIM 2201001"
    assert row.article.external_id == "wamid.S1"
    assert WebhookDelivery.objects.get().processed_at is not None
    ack = OutboxItem.objects.get(ticket=ticket)
    assert (ack.transport, ack.purpose, ack.recipient) == ("whatsapp", "ack", SITI)


def test_a_known_person_is_matched_by_number(whatsapp: GraphApi) -> None:
    person = make_user("dosen-budi", Role.REQUESTER, "TRPL")
    person.phone = BUDI
    person.save(update_fields=["phone"])
    receive(
        message("wamid.B1", BUDI, kind="sticker", sticker={"id": "x", "mime_type": "image/webp"})
    )
    ticket = inbound("wamid.B1").ticket
    assert ticket.requester == person and ticket.contact.user == person
    # "WhatsApp from <profile name>", in the installation's language.
    assert ticket.subject.startswith("WhatsApp ") and ticket.subject.endswith(" Pengirim 3210")


def test_a_number_with_an_open_request_continues_it_and_others_open_their_own(
    whatsapp: GraphApi,
) -> None:
    receive(message("wamid.S1", SITI, text="Printer lab mati"))
    receive(message("wamid.S2", SITI, text="Lab D201"), message("wamid.B1", BUDI, text="Wi-Fi"))
    first = inbound("wamid.S1").ticket
    assert inbound("wamid.S2").outcome == Outcome.APPENDED
    assert inbound("wamid.S2").ticket == first
    assert inbound("wamid.B1").outcome == Outcome.CREATED
    assert list(first.articles.filter(kind="inbound").values_list("body", flat=True)) == [
        "Printer lab mati",
        "Lab D201",
    ]


def test_a_closed_request_is_not_continued(whatsapp: GraphApi, personas: Personas) -> None:
    receive(message("wamid.S1", SITI, text="Printer lab mati"))
    first = inbound("wamid.S1").ticket
    assert first is not None
    desk.ticket_set_status(actor=personas.staff, ticket=first, status=Status.CLOSED)
    receive(message("wamid.S2", SITI, text="Printer lain juga mati"))
    assert inbound("wamid.S2").outcome == Outcome.CREATED
    assert inbound("wamid.S2").ticket != first


def test_meta_redelivering_a_body_adds_nothing(whatsapp: GraphApi) -> None:
    body = webhook(message("wamid.S1", SITI, text="Halo"), message("wamid.S2", SITI, text="Lagi"))
    webhook_receive(body=body)
    webhook_receive(body=body)  # both unpacked in one go
    ingest()
    webhook_receive(body=body)  # and once more, later
    ingest()
    assert WebhookDelivery.objects.filter(processed_at__isnull=False).count() == 3
    assert InboundMessage.objects.count() == 2
    assert Ticket.objects.count() == 1
    assert Article.objects.filter(kind="inbound").count() == 2


def test_an_unknown_type_between_two_texts_does_not_block_the_second(whatsapp: GraphApi) -> None:
    receive(
        message("wamid.1", SITI, text="Pertama"),
        message("wamid.2", SITI, kind="poll", poll={"question": "Kapan?"}),
        message("wamid.3", SITI, text="Ketiga"),
    )
    assert [inbound(f"wamid.{n}").outcome for n in (1, 2, 3)] == [
        Outcome.CREATED,
        Outcome.APPENDED,
        Outcome.APPENDED,
    ]
    unknown = inbound("wamid.2")
    assert "poll" in unknown.article.body
    assert b'"question":"Kapan?"' in bytes(unknown.raw)  # its JSON is kept as it came


def test_a_message_that_fails_is_quarantined_and_the_next_goes_on(whatsapp: GraphApi) -> None:
    receive(
        message("wamid.1", SITI, text="Pertama"),
        message("wamid.2", "<WHATSAPP_USER_PHONE_NUMBER>", text="dari contoh dokumentasi"),
        message("wamid.3", SITI, text="Ketiga"),
    )
    failed = inbound("wamid.2")
    assert failed.outcome == Outcome.QUARANTINED
    assert "is not a WhatsApp number" in failed.error
    assert inbound("wamid.3").outcome == Outcome.APPENDED


def test_a_quarantined_message_is_processed_again_after_the_fix(
    whatsapp: GraphApi, settings: Any, personas: Personas
) -> None:
    settings.PINTU_WHATSAPP_UNIT = "TIDAK-ADA"
    receive(message("wamid.1", SITI, text="Halo"))
    row = inbound("wamid.1")
    assert row.outcome == Outcome.QUARANTINED and "TIDAK-ADA" in row.error
    settings.PINTU_WHATSAPP_UNIT = "UPT-SI"
    with pytest.raises(PermissionDenied):
        inbound_requeue(actor=personas.staff, inbound=row)
    inbound_requeue(actor=personas.admin, inbound=row)
    assert AuditEvent.objects.filter(action="inbound.retry", object_id=str(row.pk)).exists()
    ingest()
    row.refresh_from_db()
    assert (row.outcome, row.error) == (Outcome.CREATED, "")
    with pytest.raises(ValidationError):
        inbound_requeue(actor=personas.admin, inbound=row)


def test_a_message_another_worker_filed_meanwhile_is_not_filed_again(whatsapp: GraphApi) -> None:
    webhook_receive(body=webhook(message("wamid.1", SITI, text="Halo")))
    unpack()
    (mine,), (theirs,) = pending(10), pending(10)  # two workers read the same row
    unit = Unit.objects.get(code="UPT-SI")
    assert process(theirs, unit=unit).outcome == Outcome.CREATED
    assert process(mine, unit=unit).outcome == Outcome.CREATED  # as the other left it
    assert Article.objects.filter(kind="inbound").count() == 1
    assert Ticket.objects.count() == 1


def test_a_worker_that_finds_the_message_filed_does_not_file_it_over_again(
    whatsapp: GraphApi, django_assert_max_num_queries: Any
) -> None:
    # Three workers read the same oldest messages; filing one only for the claim to undo
    # it cost each of them the whole work of the others (issue #15's three workers).
    webhook_receive(body=webhook(message("wamid.1", SITI, text="Halo")))
    unpack()
    (mine,), (theirs,) = pending(10), pending(10)
    unit = Unit.objects.get(code="UPT-SI")
    process(theirs, unit=unit)
    # The savepoint, the sender's lock, the look at the row, the rollback, the reread:
    # no contact, no request, no article, no acknowledgement.
    with django_assert_max_num_queries(5):
        assert process(mine, unit=unit).outcome == Outcome.CREATED


@pytest.mark.django_db(transaction=True)
def test_a_message_another_worker_is_filing_is_left_to_it_and_its_senders_next_waits(
    whatsapp: GraphApi,
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks skipped by other workers: PostgreSQL only (CI runs it)")
    webhook_receive(
        body=webhook(
            message("wamid.1", SITI, text="Satu"),
            message("wamid.2", SITI, text="Dua"),
            message("wamid.3", BUDI, text="Tiga"),
        )
    )
    unpack()
    locked, release = threading.Event(), threading.Event()

    def other_worker() -> None:  # holds SITI's first message as a worker filing it would
        try:
            with transaction.atomic():
                InboundMessage.objects.select_for_update().get(pk=inbound("wamid.1").pk)
                locked.set()
                release.wait(30)
        finally:
            connection.close()

    holder = threading.Thread(target=other_worker)
    holder.start()
    try:
        assert locked.wait(30)
        assert ingest().finished  # does what it can, without waiting for the other
        assert [inbound(f"wamid.{n}").outcome for n in (1, 2, 3)] == [
            Outcome.PENDING,
            Outcome.PENDING,  # not before SITI's first
            Outcome.CREATED,
        ]
    finally:
        release.set()
        holder.join(30)
    ingest()
    assert [inbound(f"wamid.{n}").outcome for n in (1, 2)] == [Outcome.CREATED, Outcome.APPENDED]


def test_a_body_that_is_not_json_is_kept_with_its_error(whatsapp: GraphApi) -> None:
    webhook_receive(body=b"<html>proxy error</html>")
    assert ingest().finished
    delivery = WebhookDelivery.objects.get()
    assert delivery.processed_at is not None and "not JSON" in delivery.error
    assert bytes(delivery.body) == b"<html>proxy error</html>"


def test_an_image_is_downloaded_through_the_graph_api_and_attached(whatsapp: GraphApi) -> None:
    photo = b"\xff\xd8\xff\xe0 foto layar biru \xff\xd9"
    whatsapp.add_media("65463453", photo, "image/jpeg")
    receive(
        message(
            "wamid.I1",
            SITI,
            kind="image",
            image={"mime_type": "image/jpeg", "sha256": "4654+8g=", "id": "65463453",
                   "caption": "Layar biru di lab"},
        )
    )  # fmt: skip
    row = inbound("wamid.I1")
    assert (row.outcome, row.reason) == (Outcome.CREATED, "")
    assert row.ticket.subject == "Layar biru di lab"
    (attachment,) = row.article.attachments.all()
    assert attachment.filename == "whatsapp-image-65463453.jpg"
    assert attachment.content_type == "image/jpeg"
    assert attachment.file.read() == photo
    info, download = whatsapp.requests
    assert (info.method, info.path) == ("GET", "/v21.0/65463453")
    assert download.path.startswith("/whatsapp_business/attachments/?mid=65463453")
    assert download.headers["Authorization"] == "Bearer graph-test-token"


def test_a_file_the_graph_api_cannot_give_yet_is_fetched_again_later(
    whatsapp: GraphApi, settings: Any
) -> None:
    settings.PINTU_WHATSAPP_GRAPH_URL = f"http://127.0.0.1:{closed_port()}/v21.0"
    document = {"id": "777", "mime_type": "application/pdf", "filename": "KRS.pdf"}
    receive(message("wamid.D1", SITI, kind="document", document=document))
    row = inbound("wamid.D1")
    assert (row.outcome, row.reason) == (Outcome.CREATED, Reason.MEDIA_PENDING)
    assert "KRS.pdf" in row.article.body and "777" in row.article.body  # the note
    assert not row.article.attachments.exists()

    whatsapp.configure(settings)
    whatsapp.add_media("777", b"%PDF-1.4 KRS", "application/pdf")
    assert retry_media_one(now=timezone.now()) is None  # not due yet
    later = timezone.now() + MEDIA_RETRY_AFTER
    retry_media_one(now=later)
    row.refresh_from_db()
    assert (row.reason, row.error) == ("", "")
    (attachment,) = row.article.attachments.all()
    assert (attachment.filename, attachment.file.read()) == ("KRS.pdf", b"%PDF-1.4 KRS")


def test_a_file_the_attachment_rules_refuse_leaves_a_note(whatsapp: GraphApi) -> None:
    whatsapp.add_media("555", b"MZ program", "application/x-msdownload")
    program = {"id": "555", "mime_type": "application/x-msdownload", "filename": "setup.exe"}
    receive(message("wamid.V1", SITI, kind="document", document=program))
    row = inbound("wamid.V1")
    assert (row.outcome, row.reason) == (Outcome.CREATED, Reason.MEDIA_REFUSED)
    assert "setup.exe" in row.article.body and "555" in row.article.body


def test_a_file_that_no_longer_exists_at_meta_is_not_asked_for_again(whatsapp: GraphApi) -> None:
    receive(message("wamid.I1", SITI, kind="image", image={"id": "404", "mime_type": "image/png"}))
    row = inbound("wamid.I1")
    assert (row.outcome, row.reason) == (Outcome.CREATED, Reason.MEDIA_FAILED)
    assert "does not exist" in row.error


def test_a_reaction_joins_the_open_request_and_alone_opens_none(whatsapp: GraphApi) -> None:
    receive(message("wamid.R0", BUDI, kind="reaction", reaction={"message_id": "x", "emoji": "👍"}))
    alone = inbound("wamid.R0")
    assert (alone.outcome, alone.reason, alone.ticket) == (
        Outcome.IGNORED,
        Reason.NO_OPEN_REQUEST,
        None,
    )
    receive(message("wamid.S1", SITI, text="Proyektor mati"))
    reaction = {"message_id": "wamid.S1", "emoji": "😮"}
    receive(message("wamid.R1", SITI, kind="reaction", reaction=reaction))
    row = inbound("wamid.R1")
    assert row.outcome == Outcome.APPENDED and row.ticket == inbound("wamid.S1").ticket
    assert "😮" in row.article.body and "wamid.S1" in row.article.body


@pytest.mark.django_db(transaction=True)
def test_a_signed_post_is_filed_by_the_worker_and_acknowledged_through_the_graph_api(
    whatsapp: GraphApi, client: Client
) -> None:
    body = webhook(message("wamid.E1", SITI, text="Minta akun email kampus", at=timezone.now()))
    assert post(client, body).status_code == 200
    assert DBTaskResult.objects.filter(task_path__endswith="whatsapp_ingest").count() == 1
    assert not InboundMessage.objects.exists()  # nothing is read inside the request

    call_command("worker", "--batch")
    ticket = inbound("wamid.E1").ticket
    assert ticket.subject == "Minta akun email kampus"
    (ack,) = whatsapp.sends
    assert (ack["type"], ack["to"]) == ("text", SITI)
    assert ticket.reference in ack["text"]["body"]
    assert OutboxItem.objects.get(ticket=ticket).status == OutboxItem.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_bodies_queues_one_filing_run_and_a_body_after_it_started_the_next(
    whatsapp: GraphApi, client: Client
) -> None:
    waiting = DBTaskResult.objects.filter(
        task_path__endswith="whatsapp_ingest", status=TaskResultStatus.READY
    )
    for n in range(3):
        assert (
            post(client, webhook(message(f"wamid.B{n}", SITI, text=f"Pesan {n}"))).status_code
            == 200
        )
    assert waiting.count() == 1  # the run that waits will read all three

    call_command("worker", "--batch")
    filed = InboundMessage.objects.exclude(outcome=Outcome.PENDING)
    assert filed.count() == 3 and not waiting.exists()
    assert post(client, webhook(message("wamid.B3", SITI, text="Pesan 3"))).status_code == 200
    assert waiting.count() == 1  # the last run started before this body came
    call_command("worker", "--batch")
    assert filed.count() == 4


def test_a_number_reaches_only_its_own_requests_whatever_reference_it_quotes(
    whatsapp: GraphApi, personas: Personas
) -> None:
    receive(message("wamid.T1", SITI, text="Tidak bisa login SIAKAD"))
    ticket = inbound("wamid.T1").ticket
    assert ticket is not None
    desk.ticket_set_status(actor=personas.staff, ticket=ticket, status=Status.RESOLVED)
    receive(message("wamid.T2", BUDI, text=f"[{ticket.reference}] saya juga, tolong dibuka"))
    stranger = inbound("wamid.T2")
    assert stranger.outcome == Outcome.CREATED and stranger.ticket != ticket
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    assert list(
        ticket.articles.filter(kind=Article.Kind.INBOUND).values_list("external_id", flat=True)
    ) == ["wamid.T1"]
