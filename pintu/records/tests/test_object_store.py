"""Retention with the files in an S3-compatible object store (``PINTU_STORAGE_URL``): the
archive of a purge is written into the bucket with the records' files inside it, read
back and verified there, and only then are the purged records' files removed from it."""

from __future__ import annotations

import io
import tarfile
from typing import Any

import pytest

from pintu.conftest import Personas
from pintu.desk.models import Attachment
from pintu.desk.tests.files import PNG
from pintu.records.archive import archive_storage, verify_archive_bytes
from pintu.records.models import Archive
from pintu.records.services import retention_run
from pintu.records.tests.test_retention import NOW, approve_all, old_ticket

pytestmark = pytest.mark.django_db


def test_a_purge_archives_into_the_bucket_and_then_removes_the_files(
    sops: None, personas: Personas, object_store: Any
) -> None:
    old = old_ticket(personas, years_ago=6)
    attachment_key = f"pintu/{Attachment.objects.get(article__ticket=old).file.name}"
    assert object_store.keys() == [attachment_key]
    retention_run(now=NOW)
    approve_all(personas)
    result = retention_run(now=NOW)
    assert result.failures == []
    archive = Archive.objects.get(proposal__unit=old.unit)
    assert archive.verified
    # The archives are all that is left: the attachment went, once it was archived.
    archives = sorted(f"pintu/{name}" for name in Archive.objects.values_list("name", flat=True))
    assert f"pintu/{archive.name}" in archives
    assert object_store.keys() == archives
    with archive_storage().open(archive.name, "rb") as handle:
        data = handle.read()
    assert verify_archive_bytes(data) == []
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        files = [name for name in tar.getnames() if name.startswith("files/")]
        assert [tar.extractfile(name).read() for name in files] == [PNG]
