"""Write audit rows, each linked into the hash chain, and check and digest that chain.

Services call ``audit_record`` inside their own transaction. The writer locks the chain
head (one row) for the rest of that transaction, so concurrent writers queue on it and
the chain never forks: ``SELECT ... FOR UPDATE`` on PostgreSQL; on SQLite every write
transaction already holds the database's write lock from its start (IMMEDIATE).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.db import models, transaction

from pintu.core import chain
from pintu.core.models import AuditChain, AuditDigest, AuditEvent

CHAIN_FIELDS = ("id", "prev_hash", "hash", *chain.CONTENT_FIELDS)


def chain_head_locked() -> AuditChain:
    """The chain head, locked until the caller's transaction ends (made on first use:
    the migration makes it, a flushed test database has none)."""
    head = AuditChain.objects.select_for_update().filter(pk=1).first()
    if head is not None:
        return head
    AuditChain.objects.bulk_create(
        [AuditChain(pk=1, head_hash=chain.GENESIS, base_hash=chain.GENESIS)],
        ignore_conflicts=True,
    )
    return AuditChain.objects.select_for_update().get(pk=1)


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    unit: Any = None,
) -> AuditEvent:
    """Record that ``actor`` (None for the system) did ``action`` to ``obj``.

    Must run inside the caller's atomic block, so that the change and its audit row
    commit or roll back together.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must run inside the service's transaction")
    head = chain_head_locked()
    event = AuditEvent(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        unit=unit,
        before=before,
        after=after,
        seq=head.head_seq + 1,
        prev_hash=head.head_hash,
    )
    event.hash = chain.row_hash(head.head_hash, _content(event))
    event.save(force_insert=True)
    head.head_seq, head.head_hash = event.seq, event.hash
    head.save(update_fields=["head_seq", "head_hash"])
    return event


def _content(event: AuditEvent) -> dict[str, Any]:
    return {name: getattr(event, name) for name in chain.CONTENT_FIELDS}


def changes(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Keep only the fields whose value changed, for a compact before/after pair."""
    changed = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in changed}, {key: after[key] for key in changed}


def audit_verify() -> chain.Verdict:
    """Check the whole kept chain against its head and the daily digests."""
    head = AuditChain.objects.filter(pk=1).first()
    rows = AuditEvent.objects.order_by("seq").values(*CHAIN_FIELDS).iterator(chunk_size=2000)
    digests = [
        (d.day.isoformat(), d.seq, d.hash)
        for d in AuditDigest.objects.filter(seq__gt=head.base_seq if head else 0)
    ]
    if head is None:
        return chain.verify(rows, head=(0, chain.GENESIS), digests=digests)
    return chain.verify(
        rows,
        base_seq=head.base_seq,
        base_hash=head.base_hash,
        head=(head.head_seq, head.head_hash),
        digests=digests,
    )


@transaction.atomic
def audit_digest_record(*, day: date, now: datetime) -> AuditDigest:
    """Keep the chain head as it stands now as the digest of ``day`` (the periodic job
    runs hourly: the day's digest is its last head)."""
    head = chain_head_locked()
    digest, _created = AuditDigest.objects.update_or_create(
        day=day, defaults={"seq": head.head_seq, "hash": head.head_hash, "recorded_at": now}
    )
    return digest


def audit_digests(year: int) -> list[AuditDigest]:
    """The daily digests of ``year``, for the LED's appendix."""
    return list(AuditDigest.objects.filter(day__year=year).order_by("day"))


def audit_forget_before(seq: int) -> int:
    """Delete the chain's rows up to ``seq`` (a retention purge, once they are archived)
    and move the chain's start past them, so that what is kept still verifies. Runs in
    the caller's transaction; returns the rows deleted."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_forget_before must run inside the purge's transaction")
    head = chain_head_locked()
    last = AuditEvent.objects.filter(seq=seq).values_list("hash", flat=True).first()
    if last is None or seq <= head.base_seq:
        return 0
    deleted, _ = AuditEvent.objects.filter(seq__lte=seq).delete()
    head.base_seq, head.base_hash = seq, last
    head.save(update_fields=["base_seq", "base_hash"])
    return deleted
