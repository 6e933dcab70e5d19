"""`pintu backup` and `pintu restore`: a round trip gives back every table and file, on
SQLite and on PostgreSQL (run the suite under scripts/with-postgres for the latter)."""

from __future__ import annotations

import hashlib
import io
import tarfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from pintu.conftest import Personas, require_peer
from pintu.desk.models import Ticket
from pintu.doors.email.ingest import ingest_email
from pintu.doors.models import InboundMessage
from pintu.org.models import Unit
from pintu.records.backup import stored_files
from pintu.records.tests.test_retention import old_ticket

MAIL = (
    b"From: Tamu <tamu@example.ac.id>\r\nTo: helpdesk-si@pintu.test\r\n"
    b"Subject: Wifi lab\r\nMessage-ID: <wifi-1@example.ac.id>\r\n\r\nWifi mati.\r\n"
)


def snapshot() -> dict[str, Any]:
    """Every row of every table (sorted), and every stored file's SHA-256."""
    tables: dict[str, list[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows = [
                tuple(bytes(v) if isinstance(v, memoryview) else v for v in row)
                for row in cursor.fetchall()
            ]
            tables[table] = sorted(rows, key=repr)
    files = {}
    for name in stored_files(default_storage):
        with default_storage.open(name, "rb") as handle:
            files[name] = hashlib.sha256(handle.read()).hexdigest()
    return {"tables": tables, "files": files}


def require_tools() -> None:
    if connection.vendor == "postgresql":
        import shutil

        found = shutil.which("pg_dump") and shutil.which("pg_restore")
        require_peer("pg_dump", bool(found), "install postgresql-client")


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


@pytest.mark.django_db(transaction=True)
def test_a_round_trip_gives_back_every_table_and_file(
    sops: None, personas: Personas, media: Path
) -> None:
    require_tools()
    ticket = old_ticket(personas, years_ago=1)
    ingest_email(MAIL, unit=Unit.objects.get(code="UPT-SI"))
    default_storage.save("kpi/evidence/kebijakan.pdf", ContentFile(b"%PDF-1.4 kebijakan"))
    before = snapshot()
    assert len(before["files"]) == 2 and InboundMessage.objects.exists()
    out = StringIO()
    call_command("backup", "-o", str(media / "pintu.tar.gz"), stdout=out)
    assert "2 files" in out.getvalue()

    # What happens after the backup: changes, a deletion, a new file, a lost file.
    Ticket.objects.filter(pk=ticket.pk).update(subject="diubah")
    InboundMessage.objects.all().delete()
    old_ticket(personas, years_ago=0, subject="Sesudah")
    default_storage.delete("kpi/evidence/kebijakan.pdf")
    assert snapshot() != before

    call_command("restore", str(media / "pintu.tar.gz"), stdout=out)
    after = snapshot()
    assert after["files"] == before["files"]
    for table, rows in before["tables"].items():
        assert after["tables"][table] == rows, table
    assert after["tables"].keys() == before["tables"].keys()
    assert bytes(InboundMessage.objects.get().raw) == MAIL


@pytest.mark.django_db(transaction=True)
def test_a_backup_that_does_not_verify_changes_nothing(
    sops: None, personas: Personas, media: Path
) -> None:
    require_tools()
    old_ticket(personas, years_ago=1)
    good = media / "pintu.tar.gz"
    call_command("backup", "-o", str(good), stdout=StringIO())
    # The same members with one byte of the database changed.
    bad = media / "rusak.tar.gz"
    with tarfile.open(good, "r:gz") as source, tarfile.open(bad, "w:gz") as target:
        for info in source.getmembers():
            data = source.extractfile(info).read()
            if info.name.startswith("database."):
                data = data[:-1] + bytes([data[-1] ^ 1])
            info.size = len(data)
            target.addfile(info, io.BytesIO(data))
    Ticket.objects.update(subject="sesudah")
    before = snapshot()
    with pytest.raises(CommandError, match="does not match its SHA-256"):
        call_command("restore", str(bad))
    (media / "bukan.tar.gz").write_bytes(b"bukan cadangan")
    with pytest.raises(CommandError, match="not a Pintu backup"):
        call_command("restore", str(media / "bukan.tar.gz"))
    with pytest.raises(CommandError, match="no such file"):
        call_command("restore", str(media / "tidak-ada.tar.gz"))
    assert snapshot() == before


def test_the_backup_names_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="-o: the folder"):
        call_command("backup", "-o", str(tmp_path / "tidak-ada" / "x.tar.gz"))
