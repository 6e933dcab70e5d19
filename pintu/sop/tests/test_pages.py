"""The SOP catalogue, the SOP page that reads like the paper document, and its PDF."""

from __future__ import annotations

import dataclasses
import html
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from pintu.conftest import Personas, make_user
from pintu.org.models import Role
from pintu.sop.models import Sop
from pintu.sop.tests.conftest import make_definition, save_sop
from pintu.sop.views import kpi_target_words

pytestmark = pytest.mark.django_db

LOCALE = Path(settings.LOCALE_PATHS[0]) / "id" / "LC_MESSAGES" / "django.po"
SHIPPED = ("PR.13.2", "PR.33.8", "PR.27.4", "PR.KS", "SDM.5.OT.02.02-5068")
EVERY_ROLE = ("requester", "staff", "other_staff", "supervisor", "head", "auditor", "admin")


@pytest.fixture
def staff_client(client: Client, db: None) -> Client:
    client.force_login(make_user("staf-si", Role.STAFF, "UPT-SI"))
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def visible_text(body: str) -> str:
    """The text of a page without its markup, as a reader sees it."""
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def table_row(body: str, cell: str) -> str:
    """The table row of ``body`` that holds ``cell`` (a cell's text and closing tag)."""
    at = body.index(cell if cell.endswith(">") else f">{cell}</td>")
    return body[body.rindex("<tr", 0, at) : body.index("</tr>", at)]


def pdf_pages(content: bytes, folder: Path) -> list[str]:
    """The text of each page of a PDF, as pdftotext lays it out (saved as sop.pdf)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed: PDF text not checked")
    pdf = folder / "sop.pdf"
    pdf.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    return text.split("\f")[:-1]  # each page ends with a form feed


# Access


@pytest.mark.parametrize(
    "url",
    [
        reverse("sop-catalogue"),
        reverse("sop-detail", args=["PR.99.1"]),
        reverse("sop-pdf", args=["PR.99.1"]),
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, sample_sop: Sop, url: str) -> None:
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_every_signed_in_role_may_read_the_sop_pages(
    client: Client, personas: Personas, sample_sop: Sop
) -> None:
    for persona in EVERY_ROLE:
        client.force_login(getattr(personas, persona))
        for url in [reverse("sop-catalogue"), reverse("sop-detail", args=[sample_sop.code])]:
            assert client.get(url).status_code == 200, (persona, url)


@pytest.mark.parametrize(
    "url",
    [
        "/sop/PR.0.0/",
        "/sop/PR.0.0/pdf",
        "/sop/PR.99.1/?revision=9",
        "/sop/PR.99.1/?revision=satu",
        "/sop/PR.99.1/pdf?revision=9",
    ],
)
def test_unknown_sop_or_revision_is_404(staff_client: Client, sample_sop: Sop, url: str) -> None:
    assert staff_client.get(url).status_code == 404


def test_pages_are_read_only(staff_client: Client, sample_sop: Sop) -> None:
    assert staff_client.post(reverse("sop-detail", args=[sample_sop.code])).status_code == 405


# Catalogue


def test_catalogue_lists_current_sops_by_unit_with_their_counts(staff_client: Client) -> None:
    save_sop(dataclasses.replace(make_definition("PR.99.1"), title="Versi lama"), is_current=False)
    save_sop(make_definition("PR.99.1"), revision=2)
    save_sop(make_definition("PR.13.2"), unit="P4M")
    response = staff_client.get(reverse("sop-catalogue"))
    body = response.content.decode()
    assert "Versi lama" not in body
    # P4M comes before UPT-SI, each under its unit's heading.
    assert body.index('id="unit-P4M"') < body.index("PR.13.2") < body.index('id="unit-UPT-SI"')
    assert body.index('id="unit-UPT-SI"') < body.index("PR.99.1")
    assert f'href="{reverse("sop-detail", args=["PR.99.1"])}"' in body
    assert 'datetime="2023-10-11"' in body
    groups = [
        (unit.code, [(e.sop.code, e.services, e.activities, e.kpis) for e in entries])
        for unit, entries in response.context["groups"]
    ]
    assert groups == [("P4M", [("PR.13.2", 2, 8, 2)]), ("UPT-SI", [("PR.99.1", 2, 8, 2)])]


def test_catalogue_counts_the_procedures_in_the_users_language(staff_client: Client) -> None:
    save_sop(make_definition("PR.99.1"))
    assert "1 prosedur berlaku." in page(staff_client, reverse("sop-catalogue"))
    save_sop(make_definition("PR.13.2"), unit="P4M")
    body = page(staff_client, reverse("sop-catalogue"))
    assert "2 prosedur berlaku." in body
    assert "in force" not in body
    staff_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "2 procedures in force." in page(staff_client, reverse("sop-catalogue"))


def test_every_interface_string_of_the_sop_pages_is_translated() -> None:
    # An empty msgstr falls back to the English text silently, plural forms included.
    untranslated = []
    with LOCALE.open("rb") as file:
        for message in read_po(file):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            ours = any(path.startswith("sop/") for path, _ in message.locations)
            if message.id and ours and not all(strings):
                untranslated.append(message.id)
    assert untranslated == []


def test_catalogue_says_when_nothing_is_loaded(staff_client: Client) -> None:
    body = page(staff_client, reverse("sop-catalogue"))
    assert "pintu sop load" in body


def test_catalogue_query_count_does_not_grow_with_the_number_of_sops(
    staff_client: Client, django_assert_max_num_queries: Callable[[int], Any]
) -> None:
    save_sop(make_definition("PR.1.1"))

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            page(staff_client, reverse("sop-catalogue"))
        return len(captured)

    one = queries()
    for number, unit in enumerate(["P4M", "PHK", "KS", "BAA", "UPT-SI"], start=2):
        save_sop(make_definition(f"PR.{number}.1"), unit=unit)
    assert queries() == one
    with django_assert_max_num_queries(5):
        page(staff_client, reverse("sop-catalogue"))


# The SOP page


def test_sop_page_reads_like_the_paper_document(staff_client: Client, sample_sop: Sop) -> None:
    body = page(staff_client, reverse("sop-detail", args=[sample_sop.code]))
    headings = ["1. Tujuan", "2. Ruang Lingkup", "3. Uraian Prosedur", "4. Penyimpanan Data"]
    positions = [body.index(heading) for heading in headings]
    assert positions == sorted(positions)
    for text in [
        "No.PR.99.1-V0",
        "Prosedur Pengelolaan Akun Layanan Digital",
        "UPT-SI",
        "DIR",
        "POLITEKNIK NEGERI BATAM",
        "Memastikan setiap akademisi dapat menggunakan akun yang dibutuhkan",
        "Pencatatan akun",
    ]:
        assert text in body


def test_activity_table_names_actor_time_output_and_note(
    staff_client: Client, sample_sop: Sop
) -> None:
    body = page(staff_client, reverse("sop-detail", args=[sample_sop.code]))
    for heading in ["Kegiatan", "Pelaksana", "Mutu Baku", "Persyaratan/", "Waktu", "Output"]:
        assert heading in body
    assert "Keterangan" in body
    row = table_row(body, "Mendapatkan pesan masuk.")
    assert "Penanggung Jawab" in row
    assert '<td data-label="Waktu" class="nowrap">—</td>' in row  # blank time standard
    row = table_row(body, "Memasukkan akun ke dalam daftar akun yang dikelola.")
    assert "15 menit" in row
    assert "Daftar akun yang dikelola." in row
    assert "Pengirim diberi tahu bahwa akunnya telah dicatat." in row


def test_each_flow_has_its_diagram_and_table(staff_client: Client, sample_sop: Sop) -> None:
    body = page(staff_client, reverse("sop-detail", args=[sample_sop.code]))
    diagrams = body[body.index('id="flow-diagram"') : body.index('id="kpi"')]
    assert diagrams.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 2
    assert "a. Diagram Alir Proses Bisnis: Pendaftaran akun" in diagrams
    assert "b. Diagram Alir Proses Bisnis: Pemberian akses" in diagrams
    assert "akses diberikan" in diagrams
    assert diagrams.count("Uraian Diagram Alir") == 2


def test_services_show_their_targets_in_words_and_link_their_kpi(
    staff_client: Client, sample_sop: Sop
) -> None:
    body = page(staff_client, reverse("sop-detail", args=[sample_sop.code]))
    row = table_row(body, "Pemberian akses</th>")
    assert "15 menit" in row
    assert "3 hari" in row
    assert 'href="#B.4.6.4.b"' in row


def test_kpi_table_anchors_each_code(staff_client: Client, sample_sop: Sop) -> None:
    body = page(staff_client, reverse("sop-detail", args=[sample_sop.code]))
    kpis = body[body.index('id="kpi"') :]
    assert 'id="B.4.6.4.a"' in kpis
    assert "Merespon permintaan layanan maksimal 15 menit" in kpis
    assert "minimal 100%" in kpis
    assert "minimal 90%" in kpis


@pytest.mark.parametrize(
    ("target", "indonesian", "english"),
    [
        ("present", "tersedia", "on file"),
        (">= 100%", "minimal 100%", "at least 100%"),
        (">= 92.5%", "minimal 92,5%", "at least 92.5%"),
        (">= 1/year", "minimal 1 per tahun", "at least 1 a year"),
        (
            ">= 80% from 2020, +5/year",
            "minimal 80% pada 2020, naik 5 poin setiap tahun",
            "at least 80% in 2020, 5 points more each year",
        ),
    ],
)
def test_kpi_targets_read_as_words(target: str, indonesian: str, english: str) -> None:
    assert kpi_target_words(target) == indonesian
    with translation.override("en"):
        assert kpi_target_words(target) == english


def test_shipped_sop_pages_read_in_indonesian_without_stray_marks(
    staff_client: Client, sops: None
) -> None:
    assert "5 prosedur berlaku." in page(staff_client, reverse("sop-catalogue"))
    for code in SHIPPED:
        text = visible_text(page(staff_client, reverse("sop-detail", args=[code])))
        kpis = text[text.index("Catatan") :]
        assert not re.search(r"\bpresent\b", text), code
        assert "#)" not in text, code
        assert "*)" not in text, code
        assert ">=" not in kpis and "/year" not in kpis, code
    assert "tersedia" in visible_text(page(staff_client, reverse("sop-detail", args=["PR.13.2"])))
    # A note's lines stay lines, so its list reads as one rather than as stray dashes.
    body = page(staff_client, reverse("sop-detail", args=["PR.KS"]))
    assert "Berupa:<br>- Kunjungan<br>- Rapat (daring/luring)" in body


def test_records_table_gives_retention_in_words(staff_client: Client, sample_sop: Sop) -> None:
    body = page(staff_client, reverse("sop-detail", args=[sample_sop.code]))
    records = body[body.index("4. Penyimpanan Data") :]
    for text in ["Nama Data", "Berkas", "Lokasi Penyimpanan", "Masa Penyimpanan", "Tiket"]:
        assert text in records
    assert records.count("5 tahun") == 2


def test_optional_sections_appear_only_when_the_sop_has_them(
    staff_client: Client, sample_sop: Sop
) -> None:
    body = page(staff_client, reverse("sop-detail", args=[sample_sop.code]))
    for present in ["Peringatan", "Definisi", "Peralatan/Perlengkapan"]:
        assert f"<h2>{present}</h2>" in body
    for absent in ["Dasar Hukum", "Kualifikasi Pelaksana", "Pihak yang Terkait", "Keterkaitan"]:
        assert absent not in body


def test_known_gaps_are_shown_before_the_flow(staff_client: Client) -> None:
    save_sop(dataclasses.replace(make_definition(), gaps=("Pemberian akses",)))
    body = page(staff_client, reverse("sop-detail", args=["PR.99.1"]))
    notice = body[body.index('class="sop-gaps"') : body.index("</aside>")]
    assert "Celah yang diketahui" in notice
    assert "tidak memuat langkah" in notice
    assert "<li>Pemberian akses</li>" in notice
    assert body.index("3. Uraian Prosedur") < body.index("sop-gaps") < body.index("flow-diagram")


def test_no_gap_notice_where_the_source_covers_its_scope(
    staff_client: Client, sample_sop: Sop
) -> None:
    body = page(staff_client, reverse("sop-detail", args=[sample_sop.code]))
    assert "sop-gaps" not in body
    assert "Celah yang diketahui" not in body


def test_pr_27_4_page_and_pdf_name_its_owner_as_printed_and_its_gap(
    staff_client: Client, sops: None, tmp_path: Path
) -> None:
    body = page(staff_client, reverse("sop-detail", args=["PR.27.4"]))
    assert '</span> Koor.PHK<span class="sop-unit-name">' in body
    assert "Celah yang diketahui" in body
    body = page(staff_client, reverse("sop-detail", args=["PR.33.8"]))
    assert '</span> UPT-SI<span class="sop-unit-name">' in body
    text = "".join(
        pdf_pages(staff_client.get(reverse("sop-pdf", args=["PR.27.4"])).content, tmp_path)
    )
    assert "Koor.PHK" in text
    assert "Celah yang diketahui" in text
    assert "tidak memuat langkah" in text


def test_sop_text_is_escaped_on_the_page(staff_client: Client) -> None:
    definition = dataclasses.replace(
        make_definition("PR.66.6"), title='<script>alert("x")</script>', warning="<b>awas</b>"
    )
    save_sop(definition)
    body = page(staff_client, reverse("sop-detail", args=["PR.66.6"]))
    assert "<script>alert" not in body
    assert "&lt;script&gt;alert" in body
    assert "<b>awas</b>" not in body


def test_an_older_revision_is_shown_with_a_notice(staff_client: Client) -> None:
    save_sop(dataclasses.replace(make_definition(), title="Versi lama"), is_current=False)
    save_sop(make_definition(), revision=2)
    url = reverse("sop-detail", args=["PR.99.1"])
    current = page(staff_client, url)
    assert "Prosedur Pengelolaan Akun Layanan Digital" in current
    assert "sudah tidak berlaku" not in current
    old = page(staff_client, f"{url}?revision=1")
    assert "Versi lama" in old
    assert "sudah tidak berlaku" in old
    assert f"{reverse('sop-pdf', args=['PR.99.1'])}?revision=1" in old


def test_page_links_to_its_pdf(staff_client: Client, sample_sop: Sop) -> None:
    body = page(staff_client, reverse("sop-detail", args=[sample_sop.code]))
    assert f'href="{reverse("sop-pdf", args=[sample_sop.code])}"' in body


def test_interface_text_follows_the_language_while_sop_words_stay(
    staff_client: Client, sample_sop: Sop
) -> None:
    staff_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = page(staff_client, reverse("sop-detail", args=[sample_sop.code]))
    assert "Download PDF" in body
    assert "Request type" in body
    assert "1. Tujuan" in body
    assert "15 menit" in body


# PDF


def test_pdf_export_is_an_a4_attachment_with_the_kpi_codes(
    staff_client: Client, sample_sop: Sop, tmp_path: Path
) -> None:
    response = staff_client.get(reverse("sop-pdf", args=[sample_sop.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="SOP-PR.99.1.pdf"'
    assert response.content.startswith(b"%PDF")
    text = "".join(pdf_pages(response.content, tmp_path))
    assert "B.4.6.4.a" in text
    assert "1. Tujuan" in text
    assert "Prosedur Pengelolaan Akun Layanan Digital" in text
    assert "akses diberikan" in text  # the diagram is inlined as vector text
    assert "geser ke samping" not in text  # the screen's scroll hint stays off paper
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "sop.pdf")], capture_output=True, check=True, text=True
    ).stdout
    assert "(A4)" in info


def test_pdf_targets_read_as_words_without_stray_marks(
    staff_client: Client, sops: None, tmp_path: Path
) -> None:
    response = staff_client.get(reverse("sop-pdf", args=["PR.13.2"]))
    text = "".join(pdf_pages(response.content, tmp_path))
    assert "tersedia" in text
    assert "minimal 100%" in text
    assert not re.search(r"\bpresent\b", text)
    assert "#)" not in text


def test_the_baa_pdf_keeps_step_tables_whole_and_lets_wide_flows_share_pages(
    staff_client: Client, sops: None, tmp_path: Path
) -> None:
    response = staff_client.get(reverse("sop-pdf", args=["SDM.5.OT.02.02-5068"]))
    pages = pdf_pages(response.content, tmp_path)

    def page_of(text: str) -> int:
        return next(number for number, page in enumerate(pages, start=1) if text in page)

    # Flow a's step table, from its heading to the note of its third step, is on one
    # page, and flow b begins on that page rather than after a forced break.
    table_a = page_of("Uraian Diagram Alir")
    assert page_of("Penanggung Jawab memberitahukan kepada") == table_a
    assert page_of("b. Diagram Alir Proses Bisnis") == table_a
    assert page_of("a. Diagram Alir Proses Bisnis") == table_a - 1
    # The flows are printed on landscape pages; the document returns to portrait after.
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", str(len(pages)), str(tmp_path / "sop.pdf")],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    landscape = [
        int(number)
        for number, width, height in re.findall(r"Page +(\d+) size: +([\d.]+) x ([\d.]+)", info)
        if float(width) > float(height)
    ]
    kpis = page_of("4. Penyimpanan Data")
    assert landscape == list(range(table_a - 1, kpis))
    assert kpis == len(pages) == 6


def test_pdf_of_an_older_revision_names_its_revision(staff_client: Client) -> None:
    save_sop(make_definition(), is_current=False)
    save_sop(make_definition(), revision=2)
    response = staff_client.get(reverse("sop-pdf", args=["PR.99.1"]) + "?revision=1")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="SOP-PR.99.1-r1.pdf"'
