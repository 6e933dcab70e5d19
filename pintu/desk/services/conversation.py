"""The conversation of a ticket: staff replies (the first is the first response) and
internal notes, and the requester writing again through any door."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.desk import access
from pintu.desk.models import Article, Door, Status, Ticket
from pintu.desk.services.common import (
    DEADLINE_FIELDS,
    audit,
    lock_ticket,
    message_text,
    now_or_current,
    refresh_deadlines,
    save_changed,
    snapshot,
)
from pintu.desk.services.notify import Purpose, to_requester
from pintu.desk.services.steps import steps_done_by_requester
from pintu.desk.services.tickets import ticket_set_status
from pintu.desk.services.uploads import Upload, article_attach
from pintu.org.models import User


@transaction.atomic
def ticket_reply(
    *,
    actor: User,
    ticket: Ticket,
    body: str,
    uploads: Sequence[Upload] = (),
    status: str | None = None,
    now: datetime | None = None,
) -> Article:
    """A public reply by staff. The first one is the first response (any door)."""
    now = now_or_current(now)
    ticket = lock_ticket(ticket)
    access.require_work(actor, ticket)
    if not body.strip():
        raise ValidationError(_("Write a reply."))
    article = staff_article(ticket, Article.Kind.REPLY, actor, body, uploads, now)
    before = snapshot(ticket, ["status", "first_response_at"])
    changed = []
    if ticket.first_response_at is None:
        ticket.first_response_at = now
        changed.append("first_response_at")
    if ticket.status == Status.NEW:
        ticket.status = Status.OPEN
        changed.append("status")
    if changed:
        refresh_deadlines(ticket)
        save_changed(ticket, [*changed, *DEADLINE_FIELDS])
    to_requester(ticket, purpose=Purpose.REPLY, body=body, now=now, article=article)
    audit(
        actor,
        "ticket.reply",
        ticket,
        before,
        {**snapshot(ticket, ["status", "first_response_at"]), "article": article.pk},
    )
    if status is not None and status != ticket.status:
        ticket_set_status(actor=actor, ticket=ticket, status=status, now=now)
    return article


@transaction.atomic
def ticket_note(
    *,
    actor: User,
    ticket: Ticket,
    body: str,
    uploads: Sequence[Upload] = (),
    now: datetime | None = None,
) -> Article:
    """An internal note: staff only, never sent, never a first response."""
    now = now_or_current(now)
    access.require_work(actor, ticket)
    if not body.strip():
        raise ValidationError(_("Write a note."))
    article = staff_article(ticket, Article.Kind.NOTE, actor, body, uploads, now)
    audit(actor, "ticket.note", ticket, None, {"article": article.pk})
    return article


@transaction.atomic
def ticket_requester_message(
    *,
    ticket: Ticket,
    body: str,
    door: str,
    author: User | None = None,
    author_name: str = "",
    uploads: Sequence[Upload] = (),
    external_id: str = "",
    body_html: str = "",
    now: datetime | None = None,
) -> Article:
    """The requester writes again (portal, e-mail, WhatsApp). A ticket waiting for the
    requester goes back to open; a resolved one reopens."""
    now = now_or_current(now)
    ticket = lock_ticket(ticket)
    if author is not None and not access.is_requester_of(author, ticket):
        raise PermissionDenied
    if not body.strip() and not uploads:
        raise ValidationError(_("Write a message or attach a file."))
    article = Article.objects.create(
        ticket=ticket,
        kind=Article.Kind.INBOUND,
        door=door,
        author=author,
        author_name=author_name or str(author or ticket.requester_name),
        body=message_text(body, door),
        body_html=body_html,
        external_id=external_id,
        created_at=now,
    )
    article_attach(article, uploads)
    audit(author, "ticket.message", ticket, None, {"article": article.pk, "door": door})
    steps_done_by_requester(ticket, author, now)
    if ticket.status in (Status.WAITING_REQUESTER, Status.RESOLVED):
        ticket_set_status(
            actor=author, ticket=ticket, status=Status.OPEN, now=now, by_requester=True
        )
    return article


def staff_article(
    ticket: Ticket, kind: str, actor: User, body: str, uploads: Sequence[Upload], now: datetime
) -> Article:
    article = Article.objects.create(
        ticket=ticket,
        kind=kind,
        door=ticket.door,
        author=actor,
        author_name=str(actor),
        body=message_text(body, Door.WEB),  # typed by staff
        created_at=now,
    )
    article_attach(article, uploads)
    return article
