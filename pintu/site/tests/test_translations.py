"""Every page reads in Indonesian: each one is rendered in the default language, and a
string it asks the catalogue for that has no Indonesian text, or English words that were
never marked for translation, fail the test with the page that shows them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from html.parser import HTMLParser
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.translation import trans_real

from pintu.conftest import Personas, fields_for, make_user, service
from pintu.desk import services
from pintu.desk.models import Door, Status, Ticket
from pintu.desk.tests.files import PDF, PNG
from pintu.doors.email.ingest import ingest_email
from pintu.identity.cohorts import cohort_create, cohort_run
from pintu.identity.handover import link_token
from pintu.identity.models import Cohort, Handover
from pintu.kpi import services as kpi_services
from pintu.media import services as media_services
from pintu.org import services as org_services
from pintu.org.models import Role, Unit, User
from pintu.outbox.models import OutboxItem
from pintu.partners import services as partner_services
from pintu.partners.models import Aspect
from pintu.partners.services import activities as activity_services
from pintu.partners.services import monitoring as monitoring_services
from pintu.partners.services import surveys as survey_services
from pintu.partners.tests.conftest import agreement_signed
from pintu.records.models import DestructionProposal
from pintu.records.services import hold_place, retention_run
from pintu.reports import services as report_services
from pintu.reports.content import report_for
from pintu.sop.models import ServiceType, Sop
from pintu.vault.models import DigitalAccount
from pintu.vault.tests.helpers import KEY, grant
from pintu.vault.tests.helpers import entry as register_entry

pytestmark = pytest.mark.django_db

# Pages that are no pages: downloads, JSON, endpoints that only take a POST or an
# upload, and the mail catcher's raw file.
NOT_PAGES = {
    "logout",
    "healthz",
    "audit-log-csv",
    "audit-log-xlsx",
    "sop-pdf",
    "desk-queue-rows",
    "desk-bulk",
    "desk-filter-save",
    "desk-filter-delete",
    "desk-new-fields",
    "desk-new-people",
    "desk-attachment",
    "portal-conversation",
    "portal-reply",
    "portal-rate",
    "doors-inbound-raw",
    "doors-inbound-retry",
    "dev-mail-raw",
    "whatsapp-webhook",
    "partners-contact-add",
    "partners-agreement-status",
    "partners-agreement-version",
    "partners-agreement-file",
    "partners-activity-file",
    "partners-monitoring-start",
    "partners-monitoring-pdf",
    "partners-partner-survey",
    "kpi-export",
    "kpi-evidence-file",
    "kpi-evidence-judge",
    "reports-status",
    "reports-file",
    "elearning-release-announced",
    "elearning-target-retry",
    "media-feed",
    "media-asset",
    "media-metrics-csv",
    "media-report-review",
    *(f"media-{action}" for action in (
        "item-edit", "item-reschedule", "item-move", "task-add", "task-done", "asset-add",
        "publication", "metrics",
    )),
    "records-proposal-decide",
    "records-proposal-pdf",
    "records-hold-lift",
    "vault-reveal",
    "vault-grant-revoke",
    "vault-report-xlsx",
    "identity-cohort-letters",
    "identity-ask",
    *(f"desk-ticket-{action}" for action in (
        "reply", "note", "assign", "status", "step", "merge", "split", "fields", "retry",
    )),
}  # fmt: skip
# English words that an Indonesian page never needs (names and addresses aside).
ENGLISH = re.compile(
    r"\b(the|and|your|you|please|with|this|that|will|have|has|been|not|are|for|of|"
    r"request|requests|procedure|procedures|found|submit|cancel|search)\b",
    re.IGNORECASE,
)


ADDRESS = re.compile(r"\S*[/@]\S*")
VOID = ("br", "img", "input", "meta", "link", "hr", "wbr")


def patterns(resolvers: list[Any], prefix: str = "") -> Iterator[tuple[str, str]]:
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), entry.name


class VisibleText(HTMLParser):
    """The words a reader sees: no scripts, styles or attribute values, and no parts the
    page marks as being in another language."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self._skip: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        lang = dict(attrs).get("lang") or ""
        foreign = bool(lang) and not lang.startswith("id")
        inside = bool(self._skip) and tag not in VOID
        if tag in ("script", "style", "svg") or foreign or inside:
            self._skip.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self._skip:
            self._skip.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.words.append(data)


@pytest.fixture
def misses(monkeypatch: Any) -> set[str]:
    """Every msgid looked up in Indonesian that the catalogue has no text for."""
    found: set[str] = set()
    original_gettext = trans_real.DjangoTranslation.gettext
    original_ngettext = trans_real.DjangoTranslation.ngettext

    def gettext(self: Any, message: str) -> str:
        result = original_gettext(self, message)
        untranslated = self.language() == "id" and self._catalog.get(message) is None
        if untranslated and any(ch.isalpha() for ch in message):
            found.add(message)
        return result

    def ngettext(self: Any, singular: str, plural: str, number: int) -> str:
        if self.language() == "id" and self._catalog.get((singular, 0)) is None:
            found.add(singular)
        return original_ngettext(self, singular, plural, number)

    monkeypatch.setattr(trans_real.DjangoTranslation, "gettext", gettext)
    monkeypatch.setattr(trans_real.DjangoTranslation, "ngettext", ngettext)
    return found


def _data(personas: Personas, settings: Any, tmp_path: Any) -> dict[str, str]:
    """One of everything a page shows: requests in several states, a rated one, a split,
    a dead letter, a closure, a quarantined mail, a caught mail."""
    settings.MEDIA_ROOT = tmp_path
    settings.PINTU_CAUGHT_MAIL_DIR = tmp_path / "mail"
    (tmp_path / "mail").mkdir()
    (tmp_path / "mail" / "20261201-101500-0001.eml").write_bytes(
        b"From: pintu@pintu.test\r\nTo: tamu@example.ac.id\r\nSubject: Uji\r\n\r\nHalo.\r\n"
    )
    make_user("staf-baa", Role.STAFF, "BAA")
    svc = service("PR.33.8", "layanan-ringan")
    ticket = services.ticket_create(
        actor=personas.requester,
        service_type=svc,
        requester=personas.requester,
        opening=services.Opening(
            subject="Printer lab 2", body="Macet.", uploads=[services.Upload("a.png", "", PNG)]
        ),
        fields=fields_for(svc),
    ).ticket
    services.ticket_reply(actor=personas.staff, ticket=ticket, body="Kami cek.")
    extra = services.ticket_requester_message(
        ticket=ticket, body="Scanner juga.", door=Door.WEB, author=personas.requester
    )
    services.ticket_split(
        actor=personas.staff, ticket=ticket, article_ids=[extra.pk], subject="Scanner"
    )
    services.ticket_set_status(actor=personas.staff, ticket=ticket, status=Status.RESOLVED)
    services.ticket_rate(actor=personas.requester, ticket=ticket, score=4, comment="Cepat.")
    OutboxItem.objects.create(
        cause=ticket, transport="email", purpose="reply", recipient="x@y.id", status="dead"
    )
    closure = org_services.closure_add(
        actor=personas.head,
        unit=Unit.objects.get(code="UPT-SI"),
        start_date=timezone.localdate(),
        end_date=timezone.localdate(),
        reason="Pemeliharaan",
    )
    ingest_email(b"not a mail at all", unit=Unit.objects.get(code="UPT-SI"))
    _kpi_data(personas)
    # A run years ahead proposes the lot for destruction, and a hold keeps one request.
    hold_place(
        actor=personas.admin, scope="ticket", ticket=ticket, reason="Akreditasi", now=timezone.now()
    )
    retention_run(now=timezone.now() + timedelta(days=6 * 366))
    _account_data(personas, settings)
    _report_data(personas)
    return {
        "reference": ticket.reference,
        "closure": str(closure.pk),
        **_media_data(personas),
        **partnerships(personas),
    }


def _media_data(personas: Personas) -> dict[str, str]:
    """A content item with a task, published, and the review that decided it."""
    phk, now = Unit.objects.get(code="PHK"), timezone.now()
    humas = make_user("staf-humas", Role.STAFF, "PHK")
    item = media_services.item_create(
        actor=humas,
        unit=phk,
        title="Liputan wisuda",
        channel="instagram",
        planned_at=now - timedelta(days=1),
        status="planned",
        now=now,
    )
    media_services.task_add(actor=humas, item=item, title="Foto", due_on=now.date(), now=now)
    review = media_services.review_record(
        actor=humas,
        unit=phk,
        kind="meeting",
        held_at=now,
        period_start=now.date() - timedelta(days=7),
        period_end=now.date() + timedelta(days=7),
        items=[item],
        agenda="Jadwal pekan ini",
        now=now,
    )
    for status in ("in_production", "in_review", "approved"):
        media_services.item_move(actor=humas, item=item, status=status, now=now)
    media_services.publication_record(
        actor=humas, item=item, url="https://instagram.com/p/wisuda", published_at=now, now=now
    )
    return {"item": str(item.pk), "review": str(review.pk)}


def partnerships(personas: Personas) -> dict[str, str]:
    """A partner with a contact and a signed agreement with its document."""
    partner = partner_services.partner_create(
        actor=personas.admin, name="PT Sinar Batam Teknologi", kind="industry", level="national"
    )
    contact = partner_services.contact_add(
        actor=personas.admin, partner=partner, name="Ir. Surya Darma", email="surya@sinar.example"
    )
    agreement = partner_services.agreement_create(
        actor=personas.admin, partners=[partner], kind="mou", title="Kerja sama magang"
    )
    partner_services.agreement_add_version(
        actor=personas.admin, agreement=agreement, upload=services.Upload("mou.pdf", "", PDF)
    )
    activity = services.ticket_create(
        actor=personas.admin,
        service_type=service("PR.KS", "kegiatan-kerjasama"),
        requester=personas.requester,
        opening=services.Opening(subject="Kuliah tamu", body="Mohon diatur."),
        fields={"mitra": str(partner), "unit_kerja": "TRPL", "uraian": "Kuliah tamu."},
    ).ticket
    planned = activity_services.activity_plan(
        actor=personas.admin,
        ticket=activity,
        title="Kuliah tamu",
        partner=partner,
        agreement=None,
        units=Unit.objects.filter(code="TRPL"),
        scopes=["education"],
        planned_start=timezone.localdate(),
        planned_end=None,
        agenda="Kuliah tamu dan diskusi kurikulum",
        now=timezone.now(),
    )
    now = timezone.now()
    _waiting, open_token = survey_services.survey_send(
        actor=personas.admin, partner=partner, contact=None, agreement=None, year=now.year, now=now
    )
    answered, answered_token = survey_services.survey_send(
        actor=personas.admin, partner=partner, contact=None, agreement=None, year=now.year, now=now
    )
    scores = {"communication": 5, "benefit": 4, "quality": 3, "continuity": 5}
    survey_services.survey_answer(survey=answered, scores=scores, comment="Baik", now=now)
    signed = agreement_signed(personas.admin, partner, number="002/PL29/KS/2026")
    monitoring, _made = monitoring_services.monitoring_open(
        actor=personas.admin, agreement=signed, year=now.year, now=now
    )
    jti = Unit.objects.get(code="JTI")
    monitoring_services.monitoring_fill(
        actor=personas.admin,
        monitoring=monitoring,
        activities=[],
        outputs="Laporan",
        benefits="Kurikulum",
        judgements=[
            monitoring_services.Judgement(jti, Aspect.BENEFIT, True, "Modul praktikum"),
            monitoring_services.Judgement(jti, Aspect.PERFORMANCE, False),
            monitoring_services.Judgement(jti, Aspect.SATISFACTION, True, "", answered),
        ],
        now=now,
    )
    return {
        "partner": str(partner.pk),
        "contact": str(contact.pk),
        "agreement": str(agreement.pk),
        "activity": str(planned.pk),
        "monitoring": str(monitoring.pk),
        "surveys": f"{open_token} {answered_token}",
    }


def _account_data(personas: Personas, settings: Any) -> None:
    """A digital-service account with its credential and a grant; a campus account made
    through a cohort, with its one-time link."""
    settings.PINTU_VAULT_KEY = KEY
    staff = User.objects.get(username="staf-baa")
    grant(staff, personas.requester, [register_entry(staff)])
    students = b"nim,nama,email,jenis,prodi\n4321250001,Siti Aminah,siti@m.test,mahasiswa,TRPL\n"
    cohort, _ = cohort_create(
        actor=personas.admin, filename="angkatan.csv", data=students, send_messages=False,
        now=timezone.now(),
    )  # fmt: skip
    assert cohort is not None
    cohort_run(cohort=cohort, now=timezone.now())


def _kpi_data(personas: Personas) -> None:
    """A document waiting for review, a judged one, an evaluation with two findings."""
    unit, today, now = Unit.objects.get(code="UPT-SI"), timezone.localdate(), timezone.now()
    for title in ("Kebijakan layanan", "Prosedur layanan"):
        document = kpi_services.evidence_upload(
            actor=personas.head,
            unit=unit,
            sop_code="PR.33.8",
            kpi_code="B.4.6.1",
            item="",
            title=title,
            upload=services.Upload("kebijakan.pdf", "application/pdf", PDF),
            valid_from=today,
            valid_until=today,
            now=now,
        )
    kpi_services.evidence_judge(actor=personas.admin, document=document, accept=True, now=now)
    evaluation = kpi_services.evaluation_record(
        actor=personas.head,
        unit=unit,
        sop_code="PR.33.8",
        service_key="layanan-ringan",
        year=today.year,
        evaluated_on=today,
        summary="Waktu tunggu di jam sibuk terlalu lama.",
    )
    for text in ("Antrean pagi menumpuk", "Formulir kurang jelas"):
        finding = kpi_services.finding_add(
            actor=personas.head, evaluation=evaluation, text=text, action="Tambah petugas piket"
        )
    kpi_services.finding_done(actor=personas.head, finding=finding, note="Sudah", now=now)


def _report_data(personas: Personas) -> None:
    """An analysis point, this year's plan and last year's, one action closed."""
    unit, now = Unit.objects.get(code="UPT-SI"), timezone.now()
    year = timezone.localdate().year
    report = report_services.point_add(
        actor=personas.head,
        report=report_for(unit, year, "led"),
        kind="weakness",
        text="Balasan pertama sering terlambat.",
        figure_keys=["requests"],
        now=now,
    ).report
    report_services.follow_up_add(
        actor=personas.head,
        report=report,
        action="Piket pagi",
        owner="Subkoor",
        due=now.date(),
        now=now,
    )
    last = report_services.follow_up_add(
        actor=personas.head,
        report=report_for(unit, year - 1, "led"),
        action="Formulir baru",
        owner="Subkoor",
        due=now.date(),
        now=now,
    )
    report_services.follow_up_close(
        actor=personas.head, follow_up=last, status="done", outcome="Selesai", now=now
    )


def _urls(name: str, route: str, data: dict[str, str]) -> list[str]:
    """Every concrete address of a named pattern worth rendering."""
    if "<" not in route:
        return [reverse(name)]
    if name in ("desk-ticket", "portal-ticket", "portal-confirmation"):
        return [
            reverse(name, args=[ref]) for ref in Ticket.objects.values_list("reference", flat=True)
        ]
    if name == "sop-detail":
        return [reverse(name, args=[code]) for code in Sop.objects.values_list("code", flat=True)]
    if name == "portal-request":
        return [
            reverse(name, args=[st.sop.code, st.key])
            for st in ServiceType.objects.filter(sop__is_current=True).select_related("sop")
        ]
    if name in ("unit-calendar", "portal-unit"):
        return [reverse(name, args=[code]) for code in ("UPT-SI", "P4M", "BAA", "PHK", "KS")]
    if name in ("unit-closure-edit", "unit-closure-delete"):
        return [reverse(name, args=["UPT-SI", data["closure"]])]
    if name == "partners-survey-answer":
        return [reverse(name, args=[token]) for token in data["surveys"].split()]
    if name.startswith(
        (
            "partners-partner",
            "partners-contact",
            "partners-agreement",
            "partners-activity",
            "partners-monitoring",
        )
    ):
        key = name.split("-")[1]
        return [reverse(name, args=[data[key]])]
    if name in ("kpi-unit", "kpi-evaluations"):
        return [
            reverse(name, args=[code, timezone.localdate().year])
            for code in ("UPT-SI", "P4M", "BAA", "PHK", "KS")
        ]
    if name == "kpi-evidence":
        return [reverse(name, args=[code]) for code in ("UPT-SI", "P4M", "BAA", "PHK", "KS")]
    if name == "kpi-detail":
        return [
            reverse(name, args=[sop.unit.code, timezone.localdate().year, kpi.code])
            for sop in Sop.objects.filter(is_current=True).select_related("unit")
            for kpi in sop.parsed().kpis
        ]
    if name == "reports-unit":
        year = timezone.localdate().year
        return [
            reverse(name, args=[code, year]) + f"?kind={kind}"
            for code in ("UPT-SI", "PHK")
            for kind in ("led", "analysis")
        ]
    if name == "media-item":
        return [reverse(name, args=[data["item"]])]
    if name == "media-review":
        return [reverse(name, args=[data["review"]])]
    if name == "records-proposal":
        return [
            reverse(name, args=[pk])
            for pk in DestructionProposal.objects.values_list("pk", flat=True)
        ]
    if name == "vault-account":
        return [
            reverse(name, args=[pk]) for pk in DigitalAccount.objects.values_list("pk", flat=True)
        ]
    if name == "identity-cohort":
        return [reverse(name, args=[pk]) for pk in Cohort.objects.values_list("pk", flat=True)]
    if name == "identity-handover":
        return [reverse(name, args=[link_token(h)]) for h in Handover.objects.all()]
    if name == "dev-mail-message":
        return [reverse(name, args=["20261201-101500-0001"])]
    raise AssertionError(f"no address for {name} ({route}): add it here or to NOT_PAGES")


def test_every_page_reads_in_indonesian(
    sops: None, personas: Personas, settings: Any, tmp_path: Any, misses: set[str]
) -> None:
    data = _data(personas, settings, tmp_path)
    admin, requester = Client(), Client()
    admin.force_login(personas.admin)
    requester.force_login(personas.requester)
    problems: list[str] = []
    rendered = 0
    for route, name in patterns(get_resolver().url_patterns):
        if route.startswith(("admin/", "api/", "i18n/")) or name in NOT_PAGES:
            continue
        for url in _urls(name, route, data):
            for who, client in (("admin", admin), ("requester", requester)):
                before = set(misses)
                response = client.get(url)
                if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                    continue
                rendered += 1
                for msgid in sorted(misses - before):
                    problems.append(f"{url} ({who}): no Indonesian for {msgid!r}")
                text = VisibleText()
                text.feed(response.content.decode())
                # Addresses, paths and links are names, not words.
                words = ADDRESS.sub(" ", " ".join(text.words))
                for english in sorted({m.lower() for m in ENGLISH.findall(words)}):
                    problems.append(f"{url} ({who}): English word {english!r} on the page")
    # Error pages in the site's layout, in Indonesian too.
    settings.DEBUG = False
    before = set(misses)
    assert requester.get("/desk/t/XX-00-00000/").status_code == 404
    problems += [f"404 page: no Indonesian for {m!r}" for m in sorted(misses - before)]
    assert rendered > 60, rendered  # the walk reached the pages at all
    assert problems == [], "\n".join(problems)
