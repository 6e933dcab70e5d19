"""Announcements on the e-learning platform: approved at the request's step with their
targets and publish time, handed to the worker when that time comes, posted to each
target's news forum on its own (a failed target is retried alone, and never posted twice),
and the request resolved once every target has it."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas, child_environment
from pintu.core.periodic import SCHEDULES
from pintu.desk import services as desk
from pintu.desk.models import Article, Status
from pintu.elearning.forms import AnnouncementForm
from pintu.elearning.models import Announcement, AnnouncementTarget, MoodleSite
from pintu.elearning.services import announcements_due
from pintu.elearning.services.announcements import target_key
from pintu.elearning.tests.conftest import (
    approve_review,
    deliver,
    file_request,
    posted_as_it_starts,
)
from pintu.elearning.tests.moodle_server import FRONT_PAGE, MoodleFault, MoodleState
from pintu.outbox.delivery import CLAIM_LEASE, deliver_due
from pintu.outbox.models import OutboxItem

pytestmark = pytest.mark.django_db
UTS = {
    "judul": "Jadwal UTS Basis Data",
    "isi": "UTS dilaksanakan Senin pukul 08.00 WIB.\n\nMahasiswa membawa kartu ujian.",
    "mata_kuliah": "IF201 Basis Data, IF202",
    "tanggal_tayang": "",
}


def course_id(moodle: MoodleState, shortname: str) -> int:
    return next(c["id"] for c in moodle.courses.values() if c["shortname"] == shortname)


def approved(personas: Personas, fields: dict[str, str], **typed: str) -> Announcement:
    ticket = file_request("publikasi-pengumuman", fields, subject="Pengumuman UTS")
    step = approve_review(ticket, personas.other_staff, "tinjau-pengumuman", "jadwalkan-pengumuman")
    desk.ticket_complete_step(
        actor=personas.other_staff, step=step, data=posted_as_it_starts(step, **typed)
    )
    return Announcement.objects.get(ticket=ticket)


def local(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_an_announcement_scheduled_for_two_courses_is_posted_to_each_when_its_time_comes(
    sops: None, site: MoodleSite, personas: Personas, moodle: MoodleState
) -> None:
    at = timezone.now() + timedelta(hours=2)
    announcement = approved(personas, UTS, publish_at=local(at))
    assert [t.name for t in announcement.targets.all()] == ["IF201", "IF202"]
    assert not OutboxItem.objects.filter(transport="moodle").exists()  # not yet
    assert announcements_due(now=at - timedelta(minutes=5)) == 0
    assert announcements_due(now=at + timedelta(seconds=30)) == 2
    assert announcements_due(now=at + timedelta(minutes=1)) == 0  # once
    deliver_due(at + timedelta(minutes=2))
    for shortname in ("IF201", "IF202"):
        (post,) = moodle.news_posts(course_id(moodle, shortname))
        assert post["subject"] == "Jadwal UTS Basis Data"
        assert post["message"] == (
            "<p>UTS dilaksanakan Senin pukul 08.00 WIB.</p>\n\n"
            "<p>Mahasiswa membawa kartu ujian.</p>"
        )
    add = moodle.calls_of("mod_forum_add_discussion")[0]
    assert add.params["options"] == [{"name": "discussionsubscribe", "value": "1"}]
    assert {t.posted_at is not None for t in announcement.targets.all()} == {True}
    ticket = announcement.ticket
    ticket.refresh_from_db()
    assert ticket.status == Status.RESOLVED
    reply = ticket.articles.get(kind=Article.Kind.REPLY)
    assert "Jadwal UTS Basis Data" in reply.body and "IF201, IF202" in reply.body


def test_a_failed_target_is_retried_alone(
    sops: None, site: MoodleSite, personas: Personas, moodle: MoodleState
) -> None:
    announcement = approved(personas, UTS)
    # The first forum lookup (IF201's) is refused; IF202's goes through.
    moodle.failures = [MoodleFault("required_capability_exception", "nopermissions", "No")]
    deliver()
    first, second = announcement.targets.order_by("name")
    jobs = {t.name: OutboxItem.objects.get(idempotency_key=target_key(t)) for t in (first, second)}
    assert (
        jobs["IF201"].status == OutboxItem.Status.DEAD
        and "nopermissions" in jobs["IF201"].last_error
    )
    assert jobs["IF202"].status == OutboxItem.Status.SENT
    announcement.ticket.refresh_from_db()
    assert announcement.ticket.status != Status.RESOLVED  # not everywhere yet

    client = Client()
    client.force_login(personas.other_staff)
    page = client.get(reverse("elearning-announcements")).content.decode()
    assert page.count("Tayangkan lagi") == 1  # the failed target's button only
    response = client.post(reverse("elearning-target-retry", args=[first.pk]))
    assert response.status_code == 302
    assert client.post(reverse("elearning-target-retry", args=[second.pk])).status_code == 404
    deliver()
    assert len(moodle.news_posts(course_id(moodle, "IF201"))) == 1
    assert len(moodle.news_posts(course_id(moodle, "IF202"))) == 1  # posted once only
    announcement.ticket.refresh_from_db()
    assert announcement.ticket.status == Status.RESOLVED


def test_a_course_without_an_announcements_forum_is_said_in_words(
    sops: None, site: MoodleSite, personas: Personas, moodle: MoodleState
) -> None:
    for forum in list(moodle.forums.values()):
        if forum["course"] == course_id(moodle, "IF201"):
            forum["type"] = "general"
    announcement = approved(personas, {**UTS, "mata_kuliah": "IF201"})
    deliver()
    job = OutboxItem.objects.get(idempotency_key=target_key(announcement.targets.get()))
    assert job.status == OutboxItem.Status.DEAD and "forum pengumuman" in job.last_error


def test_the_text_is_sanitised_before_it_reaches_moodle(
    sops: None, site: MoodleSite, personas: Personas, moodle: MoodleState
) -> None:
    body = (
        '<p onclick="steal()">Libur <b>Senin</b></p><script>alert(1)</script>'
        '<a href="javascript:x">x</a>'
    )
    announcement = approved(personas, {**UTS, "mata_kuliah": "IF201"}, body=body)
    assert announcement.body == '<p>Libur <b>Senin</b></p><a rel="noopener noreferrer">x</a>'
    deliver()
    (post,) = moodle.news_posts(course_id(moodle, "IF201"))
    assert "script" not in post["message"] and "onclick" not in post["message"]


def test_without_a_course_it_goes_to_the_front_page(
    sops: None, site: MoodleSite, personas: Personas, moodle: MoodleState
) -> None:
    announcement = approved(personas, {**UTS, "mata_kuliah": ""})
    (target,) = announcement.targets.all()
    assert (target.front_page, target.course_id, target.name) == (True, FRONT_PAGE, "Halaman depan")
    deliver()
    (post,) = moodle.news_posts(FRONT_PAGE)
    assert post["subject"] == "Jadwal UTS Basis Data"


def test_the_form_starts_from_the_request(sops: None, site: MoodleSite, personas: Personas) -> None:
    ticket = file_request(
        "publikasi-pengumuman", {**UTS, "tanggal_tayang": "2026-12-14"}, subject="Pengumuman UTS"
    )
    step = approve_review(ticket, personas.other_staff, "tinjau-pengumuman", "jadwalkan-pengumuman")
    form = AnnouncementForm(step=step)
    assert form["title"].value() == "Jadwal UTS Basis Data"
    assert form["courses"].value() == "IF201, IF202"
    assert form["front_page"].value() is False
    assert form["publish_at"].value().strftime("%Y-%m-%d %H:%M") == ("2026-12-14 07:00")
    bad = AnnouncementForm(
        {
            "action-title": "x",
            "action-body": "y",
            "action-courses": "IF999",
            "action-publish_at": "2026-12-14T07:00",
        },
        step=step,
        prefix="action",
    )
    assert not bad.is_valid() and "IF999" in str(bad.errors["courses"])


# A worker that dies right after Moodle made the discussion, before Pintu recorded it: the
# next worker finds the discussion of its own job and does not post it twice.
DYING_WORKER = """
import os, django
django.setup()
from django.utils import timezone
from pintu.elearning import transport
from pintu.outbox.delivery import deliver_due

def dies(**kwargs):
    os._exit(3)

transport.announcement_target_posted = dies
deliver_due(timezone.now())
"""


@pytest.mark.django_db(transaction=True)
def test_a_worker_that_dies_after_posting_does_not_post_twice(
    sops: None, site: MoodleSite, personas: Personas, moodle: MoodleState
) -> None:
    announcement = approved(personas, {**UTS, "mata_kuliah": "IF201"})
    died = subprocess.run(
        [sys.executable, "-c", DYING_WORKER], env=child_environment(), timeout=120, check=False
    )
    assert died.returncode == 3
    assert len(moodle.news_posts(course_id(moodle, "IF201"))) == 1
    job = OutboxItem.objects.get(idempotency_key=target_key(announcement.targets.get()))
    assert job.claimed_at is not None
    assert deliver_due(job.claimed_at + CLAIM_LEASE + timedelta(seconds=1)) == 1
    assert len(moodle.news_posts(course_id(moodle, "IF201"))) == 1
    target = AnnouncementTarget.objects.get(announcement=announcement)
    (post,) = moodle.news_posts(course_id(moodle, "IF201"))
    assert target.discussion_id == post["discussion"]


def test_due_announcements_are_checked_every_minute() -> None:
    assert SCHEDULES["pintu.elearning.tasks.publish_due_announcements"].every == timedelta(
        minutes=1
    )


def test_an_announcement_waits_for_moodle_and_is_posted_once_when_it_is_back(
    sops: None, site: MoodleSite, personas: Personas, moodle: MoodleState
) -> None:
    with moodle.unreachable():
        announcement = approved(personas, UTS)
        deliver()
        jobs = [
            OutboxItem.objects.get(idempotency_key=target_key(target))
            for target in announcement.targets.order_by("name")
        ]
        assert [job.status for job in jobs] == [OutboxItem.Status.FAILED, OutboxItem.Status.FAILED]
        assert all("refused" in job.last_error.lower() for job in jobs), jobs[0].last_error
        client = Client()
        client.force_login(personas.other_staff)
        page = client.get(reverse("elearning-announcements")).content.decode()
        assert page.count("akan dicoba lagi") == 2  # the failure shows, with its reason
        assert "tidak dapat dihubungi" in page

    for job in jobs:
        job.refresh_from_db()
    deliver_due(max(job.next_attempt_at for job in jobs) + timedelta(seconds=1))
    for job in jobs:
        job.refresh_from_db()
        assert (job.status, job.last_error) == (OutboxItem.Status.SENT, "")
    assert len(moodle.news_posts(course_id(moodle, "IF201"))) == 1
    assert len(moodle.news_posts(course_id(moodle, "IF202"))) == 1
    deliver_due(timezone.now() + timedelta(days=1))
    assert len(moodle.news_posts(course_id(moodle, "IF201"))) == 1  # never twice
    announcement.ticket.refresh_from_db()
    assert announcement.ticket.status == Status.RESOLVED
