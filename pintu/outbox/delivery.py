"""The outbox worker: claim due rows, hand each to its transport, record what happened
(sent, retry later, or a dead letter that staff see on the page of its cause).

Claims keep several workers on several machines from sending one row twice: on
PostgreSQL ``SELECT ... FOR UPDATE SKIP LOCKED`` in a short transaction, elsewhere a
conditional UPDATE per row. The network I/O happens after the claim has committed,
outside any transaction. A worker that dies while sending leaves its claim behind: the
row is due again once the heartbeats show that worker gone (``pintu.core.reaper``), or
after ``CLAIM_LEASE`` when the process had no heartbeat (at-least-once delivery: the
e-mail transport keeps
the Message-ID it reserved, so a receiver can tell a resend from a new message; a job's
transport passes the job's idempotency key on, so the outside system acts once). Reading
a claimed row and recording its outcome ride out a database that is away for a moment
(``pintu.core.reconnect``): a send the database did not hear of would be sent again.
"""

from __future__ import annotations

import logging
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import reduce
from operator import or_
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from pintu.core.heartbeat import this_worker_id
from pintu.core.reaper import gone_workers
from pintu.core.reconnect import reconnecting
from pintu.outbox.models import OutboxItem

logger = logging.getLogger("pintu.outbox")

Status = OutboxItem.Status

# A claim older than this is taken to be abandoned by a worker that stopped mid-send.
CLAIM_LEASE = timedelta(minutes=10)
CLAIM_CHUNK = 10
# However many attempts have failed, the next one is at most this far away.
MAX_RETRY_DELAY = timedelta(hours=6)


class TemporaryFailure(Exception):
    """The transport could not take the row now (4xx, network down): try again later."""


class PermanentFailure(Exception):
    """The transport refused the row for good (5xx, no such recipient): a dead letter."""


@dataclass(frozen=True)
class Sent:
    """What a transport reports for a row it carried: its id there, and for a job what
    the outside system answered (kept on the row as evidence)."""

    external_id: str = ""
    result: dict[str, Any] | None = field(default=None)


class Transport(Protocol):
    def send(self, item: OutboxItem) -> str | Sent:
        """Deliver ``item`` and return its id at the transport (our Message-ID, the
        WhatsApp message id) or a ``Sent``. Raise TemporaryFailure or PermanentFailure.
        A job's transport makes the effect idempotent under ``item.idempotency_key``:
        after a crash the same job may be handed over again."""
        ...


# One transport per name: each door and each module registers its own when its app
# loads (e.g. ``pintu/doors/email/transport.py``), so that the outbox never imports
# them (they import the outbox). Tests add and swap entries.
TRANSPORTS: dict[str, Transport] = {}


def transport_for(name: str) -> Transport:
    if name not in TRANSPORTS:
        raise TemporaryFailure(f"no transport {name!r} is registered")
    return TRANSPORTS[name]


def retry_delay(
    attempts: int, backoff_seconds: float, jitter: Callable[[], float] = random.random
) -> timedelta:
    """How long to wait after the ``attempts``-th failed try: exponential backoff,
    capped at six hours, spread by ±25 % so that a backlog does not retry in step."""
    base = backoff_seconds * 2 ** max(attempts - 1, 0)
    spread = base * (0.75 + 0.5 * jitter())
    return min(timedelta(seconds=spread), MAX_RETRY_DELAY)


# ---------------------------------------------------------------- claiming


def _due(now: datetime) -> Q:
    return Q(status__in=[Status.PENDING, Status.FAILED], next_attempt_at__lte=now) | Q(
        status=Status.SENDING, claimed_at__lt=now - CLAIM_LEASE
    )


# A claim names the worker as its heartbeat does (cut to leave room for the rest) and
# a part unique per call: two threads of one process must not share a claim.
_WORKER_PART = 51


def _worker_name() -> str:
    return f"{this_worker_id()[:_WORKER_PART]}/{uuid.uuid4().hex[:12]}"


def _abandoned(now: datetime) -> Q | None:
    """Rows being sent by a worker that the heartbeats show gone (killed, or stopped
    cut short): due at once rather than when their lease ends."""
    holders = {
        claim.partition("/")[0]
        for claim in OutboxItem.objects.filter(status=Status.SENDING).values_list(
            "claimed_by", flat=True
        )
    }
    gone = holders & {worker[:_WORKER_PART] for worker in gone_workers(now=now)}
    if not gone:
        return None
    return Q(status=Status.SENDING) & reduce(
        or_, (Q(claimed_by__startswith=f"{worker}/") for worker in sorted(gone))
    )


def _claim(candidates: Q, due: Q, now: datetime, limit: int, worker: str) -> list[int]:
    """Take up to ``limit`` rows of ``candidates`` that are ``due`` for ``worker``;
    returns their ids, oldest due first."""
    claim = {
        "status": Status.SENDING,
        "claimed_by": worker,
        "claimed_at": now,
        # Counted at the claim, so that a message that kills the worker every time it
        # is sent still runs out of attempts.
        "attempts": F("attempts") + 1,
    }
    rows = OutboxItem.objects.filter(candidates & due).order_by("next_attempt_at", "id")
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            ids = list(
                rows.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit]
            )
            OutboxItem.objects.filter(pk__in=ids).update(**claim)
        return ids
    claimed: list[int] = []
    # Workers racing here see the same first rows; looking further than ``limit`` lets
    # the one that loses a row take the next instead of stopping short.
    for pk in rows.values_list("pk", flat=True)[: limit * 4]:
        # Re-checks the due condition in the UPDATE itself: of two workers that both saw
        # the row, only one matches it.
        if OutboxItem.objects.filter(due, pk=pk).update(**claim):
            claimed.append(pk)
            if len(claimed) == limit:
                break
    return claimed


# ---------------------------------------------------------------- delivering


def deliver_due(now: datetime, limit: int = 50) -> int:
    """Claim and deliver up to ``limit`` rows due at ``now``; returns how many were
    tried. Call it outside any transaction: it talks to the network."""
    worker = _worker_name()
    abandoned = _abandoned(now)
    due = _due(now) if abandoned is None else _due(now) | abandoned
    tried = 0
    while tried < limit:
        # A few rows per claim, so that each is sent well within the lease even when
        # the relay is slow (a claim of 50 at a 30-second timeout each would outlive it).
        chunk = min(CLAIM_CHUNK, limit - tried)
        ids = _claim(Q(), due, now, chunk, worker)
        for pk in ids:
            _deliver(pk, worker, now)
        tried += len(ids)
        if len(ids) < chunk:
            break
    return tried


def deliver_one(item_id: int, now: datetime) -> bool:
    """Deliver one row now if it is due and nobody else has it (services enqueue
    this on commit); returns whether it was tried."""
    worker = _worker_name()
    if not _claim(Q(pk=item_id), _due(now), now, 1, worker):
        # The reaper runs the task again when its worker died mid-send: the row is
        # still claimed by that worker, and is taken over if the worker is gone.
        abandoned = _abandoned(now)
        if abandoned is None or not _claim(Q(pk=item_id), abandoned, now, 1, worker):
            return False
    _deliver(item_id, worker, now)
    return True


def _deliver(pk: int, worker: str, now: datetime) -> None:
    item = reconnecting(lambda: OutboxItem.objects.get(pk=pk), what=f"reading outbox row {pk}")
    mine = OutboxItem.objects.filter(pk=pk, status=Status.SENDING, claimed_by=worker)
    done: dict[str, object] = {"claimed_by": "", "claimed_at": None}
    if item.attempts > settings.PINTU_OUTBOX_MAX_ATTEMPTS:
        # Only a claim abandoned on the last attempt gets here: the worker keeps dying
        # while sending this item, so stop trying it.
        done.update(status=Status.DEAD, last_error="the worker stopped while sending it")
        reconnecting(lambda: mine.update(**done), what=f"recording outbox row {pk}")
        logger.warning("outbox: row %s is a dead letter: abandoned while sending", pk)
        return
    try:
        outcome = transport_for(item.transport).send(item)
    except PermanentFailure as error:
        done.update(status=Status.DEAD, last_error=_text(error))
    except Exception as error:
        if not isinstance(error, TemporaryFailure):
            # A bug or an unexpected error in a transport must not stop the batch; the
            # item is retried and, if it keeps failing, ends as a dead letter.
            logger.exception("outbox: unexpected error sending row %s", pk)
        if item.attempts >= settings.PINTU_OUTBOX_MAX_ATTEMPTS:
            done.update(status=Status.DEAD, last_error=_text(error))
        else:
            delay = retry_delay(item.attempts, settings.PINTU_OUTBOX_BACKOFF_SECONDS)
            done.update(status=Status.FAILED, last_error=_text(error), next_attempt_at=now + delay)
    else:
        sent = outcome if isinstance(outcome, Sent) else Sent(outcome)
        done.update(
            status=Status.SENT,
            external_id=sent.external_id,
            result=sent.result,
            sent_at=timezone.now(),
            last_error="",
        )
    recorded = reconnecting(lambda: mine.update(**done), what=f"recording outbox row {pk}")
    if not recorded:
        # Our claim outlived its lease and another worker took the row over; its outcome
        # is the one recorded.
        logger.warning("outbox: row %s was taken over before %s finished", pk, worker)
    elif done["status"] == Status.DEAD:
        logger.warning("outbox: row %s is a dead letter: %s", pk, done["last_error"])


def _text(error: Exception) -> str:
    if isinstance(error, TemporaryFailure | PermanentFailure) and str(error):
        return str(error)
    return f"{type(error).__name__}: {error}"
