"""An attachment is what its content shows, not what its name or its sender says: a
program renamed to .pdf is refused, and requesters read the accepted kinds in words."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pintu.conftest import Personas, fields_for, service
from pintu.desk import services
from pintu.desk.filetypes import kinds_of, sniff
from pintu.desk.models import Attachment, Ticket
from pintu.desk.tests.files import JPEG, MP4, OGG, PDF, PNG, PROGRAM, WEBP


def zipped(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


DOCX = zipped("[Content_Types].xml", "word/document.xml")
XLSX = zipped("[Content_Types].xml", "xl/workbook.xml")
ZIP = zipped("laporan.txt")
LEGACY_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


@pytest.mark.parametrize(
    ("extension", "data"),
    [
        ("pdf", PDF),
        ("png", PNG),
        ("jpg", JPEG),
        ("jpeg", JPEG),
        ("webp", WEBP),
        ("docx", DOCX),
        ("xlsx", XLSX),
        ("zip", ZIP),
        ("zip", DOCX),  # an Office file is a ZIP archive too
        ("doc", LEGACY_DOC),
        ("ogg", OGG),
        ("opus", OGG),
        ("mp4", MP4),
        ("txt", b"Printer lab 2 macet.\n"),
        ("csv", b"nim,nama\n2201001,Siti Aminah\n"),
        ("txt", "Tanda ✓ dan é".encode()),
        ("p7s", b"0\x82\x05\x1a\x06\t*\x86H\x86\xf7\r\x01\x07\x02"),
    ],
)
def test_a_file_that_is_what_its_name_says_is_kept(extension: str, data: bytes) -> None:
    assert sniff(extension, data).problem is None


@pytest.mark.parametrize(
    ("extension", "data", "problem"),
    [
        ("pdf", PROGRAM, "program"),  # a renamed executable
        ("txt", PROGRAM, "program"),
        ("zip", PROGRAM, "program"),
        ("p7s", PROGRAM, "program"),
        ("pdf", PNG, "mismatch"),
        ("png", PDF, "mismatch"),
        ("jpg", b"not a picture at all", "mismatch"),
        ("docx", PDF, "mismatch"),
        ("doc", b"\x00" * 512, "mismatch"),
        ("txt", PNG, "not text"),
        ("csv", b"a,b\x00c", "not text"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(
    extension: str, data: bytes, problem: str
) -> None:
    assert sniff(extension, data).problem == problem


def test_the_content_type_comes_from_the_content() -> None:
    assert sniff("jpg", JPEG).mime == "image/jpeg"
    assert sniff("png", PNG).mime == "image/png"


def test_the_accepted_kinds_read_as_a_few_words() -> None:
    assert kinds_of(["pdf", "PNG", "jpg", "docx", "xlsx", "zip", "txt"]) == [
        "pdf",
        "image",
        "office",
        "archive",
        "text",
    ]
    assert kinds_of(["pdf", "dwg"]) == ["pdf", "dwg"]


@pytest.mark.django_db
def test_a_program_renamed_to_pdf_is_refused_with_a_clear_message(
    sops: None, personas: Personas
) -> None:
    with pytest.raises(ValidationError, match="program"):
        services.validate_upload(services.Upload("surat.pdf", "application/pdf", PROGRAM))
    client = Client()
    client.force_login(personas.requester)
    svc = service("PR.33.8", "layanan-ringan")
    url = reverse("portal-request", args=[svc.sop.code, svc.key])
    form = {
        "subject": "Printer",
        "body": "Printer lab macet",
        **{f"field_{key}": value for key, value in fields_for(svc).items()},
    }
    renamed = SimpleUploadedFile("surat.pdf", PROGRAM, content_type="application/pdf")
    response = client.post(url, {**form, "attachments": [renamed]})
    assert response.status_code == 200
    assert "surat.pdf adalah program" in response.content.decode()
    assert not Ticket.objects.exists()
    # A real PDF that its browser calls anything is kept, as what it is.
    real = SimpleUploadedFile("surat.pdf", PDF, content_type="application/octet-stream")
    assert client.post(url, {**form, "attachments": [real]}).status_code == 302
    assert Attachment.objects.get().content_type == "application/pdf"


@pytest.mark.django_db
def test_requesters_read_the_kinds_of_file_they_may_attach(sops: None, personas) -> None:
    client = Client()
    client.force_login(personas.requester)
    svc = service("PR.33.8", "layanan-ringan")
    page = client.get(reverse("portal-request", args=[svc.sop.code, svc.key])).content.decode()
    assert "Diterima: PDF, gambar, dokumen Office, arsip ZIP" in page
    assert "pdf, png, jpg" not in page
