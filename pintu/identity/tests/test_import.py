"""Master data and cohorts through the services, the command and the pages: a file with
any bad row imports nothing (no record, no account, no job, no audit row) and says what
is wrong with each row; a clean file adds and changes people; a cohort makes each
student's account and link once, however often its file is given."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas
from pintu.core.models import AuditEvent
from pintu.identity import cohorts
from pintu.identity.models import (
    CampusAccount,
    Cohort,
    CohortRow,
    Handover,
    MasterImport,
    MasterRecord,
)
from pintu.identity.services import master_import
from pintu.outbox.models import OutboxItem

pytestmark = pytest.mark.django_db

GOOD = (
    b"nim,nama,email,no_hp,jenis,prodi,angkatan\n"
    b"4321250001,Siti Aminah,siti@mahasiswa.test,0812-1111-0001,mahasiswa,TRPL,2025\n"
    b"4321250002,Budi Santoso,budi@mahasiswa.test,,mahasiswa,TRPL,2025\n"
    b"4321250003,Ayu Lestari,,0812-1111-0003,mahasiswa,RKS,2025\n"
)
# Row 3 names a unit nobody has, row 4 gives row 2's NIM again, row 5 has no name.
BAD = (
    b"nim,nama,email,no_hp,jenis,prodi\n"
    b"4321250001,Siti Aminah,siti@mahasiswa.test,,mahasiswa,TRPL\n"
    b"4321250002,Budi Santoso,budi@mahasiswa.test,,mahasiswa,XYZ\n"
    b"4321250001,Siti A.,siti2@mahasiswa.test,,mahasiswa,TRPL\n"
    b"4321250004,,ayu@mahasiswa.test,,mahasiswa,TRPL\n"
)


def nothing_made() -> bool:
    return not (
        MasterRecord.objects.exists()
        or MasterImport.objects.exists()
        or CampusAccount.objects.exists()
        or Cohort.objects.exists()
        or Handover.objects.exists()
        or OutboxItem.objects.exists()
        or AuditEvent.objects.filter(
            action__in=["master_data.import", "cohort.create", "campus_account.provision"]
        ).exists()
    )


def test_a_bad_file_is_reported_row_by_row_and_imports_nothing(personas: Personas) -> None:
    result = master_import(actor=personas.admin, filename="data.csv", data=BAD, now=timezone.now())
    assert result.batch is None and not result.report.ok
    found = {(p.row, p.column) for p in result.report.problems}
    assert {(3, "unit"), (4, "id_number"), (5, "name")} <= found
    assert nothing_made()


def test_a_clean_file_adds_people_then_changes_only_those_who_changed(personas: Personas) -> None:
    now = timezone.now()
    first = master_import(actor=personas.admin, filename="data.csv", data=GOOD, now=now)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    ayu = MasterRecord.objects.get(id_number="4321250003")
    assert (ayu.phone, ayu.unit.code, ayu.extra) == ("6281211110003", "RKS", {"angkatan": "2025"})
    renamed = GOOD.replace(b"Budi Santoso", b"Budi Santoso Putra")
    again = master_import(actor=personas.admin, filename="data.csv", data=renamed, now=now)
    assert (again.created, again.updated, again.unchanged) == (0, 1, 2)
    assert MasterRecord.objects.get(id_number="4321250002").name == "Budi Santoso Putra"
    assert AuditEvent.objects.filter(action="master_data.import").count() == 2


def test_a_dry_run_counts_and_imports_nothing(personas: Personas) -> None:
    result = master_import(
        actor=personas.admin, filename="data.csv", data=GOOD, now=timezone.now(), dry_run=True
    )
    assert result.report.ok and result.created == 3 and result.batch is None
    assert nothing_made()


def test_a_bad_cohort_makes_nothing_and_a_good_one_makes_each_account_once(
    personas: Personas,
) -> None:
    cohort, result = cohorts.cohort_create(
        actor=personas.admin,
        filename="angkatan.csv",
        data=BAD,
        send_messages=True,
        now=timezone.now(),
    )
    assert cohort is None and len(result.report.problems) >= 3
    assert nothing_made()

    cohort, _ = cohorts.cohort_create(
        actor=personas.admin,
        filename="angkatan.csv",
        data=GOOD,
        send_messages=True,
        now=timezone.now(),
    )
    assert cohort is not None and cohort.total == 3
    cohorts.cohort_run(cohort=cohort, now=timezone.now())
    assert cohort.status == Cohort.Status.DONE and cohort.done == 3
    assert CampusAccount.objects.count() == 3 == Handover.objects.count()
    jobs = OutboxItem.objects.filter(transport="ldap").count()
    mails = OutboxItem.objects.exclude(transport="ldap").count()
    assert jobs == 3 and mails == 3  # send_messages: each student their link

    # The same file again is the same cohort; run again, it makes nothing.
    same, _ = cohorts.cohort_create(
        actor=personas.admin, filename="lagi.csv", data=GOOD, send_messages=True, now=timezone.now()
    )
    assert same == cohort
    cohorts.cohort_run(cohort=same, now=timezone.now())
    # Another file naming the same students finds their accounts and open links.
    other, _ = cohorts.cohort_create(
        actor=personas.admin,
        filename="lain.csv",
        data=GOOD + b"\n",
        send_messages=True,
        now=timezone.now(),
    )
    assert other is not None and other != cohort
    cohorts.cohort_run(cohort=other, now=timezone.now())
    assert CampusAccount.objects.count() == 3 == Handover.objects.count()
    assert OutboxItem.objects.count() == jobs + mails
    outcomes = set(CohortRow.objects.filter(cohort=other).values_list("outcome", flat=True))
    assert outcomes == {CohortRow.Outcome.EXISTING}


def test_the_command_names_each_problem_and_exits_2(tmp_path: Path, personas: Personas) -> None:
    bad = tmp_path / "data.csv"
    bad.write_bytes(BAD)
    err = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("identity", "import", str(bad), stderr=err)
    assert raised.value.returncode == 2 and "nothing was imported" in str(raised.value)
    lines = err.getvalue().splitlines()
    assert any(line.startswith("row 3, unit:") for line in lines)
    assert any(line.startswith("row 5, name:") for line in lines)
    with pytest.raises(CommandError):
        call_command("identity", "cohort", str(bad), stderr=StringIO())
    assert nothing_made()

    good = tmp_path / "angkatan.csv"
    good.write_bytes(GOOD)
    out = StringIO()
    call_command("identity", "import", str(good), "--dry-run", stdout=out)
    assert "would import 3 row(s): 3 new" in out.getvalue() and nothing_made()
    out = StringIO()
    letters = tmp_path / "surat.pdf"
    call_command("identity", "cohort", str(good), "--letters", str(letters), stdout=out)
    assert out.getvalue().count("Akun dibuat") + out.getvalue().count("Account made") == 3
    assert letters.read_bytes().startswith(b"%PDF")
    out = StringIO()
    call_command("identity", "cohort", str(good), stdout=out)  # again: nothing new
    assert CampusAccount.objects.count() == 3


def test_the_import_page_lists_the_problems_and_keeps_everything_as_it_was(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.admin)
    upload = StringIO(BAD.decode())
    upload.name = "data.csv"
    html = client.post(reverse("identity-import"), {"file": upload, "import": "1"}).content.decode()
    assert "identity-problems" in html and "XYZ" in html
    assert nothing_made()
    # The requester and another unit's staff cannot import.
    for person in (personas.requester, personas.other_staff):
        client.force_login(person)
        assert client.get(reverse("identity-import")).status_code == 403


def test_the_accounts_page_reads_a_cohorts_accounts_in_as_many_queries_as_one(
    personas: Personas,
) -> None:
    client = Client()
    client.force_login(personas.admin)

    def page_queries(lines: bytes, name: str) -> int:
        cohort, _ = cohorts.cohort_create(
            actor=personas.admin, filename=name, data=lines, send_messages=False, now=timezone.now()
        )
        assert cohort is not None
        cohorts.cohort_run(cohort=cohort, now=timezone.now())
        with CaptureQueriesContext(connection) as page:
            assert client.get(reverse("identity-accounts")).status_code == 200
        return len(page.captured_queries)

    one = page_queries(GOOD.split(b"\n", 2)[0] + b"\n" + GOOD.split(b"\n")[1] + b"\n", "a.csv")
    assert CampusAccount.objects.count() == 1
    three = page_queries(GOOD, "b.csv")
    assert CampusAccount.objects.count() == 3
    assert three == one
