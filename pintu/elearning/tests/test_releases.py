"""The register of information-system releases (B.4.6.4.g): each release's clock runs
from its publication on UPT-SI's working calendar, and the announcement that covers it
stops it: an e-learning announcement that names it, or one made elsewhere."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas
from pintu.desk import services as desk
from pintu.elearning import services
from pintu.elearning.models import Release
from pintu.elearning.tests.conftest import (
    approve_review,
    deliver,
    file_request,
    posted_as_it_starts,
)
from pintu.org.models import Unit

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")


def record(personas: Personas, published_at: datetime, now: datetime | None = None) -> Release:
    return services.release_record(
        actor=personas.staff,
        unit=Unit.objects.get(code="UPT-SI"),
        system="SIAKAD",
        feature="Presensi dengan kode QR",
        published_at=published_at,
        now=now or timezone.now(),
    )


@pytest.mark.parametrize(
    ("published", "due"),
    [
        # One working day from the publication, at its time of day.
        (datetime(2026, 11, 24, 10, 0, tzinfo=WIB), datetime(2026, 11, 25, 10, 0, tzinfo=WIB)),
        # Published on a Friday afternoon: due on Monday.
        (datetime(2026, 11, 20, 14, 0, tzinfo=WIB), datetime(2026, 11, 23, 14, 0, tzinfo=WIB)),
        # Published on a Saturday: the clock starts on Monday morning.
        (datetime(2026, 11, 21, 9, 0, tzinfo=WIB), datetime(2026, 11, 24, 7, 30, tzinfo=WIB)),
    ],
)
def test_a_releases_clock_runs_from_its_publication_on_the_working_calendar(
    sops: None, personas: Personas, published: datetime, due: datetime
) -> None:
    release = record(personas, published, now=datetime(2026, 12, 1, tzinfo=WIB))
    assert release.announce_due_at == due


def test_only_upt_si_records_releases_and_not_before_they_are_published(
    sops: None, personas: Personas
) -> None:
    with pytest.raises(PermissionDenied):
        services.release_record(
            actor=personas.other_staff,
            unit=Unit.objects.get(code="UPT-SI"),
            system="SIAKAD",
            feature="x",
            published_at=timezone.now(),
            now=timezone.now(),
        )
    with pytest.raises(ValidationError):
        record(personas, timezone.now() + timedelta(hours=1))


def test_an_e_learning_announcement_that_names_it_announces_it_when_it_appears(
    sops: None, site: object, personas: Personas
) -> None:
    release = record(personas, timezone.now() - timedelta(hours=2))
    ticket = file_request(
        "publikasi-pengumuman",
        {"judul": "Presensi QR di SIAKAD", "isi": "Mulai hari ini.", "mata_kuliah": ""},
    )
    step = approve_review(ticket, personas.other_staff, "tinjau-pengumuman", "jadwalkan-pengumuman")
    data = posted_as_it_starts(step)
    data["action-releases"] = str(release.pk)
    desk.ticket_complete_step(actor=personas.other_staff, step=step, data=data)
    release.refresh_from_db()
    assert release.announcement is not None and release.announced_at is None
    deliver()
    release.refresh_from_db()
    assert release.announced_at is not None and release.announced_at <= release.announce_due_at
    assert "Halaman depan" in release.announced_where


def test_an_announcement_made_elsewhere_is_recorded_on_the_register_page(
    sops: None, personas: Personas
) -> None:
    release = record(personas, timezone.now() - timedelta(days=3))
    client = Client()
    client.force_login(personas.staff)
    response = client.post(
        reverse("elearning-release-announced", args=[release.pk]),
        {
            "where": "E-mail kampus",
            "url": "https://mail.example.ac.id/x",
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    release.refresh_from_db()
    assert release.announced_where == "E-mail kampus"
    page = client.get(reverse("elearning-releases")).content.decode()
    assert "terlambat" in page  # three days after: late


def test_the_register_page_records_a_release_for_upt_si_and_shows_it_to_auditors(
    sops: None, personas: Personas
) -> None:
    client = Client()
    client.force_login(personas.staff)
    published = timezone.localtime() - timedelta(hours=1)
    response = client.post(
        reverse("elearning-releases"),
        {
            "system": "Portal Mahasiswa",
            "feature": "Tampilan baru",
            "published_at": published.strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    assert Release.objects.get().system == "Portal Mahasiswa"
    reader = Client()
    reader.force_login(personas.auditor)
    page = reader.get(reverse("elearning-releases")).content.decode()
    assert "Tampilan baru" in page and "Catat rilis" not in page
    p4m = Client()
    p4m.force_login(personas.other_staff)
    assert p4m.post(reverse("elearning-releases"), {}).status_code == 403
