"""Cooperation activities through SOP PR.KS's four steps, as the desk's step service
runs them: the plan (sent to the requester), the coordination, the execution and the
archived report; a partner's request followed up by planning its activity."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from pintu.conftest import Personas, service
from pintu.core.models import AuditEvent
from pintu.desk import services as desk
from pintu.desk.actions import PREFIX
from pintu.desk.models import Article, Door, Step, Ticket
from pintu.desk.services import Upload
from pintu.org.models import Unit
from pintu.outbox.models import OutboxItem
from pintu.partners import selectors, services
from pintu.partners.lifecycle import Stage
from pintu.partners.models import Activity, Partner
from pintu.partners.services import activities as activity_services
from pintu.partners.step_forms import PlanForm
from pintu.partners.tests.conftest import PDF, agreement_signed, partner_made

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 5, 4, 2, 0, tzinfo=UTC)  # Mon 4 May 2026, 09.00 WIB


def posted(**values: Any) -> dict[str, Any]:
    return {f"{PREFIX}-{name}": value for name, value in values.items()}


def unit_pks(*codes: str) -> list[int]:
    return list(Unit.objects.filter(code__in=codes).values_list("pk", flat=True))


def activity_request(personas: Personas, **fields: str) -> Ticket:
    svc = service("PR.KS", "kegiatan-kerjasama")
    return desk.ticket_create(
        actor=personas.requester,
        service_type=svc,
        requester=personas.requester,
        opening=desk.Opening(subject="Kuliah tamu keamanan siber", body="Mohon diatur."),
        fields=fields
        or {"mitra": "PT Sinar Batam Teknologi", "unit_kerja": "RKS", "uraian": "Kuliah tamu."},
        now=NOW,
    ).ticket


def step_of(ticket: Ticket, key: str) -> Step:
    return ticket.steps.get(activity__key=key)


PLAN = {
    "title": "Kuliah tamu keamanan siber",
    "planned_start": "2026-05-20",
    "agenda": "Kuliah tamu dan diskusi kurikulum",
    "meetings": "Rapat persiapan 12 Mei, daring",
    "notify": "on",
    "scopes": ["education"],
}


def plan_it(ticket: Ticket, actor: Any, partner: Any, **changes: Any) -> Step:
    data = posted(**{**PLAN, "partner": partner.pk, "units": unit_pks("RKS"), **changes})
    return desk.ticket_complete_step(
        actor=actor, step=step_of(ticket, "rencana-kegiatan"), data=data, now=NOW
    )


def test_an_activity_goes_through_its_four_steps_with_its_report(
    sops: None, personas: Personas, ks_staff: Any
) -> None:
    partner = partner_made(ks_staff)
    agreement = agreement_signed(ks_staff, partner, units=("RKS",))
    ticket = activity_request(personas)
    assert step_of(ticket, "rencana-kegiatan").state == Step.State.ACTIVE
    done = plan_it(ticket, ks_staff, partner, agreement=agreement.pk)
    assert done.output == "Direncanakan: Kuliah tamu keamanan siber, mulai 20 Mei 2026."
    activity = Activity.objects.get(ticket=ticket)
    assert (activity.partner, activity.agreement, activity.stage) == (
        partner,
        agreement,
        Stage.PLANNED,
    )
    # The plan went to the requester as the first reply.
    ticket.refresh_from_db()
    assert ticket.first_response_at == NOW
    reply = ticket.articles.get(kind=Article.Kind.REPLY)
    assert "Rencana kegiatan: Kuliah tamu keamanan siber" in reply.body
    assert (
        OutboxItem.objects.get(ticket=ticket, purpose="reply").recipient == "mahasiswa@pintu.test"
    )

    desk.ticket_complete_step(
        actor=ks_staff,
        step=step_of(ticket, "koordinasi"),
        data=posted(partner_notes="Narasumber: Ir. Surya", unit_notes="Ruang kuliah RKS"),
        now=NOW,
    )
    desk.ticket_complete_step(
        actor=ks_staff,
        step=step_of(ticket, "pelaksanaan"),
        data=posted(
            kind="guest_lecture",
            held_on="2026-05-04",
            place="Auditorium Gedung Utama",
            attendees="Mahasiswa RKS semester 4; Ir. Surya Darma (mitra)",
            attendee_count="80",
            outputs="Materi kuliah, rencana magang",
            units=unit_pks("RKS", "TRPL"),
        ),
        now=NOW,
    )
    report = step_of(ticket, "arsip-laporan")
    desk.ticket_complete_step(
        actor=ks_staff,
        step=report,
        data=posted(report="Terlaksana dengan 80 peserta."),
        files={f"{PREFIX}-files": [_file("notulen.pdf"), _file("daftar-hadir.pdf")]},
        now=NOW,
    )
    activity.refresh_from_db()
    assert activity.stage == Stage.ARCHIVED
    assert (activity.kind, activity.held_on, activity.attendee_count) == (
        "guest_lecture",
        date(2026, 5, 4),
        80,
    )
    assert sorted(u.code for u in activity.units.all()) == ["RKS", "TRPL"]
    assert sorted(f.filename for f in activity.files.all()) == ["daftar-hadir.pdf", "notulen.pdf"]
    assert step_of(ticket, "arsip-laporan").output == "Laporan diarsipkan dengan 2 berkas."
    assert list(
        AuditEvent.objects.filter(object_type="partners.activity")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["activity.plan", "activity.coordinate", "activity.carry_out", "activity.archive"]


def _file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_the_plan_starts_from_what_the_request_says(
    sops: None, personas: Personas, ks_staff: Any
) -> None:
    partner = partner_made(ks_staff)
    ticket = activity_request(
        personas,
        mitra="pt sinar batam teknologi",
        unit_kerja="RKS, Jurusan Teknik Informatika",
        uraian="Kuliah tamu.",
    )
    form = PlanForm(step=step_of(ticket, "rencana-kegiatan"))
    assert form["partner"].value() == partner.pk
    assert sorted(form["units"].value()) == sorted(unit_pks("RKS", "JTI"))
    assert form["title"].value() == "Kuliah tamu keamanan siber"
    assert str(form["planned_start"].value()) == "2026-05-11"  # a week after the step began


def test_a_partners_request_is_followed_up_by_planning_its_activity(
    sops: None, ks_staff: Any
) -> None:
    partner = partner_made(ks_staff)
    services.contact_add(
        actor=ks_staff, partner=partner, name="Ir. Surya", email="surya@sb.example"
    )
    request = desk.ticket_create(
        actor=None,
        service_type=service("PR.KS", "permintaan-mitra"),
        requester=desk.ContactDetails(name="Ir. Surya", email="surya@sb.example"),
        opening=desk.Opening(subject="Permintaan mahasiswa magang", body="Lima orang."),
        door=Door.EMAIL,
        now=NOW,
    ).ticket
    # The partner's own step, the request, is done on arrival.
    assert step_of(request, "permintaan").state == Step.State.DONE
    form = PlanForm(step=step_of(request, "rencana-kegiatan"))
    assert form["partner"].value() == partner.pk  # known by the contact's address
    followed = plan_it(request, ks_staff, partner, title="Magang mahasiswa TRPL")
    activity = Activity.objects.get(request=request)
    opened = activity.ticket
    assert followed.output == f"Ditindaklanjuti: kegiatan {opened.reference} sudah direncanakan."
    assert (opened.service_type.key, opened.door, opened.contact) == (
        "kegiatan-kerjasama",
        Door.EMAIL,
        request.contact,
    )
    assert step_of(opened, "rencana-kegiatan").state == Step.State.DONE
    assert step_of(opened, "koordinasi").state == Step.State.ACTIVE
    # No acknowledgement of a request the partner did not send; the plan is the reply.
    assert not opened.articles.filter(kind=Article.Kind.ACKNOWLEDGEMENT).exists()
    row = OutboxItem.objects.get(ticket=opened)
    assert (row.purpose, row.recipient) == ("reply", "surya@sb.example")
    assert "Magang mahasiswa TRPL" in row.body_text


def test_refused_steps_stay_in_progress_and_write_nothing(
    sops: None, personas: Personas, ks_staff: Any
) -> None:
    partner = partner_made(ks_staff)
    ticket = activity_request(personas)
    with pytest.raises(ValidationError, match="Rencana berakhir sebelum dimulai"):
        plan_it(ticket, ks_staff, partner, planned_start="2026-05-20", planned_end="2026-05-01")
    assert not Activity.objects.exists()
    plan_it(ticket, ks_staff, partner, notify="")
    assert not ticket.articles.filter(kind=Article.Kind.REPLY).exists()  # not sent: unticked
    with pytest.raises(ValidationError):
        desk.ticket_complete_step(
            actor=ks_staff, step=step_of(ticket, "koordinasi"), data=posted(), now=NOW
        )
    desk.ticket_complete_step(
        actor=ks_staff, step=step_of(ticket, "koordinasi"), data=posted(unit_notes="ok"), now=NOW
    )
    execution = posted(
        kind="visit",
        held_on="2026-05-05",  # tomorrow
        place="PT Sinar Batam",
        attendees="Dosen",
        outputs="-",
        units=unit_pks("RKS"),
    )
    with pytest.raises(ValidationError, match="setelah terlaksana"):
        desk.ticket_complete_step(
            actor=ks_staff, step=step_of(ticket, "pelaksanaan"), data=execution, now=NOW
        )
    with pytest.raises(ValidationError):
        desk.ticket_complete_step(
            actor=ks_staff,
            step=step_of(ticket, "pelaksanaan"),
            data={**execution, f"{PREFIX}-held_on": "2026-05-04", f"{PREFIX}-place": ""},
            now=NOW,
        )
    with pytest.raises(ValidationError, match="Kegiatan berakhir sebelum dimulai"):
        desk.ticket_complete_step(
            actor=ks_staff,
            step=step_of(ticket, "pelaksanaan"),
            data={
                **execution,
                f"{PREFIX}-held_on": "2026-05-04",
                f"{PREFIX}-held_until": "2026-05-03",
            },
            now=NOW,
        )
    assert step_of(ticket, "pelaksanaan").state == Step.State.ACTIVE
    assert Activity.objects.get().carried_out_at is None
    with pytest.raises(ValidationError):
        activity_services.activity_archive(
            actor=ks_staff,
            ticket=ticket,
            report="x",
            uploads=[Upload("a.pdf", "", PDF)],
            now=NOW,
        )


def test_the_list_filters_on_the_stage_its_activities_are_in(
    sops: None, personas: Personas, ks_staff: Any
) -> None:
    partner = partner_made(ks_staff)
    planned = activity_request(personas)
    plan_it(planned, ks_staff, partner, notify="")
    coordinated = activity_request(personas)
    plan_it(coordinated, ks_staff, partner, notify="", title="Kedua")
    desk.ticket_complete_step(
        actor=ks_staff, step=step_of(coordinated, "koordinasi"), data=posted(unit_notes="ok")
    )
    listed = selectors.activity_list(year=2026)
    assert {a.title: a.stage for a in listed} == {
        "Kuliah tamu keamanan siber": Stage.PLANNED,
        "Kedua": Stage.COORDINATED,
    }
    for stage in Stage:
        chosen = selectors.activity_list(year=2026, stage=stage)
        assert {a.stage for a in chosen} <= {stage}
    assert not selectors.activity_list(year=2025)


def test_the_activity_pages_for_those_who_may_read_them(
    sops: None, personas: Personas, ks_staff: Any
) -> None:
    partner = partner_made(ks_staff)
    ticket = activity_request(personas)
    plan_it(ticket, ks_staff, partner, notify="")
    activity = Activity.objects.get()
    for viewer, status in ((ks_staff, 200), (personas.auditor, 200), (personas.requester, 403)):
        client = Client()
        client.force_login(viewer)
        for url in (
            reverse("partners-activities") + "?year=2026",
            reverse("partners-activity", args=[activity.pk]),
        ):
            response = client.get(url)
            assert response.status_code == status, (viewer, url)
    client = Client()
    client.force_login(ks_staff)
    body = client.get(reverse("partners-activities") + "?year=2026").content.decode()
    assert "Kuliah tamu keamanan siber" in body and ticket.reference in body
    page = client.get(reverse("desk-ticket", args=[ticket.reference]))
    assert 'name="action-partner_notes"' in page.content.decode()


def test_a_partner_the_register_does_not_know_is_added_with_the_plan(
    sops: None, personas: Personas, ks_staff: Any
) -> None:
    ticket = activity_request(
        personas, mitra="CV Baru Jaya", unit_kerja="TRPL", uraian="Kunjungan industri."
    )
    form = PlanForm(step=step_of(ticket, "rencana-kegiatan"))
    assert form.initial["partner"] is None and form.initial["new_partner"] == "CV Baru Jaya"
    refused = posted(**{**PLAN, "units": unit_pks("TRPL")})
    with pytest.raises(ValidationError, match="Pilih mitra"):
        desk.ticket_complete_step(
            actor=ks_staff, step=step_of(ticket, "rencana-kegiatan"), data=refused, now=NOW
        )
    assert not Partner.objects.exists()
    data = posted(
        **{**PLAN, "units": unit_pks("TRPL"), "new_partner": "CV Baru Jaya"},
        new_partner_kind="industry",
        new_partner_level="local",
    )
    desk.ticket_complete_step(
        actor=ks_staff, step=step_of(ticket, "rencana-kegiatan"), data=data, now=NOW
    )
    partner = Partner.objects.get()
    assert (partner.name, partner.kind, partner.level) == ("CV Baru Jaya", "industry", "local")
    assert Activity.objects.get(ticket=ticket).partner == partner
