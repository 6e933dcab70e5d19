"""The retention schedule: every kind of record Pintu keeps, the SOP records it holds,
the moment its period runs from, and how it is destroyed.

Every SOP ends with "Data: kept 5 years"; a unit's period is the longest its current
SOPs name (5 years when it has none) or longer where the unit keeps longer
(``UnitRetention``). Kinds are a registry: the records of the desk, the doors, the KPI
evidence and the audit log are declared here, and a module adds its own as
``RETENTION = [RecordKind(...)]`` in its ``retention.py`` (found by name, like its
KPI ``MEASURES``; ``RecordKind`` lives in ``pintu.core.retention`` so that a module
below this floor can name it).
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from pintu.core.retention import RecordKind
from pintu.desk.models import ACTIVE_STATUSES
from pintu.sop.definition import RETENTION_RE

DEFAULT_YEARS = 5


def sop_years(retention: str) -> int:
    match = RETENTION_RE.match(retention)
    return int(match["years"]) if match else DEFAULT_YEARS


def _ticket_parts(ticket: Any) -> list[models.Model]:
    from pintu.doors.models import InboundMessage

    parts: list[models.Model] = []
    for article in ticket.articles.all():
        parts.append(article)
        parts.extend(article.attachments.all())
    parts.extend(ticket.pauses.all())
    parts.extend(ticket.steps.all())
    parts.extend(ticket.events.all())
    parts.extend(InboundMessage.objects.filter(ticket=ticket))
    parts.extend(ticket.outgoing.all())
    return parts


def _ticket_files(ticket: Any) -> list[FieldFile]:
    from pintu.desk.models import Attachment

    return [a.file for a in Attachment.objects.filter(article__ticket=ticket) if a.file]


def _ticket_destroy(ticket: Any, parts: list[models.Model]) -> dict[str, Any]:
    """A request's messages, files, raw mail and WhatsApp payloads, events and outgoing
    messages go; its row stays as a skeleton without personal data (reference, service,
    unit, door and its moments and deadlines), so that the KPIs measured on it give the
    same figures again."""
    from pintu.desk.models import Attachment, Contact
    from pintu.doors.models import InboundMessage

    for attachment in Attachment.objects.filter(article__ticket=ticket):
        attachment.file.delete(save=False)
    InboundMessage.objects.filter(ticket=ticket).delete()
    ticket.articles.all().delete()
    ticket.events.all().delete()
    ticket.outgoing.all().delete()
    ticket.steps.update(output="")
    old_contact = ticket.contact
    ticket.requester = None
    ticket.contact = Contact.objects.create()
    ticket.assignee = None
    ticket.subject = ticket.reference
    ticket.fields = {}
    ticket.csat_comment = ""
    ticket.search_text = ""  # nothing of what it said stays findable
    ticket.save(
        update_fields=[
            *("requester", "contact", "assignee", "subject", "fields", "csat_comment"),
            "search_text",
        ]
    )
    if old_contact is not None and not old_contact.tickets.exists():
        old_contact.delete()
    return {
        "service": f"{ticket.service_type.sop.code}/{ticket.service_type.key}",
        "door": ticket.door,
        "received_at": _iso(ticket.received_at),
        "first_response_at": _iso(ticket.first_response_at),
        "first_response_due_at": _iso(ticket.first_response_due_at),
        "resolved_at": _iso(ticket.resolved_at),
        "resolution_due_at": _iso(ticket.resolution_due_at),
        "closed_at": _iso(ticket.closed_at),
        "csat_score": ticket.csat_score,
    }


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if moment is not None else None


def _audit_destroy(event: Any, parts: list[models.Model]) -> dict[str, Any]:
    """Audit rows go oldest first, so that the chain kept starts after them."""
    from pintu.core.audit import audit_forget_before

    audit_forget_before(event.seq)
    return {"seq": event.seq, "hash": event.hash}


TICKET_RECORDS = (
    "Tiket",
    "Balasan Tiket",
    "Data permintaan layanan",
    "Data akun yang diklasifikasi",
)

BUILT_IN: list[RecordKind] = [
    RecordKind(
        name="desk.ticket",
        label=_("Requests with their messages, attachments, raw e-mails and WhatsApp messages"),
        model="desk.Ticket",
        sop_records=TICKET_RECORDS,
        moment=Coalesce("closed_at", "resolved_at"),
        ticket="id",
        eligible=(Q(resolved_at__isnull=False) | Q(closed_at__isnull=False))
        & ~Q(status__in=ACTIVE_STATUSES),
        parts=_ticket_parts,
        files=_ticket_files,
        reference=lambda t: str(getattr(t, "reference", t.pk)),
        destroy=_ticket_destroy,
    ),
    RecordKind(
        name="doors.inboundmessage",
        label=_("Raw e-mails and WhatsApp messages that opened no request"),
        model="doors.InboundMessage",
        sop_records=("Tiket",),
        moment="received_at",
        unit="mailbox__unit",
        eligible=Q(ticket__isnull=True) & ~Q(outcome="pending"),
    ),
    RecordKind(
        name="doors.webhookdelivery",
        label=_("WhatsApp webhook payloads"),
        model="doors.WebhookDelivery",
        sop_records=("Tiket",),
        moment="received_at",
        unit=None,
        eligible=Q(processed_at__isnull=False),
    ),
    RecordKind(
        name="kpi.evidencedocument",
        label=_("KPI evidence documents"),
        model="kpi.EvidenceDocument",
        sop_records=("Laporan Evaluasi Diri",),
        moment="valid_until",
        reference=lambda d: str(getattr(d, "title", d.pk)),
    ),
    RecordKind(
        name="core.auditevent",
        label=_("Audit log rows"),
        model="core.AuditEvent",
        sop_records=(),
        moment="at",
        unit=None,
        prefix_of="seq",
        destroy=_audit_destroy,
    ),
]


def kinds() -> dict[str, RecordKind]:
    """Every kind on the schedule: the built-in ones and each installed app's
    ``retention.py`` ``RETENTION``."""
    found = {kind.name: kind for kind in BUILT_IN}
    for config in apps.get_app_configs():
        if not config.name.startswith("pintu.") or config.name == "pintu.records":
            continue
        try:
            module = import_module(f"{config.name}.retention")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.retention":
                raise
            continue
        for kind in getattr(module, "RETENTION", ()):
            if kind.name in found:
                raise ValueError(f"record kind {kind.name} is declared twice ({config.name})")
            found[kind.name] = kind
    return found


def sop_records() -> Iterable[tuple[Any, Any]]:
    """Every record the current SOPs name, with its SOP (for the schedule's page)."""
    from pintu.sop.models import Sop

    for sop in Sop.objects.filter(is_current=True).select_related("unit").order_by("code"):
        for record in sop.parsed().records:
            yield sop, record
