"""The requester portal: catalogue, request form, confirmation, my requests, the request
page with its live conversation, replying and rating; promised times in words."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from pintu.conftest import PASSWORD, Personas, fields_for, make_user, screenshot, service
from pintu.desk import promises, services
from pintu.desk.models import Article, Door, Status, Ticket
from pintu.desk.portal_forms import RequestForm
from pintu.desk.tests.files import JPEG, PNG
from pintu.identity.tests.records import identified
from pintu.org.models import Role, User
from pintu.sla.calendars import calendar_data_changed
from pintu.sop.definition import Field, Service

WIB = ZoneInfo("Asia/Jakarta")
UTC = ZoneInfo("UTC")
SERVICES_PER_SOP = {
    "P4M": ["Perubahan/pembaruan data identitas mata kuliah", "Publikasi pengumuman"],
    "UPT-SI": ["Permintaan akun kampus", "Layanan kategori ringan", "Sosialisasi fitur"],
    "PHK": ["Permintaan publikasi konten media informasi", "Usulan pengembangan media"],
    "KS": ["Penyusunan/pembaruan draf MoU/MoA", "Tindak lanjut permintaan mitra"],
    "BAA": ["Pengelolaan akun layanan berbasis digital", "Pemberian akses akun"],
}


@pytest.fixture(autouse=True)
def media_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(user: User | None, language: str = "en") -> Client:
    """A signed-in client reading the pages in ``language`` (English: the msgids)."""
    client = Client(headers={"Accept-Language": language})
    if user is not None:
        client.force_login(user)
    return client


def open_ticket(
    personas: Personas,
    requester: User | None = None,
    key: str = "layanan-ringan",
    now: datetime | None = None,
) -> Ticket:
    svc = service("PR.33.8", key)
    requester = requester or personas.requester
    return services.ticket_create(
        actor=requester,
        service_type=svc,
        requester=requester,
        opening=services.Opening(
            subject="Wi-Fi lab mati", body="Wi-Fi di lab 3 tidak tersambung sejak pagi."
        ),
        fields=fields_for(svc),
        now=now,
    ).ticket


def request_data(**extra: Any) -> dict[str, Any]:
    data = {
        "subject": "Wi-Fi lab 3 mati",
        "body": "Tidak tersambung sejak pagi.",
        "field_jenis": "Perbaikan koneksi jaringan kabel/nirkabel",
        "field_lokasi": "Lab 3, gedung B",
    }
    data.update(extra)
    return data


LIGHT_WORK = reverse("portal-request", args=["PR.33.8", "layanan-ringan"])


# ---------------------------------------------------------------- promises (pure)


@pytest.mark.parametrize(
    ("target", "clock", "words"),
    [
        ("1m", "working", "1 working minute"),
        ("15m", "working", "15 working minutes"),
        ("1h", "working", "1 working hour"),
        ("4h", "working", "4 working hours"),
        ("1d", "working", "1 working day"),
        ("3d", "working", "3 working days"),
        ("1w", "working", "1 working week"),
        ("2w", "working", "2 working weeks"),
        ("1mo", "working", "1 working month"),
        ("6mo", "working", "6 working months"),
        ("1m", "calendar", "1 minute"),
        ("30m", "calendar", "30 minutes"),
        ("1h", "calendar", "1 hour"),
        ("24h", "calendar", "24 hours"),
        ("1d", "calendar", "1 day"),
        ("3d", "calendar", "3 days"),
        ("1w", "calendar", "1 week"),
        ("2w", "calendar", "2 weeks"),
        ("1mo", "calendar", "1 month"),
        ("12mo", "calendar", "12 months"),
    ],
)
def test_targets_read_in_words_with_the_clock_and_the_plural(
    target: str, clock: str, words: str
) -> None:
    with translation.override("en"):
        assert promises.target_words(target, clock) == words


@pytest.mark.parametrize(
    ("target", "clock", "words"),
    [
        ("15m", "working", "15 menit kerja"),
        ("1m", "working", "1 menit kerja"),
        ("4h", "working", "4 jam kerja"),
        ("3d", "working", "3 hari kerja"),
        ("2w", "working", "2 minggu kerja"),
        ("1mo", "working", "1 bulan kerja"),
        ("30m", "calendar", "30 menit"),
        ("1h", "calendar", "1 jam"),
        ("3d", "calendar", "3 hari"),
        ("2w", "calendar", "2 minggu"),
        ("1mo", "calendar", "1 bulan"),
    ],
)
def test_targets_read_in_indonesian(target: str, clock: str, words: str) -> None:
    with translation.override("id"):
        assert promises.target_words(target, clock) == words


def test_a_service_promise_in_english() -> None:
    with translation.override("en"):
        promise = promises.service_promise("15m", "3d", "working")
        assert str(promise) == "answered within 15 working minutes; done within 3 working days"
        calendar = promises.service_promise("1h", "1d", "calendar")
        assert str(calendar) == "answered within 1 hour; done within 1 day"


def test_a_service_promise_in_indonesian() -> None:
    with translation.override("id"):
        promise = promises.service_promise("15m", "3d", "working")
        assert str(promise) == "dijawab dalam 15 menit kerja; selesai dalam 3 hari kerja"


def test_an_unknown_clock_counts_as_working_and_a_bad_target_is_refused() -> None:
    with translation.override("en"):
        assert promises.target_words("2h", "") == "2 working hours"
        with pytest.raises(ValueError, match="not a duration"):
            promises.target_words("2 hours")


MOMENTS = [
    # (moment, English, Indonesian)
    (
        datetime(2026, 11, 26, 0, 40, tzinfo=UTC),
        "Thursday, 26 November 2026 at 07:40",
        "Kamis, 26 November 2026 pukul 07.40",
    ),
    (
        datetime(2026, 8, 17, 10, 5, tzinfo=WIB),
        "Monday, 17 August 2026 at 10:05",
        "Senin, 17 Agustus 2026 pukul 10.05",
    ),
    (
        datetime(2026, 12, 31, 17, 0, tzinfo=UTC),  # already the next day in WIB
        "Friday, 1 January 2027 at 00:00",
        "Jumat, 1 Januari 2027 pukul 00.00",
    ),
]


@pytest.mark.parametrize(("moment", "words"), [(m, en) for m, en, _ in MOMENTS])
def test_moments_read_in_the_units_time_zone(moment: datetime, words: str) -> None:
    with translation.override("en"):
        assert promises.moment_words(moment, WIB) == words


@pytest.mark.parametrize(("moment", "words"), [(m, id_) for m, _, id_ in MOMENTS])
def test_moments_read_in_indonesian(moment: datetime, words: str) -> None:
    with translation.override("id"):
        assert promises.moment_words(moment, WIB) == words


# ---------------------------------------------------------------- catalogue


@pytest.mark.django_db
def test_the_catalogue_lists_every_sops_services_by_unit(
    sops: None, personas: Personas, django_assert_num_queries: Any
) -> None:
    client = client_for(personas.requester)
    # Session, user, the SOPs in force, their service types, the nav's roles.
    with django_assert_num_queries(5):
        response = client.get(reverse("portal-home"))
    html = response.content.decode()
    assert response.status_code == 200
    for unit_code, names in SERVICES_PER_SOP.items():
        assert f'id="unit-{unit_code}"' in html
        for name in names:
            assert name in html
    # Grouped: a unit's services come under its heading, before the next unit's.
    assert html.index('id="unit-UPT-SI"') < html.index("Layanan kategori ringan")
    assert reverse("portal-request", args=["PR.33.8", "layanan-ringan"]) in html
    assert "Answered within 15 working minutes; done within 3 working days" in html
    assert "Answered within 15 working minutes; done within 1 working month" in html


def catalogue_names(html: str) -> list[str]:
    return re.findall(r'<h3><a href="[^"]+">(.*?)</a></h3>', html)


@pytest.mark.parametrize(
    ("query", "names"),
    [
        # A service's name, whatever the case.
        ("AKUN KAMPUS", ["Permintaan akun kampus"]),
        # Its description: "jaringan" is in two UPT-SI descriptions only.
        ("jaringan", ["Layanan kategori ringan", "Layanan kategori berat"]),
        # Every word must begin a word somewhere ("ringan" is not the end of "jaringan").
        ("ringan jaringan", ["Layanan kategori ringan"]),
        ("jaring", ["Layanan kategori ringan", "Layanan kategori berat"]),
        ("mou", ["Penyusunan/pembaruan draf MoU/MoA"]),
        # A unit's name or code brings all its services.
        (
            "humas",
            ["Permintaan publikasi konten media informasi", "Usulan pengembangan media informasi"],
        ),
        (
            "baa",
            [
                "Pengelolaan akun layanan berbasis digital",
                "Pemberian akses akun layanan berbasis digital",
            ],
        ),
    ],
)
@pytest.mark.django_db
def test_the_catalogue_searches_names_descriptions_and_units(
    sops: None, personas: Personas, query: str, names: list[str]
) -> None:
    response = client_for(personas.requester).get(reverse("portal-home"), {"q": query})
    assert catalogue_names(response.content.decode()) == names
    assert f'value="{query}"' in response.content.decode()  # the box keeps the query


@pytest.mark.django_db
def test_the_catalogue_search_says_how_many_and_names_an_empty_query(
    sops: None, personas: Personas, django_assert_num_queries: Any
) -> None:
    client = client_for(personas.requester, language="id")
    with django_assert_num_queries(5):  # as many as the whole catalogue
        html = client.get(reverse("portal-home"), {"q": "akun"}).content.decode()
    assert "7 layanan cocok dengan “akun”." in html
    assert f'<a href="{reverse("portal-home")}">Tampilkan semua layanan</a>' in html
    # Only the units with a match are shown.
    assert 'id="unit-P4M"' not in html and 'id="unit-UPT-SI"' in html

    html = client.get(reverse("portal-home"), {"q": "<b>parkir</b>"}).content.decode()
    assert catalogue_names(html) == []
    assert "Tidak ada layanan yang cocok dengan “&lt;b&gt;parkir&lt;/b&gt;”." in html
    assert "<title>Layanan yang cocok dengan “&lt;b&gt;parkir&lt;/b&gt;”" in html


@pytest.mark.django_db
def test_the_catalogue_search_is_a_plain_get_form(sops: None, personas: Personas) -> None:
    html = client_for(personas.requester).get(reverse("portal-home")).content.decode()
    form = html.split('<form method="get" action="' + reverse("portal-home"), 1)[1]
    assert 'role="search"' in form.split(">", 1)[0]
    assert '<input id="catalogue-q" type="search" name="q" value=""' in form
    assert '<label for="catalogue-q">Search the services</label>' in form
    assert "services match" not in html  # no count without a query


@pytest.mark.django_db
def test_the_catalogue_asks_to_sign_in_first(sops: None) -> None:
    response = client_for(None).get(reverse("portal-home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------- the request form


@pytest.mark.django_db
def test_the_form_shows_the_services_fields_limits_and_promise(
    sops: None, personas: Personas
) -> None:
    html = client_for(personas.requester).get(LIGHT_WORK).content.decode()
    assert "Layanan kategori ringan" in html
    assert '<select name="field_jenis"' in html
    assert "Perbaikan koneksi jaringan kabel/nirkabel</option>" in html
    assert 'name="field_lokasi"' in html
    assert '<label for="id_subject" class="required">Subject</label>' in html
    assert 'type="file" name="attachments"' in html and "multiple" in html
    assert "Up to 10 MB per file. Accepted: PDF, images, Office documents, ZIP archives" in html
    assert 'accept=".pdf,.png,' in html
    assert "Answered within 15 working minutes; done within 3 working days" in html


@pytest.mark.django_db
def test_every_service_in_the_catalogue_has_a_form(sops: None, personas: Personas) -> None:
    client = client_for(personas.requester)
    html = client.get(reverse("portal-home")).content.decode()
    links = [part.split('"', 1)[0] for part in html.split('<h3><a href="')[1:]]
    assert len(links) == 22  # 4 + 11 + 2 + 3 + 2 services in the five SOPs
    for link in links:
        assert client.get(link).status_code == 200, link


def test_declared_fields_are_rendered_by_type_and_stored_as_text() -> None:
    declared = Service(
        key="contoh",
        name="Contoh",
        first_response="15m",
        resolution="1d",
        fields=(
            Field("surel", "Surel", type="email"),
            Field("jumlah", "Jumlah", type="number"),
            Field("tanggal", "Tanggal", type="date"),
            Field("catatan", "Catatan", type="textarea", required=False),
            Field("pilihan", "Pilihan", type="choice", choices=("A", "B"), required=False),
        ),
    )
    form = RequestForm(
        {
            "subject": "Uji",
            "body": "Isi",
            "field_surel": "dosen@pintu.test",
            "field_jumlah": "2.50",
            "field_tanggal": "2026-12-01",
            "field_catatan": "",
            "field_pilihan": "",
        },
        service=declared,
    )
    html = str(form)
    assert 'type="email" name="field_surel"' in html
    assert 'type="number" name="field_jumlah"' in html
    assert 'type="date" name="field_tanggal"' in html
    assert '<textarea name="field_catatan"' in html
    assert '<select name="field_pilihan"' in html
    assert form.is_valid(), form.errors
    assert form.field_values() == {
        "surel": "dosen@pintu.test",
        "jumlah": "2.5",
        "tanggal": "2026-12-01",
    }
    assert not RequestForm({"field_pilihan": "C"}, service=declared).is_valid()


@pytest.mark.django_db
def test_an_old_revision_or_unknown_service_is_not_offered(sops: None, personas: Personas) -> None:
    client = client_for(personas.requester)
    assert client.get(reverse("portal-request", args=["PR.33.8", "tidak-ada"])).status_code == 404
    assert client.get(reverse("portal-request", args=["PR.0", "layanan-ringan"])).status_code == 404


@pytest.mark.django_db
def test_submitting_a_request_opens_a_web_ticket_with_fields_and_attachment(
    sops: None, personas: Personas
) -> None:
    photo = SimpleUploadedFile("router.png", b"\x89PNG fake image", content_type="image/png")
    response = client_for(personas.requester).post(LIGHT_WORK, request_data(attachments=[photo]))
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("portal-confirmation", args=[ticket.reference])
    assert ticket.door == Door.WEB
    assert ticket.requester == personas.requester
    assert ticket.service_type == service("PR.33.8", "layanan-ringan")
    assert ticket.subject == "Wi-Fi lab 3 mati"
    assert ticket.fields == {
        "jenis": "Perbaikan koneksi jaringan kabel/nirkabel",
        "lokasi": "Lab 3, gedung B",
    }
    article = ticket.articles.get()
    assert article.kind == Article.Kind.INBOUND
    assert article.body == "Tidak tersambung sejak pagi."
    attachment = article.attachments.get()
    assert attachment.filename == "router.png"
    assert attachment.file.read() == b"\x89PNG fake image"


@pytest.mark.django_db
def test_dates_and_numbers_are_kept_as_text(sops: None, personas: Personas) -> None:
    client = client_for(personas.requester)
    url = reverse("portal-request", args=["PR.13.2", "publikasi-pengumuman"])
    svc = service("PR.13.2", "publikasi-pengumuman")
    data = {f"field_{key}": value for key, value in fields_for(svc).items()}
    data["field_tanggal_tayang"] = "2026-12-01"
    response = client.post(url, {"subject": "Pengumuman UTS", "body": "Mohon ditayangkan.", **data})
    assert response.status_code == 302
    assert Ticket.objects.get().fields["tanggal_tayang"] == "2026-12-01"


@pytest.mark.django_db
def test_a_missing_required_field_keeps_what_was_typed_and_creates_nothing(
    sops: None, personas: Personas
) -> None:
    response = client_for(personas.requester).post(LIGHT_WORK, request_data(field_lokasi=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert not Ticket.objects.exists()
    # The error sits by its field, tied to it for screen readers, and in the summary.
    assert 'id="id_field_lokasi_error"' in html
    assert 'aria-describedby="id_field_lokasi_error"' in html
    assert 'aria-invalid="true"' in html
    assert '<a href="#id_field_lokasi">Lokasi/perangkat: This field is required.</a>' in html
    assert 'value="Wi-Fi lab 3 mati"' in html
    assert "Tidak tersambung sejak pagi.</textarea>" in html
    assert '<option value="Perbaikan koneksi jaringan kabel/nirkabel" selected>' in html


@pytest.mark.django_db
def test_a_disallowed_file_type_is_refused_with_a_clear_message(
    sops: None, personas: Personas
) -> None:
    script = SimpleUploadedFile("setup.exe", b"MZ", content_type="application/octet-stream")
    response = client_for(personas.requester).post(LIGHT_WORK, request_data(attachments=[script]))
    html = response.content.decode()
    assert response.status_code == 200
    assert not Ticket.objects.exists()
    assert "setup.exe: files of this type are not accepted (allowed: pdf, png," in html
    assert 'id="id_attachments_error"' in html
    # Browsers do not send files back with a form to correct: the page says so.
    assert "Attach your files again" in html


@pytest.mark.django_db
def test_a_file_over_the_size_limit_is_refused(
    sops: None, personas: Personas, settings: Any
) -> None:
    settings.PINTU_ATTACHMENT_MAX_BYTES = 1024 * 1024
    big = SimpleUploadedFile("scan.pdf", b"%" * (1024 * 1024 + 1), content_type="application/pdf")
    response = client_for(personas.requester).post(LIGHT_WORK, request_data(attachments=[big]))
    assert "scan.pdf is larger than 1 MB." in response.content.decode()
    assert not Ticket.objects.exists()


# ---------------------------------------------------------------- confirmation


@pytest.mark.django_db
def test_the_confirmation_shows_the_reference_and_the_promise_in_english(
    sops: None, personas: Personas
) -> None:
    ticket = open_ticket(personas, now=datetime(2026, 11, 25, 15, 55, tzinfo=WIB))
    response = client_for(personas.requester).get(
        reverse("portal-confirmation", args=[ticket.reference])
    )
    html = response.content.decode()
    assert ticket.reference == "SI-26-00001"
    assert '<p class="portal-ref">SI-26-00001</p>' in html
    assert "Answered within 15 working minutes; done within 3 working days." in html
    # DESIGN.md's worked example: Wed 15:55 + 15m = Thu 07:40; + 3d = Mon 15:55.
    assert "Thursday, 26 November 2026 at 07:40" in html
    assert "Monday, 30 November 2026 at 15:55" in html
    assert 'datetime="2026-11-26T07:40:00+07:00"' in html


@pytest.mark.django_db
def test_the_confirmation_shows_the_promise_in_indonesian(sops: None, personas: Personas) -> None:
    ticket = open_ticket(personas, now=datetime(2026, 11, 25, 15, 55, tzinfo=WIB))
    html = (
        client_for(personas.requester, language="id")
        .get(reverse("portal-confirmation", args=[ticket.reference]))
        .content.decode()
    )
    assert "SI-26-00001" in html
    assert "Dijawab dalam 15 menit kerja; selesai dalam 3 hari kerja." in html
    assert "Kamis, 26 November 2026 pukul 07.40" in html


@pytest.mark.django_db
def test_another_persons_confirmation_is_not_found(sops: None, personas: Personas) -> None:
    ticket = open_ticket(personas)
    other = make_user("mahasiswa-lain", Role.REQUESTER, "TRPL")
    url = reverse("portal-confirmation", args=[ticket.reference])
    assert client_for(other).get(url).status_code == 404


# ---------------------------------------------------------------- my requests


@pytest.mark.django_db
def test_my_requests_lists_only_mine_newest_first_in_fixed_queries(
    sops: None, personas: Personas, django_assert_num_queries: Any
) -> None:
    other = make_user("mahasiswa-lain", Role.REQUESTER, "TRPL")
    first = open_ticket(personas, now=datetime(2026, 11, 23, 9, 0, tzinfo=WIB))
    second = open_ticket(personas, now=datetime(2026, 11, 24, 9, 0, tzinfo=WIB))
    services.ticket_reply(actor=personas.staff, ticket=first, body="Sedang kami cek.")
    theirs = open_ticket(personas, requester=other)
    client = client_for(personas.requester)
    url = reverse("portal-my-requests")
    # Session, user, the tickets' ids (own and as a contact, in one UNION), their rows,
    # the calendars' token in the shared cache, the unit's calendar for the year (3, when
    # no other request of this process loaded it), the nav's roles: as many with 2
    # tickets as with 7.
    calendar_data_changed()
    with django_assert_num_queries(9):
        html = client.get(url).content.decode()
    assert theirs.reference not in html
    assert html.index(second.reference) < html.index(first.reference)
    assert "UPT Sistem Informasi" in html
    assert "Open</span>" in html and "New</span>" in html
    assert "Replied" in html and "Not yet" in html
    for _ in range(5):
        open_ticket(personas, now=datetime(2026, 11, 24, 10, 0, tzinfo=WIB))
    calendar_data_changed()
    with django_assert_num_queries(9):
        client.get(url)
    with django_assert_num_queries(6):  # the calendar is shared by the next request
        client.get(url)


@pytest.mark.django_db
def test_my_requests_include_those_that_came_from_my_address(
    sops: None, personas: Personas
) -> None:
    contact = services.contact_for(email=personas.requester.email)
    by_mail = services.ticket_create(
        actor=None,
        service_type=service("PR.33.8", "layanan-ringan"),
        requester=contact,
        opening=services.Opening(subject="Lewat e-mail", body="Printer lab rusak."),
        door=Door.EMAIL,
        fields=fields_for(service("PR.33.8", "layanan-ringan")),
    ).ticket
    html = client_for(personas.requester).get(reverse("portal-my-requests")).content.decode()
    assert by_mail.reference in html


@pytest.mark.django_db
def test_my_requests_invites_to_the_services_when_empty(personas: Personas) -> None:
    html = client_for(personas.requester).get(reverse("portal-my-requests")).content.decode()
    assert "You have not made any request yet." in html
    assert reverse("portal-home") in html


# ---------------------------------------------------------------- the request page


@pytest.mark.django_db
def test_the_request_page_shows_the_public_conversation_only(
    sops: None, personas: Personas
) -> None:
    ticket = open_ticket(personas)
    services.ticket_note(actor=personas.staff, ticket=ticket, body="Catatan internal rahasia")
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Teknisi menuju lab 3.")
    url = reverse("portal-ticket", args=[ticket.reference])
    for viewer in (personas.requester, personas.staff):
        html = client_for(viewer).get(url).content.decode()
        assert "Wi-Fi di lab 3 tidak tersambung sejak pagi." in html
        assert "Teknisi menuju lab 3." in html
        assert "Catatan internal rahasia" not in html
    requester_html = client_for(personas.requester).get(url).content.decode()
    assert reverse("portal-reply", args=[ticket.reference]) in requester_html
    staff_html = client_for(personas.staff).get(url).content.decode()
    assert reverse("portal-reply", args=[ticket.reference]) not in staff_html
    assert reverse("desk-ticket", args=[ticket.reference]) in staff_html


@pytest.mark.django_db
def test_another_requesters_request_is_not_found(sops: None, personas: Personas) -> None:
    ticket = open_ticket(personas)
    other = make_user("mahasiswa-lain", Role.REQUESTER, "TRPL")
    client = client_for(other)
    for name in ("portal-ticket", "portal-conversation"):
        assert client.get(reverse(name, args=[ticket.reference])).status_code == 404
    reply = client.post(reverse("portal-reply", args=[ticket.reference]), {"body": "Halo"})
    rate = client.post(reverse("portal-rate", args=[ticket.reference]), {"score": "1"})
    assert reply.status_code == rate.status_code == 404
    assert ticket.articles.count() == 1
    # Staff of another unit do not see it either.
    other_staff = client_for(personas.other_staff)
    assert other_staff.get(reverse("portal-ticket", args=[ticket.reference])).status_code == 404


@pytest.mark.django_db
def test_replying_adds_a_web_message_and_reopens_a_resolved_request(
    sops: None, personas: Personas
) -> None:
    ticket = open_ticket(personas)
    services.ticket_set_status(actor=personas.staff, ticket=ticket, status=Status.RESOLVED)
    client = client_for(personas.requester)
    note = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(
        reverse("portal-reply", args=[ticket.reference]),
        {"body": "Masih belum tersambung.", "attachments": [note]},
        follow=True,
    )
    message = ticket.articles.order_by("id").last()
    assert message is not None
    assert message.kind == Article.Kind.INBOUND
    assert message.door == Door.WEB
    assert message.author == personas.requester
    assert message.attachments.get().filename == "bukti.pdf"
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    html = response.content.decode()
    assert "Your message has been sent." in html
    assert "Masih belum tersambung." in html
    assert reverse("desk-attachment", args=[message.attachments.get().pk]) in html


@pytest.mark.django_db
def test_an_empty_reply_shows_the_error_by_the_field(sops: None, personas: Personas) -> None:
    ticket = open_ticket(personas)
    response = client_for(personas.requester).post(
        reverse("portal-reply", args=[ticket.reference]), {"body": ""}
    )
    html = response.content.decode()
    assert 'id="id_body_error"' in html
    assert "Write a message or attach a file." in html
    assert ticket.articles.count() == 1


@pytest.mark.django_db
def test_a_file_alone_is_a_reply(sops: None, personas: Personas) -> None:
    ticket = open_ticket(personas)
    photo = SimpleUploadedFile("foto.jpg", JPEG, content_type="image/jpeg")
    client_for(personas.requester).post(
        reverse("portal-reply", args=[ticket.reference]), {"body": "", "attachments": [photo]}
    )
    message = ticket.articles.order_by("id").last()
    assert message is not None
    assert message.attachments.get().filename == "foto.jpg"


@pytest.mark.django_db
def test_staff_cannot_write_as_the_requester(sops: None, personas: Personas) -> None:
    ticket = open_ticket(personas)
    response = client_for(personas.staff).post(
        reverse("portal-reply", args=[ticket.reference]), {"body": "Saya staf"}
    )
    assert response.status_code == 403
    assert ticket.articles.count() == 1


# ---------------------------------------------------------------- rating


@pytest.mark.django_db
def test_rating_comes_only_after_resolution_and_is_final(sops: None, personas: Personas) -> None:
    ticket = open_ticket(personas)
    client = client_for(personas.requester)
    page = reverse("portal-ticket", args=[ticket.reference])
    rate = reverse("portal-rate", args=[ticket.reference])
    assert rate not in client.get(page).content.decode()
    early = client.post(rate, {"score": "5"}, follow=True)
    assert "A request can be rated once it is resolved." in early.content.decode()
    ticket.refresh_from_db()
    assert ticket.csat_score is None

    services.ticket_set_status(actor=personas.staff, ticket=ticket, status="resolved")
    html = client.get(page).content.decode()
    assert rate in html
    assert html.count('type="radio" name="score"') == 5
    assert "<legend>Your rating</legend>" in html
    response = client.post(rate, {"score": "4", "comment": "Cepat, terima kasih."}, follow=True)
    ticket.refresh_from_db()
    assert (ticket.csat_score, ticket.csat_comment) == (4, "Cepat, terima kasih.")
    html = response.content.decode()
    assert "Thank you for your rating." in html
    assert "4 of 5 stars" in html
    assert rate not in html

    # Ratings are final: a second one is refused and the first one stays.
    again = client.post(rate, {"score": "1"}, follow=True)
    assert "This request has already been rated." in again.content.decode()  # the service's
    ticket.refresh_from_db()
    assert ticket.csat_score == 4


@pytest.mark.django_db
def test_a_rating_without_stars_asks_for_them(sops: None, personas: Personas) -> None:
    ticket = open_ticket(personas)
    services.ticket_set_status(actor=personas.staff, ticket=ticket, status="resolved")
    response = client_for(personas.requester).post(
        reverse("portal-rate", args=[ticket.reference]), {"score": "", "comment": "Hmm"}
    )
    html = response.content.decode()
    assert "Choose from 1 to 5 stars." in html
    assert 'aria-describedby="id_score_error"' in html
    assert "Hmm</textarea>" in html


@pytest.mark.django_db
def test_staff_see_no_rating_form(sops: None, personas: Personas) -> None:
    ticket = open_ticket(personas)
    services.ticket_set_status(actor=personas.staff, ticket=ticket, status="resolved")
    html = client_for(personas.staff).get(reverse("portal-ticket", args=[ticket.reference]))
    assert reverse("portal-rate", args=[ticket.reference]) not in html.content.decode()
    refused = client_for(personas.staff).post(
        reverse("portal-rate", args=[ticket.reference]), {"score": "5"}
    )
    assert refused.status_code == 403


# ---------------------------------------------------------------- the live conversation


@pytest.mark.django_db
def test_the_live_conversation_answers_204_until_something_changes(
    sops: None, personas: Personas, django_assert_num_queries: Any
) -> None:
    ticket = open_ticket(personas)
    client = client_for(personas.requester)
    page = client.get(reverse("portal-ticket", args=[ticket.reference])).content.decode()
    poll = page.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert 'hx-trigger="every 10s"' in page
    # Session, user, the viewer's units (visibility), the ticket, the latest public message.
    with django_assert_num_queries(5):
        assert client.get(poll).status_code == 204

    services.ticket_note(actor=personas.staff, ticket=ticket, body="Catatan internal")
    assert client.get(poll).status_code == 204  # a note is not news to the requester

    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Teknisi menuju lab 3.")
    fresh = client.get(poll)
    html = fresh.content.decode()
    assert fresh.status_code == 200
    assert html.startswith('<div id="conversation"')
    assert "Teknisi menuju lab 3." in html
    assert "Catatan internal" not in html
    # The status moved from new to open: the summary and the steps follow, out of band.
    assert 'id="ticket-summary" class="portal-facts" hx-swap-oob="true"' in html
    assert 'id="request-progress" class="portal-panel" aria-labelledby="progress-title"' in html
    assert html.count('hx-swap-oob="true"') == 3  # the summary, the rating and the steps
    next_poll = html.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    assert client.get(next_poll).status_code == 204


@pytest.mark.django_db
def test_the_rating_form_arrives_live_when_the_request_is_resolved(
    sops: None, personas: Personas
) -> None:
    ticket = open_ticket(personas)
    client = client_for(personas.requester)
    page = client.get(reverse("portal-ticket", args=[ticket.reference])).content.decode()
    assert 'id="rating-panel" class="portal-panel" aria-labelledby="rating-title" hidden' in page
    poll = page.split('hx-get="', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    services.ticket_set_status(actor=personas.staff, ticket=ticket, status="resolved")
    html = client.get(poll).content.decode()
    assert 'id="rating-panel"' in html and 'hx-swap-oob="true"' in html
    assert reverse("portal-rate", args=[ticket.reference]) in html


# ---------------------------------------------------------------- in a real browser


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_requester_sends_a_request_from_a_phone(page: Any, personas: Personas) -> None:
    from pintu.sop.services import DEFINITIONS_DIR, sop_load_dir

    sop_load_dir(actor=None, directory=DEFINITIONS_DIR)
    earlier = open_ticket(personas, key="akun-kampus", now=datetime(2026, 11, 2, 9, 0, tzinfo=WIB))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login/?next=" + reverse("portal-home"))
    page.fill("#id_username", "mahasiswa")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: url.endswith(reverse("portal-home")) and "login" not in url)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "portal-catalogue-phone")

    page.get_by_role("link", name="Layanan kategori ringan").click()
    page.wait_for_url("**" + LIGHT_WORK)
    page.fill("#id_subject", "Wi-Fi lab 3 mati")
    page.select_option("#id_field_jenis", "Perbaikan koneksi jaringan kabel/nirkabel")
    page.fill("#id_body", "Laptop tidak bisa tersambung ke Wi-Fi sejak pagi.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "portal-form-phone")
    # Sent with a required field empty: the errors come back, tied to their fields, and
    # what was typed stays.
    page.click("button.portal-submit")
    page.wait_for_selector(".portal-error-summary")
    assert page.evaluate("document.activeElement.className") == "portal-error-summary"
    assert page.get_attribute("#id_field_lokasi", "aria-describedby") == "id_field_lokasi_error"
    assert page.input_value("#id_subject") == "Wi-Fi lab 3 mati"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "portal-form-errors-phone")

    page.fill("#id_field_lokasi", "Lab 3, gedung B")
    page.set_input_files(
        "#id_attachments",
        files=[{"name": "layar.png", "mimeType": "image/png", "buffer": b"\x89PNG fake"}],
    )
    page.click("button.portal-submit")
    page.wait_for_selector(".portal-ref")
    ticket = Ticket.objects.exclude(pk=earlier.pk).get()
    assert page.inner_text(".portal-ref") == ticket.reference
    assert ticket.articles.get().attachments.count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "portal-confirmation-phone")

    page.click(".portal-actions .portal-button")
    page.wait_for_selector("#conversation")
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Teknisi menuju lab 3.")
    # The reply shows up without a reload (the page polls every 10 seconds).
    page.wait_for_selector("text=Teknisi menuju lab 3.", timeout=15_000)
    assert page.inner_text("#conversation-news")  # told to screen readers too
    services.ticket_set_status(actor=personas.staff, ticket=ticket, status="resolved")
    page.wait_for_selector("#rating-panel form", timeout=15_000)
    page.focus("#id_score_0")  # the stars are chosen with the keyboard
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    assert page.is_checked("#id_score_3")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "portal-request-rating-phone")
    page.click("#rating-panel button[type=submit]")
    page.wait_for_selector(".portal-stars-given")
    ticket.refresh_from_db()
    assert ticket.csat_score == 4
    screenshot(page, "portal-request-rated-phone")

    page.click(f"header a[href='{reverse('portal-my-requests')}']")
    page.wait_for_selector(".portal-requests")
    subjects = page.locator(".portal-requests td.portal-subject").all_inner_texts()
    assert subjects == ["Wi-Fi lab 3 mati", earlier.subject]
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "portal-my-requests-phone")


# ---------------------------------------------------------------- what the request page repeats


def text_of(html: str) -> str:
    """The page's text as a reader meets it: tags dropped, spaces run together."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.django_db
def test_the_request_page_repeats_the_promise_and_when_each_answer_is_due(
    sops: None, personas: Personas
) -> None:
    ticket = open_ticket(personas, now=datetime(2026, 11, 25, 15, 55, tzinfo=WIB))
    url = reverse("portal-ticket", args=[ticket.reference])
    text = text_of(client_for(personas.requester).get(url).content.decode())
    assert "Our promise Answered within 15 working minutes; done within 3 working days" in text
    # DESIGN.md's worked example, as on the confirmation page.
    assert "First answer by Thursday, 26 November 2026 at 07:40" in text
    assert "Done by Monday, 30 November 2026 at 15:55" in text
    assert "Answered on" not in text

    services.ticket_reply(
        actor=personas.staff,
        ticket=ticket,
        body="Teknisi menuju lab 3.",
        now=datetime(2026, 11, 26, 7, 35, tzinfo=WIB),
    )
    services.ticket_set_status(
        actor=personas.staff,
        ticket=ticket,
        status=Status.RESOLVED,
        now=datetime(2026, 11, 26, 9, 5, tzinfo=WIB),
    )
    text = text_of(client_for(personas.requester).get(url).content.decode())
    assert (
        "Thursday, 26 November 2026 at 07:40 Answered on Thursday, 26 November 2026 at 07:35"
        in text
    )
    assert "Done on Thursday, 26 November 2026 at 09:05" in text


@pytest.mark.django_db
def test_the_request_page_speaks_indonesian_and_says_the_clock_stops_while_waiting(
    sops: None, personas: Personas
) -> None:
    ticket = open_ticket(personas, now=datetime(2026, 11, 25, 15, 55, tzinfo=WIB))
    url = reverse("portal-ticket", args=[ticket.reference])
    text = text_of(client_for(personas.requester, language="id").get(url).content.decode())
    assert "Dijawab dalam 15 menit kerja; selesai dalam 3 hari kerja" in text
    assert "Jawaban pertama paling lambat Kamis, 26 November 2026 pukul 07.40" in text
    assert "Selesai paling lambat Senin, 30 November 2026 pukul 15.55" in text
    services.ticket_set_status(actor=personas.staff, ticket=ticket, status=Status.WAITING_REQUESTER)
    text = text_of(client_for(personas.requester).get(url).content.decode())
    assert "The clock stops while we wait" in text


def account_request(personas: Personas) -> Ticket:
    """A student's request for a campus account, with their student number."""
    return services.ticket_create(
        actor=personas.requester,
        service_type=service("PR.33.8", "akun-kampus"),
        requester=personas.requester,
        opening=services.Opening(subject="Akun SIAKAD belum aktif", body="Belum bisa masuk."),
        fields={"nomor_induk": "4312201001", "status": "Mahasiswa", "sistem": "SIAKAD"},
    ).ticket


@pytest.mark.django_db
def test_the_request_page_lists_the_details_given_under_the_services_labels(
    sops: None, personas: Personas
) -> None:
    ticket = account_request(personas)
    html = (
        client_for(personas.requester)
        .get(reverse("portal-ticket", args=[ticket.reference]))
        .content.decode()
    )
    details = html.split('id="details-title"', 1)[1].split("</section>", 1)[0]
    # In the SOP's order, with the SOP's labels.
    assert re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", details) == [
        ("NIM/NIP/NIK", "4312201001"),
        ("Status", "Mahasiswa"),
        ("Sistem yang dibutuhkan", "SIAKAD"),
    ]


@pytest.mark.django_db
def test_a_detail_nobody_gave_shows_a_dash(sops: None, personas: Personas) -> None:
    # A request that came by e-mail carries none of the service's fields.
    contact = services.contact_for(email=personas.requester.email)
    ticket = services.ticket_create(
        actor=None,
        service_type=service("PR.33.8", "akun-kampus"),
        requester=contact,
        opening=services.Opening(subject="Lewat e-mail", body="Minta akun."),
        door=Door.EMAIL,
        fields={"sistem": "E-mail kampus"},
    ).ticket
    html = (
        client_for(personas.requester)
        .get(reverse("portal-ticket", args=[ticket.reference]))
        .content.decode()
    )
    assert "<dt>NIM/NIP/NIK</dt><dd>—</dd>" in html
    assert "<dt>Sistem yang dibutuhkan</dt><dd>E-mail kampus</dd>" in html


def steps_of(html: str) -> list[str]:
    """The request page's steps, each as it reads (without the day a step was done)."""
    progress = html.split('id="request-progress"', 1)[1].split("</section>", 1)[0]
    items = re.findall(r"<li[^>]*>(.*?)</li>", progress, re.S)
    return [text_of(re.sub(r"<time.*?</time>", "", item, flags=re.S)) for item in items]


@pytest.mark.django_db
def test_the_steps_read_from_the_requesters_side(sops: None, personas: Personas) -> None:
    ticket = open_ticket(personas, key="akun-kampus")
    url = reverse("portal-ticket", args=[ticket.reference])
    client = client_for(personas.requester, language="id")
    html = client.get(url).content.decode()
    assert steps_of(html) == [
        "Sedang diproses: Identifikasi permintaan akun",
        "Berikutnya: Pengelolaan akun",
        "Berikutnya: Distribusi akun baru",
    ]
    first = ticket.steps.get(position=1)
    services.ticket_complete_step(
        actor=personas.staff, step=first, output="Akun dicek", data=identified(ticket)
    )
    html = client.get(url).content.decode()
    assert steps_of(html) == [
        "Selesai: Identifikasi permintaan akun",
        "Sedang diproses: Pengelolaan akun",
        "Berikutnya: Distribusi akun baru",
    ]
    assert 'aria-current="step"' in html
    # Nothing internal: not the SOP's role, not who did it, not the step's output.
    assert "Staf UPT-SI" not in html
    assert "Akun dicek" not in html
    # Resolved early: the steps nobody took are left out.
    services.ticket_set_status(actor=personas.staff, ticket=ticket, status=Status.RESOLVED)
    assert steps_of(client.get(url).content.decode()) == ["Selesai: Identifikasi permintaan akun"]


@pytest.mark.django_db
def test_the_requesters_own_steps_and_the_outcomes_still_open_say_so(
    sops: None, personas: Personas
) -> None:
    ticket = services.ticket_create(
        actor=personas.requester,
        service_type=service("SDM.5.OT.02.02-5068", "pemberian-akses"),
        requester=personas.requester,
        opening=services.Opening(subject="Akses Zoom", body="Mohon akses Zoom Pro."),
        fields={"akun": "Zoom Pro prodi", "keperluan": "Kuliah daring"},
    ).ticket
    baa_staff = make_user("staf-baa", Role.STAFF, "BAA")
    url = reverse("portal-ticket", args=[ticket.reference])
    client = client_for(personas.requester)
    assert steps_of(client.get(url).content.decode()) == [
        "Done by you: Mengirim pesan melalui Whatsapp maupun e-mail.",
        "Being handled: Mendapatkan pesan masuk melalui Whatsapp maupun e-mail dan Memberikan"
        " tanggapan dan pertanyaan kepada pengirim.",
        "Your turn later: Menerima tanggapan dan pertanyaan kepada pengirim.",
        "Your turn later: Pengirim memberikan jawaban dan konfirmasi kepada Penanggung Jawab.",
        "Coming up: Perihal pemberian akses.",
        "One possible outcome: Jawaban Pengirim diterima dan akses diberikan.",
        "One possible outcome: Permohonan tidak sesuai dan akses ditolak.",
    ]
    for _ in range(3):  # b2, then the requester's b3 and b4 (recorded by staff)
        step = ticket.steps.get(state="active")
        services.ticket_complete_step(actor=baa_staff, step=step)
        if step.position == 2:
            shown = steps_of(client.get(url).content.decode())
            assert shown[2] == "Waiting for you: Menerima tanggapan dan pertanyaan kepada pengirim."
    services.ticket_complete_step(
        actor=baa_staff, step=ticket.steps.get(state="active"), branch="b6-akses-diberikan"
    )
    shown = steps_of(client.get(url).content.decode())
    assert shown[-2:] == [
        "Done: Perihal pemberian akses.",
        "Being handled: Jawaban Pengirim diterima dan akses diberikan.",
    ]
    assert not any("ditolak" in line for line in shown)


@pytest.mark.django_db
def test_split_off_messages_say_where_they_went(sops: None, personas: Personas) -> None:
    ticket = open_ticket(personas)
    services.ticket_requester_message(
        ticket=ticket,
        body="Printer ruang dosen juga macet.",
        door=Door.WEB,
        author=personas.requester,
    )
    services.ticket_requester_message(
        ticket=ticket, body="Tintanya habis juga.", door=Door.WEB, author=personas.requester
    )
    note = services.ticket_note(actor=personas.staff, ticket=ticket, body="Cek toner dulu.")
    moved = [*list(ticket.articles.order_by("id").values_list("pk", flat=True))[1:3], note.pk]
    new = services.ticket_split(
        actor=personas.staff, ticket=ticket, article_ids=moved, subject="Printer ruang dosen"
    )
    html = (
        client_for(personas.requester, language="id")
        .get(reverse("portal-ticket", args=[ticket.reference]))
        .content.decode()
    )
    assert "Printer ruang dosen juga macet." not in html
    link = f'<a href="{reverse("portal-ticket", args=[new.reference])}">'
    # Two of the messages moved; the internal note that went with them is not counted.
    assert f"{link}2 pesan dipindahkan ke permintaan {new.reference}</a>" in html
    # In its place in the conversation: after the message that stayed.
    assert html.index("Wi-Fi di lab 3 tidak tersambung") < html.index("2 pesan dipindahkan")
    # The new request is the requester's: there they find the moved messages.
    there = client_for(personas.requester).get(reverse("portal-ticket", args=[new.reference]))
    assert "Printer ruang dosen juga macet." in there.content.decode()
    english = client_for(personas.requester).get(reverse("portal-ticket", args=[ticket.reference]))
    assert f"2 messages moved to request {new.reference}" in english.content.decode()


@pytest.mark.django_db
def test_a_move_to_a_request_the_viewer_may_not_see_names_it_without_a_link(
    sops: None, personas: Personas
) -> None:
    mine = open_ticket(personas)
    other = make_user("mahasiswa-lain", Role.REQUESTER, "TRPL")
    theirs = open_ticket(personas, requester=other)
    services.ticket_merge(actor=personas.staff, source=mine, target=theirs)
    html = (
        client_for(personas.requester)
        .get(reverse("portal-ticket", args=[mine.reference]))
        .content.decode()
    )
    assert (
        f"This request was merged into request {theirs.reference}; its messages continue there."
        in html
    )
    assert reverse("portal-ticket", args=[theirs.reference]) not in html
    # Staff of the unit see both requests: for them it is a link.
    staff_html = (
        client_for(personas.staff)
        .get(reverse("portal-ticket", args=[mine.reference]))
        .content.decode()
    )
    assert f'href="{reverse("portal-ticket", args=[theirs.reference])}"' in staff_html


@pytest.mark.parametrize("count", [1, 12])
@pytest.mark.django_db
def test_the_request_page_runs_a_fixed_number_of_queries(
    sops: None, personas: Personas, count: int, django_assert_num_queries: Any
) -> None:
    ticket = open_ticket(personas, key="akun-kampus")
    for number in range(count):
        upload = services.Upload(f"foto{number}.png", "image/png", PNG)
        services.ticket_requester_message(
            ticket=ticket,
            body=f"Tambahan {number}",
            door=Door.WEB,
            author=personas.requester,
            uploads=[upload],
        )
        services.ticket_reply(actor=personas.staff, ticket=ticket, body=f"Balasan {number}")
    for step in ticket.steps.order_by("position")[:2]:
        services.ticket_complete_step(actor=personas.staff, step=step, data=identified(ticket))
    articles = list(ticket.articles.order_by("id").values_list("pk", flat=True))
    for number in range(count):
        services.ticket_split(
            actor=personas.staff,
            ticket=ticket,
            article_ids=[articles[-1 - number]],
            subject=f"Bagian {number}",
        )
    client = client_for(personas.requester)
    url = reverse("portal-ticket", args=[ticket.reference])
    # Session, user, the viewer's units (visibility, and the nav's roles), the ticket, its
    # messages and their attachments, the split events and which of their requests the
    # viewer may see, the steps, the unit's time zone: as many with 1 move as with 12.
    with django_assert_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("portal-moved") == count


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_request_page_on_a_phone_tells_where_the_request_stands(
    page: Any, personas: Personas
) -> None:
    from pintu.sop.services import DEFINITIONS_DIR, sop_load_dir

    sop_load_dir(actor=None, directory=DEFINITIONS_DIR)
    ticket = account_request(personas)
    services.ticket_requester_message(
        ticket=ticket,
        body="Sekalian: proyektor kelas B2 mati.",
        door=Door.WEB,
        author=personas.requester,
    )
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Akun sedang kami cek.")
    services.ticket_complete_step(
        actor=personas.staff, step=ticket.steps.get(position=1), data=identified(ticket)
    )
    projector = ticket.articles.get(body__startswith="Sekalian")
    new = services.ticket_split(
        actor=personas.staff, ticket=ticket, article_ids=[projector.pk], subject="Proyektor B2"
    )

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login/?next=" + reverse("portal-ticket", args=[ticket.reference]))
    page.fill("#id_username", "mahasiswa")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("#request-progress")
    steps = page.locator("#request-progress li").all_inner_texts()
    assert steps[0].startswith("Selesai: Identifikasi permintaan akun")
    assert steps[1:] == ["Sedang diproses: Pengelolaan akun", "Berikutnya: Distribusi akun baru"]
    summary = page.inner_text("#ticket-summary").lower()  # the labels are set in capitals
    assert "jawaban pertama paling lambat" in summary and "dijawab pada" in summary
    assert "selesai paling lambat" in summary
    details = page.inner_text(".portal-details")
    assert "NIM/NIP/NIK" in details and "4312201001" in details and "SIAKAD" in details
    notice = page.get_by_role("link", name=f"1 pesan dipindahkan ke permintaan {new.reference}")
    assert notice.is_visible()
    assert page.locator("text=proyektor kelas B2").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "portal-request-page-phone")

    notice.click()
    page.wait_for_url("**" + reverse("portal-ticket", args=[new.reference]))
    assert page.locator("text=Sekalian: proyektor kelas B2 mati.").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "portal-request-split-off-phone")


# ---------------------------------------------------------------- a unit's page


@pytest.mark.django_db
def test_the_catalogue_links_each_unit_to_its_page(sops: None, personas: Personas) -> None:
    client = client_for(personas.requester)
    html = client.get(reverse("portal-home")).content.decode()
    unit_url = reverse("portal-unit", args=["UPT-SI"])
    assert unit_url == "/layanan/unit/UPT-SI/"
    assert f'<h2 id="unit-UPT-SI"><a href="{unit_url}">UPT Sistem Informasi</a></h2>' in html
    form = client.get(LIGHT_WORK).content.decode()
    assert f'<a href="{unit_url}">UPT Sistem Informasi</a></nav>' in form


@pytest.mark.django_db
def test_a_units_page_lists_its_services_contact_hours_and_closures(
    sops: None, personas: Personas, django_assert_num_queries: Any
) -> None:
    from pintu.org import services as org_services
    from pintu.org.models import Unit

    unit = Unit.objects.get(code="UPT-SI")
    Unit.objects.filter(pk=unit.pk).update(email="helpdesk-si@pintu.test")
    p4m = Unit.objects.get(code="P4M")
    for closed, first, last, reason in [
        (unit, 3, 4, "Pemeliharaan server"),
        (None, 10, 10, "Dies natalis"),  # the whole institution
        (p4m, 5, 5, "Rapat kerja P4M"),
        (unit, -9, -8, "Sudah lewat"),
    ]:
        org_services.closure_add(
            actor=personas.admin,
            unit=closed,
            start_date=timezone.localdate() + timedelta(days=first),
            end_date=timezone.localdate() + timedelta(days=last),
            reason=reason,
        )
    client = client_for(personas.requester, language="id")
    url = reverse("portal-unit", args=["UPT-SI"])
    # Session, user, the nav's roles, the unit, its SOPs in force and their service
    # types, its calendar, its closures.
    with django_assert_num_queries(8):
        response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    names = catalogue_names(html)
    assert len(names) == 11 and names[0] == "Permintaan akun kampus"
    assert reverse("portal-request", args=["PR.33.8", "akun-kampus"]) in html
    assert "Dijawab dalam 15 menit kerja; selesai dalam 1 hari kerja" in html
    assert '<a href="mailto:helpdesk-si@pintu.test">helpdesk-si@pintu.test</a>' in html
    text = text_of(html)
    assert "Senin–Kamis 07.30–16.00 Jumat 07.30–16.30 Sabtu–Minggu ditutup" in text
    assert "Waktu dalam WIB." in text
    # The unit's closures and the institution's, soonest first; not another unit's, not
    # past ones.
    closures = text.split("Tutup pada", 1)[1]
    assert closures.index("Pemeliharaan server") < closures.index("Dies natalis")
    assert "Rapat kerja P4M" not in text and "Sudah lewat" not in text
    assert reverse("unit-calendar", args=["UPT-SI"]) in html


@pytest.mark.django_db
def test_a_unit_without_services_address_or_closures_says_so(personas: Personas) -> None:
    html = client_for(personas.requester).get(reverse("portal-unit", args=["DIR"]))
    text = text_of(html.content.decode())
    assert "This unit takes no requests in the portal yet." in text
    assert "This unit has no e-mail address for requests" in text
    assert "No closures ahead, beyond the national holidays." in text
    # Without a calendar of its own it keeps the default week.
    assert "Monday–Thursday 07:30–16:00 Friday 07:30–16:30 Saturday–Sunday closed" in text


@pytest.mark.django_db
def test_an_unknown_or_inactive_unit_is_not_found_and_the_page_needs_a_sign_in(
    personas: Personas,
) -> None:
    from pintu.org.models import Unit

    client = client_for(personas.requester)
    assert client.get(reverse("portal-unit", args=["TIDAK-ADA"])).status_code == 404
    Unit.objects.filter(code="PHK").update(is_active=False)
    assert client.get(reverse("portal-unit", args=["PHK"])).status_code == 404
    anonymous = client_for(None).get(reverse("portal-unit", args=["UPT-SI"]))
    assert anonymous.status_code == 302 and anonymous["Location"].startswith(reverse("login"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_requester_finds_a_service_and_its_unit_on_a_phone(page: Any, personas: Personas) -> None:
    from pintu.org import services as org_services
    from pintu.org.models import Unit
    from pintu.sop.services import DEFINITIONS_DIR, sop_load_dir

    sop_load_dir(actor=None, directory=DEFINITIONS_DIR)
    unit = Unit.objects.get(code="UPT-SI")
    Unit.objects.filter(pk=unit.pk).update(email="helpdesk-si@pintu.test")
    soon = timezone.localdate() + timedelta(days=7)
    org_services.closure_add(
        actor=personas.admin, unit=unit, start_date=soon, end_date=soon, reason="Migrasi server"
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/login/?next=" + reverse("portal-home"))
    page.fill("#id_username", "mahasiswa")
    page.fill("#id_password", PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_selector("#catalogue-q")
    page.fill("#catalogue-q", "Jaringan")
    page.keyboard.press("Enter")
    page.wait_for_url("**/layanan/?q=Jaringan")
    assert page.locator(".portal-service h3").all_inner_texts() == [
        "Layanan kategori ringan",
        "Layanan kategori berat",
    ]
    assert page.inner_text(".portal-search-found").startswith("2 layanan cocok dengan “Jaringan”.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "portal-catalogue-search-phone")

    page.fill("#catalogue-q", "parkir motor")
    page.keyboard.press("Enter")
    page.wait_for_selector(".portal-empty")
    assert "Tidak ada layanan yang cocok dengan “parkir motor”." in page.inner_text(".portal-empty")
    screenshot(page, "portal-catalogue-search-empty-phone")

    page.click(".portal-empty a")
    page.get_by_role("link", name="UPT Sistem Informasi").click()
    page.wait_for_url("**" + reverse("portal-unit", args=["UPT-SI"]))
    assert page.locator(".portal-service").count() == 11
    hours = page.inner_text(".portal-hours")
    assert "Senin–Kamis" in hours and "07.30–16.00" in hours
    assert "Migrasi server" in page.inner_text(".portal-closures")
    assert page.get_by_role("link", name="helpdesk-si@pintu.test").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "portal-unit-phone")
