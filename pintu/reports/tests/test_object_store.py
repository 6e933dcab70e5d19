"""A report's versions kept in an S3-compatible object store (``PINTU_STORAGE_URL``):
written by the worker into the bucket and downloaded through the access-checked page;
a store down while a version is written fails that version with its reason, keeps no
file and leaves the next version to be written once the store is back."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas
from pintu.kpi.tests.test_pages import client
from pintu.org.models import Unit
from pintu.reports import generation, services
from pintu.reports.content import report_for
from pintu.reports.models import ReportVersion
from pintu.reports.tests.test_reports import YEAR, upt_si  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def queued(unit: Unit, personas: Personas) -> ReportVersion:
    return services.generation_request(
        actor=personas.head, report=report_for(unit, YEAR, "led"), format="pdf", now=timezone.now()
    )


def test_a_version_is_written_into_the_bucket_and_downloaded_through_the_page(
    upt_si: Unit,  # noqa: F811 (the fixture imported above)
    personas: Personas,
    object_store: Any,
) -> None:
    version = generation.generation_run(queued(upt_si, personas).pk, timezone.now())
    assert version.status == "done"
    assert object_store.keys() == [f"pintu/{version.file.name}"]
    response = client(personas.head).get(reverse("reports-file", args=[version.pk]))
    body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert body.startswith(b"%PDF") and len(body) == version.size
    outsider = client(personas.requester).get(reverse("reports-file", args=[version.pk]))
    assert outsider.status_code in (403, 404)


def test_the_store_down_fails_the_version_with_its_reason_and_the_next_one_works(
    upt_si: Unit,  # noqa: F811 (the fixture imported above)
    personas: Personas,
    object_store: Any,
) -> None:
    object_store.stop()
    failed = generation.generation_run(queued(upt_si, personas).pk, timezone.now())
    assert failed.status == "failed" and not failed.file
    assert "StoreUnavailable" in failed.error and "object store" in failed.error
    assert client(personas.head).get(reverse("reports-file", args=[failed.pk])).status_code == 404
    object_store.start()
    assert object_store.keys() == []
    done = generation.generation_run(queued(upt_si, personas).pk, timezone.now())
    assert done.status == "done" and object_store.keys() == [f"pintu/{done.file.name}"]
