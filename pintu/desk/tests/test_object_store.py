"""Attachments kept in an S3-compatible object store (``PINTU_STORAGE_URL=s3://...``),
through the real pages and the real boto3 client talking HTTP to a local S3 server:
uploaded and downloaded, private, a missing object a clear 404, the store down a clear
503 that saves nothing, and everything working again once the store is back."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from pintu.conftest import Personas
from pintu.core.files import FileStoreErrorsMiddleware, StoreUnavailable
from pintu.core.models import AuditEvent
from pintu.desk.models import Article, Attachment, Ticket
from pintu.desk.tests.files import PDF, PNG
from pintu.desk.tests.test_staff_views import (
    client_for,
    frozen,  # noqa: F401 (fixture)
    in_indonesian,
    open_ticket,
    ticket_url,
    wib,
)


@pytest.fixture
def ticket(sops: None, personas: Personas, frozen: datetime) -> Ticket:  # noqa: F811
    return open_ticket(personas, received=wib(9, 50))


def note_with(client: Any, ticket: Ticket, name: str, data: bytes, kind: str) -> Any:
    return client.post(
        ticket_url(ticket, "note"),
        {"body": f"Lampiran {name}", "attachments": [SimpleUploadedFile(name, data, kind)]},
    )


def download(client: Any, attachment: Attachment) -> Any:
    return client.get(reverse("desk-attachment", args=[attachment.pk]))


def test_an_attachment_goes_to_the_bucket_and_comes_back_through_the_ticket(
    ticket: Ticket, personas: Personas, object_store: Any
) -> None:
    staff = client_for(personas.staff)
    assert note_with(staff, ticket, "foto ap.png", PNG, "image/png").status_code == 302
    attachment = Attachment.objects.get(article__ticket=ticket)
    # In the bucket under the prefix, nowhere on this host's disk.
    assert object_store.keys() == [f"pintu/{attachment.file.name}"]
    assert not default_storage.__class__.__name__.startswith("FileSystem")
    response = download(staff, attachment)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "image/png"
    # Private: no grant beyond the owner's, and a URL made for it is signed and expires.
    acl = object_store.client().get_object_acl(
        Bucket=object_store.bucket, Key=f"pintu/{attachment.file.name}"
    )
    assert [grant["Permission"] for grant in acl["Grants"]] == ["FULL_CONTROL"]
    url = attachment.file.url
    assert "X-Amz-Signature=" in url and "X-Amz-Expires=300" in url
    # A second file of the same name is a second object: nothing is overwritten.
    note_with(staff, ticket, "foto ap.png", PNG, "image/png")
    assert len(object_store.keys()) == 2
    # Who may not see the note may not download its file, wherever it is kept.
    assert download(client_for(personas.requester), attachment).status_code == 404


def test_an_attachment_missing_from_the_store_is_a_404_that_says_so(
    ticket: Ticket, personas: Personas, object_store: Any
) -> None:
    staff = client_for(personas.staff)
    note_with(staff, ticket, "laporan.pdf", PDF, "application/pdf")
    attachment = Attachment.objects.get(article__ticket=ticket)
    object_store.client().delete_object(
        Bucket=object_store.bucket, Key=f"pintu/{attachment.file.name}"
    )
    response = download(staff, attachment)
    assert response.status_code == 404
    assert in_indonesian("File not found") in response.content.decode()


def test_with_the_store_down_an_upload_fails_visibly_saves_nothing_and_works_once_it_is_back(
    ticket: Ticket, personas: Personas, object_store: Any
) -> None:
    staff = client_for(personas.staff)
    note_with(staff, ticket, "sebelum.png", PNG, "image/png")
    kept = Attachment.objects.get(article__ticket=ticket)
    articles, audits = Article.objects.count(), AuditEvent.objects.count()

    object_store.stop()
    response = note_with(staff, ticket, "saat-mati.pdf", PDF, "application/pdf")
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert in_indonesian("The file store cannot be reached") in page
    assert "tidak ada isinya yang tersimpan" in page  # "nothing of it was saved"
    # Not half-written: no note, no attachment row, no audit row.
    assert (Article.objects.count(), AuditEvent.objects.count()) == (articles, audits)
    assert Attachment.objects.count() == 1
    # Reading a kept file says the same.
    assert download(staff, kept).status_code == 503

    object_store.start()
    assert note_with(staff, ticket, "sesudah.pdf", PDF, "application/pdf").status_code == 302
    assert Attachment.objects.count() == 2
    assert b"".join(download(staff, kept).streaming_content) == PNG
    assert len(object_store.keys()) == 2


def test_under_the_api_the_store_down_is_json_in_the_apis_shape() -> None:
    answer = FileStoreErrorsMiddleware(HttpResponse).process_exception(
        RequestFactory().get("/api/v1/tickets"), StoreUnavailable("down")
    )
    assert answer is not None and answer.status_code == 503
    assert list(json.loads(answer.content)) == ["detail"]
