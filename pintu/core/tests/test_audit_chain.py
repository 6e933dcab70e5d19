"""The audit log as written: every row chained in its service's transaction, checked by
`pintu audit verify`, digested daily."""

from __future__ import annotations

import importlib
import subprocess
import sys
import threading
from datetime import date, timedelta
from typing import Any

import pytest
from django.apps import apps as live_apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.utils import timezone

from pintu.conftest import child_environment
from pintu.core import chain
from pintu.core.audit import (
    audit_digest_record,
    audit_digests,
    audit_forget_before,
    audit_verify,
)
from pintu.core.models import AuditChain, AuditEvent
from pintu.org import services


def add_people(count: int, prefix: str = "orang") -> None:
    for number in range(count):
        services.user_create(
            actor=None,
            username=f"{prefix}-{number}",
            password="kata-sandi-uji-123",
            full_name=f"Orang {number}",
            email=f"{prefix}{number}@pintu.test",
        )


def verify_output() -> str:
    from io import StringIO

    out = StringIO()
    call_command("audit", "verify", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_each_row_links_to_the_one_before_and_the_head_follows() -> None:
    add_people(3)
    events = list(AuditEvent.objects.order_by("seq"))
    assert [e.seq for e in events] == [1, 2, 3]
    assert events[0].prev_hash == chain.GENESIS
    assert [e.prev_hash for e in events[1:]] == [e.hash for e in events[:-1]]
    head = AuditChain.objects.get()
    assert (head.head_seq, head.head_hash) == (3, events[-1].hash)
    assert "audit chain intact: 3 rows, head 3" in verify_output()


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_row_and_no_head_move() -> None:
    add_people(1)
    with pytest.raises(RuntimeError), transaction.atomic():
        add_people(1, prefix="batal")
        raise RuntimeError("the service failed after its audit row")
    assert AuditEvent.objects.count() == 1
    assert AuditChain.objects.get().head_seq == 1
    add_people(1, prefix="lagi")
    assert audit_verify().ok


@pytest.mark.django_db
def test_verify_names_an_altered_row_and_exits_non_zero() -> None:
    add_people(4)
    victim = AuditEvent.objects.get(seq=2)
    AuditEvent.objects.filter(pk=victim.pk).update(object_repr="someone else")
    with pytest.raises(CommandError) as failure:
        verify_output()
    assert failure.value.returncode == 1
    assert f"row #{victim.pk} (seq 2): altered" in str(failure.value)


@pytest.mark.django_db
def test_verify_names_the_row_after_a_deleted_one() -> None:
    add_people(4)
    AuditEvent.objects.filter(seq=3).delete()
    after = AuditEvent.objects.get(seq=4)
    verdict = audit_verify()
    assert verdict.problem is not None and verdict.problem.kind == "deleted"
    assert verdict.problem.row_id == after.pk


@pytest.mark.django_db
def test_verify_finds_the_newest_rows_deleted() -> None:
    add_people(4)
    AuditEvent.objects.filter(seq__gte=3).delete()
    verdict = audit_verify()
    assert verdict.problem is not None and "seq 3–4" in verdict.problem.message


@pytest.mark.django_db
def test_verify_finds_a_row_inserted_without_the_writer() -> None:
    add_people(3)
    last = AuditEvent.objects.get(seq=3)
    # A forger appends a row with a good link and hash, but cannot move the head.
    forged = AuditEvent(
        action="user.create",
        object_type="org.user",
        object_id="999",
        object_repr="penyusup",
        seq=4,
        prev_hash=last.hash,
        at=last.at,
    )
    forged.hash = chain.row_hash(forged.prev_hash, content(forged))
    forged.save()
    verdict = audit_verify()
    assert verdict.problem is not None and verdict.problem.kind == "out_of_order"
    assert verdict.problem.row_id == forged.pk


def content(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in chain.CONTENT_FIELDS}


def models_seq_plus(amount: int) -> Any:
    from django.db.models import F

    return F("seq") + amount


@pytest.mark.django_db
def test_the_daily_digest_keeps_the_head_and_a_year_lists_its_digests() -> None:
    add_people(2)
    now = timezone.now()
    audit_digest_record(day=date(2026, 11, 30), now=now)
    add_people(1, prefix="lagi")
    audit_digest_record(day=date(2026, 12, 1), now=now)
    audit_digest_record(day=date(2027, 1, 1), now=now)
    digests = audit_digests(2026)
    assert [(d.day, d.seq) for d in digests] == [(date(2026, 11, 30), 2), (date(2026, 12, 1), 3)]
    assert digests[-1].hash == AuditEvent.objects.get(seq=3).hash


@pytest.mark.django_db
def test_a_chain_rewritten_after_its_digest_fails_verify() -> None:
    add_people(3)
    audit_digest_record(day=date(2026, 12, 1), now=timezone.now())
    # Rewrite row 3 and re-hash it, moving the head too: only the digest tells.
    row = AuditEvent.objects.get(seq=3)
    row.object_repr = "ditulis ulang"
    row.hash = chain.row_hash(row.prev_hash, content(row))
    row.save()
    AuditChain.objects.update(head_hash=row.hash)
    verdict = audit_verify()
    assert verdict.problem is not None and verdict.problem.kind == "digest"
    assert "2026-12-01" in verdict.problem.message


@pytest.mark.django_db
def test_forgetting_the_oldest_rows_keeps_the_rest_verifiable() -> None:
    add_people(5)
    audit_digest_record(day=date(2026, 1, 1), now=timezone.now())
    with transaction.atomic():
        assert audit_forget_before(3) == 3
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [4, 5]
    assert audit_verify().ok
    add_people(1, prefix="lagi")
    assert audit_verify().ok


def test_the_periodic_digest_is_registered() -> None:
    from pintu.core.periodic import SCHEDULES

    assert SCHEDULES["pintu.core.tasks.audit_digest"].every == timedelta(hours=1)


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_fork_the_chain() -> None:
    """Four threads, each its own connection, write at once; on PostgreSQL they queue on
    the head's row lock, on SQLite on the write lock."""
    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def work(number: int) -> None:
        barrier.wait()
        try:
            add_people(15, prefix=f"t{number}")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert AuditEvent.objects.count() == 60
    assert sorted(AuditEvent.objects.values_list("seq", flat=True)) == list(range(1, 61))
    assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
def test_two_processes_writing_at_once_keep_one_chain() -> None:
    script = (
        "import django; django.setup()\n"
        "import sys\n"
        "from pintu.org import services\n"
        "for n in range(20):\n"
        "    services.user_create(actor=None, username=f'{sys.argv[1]}-{n}', password='x-123-abc',"
        " full_name='P', email=f'{sys.argv[1]}{n}@pintu.test')\n"
    )
    children = [
        subprocess.Popen([sys.executable, "-c", script, name], env=child_environment())
        for name in ("satu", "dua")
    ]
    assert [child.wait(timeout=120) for child in children] == [0, 0]
    assert AuditEvent.objects.count() == 40
    verdict = audit_verify()
    assert verdict.ok and verdict.rows == 40


@pytest.mark.django_db
def test_the_migration_chains_the_rows_written_before_it() -> None:
    add_people(3)
    AuditEvent.objects.update(seq=models_seq_plus(1000), prev_hash="", hash="")
    AuditChain.objects.all().delete()
    migration = importlib.import_module("pintu.core.migrations.0008_audit_chain")
    migration.chain_existing(live_apps, None)
    assert list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True)) == [1, 2, 3]
    assert audit_verify().ok
    assert AuditChain.objects.get().head_seq == 3
