"""Merging two requests that are one, and splitting off messages that are another."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.desk import access
from pintu.desk.models import Article, Status, Ticket, TicketEvent
from pintu.desk.services.common import audit, lock_ticket, now_or_current, save_changed
from pintu.desk.services.intake import new_ticket
from pintu.desk.services.notify import acknowledge
from pintu.desk.services.tickets import ticket_set_status
from pintu.org.models import User


@transaction.atomic
def ticket_merge(
    *, actor: User, source: Ticket, target: Ticket, now: datetime | None = None
) -> Ticket:
    """Fold ``source`` into ``target``: its messages move over, it closes pointing there."""
    now = now_or_current(now)
    if source.pk == target.pk:
        raise ValidationError(_("A request cannot be merged into itself."))
    # Locked in the order of their keys, whichever way round they are merged: two
    # merges of the same pair crossing each other then queue instead of deadlocking.
    locked = {t.pk: lock_ticket(t) for t in sorted((source, target), key=lambda t: t.pk)}
    source, target = locked[source.pk], locked[target.pk]
    access.require_work(actor, source)
    access.require_work(actor, target)
    if source.unit_id != target.unit_id:
        raise ValidationError(_("Only requests of the same unit can be merged."))
    if source.merged_into_id is not None or target.merged_into_id is not None:
        raise ValidationError(_("A request that was merged into another cannot be merged."))
    moved = Article.objects.filter(ticket=source).update(ticket=target)
    source.merged_into = target
    save_changed(source, ["merged_into"])
    TicketEvent.objects.create(
        ticket=target,
        kind=TicketEvent.Kind.MERGED,
        at=now,
        detail={"from": source.reference, "articles": moved},
    )
    TicketEvent.objects.create(
        ticket=source, kind=TicketEvent.Kind.MERGED, at=now, detail={"into": target.reference}
    )
    audit(actor, "ticket.merge", source, None, {"into": target.reference, "articles": moved})
    if source.status != Status.CLOSED:
        ticket_set_status(actor=actor, ticket=source, status=Status.CLOSED, now=now)
    return target


@transaction.atomic
def ticket_split(
    *,
    actor: User,
    ticket: Ticket,
    article_ids: Sequence[int],
    subject: str,
    now: datetime | None = None,
) -> Ticket:
    """Move some messages of ``ticket`` into a new ticket of the same service, received
    when the first of them arrived; the moved messages are its conversation."""
    now = now_or_current(now)
    ticket = lock_ticket(ticket)
    access.require_work(actor, ticket)
    articles = list(ticket.articles.filter(pk__in=article_ids).order_by("created_at"))
    if not articles:
        raise ValidationError(_("Choose the messages to split off."))
    if len(articles) == ticket.articles.count():
        raise ValidationError(_("Leave at least one message on the original request."))
    new = new_ticket(
        actor=actor,
        service_type=ticket.service_type,
        requester=ticket.requester,
        contact=ticket.contact,
        door=ticket.door,
        subject=subject,
        fields=ticket.fields,
        received_at=articles[0].created_at,
        now=now,
        opening=articles[0].body,
    )
    Article.objects.filter(pk__in=[a.pk for a in articles]).update(ticket=new)
    # The requester learns the new reference the way the request came.
    acknowledge(new, now)
    TicketEvent.objects.create(
        ticket=ticket,
        kind=TicketEvent.Kind.SPLIT,
        at=now,
        # The requester never saw the internal notes that moved with the messages.
        detail={
            "into": new.reference,
            "articles": len(articles),
            "public": sum(article.is_public for article in articles),
        },
    )
    audit(actor, "ticket.split", ticket, None, {"into": new.reference})
    return new
