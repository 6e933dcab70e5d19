"""Writes to the content calendar's items, each in one transaction with its audit row:
planning, rescheduling, moving through the statuses, production tasks and assets, the
publication (which resolves the request that asked for the content) and the reach.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.desk import access as desk_access
from pintu.desk.models import Status as TicketStatus
from pintu.desk.services import Upload, ticket_reply, validate_upload
from pintu.media import lifecycle, metrics_csv
from pintu.media.models import (
    Asset,
    Channel,
    ContentItem,
    ItemStatus,
    Metric,
    Publication,
    StatusChange,
    Task,
)
from pintu.org.models import Unit

STATUS_WORDS = dict(ItemStatus.choices)


def _require(actor: Any, unit: Unit) -> None:
    if not desk_access.can_work_in(actor, unit):
        raise PermissionDenied


def _audit(actor: Any, action: str, item: ContentItem, before: Any, after: Any) -> None:
    audit_record(actor=actor, action=action, obj=item, unit=item.unit, before=before, after=after)


def _locked(item: ContentItem) -> ContentItem:
    return (
        ContentItem.objects.select_for_update(of=("self",)).select_related("unit").get(pk=item.pk)
    )


@transaction.atomic
def item_create(
    *,
    actor: Any,
    unit: Unit,
    title: str,
    channel: str,
    planned_at: datetime,
    brief: str = "",
    owner: Any = None,
    links: Sequence[str] = (),
    status: str = ItemStatus.IDEA,
    ticket: Any = None,
    now: datetime,
) -> ContentItem:
    """A new item on ``unit``'s calendar, an idea or already planned ("mengidentifikasi
    dan merencanakan jadwal")."""
    _require(actor, unit)
    if not title.strip():
        raise ValidationError(_("Give the content a title."))
    if channel not in Channel.values:
        raise ValidationError(_("Choose one of the channels."))
    if status not in (ItemStatus.IDEA, ItemStatus.PLANNED):
        raise ValidationError(_("A new item is an idea or planned."))
    item = ContentItem.objects.create(
        unit=unit,
        title=title.strip()[:200],
        brief=brief.strip(),
        channel=channel,
        planned_at=planned_at,
        baseline_at=planned_at if status == ItemStatus.PLANNED else None,
        owner=owner,
        status=status,
        links=[link.strip() for link in links if link.strip()],
        ticket=ticket,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )
    StatusChange.objects.create(item=item, status=status, at=now, by=actor)
    _audit(
        actor,
        "content_item.create",
        item,
        None,
        {
            "title": item.title,
            "channel": item.channel,
            "planned_at": planned_at.isoformat(),
            "status": item.status,
            "ticket": ticket.reference if ticket is not None else None,
        },
    )
    return item


@transaction.atomic
def item_edit(
    *,
    actor: Any,
    item: ContentItem,
    title: str,
    brief: str,
    channel: str,
    owner: Any,
    links: Sequence[str],
    now: datetime,
) -> ContentItem:
    item = _locked(item)
    _require(actor, item.unit)
    if not title.strip():
        raise ValidationError(_("Give the content a title."))
    if channel not in Channel.values:
        raise ValidationError(_("Choose one of the channels."))
    fields = ["title", "brief", "channel", "owner", "links"]
    before = {name: getattr(item, name) for name in fields}
    before["owner"] = str(before["owner"] or "")
    item.title, item.brief, item.channel = title.strip()[:200], brief.strip(), channel
    item.owner, item.links = owner, [link.strip() for link in links if link.strip()]
    item.updated_at = now
    item.save(update_fields=[*fields, "updated_at"])
    after = {name: getattr(item, name) for name in fields}
    after["owner"] = str(after["owner"] or "")
    changed = [name for name in fields if before[name] != after[name]]
    if changed:
        _audit(
            actor,
            "content_item.edit",
            item,
            {name: before[name] for name in changed},
            {name: after[name] for name in changed},
        )
    return item


@transaction.atomic
def item_reschedule(
    *, actor: Any, item: ContentItem, planned_at: datetime, now: datetime
) -> ContentItem:
    """A new planned moment (a drag on the calendar, by mouse or by keyboard). What the
    last review agreed stays the baseline that slippage is measured against."""
    item = _locked(item)
    _require(actor, item.unit)
    if item.status in (ItemStatus.PUBLISHED, ItemStatus.EVALUATED):
        raise ValidationError(_("A published item keeps its place on the calendar."))
    before = item.planned_at
    if before == planned_at:
        return item
    item.planned_at, item.updated_at = planned_at, now
    item.save(update_fields=["planned_at", "updated_at"])
    _audit(
        actor,
        "content_item.reschedule",
        item,
        {"planned_at": before.isoformat()},
        {"planned_at": planned_at.isoformat()},
    )
    return item


def _move(actor: Any, item: ContentItem, wanted: str, now: datetime, evidence: bool) -> None:
    try:
        lifecycle.check_move(item.status, wanted, with_evidence=evidence)  # type: ignore[arg-type]
    except lifecycle.MoveRefused:
        raise ValidationError(
            _("%(item)s cannot go from “%(old)s” to “%(new)s”.")
            % {
                "item": item.title,
                "old": STATUS_WORDS[item.status],
                "new": STATUS_WORDS.get(wanted, wanted),
            }
        ) from None
    before = item.status
    item.status, item.updated_at = wanted, now
    if wanted == ItemStatus.PLANNED and item.baseline_at is None:
        item.baseline_at = item.planned_at  # first planned: the plan of record
    item.save(update_fields=["status", "updated_at", "baseline_at"])
    StatusChange.objects.create(item=item, status=wanted, at=now, by=actor)
    _audit(actor, "content_item.move", item, {"status": before}, {"status": wanted})


@transaction.atomic
def item_move(*, actor: Any, item: ContentItem, status: str, now: datetime) -> ContentItem:
    """One status forward or back (publishing and evaluating come with their evidence:
    ``publication_record``, ``metrics_record``)."""
    item = _locked(item)
    _require(actor, item.unit)
    _move(actor, item, status, now, evidence=False)
    return item


@transaction.atomic
def task_add(
    *, actor: Any, item: ContentItem, title: str, due_on: date, owner: Any = None, now: datetime
) -> Task:
    _require(actor, item.unit)
    if not title.strip():
        raise ValidationError(_("Say what the task is."))
    task = Task.objects.create(
        item=item, title=title.strip()[:200], due_on=due_on, owner=owner, created_at=now
    )
    _audit(
        actor,
        "content_task.add",
        item,
        None,
        {"task": task.title, "due_on": due_on.isoformat(), "owner": str(owner or "")},
    )
    return task


@transaction.atomic
def task_done(*, actor: Any, task: Task, now: datetime) -> Task:
    task = Task.objects.select_for_update().select_related("item__unit").get(pk=task.pk)
    _require(actor, task.item.unit)
    if task.done_at is None:
        task.done_at = now
        task.save(update_fields=["done_at"])
        _audit(actor, "content_task.done", task.item, None, {"task": task.title})
    return task


@transaction.atomic
def asset_add(*, actor: Any, item: ContentItem, upload: Upload, now: datetime) -> Asset:
    """A file of the item (a photo, a draft, a video), checked as attachments are."""
    _require(actor, item.unit)
    upload = validate_upload(upload)
    asset = Asset(
        item=item, name=upload.name[:255], size=len(upload.data), uploaded_by=actor, uploaded_at=now
    )
    asset.file.save(upload.name, ContentFile(upload.data), save=False)
    asset.save()
    _audit(actor, "content_asset.add", item, None, {"asset": asset.name, "size": asset.size})
    return asset


@transaction.atomic
def publication_record(
    *, actor: Any, item: ContentItem, url: str, published_at: datetime, now: datetime
) -> Publication:
    """The content is out: where and when. An approved item becomes published; the request
    that asked for it is told where to find it and resolved (PR.27.4: a content request
    is done when its content is published, not when the schedule is reviewed)."""
    item = _locked(item)
    _require(actor, item.unit)
    if not url.strip():
        raise ValidationError(_("Give the address where it is published."))
    if published_at > now:
        raise ValidationError(_("A publication is recorded once it is out."))
    if item.status != ItemStatus.PUBLISHED and item.status != ItemStatus.EVALUATED:
        _move(actor, item, ItemStatus.PUBLISHED, now, evidence=True)
    publication = Publication.objects.create(
        item=item, url=url.strip(), published_at=published_at, recorded_by=actor, recorded_at=now
    )
    _audit(
        actor,
        "content_item.publish",
        item,
        None,
        {"url": publication.url, "published_at": published_at.isoformat()},
    )
    ticket = item.ticket
    if ticket is not None and ticket.status not in (TicketStatus.RESOLVED, TicketStatus.CLOSED):
        ticket_reply(
            actor=actor,
            ticket=ticket,
            body=_("“%(title)s” is published: %(url)s")
            % {"title": item.title, "url": publication.url},
            status=TicketStatus.RESOLVED,
            now=now,
        )
    return publication


@transaction.atomic
def metrics_record(
    *,
    actor: Any,
    item: ContentItem,
    measured_on: date,
    reach: int,
    engagement: int,
    source: str = Metric.Source.ENTERED,
    now: datetime,
) -> Metric:
    """The item's reach and engagement on a day (a later figure for the same day replaces
    it). A published item with its figures is evaluated."""
    item = _locked(item)
    _require(actor, item.unit)
    if item.status not in (ItemStatus.PUBLISHED, ItemStatus.EVALUATED):
        raise ValidationError(_("Only published content has a reach."))
    if reach < 0 or engagement < 0:
        raise ValidationError(_("Reach and engagement are counts."))
    metric, _created = Metric.objects.update_or_create(
        item=item,
        measured_on=measured_on,
        defaults={
            "reach": reach,
            "engagement": engagement,
            "source": source,
            "recorded_by": actor,
            "recorded_at": now,
        },
    )
    if item.status == ItemStatus.PUBLISHED:
        _move(actor, item, ItemStatus.EVALUATED, now, evidence=True)
    _audit(
        actor,
        "content_item.metrics",
        item,
        None,
        {"measured_on": measured_on.isoformat(), "reach": reach, "engagement": engagement},
    )
    return metric


@transaction.atomic
def metrics_import(
    *, actor: Any, unit: Unit, text: str, now: datetime
) -> tuple[int, list[metrics_csv.Problem]]:
    """Reach and engagement from a CSV export (``pintu.media.metrics_csv``): each row for
    an item of ``unit``, by its number or its publication's address. Returns how many rows
    were kept and the problems of the others, by line."""
    _require(actor, unit)
    rows, problems = metrics_csv.read(text)
    kept = 0
    for row in rows:
        item = _item_for(unit, row.content)
        if item is None:
            problems.append(metrics_csv.Problem(row.line, "content", row.content))
            continue
        try:
            metrics_record(
                actor=actor,
                item=item,
                measured_on=row.day,
                reach=row.reach,
                engagement=row.engagement,
                source=Metric.Source.CSV,
                now=now,
            )
        except ValidationError:
            problems.append(metrics_csv.Problem(row.line, "unpublished", row.content))
            continue
        kept += 1
    return kept, sorted(problems, key=lambda problem: problem.line)


def _item_for(unit: Unit, content: str) -> ContentItem | None:
    items = ContentItem.objects.filter(unit=unit)
    if content.isdigit():
        return items.filter(pk=int(content)).first()
    return items.filter(publications__url=content).first()
