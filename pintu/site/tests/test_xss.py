"""Hostile text through every door and form that takes text, then every page that shows
it: no payload may come out as markup (a script, an event handler, a ``javascript:``
link), whichever field it went in by. The pages are parsed, not searched, so that an
escaped payload (harmless text) is told apart from one that became a tag.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import make_msgid
from html.parser import HTMLParser
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pintu.conftest import Personas, make_user, sign_in
from pintu.desk import services
from pintu.desk.models import Ticket
from pintu.desk.tests.test_portal import LIGHT_WORK, request_data
from pintu.doors.email.ingest import ingest_email
from pintu.doors.tests.whatsapp_samples import message, post, webhook
from pintu.doors.whatsapp.ingest import ingest
from pintu.kpi.tests.test_pages import PDF, YEAR
from pintu.org.models import Role, Unit
from pintu.vault.models import DigitalAccount
from pintu.vault.tests.test_register import account_request, bring_to_register_step, posted

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMAGE = '"><img src=x onerror=alert(1)>'
LINK = '<a href="javascript:alert(1)">klik</a>'
TEXTAREA = "</textarea><script>alert(1)</script>"
SVG = "<svg onload=alert(1)><circle r=9 /></svg>"
# One text that tries every way out at once, for the fields that take a line or more.
PAYLOAD = f"Mohon {SCRIPT} {IMAGE} {LINK} {TEXTAREA} {SVG} akhir"
FILENAME = "x\"><img src=x onerror=alert(1)>'.txt"  # no slash: a browser sends the base name


@dataclass
class Markup(HTMLParser):
    """What of a page would run in a browser: scripts, event handlers, script links."""

    found: list[str] = field(default_factory=list)
    _in_script: bool = False

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}={value!r}>")
            link = (value or "").strip().lower().replace("\t", "").replace("\n", "")
            if name in {"href", "src", "action", "formaction", "xlink:href"} and link.startswith(
                ("javascript:", "data:text/html")
            ):
                self.found.append(f"<{tag} {name}={value!r}>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.found.append(f"<script>{data[:60]}")


def run_markup(html: str) -> list[str]:
    parser = Markup()
    parser.feed(html)
    parser.close()
    return parser.found


def assert_inert(client: Client, url: str, *, shows: str = "") -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    html = response.content.decode()
    assert run_markup(html) == [], url
    if shows:
        assert shows in html, f"{url} does not show the hostile text at all"
    return html


def test_the_checker_sees_payloads_that_became_markup() -> None:
    assert run_markup(f"<p>{PAYLOAD}</p>") != []
    assert len(run_markup(f"<p>{SCRIPT}{IMAGE}{LINK}{SVG}</p>")) == 4
    assert run_markup("<p>&lt;script&gt;alert(1)&lt;/script&gt; onerror=alert(1)</p>") == []


def hostile_mail() -> bytes:
    mail = EmailMessage()
    mail["From"] = f'"{SCRIPT} {IMAGE}" <penyerang@example.org>'
    mail["To"] = "helpdesk@si.example.ac.id"
    mail["Subject"] = f"Tolong {SCRIPT} {IMAGE}"
    mail["Message-ID"] = make_msgid(domain="example.org")
    mail.set_content(PAYLOAD)
    mail.add_alternative(
        f"<html><body><p>Halo</p>{SCRIPT}<img src=x onerror=alert(1)>{LINK}{SVG}"
        '<iframe src="javascript:alert(1)"></iframe>'
        '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">'
        "Kirim</button></form><p>akhir</p></body></html>",
        subtype="html",
    )
    mail.add_attachment(b"isi berkas", maintype="text", subtype="plain", filename=FILENAME)
    return mail.as_bytes()


def hostile_whatsapp(client: Client) -> None:
    sender = "6281299990001"
    body = webhook(message("wamid.xss-1", sender, text=PAYLOAD), names={sender: f"{SCRIPT}{IMAGE}"})
    assert post(client, body).status_code == 200
    ingest()


def staff(personas: Personas) -> Client:
    client = Client()
    client.force_login(personas.staff)
    return client


def test_hostile_text_through_the_desk_and_its_doors_is_shown_as_text(
    sops: None, personas: Personas, settings: Any, tmp_path: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PINTU_WHATSAPP_APP_SECRET = "rahasia-aplikasi-uji"
    requester = Client()
    requester.force_login(personas.requester)
    upload = SimpleUploadedFile(FILENAME, b"isi berkas biasa\n", content_type="text/plain")
    filed = requester.post(
        LIGHT_WORK,
        request_data(
            subject=f"Wi-Fi {SCRIPT}", body=PAYLOAD, field_lokasi=IMAGE, attachments=upload
        ),
    )
    assert filed.status_code == 302, filed.content.decode()[:3000]
    portal_ticket = Ticket.objects.get(requester=personas.requester)

    ingest_email(hostile_mail(), unit=Unit.objects.get(code="UPT-SI"))
    hostile_whatsapp(Client())
    tickets = list(Ticket.objects.order_by("pk"))
    assert len(tickets) == 3

    desk = staff(personas)
    for ticket in tickets:
        url = reverse("desk-ticket", args=[ticket.reference])
        for action in ("reply", "note"):
            done = desk.post(
                reverse(f"desk-ticket-{action}", args=[ticket.reference]), {"body": PAYLOAD}
            )
            assert done.status_code == 302, action
        assert_inert(desk, url, shows="&lt;script&gt;alert(1)&lt;/script&gt;")
    assert_inert(desk, reverse("desk-queue"), shows="Wi-Fi &lt;script&gt;")
    assert_inert(desk, reverse("desk-queue-rows"))
    assert_inert(
        requester,
        reverse("portal-ticket", args=[portal_ticket.reference]),
        shows="&lt;script&gt;alert(1)&lt;/script&gt;",
    )
    assert_inert(requester, reverse("portal-home"))
    auditor = Client()
    auditor.force_login(personas.auditor)
    assert_inert(auditor, reverse("audit-log"))


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_staff_page_of_a_hostile_html_mail_runs_none_of_it_in_chromium(
    page: Any, sops: None, personas: Personas
) -> None:
    outcome = ingest_email(hostile_mail(), unit=Unit.objects.get(code="UPT-SI"))
    assert outcome.ticket is not None
    dialogs: list[str] = []

    def dismissed(dialog: Any) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", dismissed)
    sign_in(page, personas.staff.username)
    response = page.goto(reverse("desk-ticket", args=[outcome.ticket]))
    assert response.status == 200
    page.wait_for_load_state("networkidle")
    assert "akhir" in page.locator("main").inner_text()  # the mail is there, as text
    handlers = "[onerror], [onload], [onclick], iframe, form[action^='javascript']"
    assert page.locator(handlers).count() == 0
    assert page.locator("a[href^='javascript']").count() == 0
    inline = page.locator("script:not([src])").all_inner_texts()
    assert not any("alert(" in text for text in inline)
    page.mouse.move(5, 5)  # a handler waiting for the pointer would fire now
    page.wait_for_timeout(300)
    assert dialogs == []


def admin(personas: Personas) -> Client:
    client = Client()
    client.force_login(personas.admin)
    return client


def test_hostile_text_in_a_partner_is_shown_as_text_in_the_register_and_its_charts(
    personas: Personas,
) -> None:
    client = admin(personas)
    partner = {
        "name": f"PT {SCRIPT}",
        "kind": "industry",
        "level": "international",
        "country": f"{IMAGE}{SVG}",  # drawn into the register's chart of countries
        "city": TEXTAREA,
        "notes": PAYLOAD,
        "website": "javascript:alert(1)",
    }
    refused = client.post(reverse("partners-partner-new"), partner)
    assert refused.status_code == 200  # not a web address: the form comes back
    assert run_markup(refused.content.decode()) == []
    partner["website"] = "https://mitra.example.com/"
    made = client.post(reverse("partners-partner-new"), partner)
    assert made.status_code == 302, made.content.decode()[:2000]
    assert_inert(client, made["Location"], shows="PT &lt;script&gt;")
    assert_inert(client, reverse("partners-list"), shows="PT &lt;script&gt;")
    assert_inert(client, reverse("partners-home"))


def test_hostile_text_in_a_media_calendar_item_is_shown_as_text(personas: Personas) -> None:
    client = admin(personas)
    item = {
        "title": f"Konten {SCRIPT}",
        "brief": PAYLOAD,
        "channel": "website",
        "planned_at": "2026-12-10T09:00",
        "links": "javascript:alert(1)",
        "status": "idea",
    }
    refused = client.post(reverse("media-item-new"), item)
    assert refused.status_code == 200  # a link that is not a web address is refused
    page = refused.content.decode()
    assert run_markup(page) == []
    assert "bukan alamat web" in page
    item["links"] = "https://drive.example.com/berkas"
    made = client.post(reverse("media-item-new"), item)
    assert made.status_code == 302, made.content.decode()[:2000]
    assert_inert(client, made["Location"], shows="Konten &lt;script&gt;")
    for page in ("media-calendar", "media-timeline"):
        assert_inert(client, reverse(page) + "?month=2026-12")


def test_hostile_titles_of_kpi_evidence_are_shown_as_text(sops: None, personas: Personas) -> None:
    head = Client()
    head.force_login(personas.head)
    url = reverse("kpi-evidence", args=["UPT-SI"])
    uploaded = head.post(
        url,
        {
            "kpi": "PR.33.8|B.4.6.1",
            "title": f"Kebijakan {SCRIPT} {IMAGE}",
            "file": SimpleUploadedFile(f"{IMAGE}.pdf", PDF, "application/pdf"),
            "valid_from": f"{YEAR}-01-01",
            "valid_until": f"{YEAR}-12-31",
        },
    )
    assert uploaded.status_code == 302, uploaded.content.decode()[:2000]
    assert_inert(head, url, shows="Kebijakan &lt;script&gt;")
    assert_inert(head, reverse("reports-unit", args=["UPT-SI", YEAR]))


def test_hostile_analysis_points_of_a_report_are_shown_as_text(
    sops: None, personas: Personas
) -> None:
    head = Client()
    head.force_login(personas.head)
    url = reverse("reports-unit", args=["UPT-SI", YEAR]) + "?kind=analysis"
    kept = head.post(url, {"form": "point", "kind": "weakness", "text": PAYLOAD})
    assert kept.status_code == 302, kept.content.decode()[:2000]
    assert_inert(head, url, shows="&lt;script&gt;alert(1)&lt;/script&gt;")


def test_a_hostile_campus_account_request_is_shown_as_text_to_its_unit(
    sops: None, personas: Personas
) -> None:
    requester = Client()
    requester.force_login(personas.requester)
    filed = requester.post(
        reverse("portal-request", args=["PR.33.8", "akun-kampus"]),
        {
            "subject": f"Akun {SCRIPT}",
            "body": PAYLOAD,
            "field_nomor_induk": "4321250001",
            "field_status": "Mahasiswa",
            "field_sistem": f"SIAKAD {IMAGE}",
        },
    )
    assert filed.status_code == 302, filed.content.decode()[:3000]
    ticket = Ticket.objects.get(requester=personas.requester)
    desk = staff(personas)
    assert_inert(desk, reverse("desk-ticket", args=[ticket.reference]), shows="Akun &lt;script&gt;")
    assert_inert(desk, reverse("identity-accounts"))
    assert_inert(requester, reverse("portal-ticket", args=[ticket.reference]))


def test_a_hostile_entry_of_the_digital_account_register_is_shown_as_text(
    sops: None, personas: Personas
) -> None:
    keeper = make_user("staf-baa", Role.STAFF, "BAA")
    ticket = account_request(keeper, layanan=f"Zoom {SCRIPT}", akun=f"prodi{IMAGE}")
    step = bring_to_register_step(ticket, keeper)
    desk = Client()
    desk.force_login(keeper)
    ticket_url = reverse("desk-ticket", args=[ticket.reference])
    assert_inert(desk, ticket_url)  # the step's form, filled from the request
    entered = desk.post(
        reverse("desk-ticket-step", args=[ticket.reference]),
        {
            "step": step.pk,
            **posted(
                service=f"Zoom {SCRIPT}",
                account=f"prodi{IMAGE}",
                url="javascript:alert(1)",
                notes=PAYLOAD,
            ),
        },
    )
    assert entered.status_code in (200, 302)
    assert not DigitalAccount.objects.exists()  # a javascript: address is no address
    services.ticket_complete_step(
        actor=keeper,
        step=step,
        data=posted(service=f"Zoom {SCRIPT}", account=f"prodi{IMAGE}", notes=PAYLOAD),
    )
    account = DigitalAccount.objects.get()
    assert_inert(desk, reverse("vault-register"), shows="Zoom &lt;script&gt;")
    assert_inert(desk, reverse("vault-account", args=[account.pk]), shows="Zoom &lt;script&gt;")
    assert_inert(desk, ticket_url, shows="Zoom &lt;script&gt;")
