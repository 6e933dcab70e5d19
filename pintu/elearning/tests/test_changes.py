"""A course-identity change from request to approval to the Moodle call: the step's
form starts from the request, approval queues one job, the worker snapshots the course,
applies the change and snapshots again, and the requester reads before and after in the
reply that resolves the request. A warning from Moodle is a failure shown on the ticket
with its retry."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from pintu.conftest import Personas, child_environment
from pintu.core.models import AuditEvent
from pintu.desk import services as desk
from pintu.desk.models import Article, Status, Step
from pintu.elearning.forms import CourseChangeForm
from pintu.elearning.models import Course, CourseChange, MoodleSite
from pintu.elearning.services.changes import change_key
from pintu.elearning.tests import moodle_server
from pintu.elearning.tests.conftest import (
    approve_review,
    deliver,
    file_request,
    posted_as_it_starts,
)
from pintu.elearning.tests.moodle_server import MoodleState
from pintu.outbox.delivery import CLAIM_LEASE, deliver_due
from pintu.outbox.models import OutboxItem

pytestmark = pytest.mark.django_db
RENAME = {
    "kode_mata_kuliah": "IF201",
    "nama_mata_kuliah": "Basis Data",
    "data": "Nama lengkap mata kuliah",
    "nilai_lama": "Basis Data",
    "nilai_baru": "Basis Data Lanjut",
    "alasan": "Kurikulum 2026",
}


def course_id(moodle: MoodleState, shortname: str) -> int:
    return next(c["id"] for c in moodle.courses.values() if c["shortname"] == shortname)


def approved(sops: None, site: MoodleSite, personas: Personas, **fields: str) -> CourseChange:
    ticket = file_request("perubahan-data-mata-kuliah", {**RENAME, **fields})
    step = approve_review(ticket, personas.other_staff, "tinjau-perubahan", "terapkan-perubahan")
    desk.ticket_complete_step(actor=personas.other_staff, step=step, data=posted_as_it_starts(step))
    return CourseChange.objects.get(ticket=ticket)


def test_approval_applies_the_change_and_keeps_before_and_after(
    sops: None, site: MoodleSite, personas: Personas, moodle: MoodleState
) -> None:
    change = approved(sops, site, personas)
    job = OutboxItem.objects.get(idempotency_key=change_key(change))
    assert (job.transport, job.payload["changes"]) == ("moodle", {"fullname": "Basis Data Lanjut"})
    step = change.ticket.steps.get(activity__key="terapkan-perubahan")
    assert step.state == Step.State.DONE and "Basis Data Lanjut" in step.output
    assert moodle.courses[course_id(moodle, "IF201")]["fullname"] == "Basis Data"  # not yet

    assert deliver() == 1
    update = moodle.calls_of("core_course_update_courses")[0]
    assert update.params == {
        "courses": [{"id": str(change.course_id), "fullname": "Basis Data Lanjut"}]
    }
    assert moodle.courses[change.course_id]["fullname"] == "Basis Data Lanjut"
    change.refresh_from_db()
    assert change.before["fullname"] == "Basis Data"
    assert change.after["fullname"] == "Basis Data Lanjut"
    assert change.applied_at is not None
    job.refresh_from_db()
    assert job.status == OutboxItem.Status.SENT and job.result["before"] == change.before
    assert Course.objects.get(moodle_id=change.course_id).fullname == "Basis Data Lanjut"

    ticket = change.ticket
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    reply = ticket.articles.get(kind=Article.Kind.REPLY)
    assert "Nama lengkap: Basis Data → Basis Data Lanjut" in reply.body
    assert reply.author == personas.other_staff and "Kurikulum 2026" in reply.body
    audit = AuditEvent.objects.get(action="course_change.apply")
    assert (audit.before, audit.after) == (
        {"changes": {"fullname": "Basis Data"}},
        {"changes": {"fullname": "Basis Data Lanjut"}},
    )


def test_a_warning_about_the_course_is_a_failure_shown_on_the_ticket_with_a_retry(
    sops: None, site: MoodleSite, personas: Personas, moodle: MoodleState
) -> None:
    taken = course_id(moodle, "IF202")
    change = approved(
        sops,
        site,
        personas,
        data="Nama singkat (kode) mata kuliah",
        nilai_baru="IF202",
    )
    deliver()
    job = OutboxItem.objects.get(idempotency_key=change_key(change))
    assert job.status == OutboxItem.Status.DEAD
    assert "shortnametaken" in job.last_error and "kampus" in job.last_error
    assert "tidak mengubah" in job.last_error  # in plain Indonesian
    change.refresh_from_db()
    assert change.applied_at is None and change.before is not None
    assert moodle.courses[change.course_id]["shortname"] == "IF201"
    assert moodle.courses[taken]["shortname"] == "IF202"
    client = Client()
    client.force_login(personas.other_staff)
    url = reverse("desk-ticket", args=[change.ticket.reference])
    page = client.get(url).content.decode()
    assert 'class="desk-dead"' in page and "shortnametaken" in page
    # Whoever held IF202 gives it up; the retry applies the change.
    moodle.courses[taken]["shortname"] = "IF202-lama"
    client.post(reverse("desk-ticket-retry", args=[change.ticket.reference]), {"message": job.pk})
    deliver()
    change.refresh_from_db()
    assert change.applied_at is not None and change.after["shortname"] == "IF202"
    assert change.before["shortname"] == "IF201"


def test_a_value_moodle_quietly_kept_is_a_failure(
    sops: None, site: MoodleSite, personas: Personas, moodle: MoodleState, monkeypatch: Any
) -> None:
    change = approved(sops, site, personas)
    # A site that answers without a warning but changes nothing (a category or a field
    # the token's user may not set, a plugin that undoes it).
    monkeypatch.setitem(
        moodle_server.HANDLERS, "core_course_update_courses", lambda state, params: {"warnings": []}
    )
    deliver()
    job = OutboxItem.objects.get(idempotency_key=change_key(change))
    assert job.status == OutboxItem.Status.DEAD and "Nama lengkap" in job.last_error
    assert CourseChange.objects.get(pk=change.pk).applied_at is None


def test_an_invalid_token_fails_the_job_in_words_that_name_the_site(
    sops: None, site: MoodleSite, personas: Personas, moodle: MoodleState
) -> None:
    change = approved(sops, site, personas)
    moodle.token = "diganti-di-moodle"
    deliver()
    job = OutboxItem.objects.get(idempotency_key=change_key(change))
    assert job.status == OutboxItem.Status.DEAD
    assert "kampus" in job.last_error and "token" in job.last_error


def test_an_unreachable_site_is_retried_later(
    sops: None, site: MoodleSite, personas: Personas, moodle: MoodleState
) -> None:
    change = approved(sops, site, personas)
    moodle.failures = [503]
    deliver()
    job = OutboxItem.objects.get(idempotency_key=change_key(change))
    assert job.status == OutboxItem.Status.FAILED and "HTTP 503" in job.last_error
    deliver_due(job.next_attempt_at + timedelta(seconds=1))
    job.refresh_from_db()
    assert job.status == OutboxItem.Status.SENT


def test_a_course_moved_to_another_category_is_listed_under_its_new_name(
    sops: None, site: MoodleSite, personas: Personas, moodle: MoodleState
) -> None:
    change = approved(sops, site, personas, data="Kategori", nilai_baru="Semester 4")
    assert deliver() == 1
    course = Course.objects.get(site=site, moodle_id=change.course_id)
    assert (course.category, course.category_name) == (5, "Semester 4")


@pytest.mark.parametrize(
    ("data", "wanted", "initial"),
    [
        ("Nama lengkap mata kuliah", "Basis Data II", {"fullname": "Basis Data II"}),
        ("Nomor ID mata kuliah", "IF201-2027", {"idnumber": "IF201-2027"}),
        ("Tanggal mulai", "17/08/2026", {"startdate": date(2026, 8, 17)}),
        ("Tanggal selesai", "2027-01-31", {"enddate": date(2027, 1, 31)}),
        ("Tampil atau tersembunyi", "Disembunyikan dulu", {"visible": "0"}),
        ("Tampil atau tersembunyi", "Tampilkan", {"visible": "1"}),
        ("Kategori", "semester 4", {"categoryid": 5}),
        ("Lainnya", "Dosen pengampu baru", {}),
    ],
)
def test_the_form_starts_from_what_the_request_asks(
    sops: None,
    site: MoodleSite,
    personas: Personas,
    data: str,
    wanted: str,
    initial: dict[str, Any],
) -> None:
    ticket = file_request(
        "perubahan-data-mata-kuliah", {**RENAME, "data": data, "nilai_baru": wanted}
    )
    step = approve_review(ticket, personas.other_staff, "tinjau-perubahan", "terapkan-perubahan")
    form = CourseChangeForm(step=step)
    assert form["course"].value() == "IF201" and form["reason"].value() == "Kurikulum 2026"
    fields = ("fullname", "shortname", "idnumber", "categoryid", "startdate", "enddate", "visible")
    assert {name: form[name].value() for name in fields if form[name].value()} == initial


def test_a_change_that_changes_nothing_or_names_no_known_course_is_refused(
    sops: None, site: MoodleSite, personas: Personas
) -> None:
    ticket = file_request("perubahan-data-mata-kuliah", {**RENAME, "nilai_baru": "Basis Data"})
    step = approve_review(ticket, personas.other_staff, "tinjau-perubahan", "terapkan-perubahan")
    with pytest.raises(ValidationError, match="berbeda"):
        desk.ticket_complete_step(
            actor=personas.other_staff, step=step, data=posted_as_it_starts(step)
        )
    with pytest.raises(ValidationError, match="IF999"):
        desk.ticket_complete_step(
            actor=personas.other_staff,
            step=step,
            data=posted_as_it_starts(step, course="IF999", fullname="X"),
        )
    step.refresh_from_db()
    assert step.state == Step.State.ACTIVE and not CourseChange.objects.exists()
    assert not OutboxItem.objects.filter(transport="moodle").exists()


def test_a_refused_request_reaches_no_moodle(
    sops: None, site: MoodleSite, personas: Personas
) -> None:
    ticket = file_request("perubahan-data-mata-kuliah", RENAME)
    refused = approve_review(ticket, personas.other_staff, "tinjau-perubahan", "perubahan-ditolak")
    desk.ticket_complete_step(actor=personas.other_staff, step=refused, output="Bukan wewenang P4M")
    assert ticket.steps.get(activity__key="terapkan-perubahan").state == Step.State.SKIPPED
    assert not OutboxItem.objects.filter(transport="moodle").exists()


def test_staff_of_another_unit_cannot_approve(
    sops: None, site: MoodleSite, personas: Personas
) -> None:
    from django.core.exceptions import PermissionDenied

    ticket = file_request("perubahan-data-mata-kuliah", RENAME)
    step = approve_review(ticket, personas.other_staff, "tinjau-perubahan", "terapkan-perubahan")
    with pytest.raises(PermissionDenied):
        desk.ticket_complete_step(actor=personas.staff, step=step, data=posted_as_it_starts(step))


# A worker in a process of its own that dies right after Moodle applied the change, before
# Pintu recorded it: the next worker must keep the first "before", not the changed course.
DYING_WORKER = """
import os, django
django.setup()
from django.utils import timezone
from pintu.elearning import transport
from pintu.outbox.delivery import deliver_due

def dies(**kwargs):
    os._exit(3)

transport.course_change_applied = dies
deliver_due(timezone.now())
"""


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_dies_after_moodle_changed_the_course_keeps_the_first_before(
    sops: None, site: MoodleSite, personas: Personas, moodle: MoodleState
) -> None:
    change = approved(sops, site, personas)
    died = subprocess.run(
        [sys.executable, "-c", DYING_WORKER], env=child_environment(), timeout=120, check=False
    )
    assert died.returncode == 3
    assert moodle.courses[change.course_id]["fullname"] == "Basis Data Lanjut"
    job = OutboxItem.objects.get(idempotency_key=change_key(change))
    assert job.status == OutboxItem.Status.SENDING and job.claimed_at is not None
    assert deliver_due(job.claimed_at + CLAIM_LEASE + timedelta(seconds=1)) == 1
    change.refresh_from_db()
    assert change.before["fullname"] == "Basis Data"
    assert change.after["fullname"] == "Basis Data Lanjut"
    assert len(moodle.calls_of("core_course_update_courses")) == 2
    assert change.ticket.articles.filter(kind=Article.Kind.REPLY).count() == 1
