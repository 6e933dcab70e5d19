"""Tickets: one record per request, whatever door it came through, on its SOP's clock.

The ticket stores only real transitions (received, first response, pauses, resolved,
closed) and the indexed deadlines computed from them; whether a ticket is on track, at
risk or breached is derived when read (see ``pintu.sla.deadlines.ticket_sla_state``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Door(models.TextChoices):
    WEB = "web", _("Web portal")
    EMAIL = "email", _("E-mail")
    WHATSAPP = "whatsapp", _("WhatsApp")
    WALK_IN = "walk_in", _("Walk-in")
    PHONE = "phone", _("Phone")


class Status(models.TextChoices):
    NEW = "new", _("New")
    OPEN = "open", _("Open")
    WAITING_REQUESTER = "waiting_requester", _("Waiting for requester")
    WAITING_THIRD_PARTY = "waiting_third_party", _("Waiting for third party")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


ACTIVE_STATUSES = (
    Status.NEW,
    Status.OPEN,
    Status.WAITING_REQUESTER,
    Status.WAITING_THIRD_PARTY,
)
PAUSED_STATUSES = (Status.WAITING_REQUESTER, Status.WAITING_THIRD_PARTY)
DONE_STATUSES = (Status.RESOLVED, Status.CLOSED)


class Priority(models.TextChoices):
    LOW = "low", _("Low")
    NORMAL = "normal", _("Normal")
    HIGH = "high", _("High")
    URGENT = "urgent", _("Urgent")


class Contact(models.Model):
    """A requester without an account (an outside partner, a caller), matched by e-mail
    or WhatsApp number; linked to a person once one is known."""

    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    phone = models.CharField(_("WhatsApp number"), max_length=20, blank=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contacts",
    )

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return self.name or self.email or self.phone


class ReferenceCounter(models.Model):
    """The last reference number given per unit and year (SI-26-00042)."""

    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("reference counter")
        verbose_name_plural = _("reference counters")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="reference_counter_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.last}"


class TicketManager(models.Manager["Ticket"]):
    """Tickets without their search words, which only the database's index reads (up to
    8,000 characters a row that no page shows)."""

    def get_queryset(self) -> models.QuerySet[Ticket]:
        return super().get_queryset().defer("search_text")


class Ticket(models.Model):
    reference = models.CharField(_("reference"), max_length=32, unique=True)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="tickets"
    )
    service_type = models.ForeignKey(
        "sop.ServiceType",
        verbose_name=_("service type"),
        on_delete=models.PROTECT,
        related_name="tickets",
        help_text=_("Belongs to one SOP revision: the ticket keeps the procedure it began under."),
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requester"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requested_tickets",
    )
    contact = models.ForeignKey(
        Contact,
        verbose_name=_("contact"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="tickets",
    )
    door = models.CharField(_("door"), max_length=16, choices=Door.choices)
    subject = models.CharField(_("subject"), max_length=300)
    priority = models.CharField(
        _("priority"), max_length=16, choices=Priority.choices, default=Priority.NORMAL
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_tickets",
    )
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.NEW
    )
    fields = models.JSONField(_("details"), default=dict, blank=True)

    received_at = models.DateTimeField(_("received"))
    first_response_at = models.DateTimeField(_("first response"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    paused_at = models.DateTimeField(_("paused since"), null=True, blank=True)

    first_response_due_at = models.DateTimeField(_("first response due"), db_index=True)
    resolution_due_at = models.DateTimeField(_("resolution due"), db_index=True)
    # The next deadline still open, its warning moment and its escalation moment: the
    # queue sorts on the first, the SLA sweep claims the other two (and clears them).
    next_due_at = models.DateTimeField(_("next deadline"), null=True, blank=True)
    next_warn_at = models.DateTimeField(_("next warning"), null=True, blank=True, db_index=True)
    next_escalate_at = models.DateTimeField(
        _("next escalation"), null=True, blank=True, db_index=True
    )

    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="merged",
    )
    csat_score = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    csat_comment = models.TextField(_("rating comment"), blank=True)
    csat_at = models.DateTimeField(_("rated at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    # Its words for search (pintu.desk.search.document), indexed by the database.
    search_text = models.TextField(_("search words"), blank=True, default="", editable=False)

    objects = TicketManager()
    # The messages and jobs this ticket caused (the outbox knows its causes only
    # generically); they go when the ticket goes.
    outgoing = GenericRelation(
        "outbox.OutboxItem",
        content_type_field="cause_type",
        object_id_field="cause_id",
        related_query_name="ticket",
    )

    class Meta:
        verbose_name = _("request")
        verbose_name_plural = _("requests")
        indexes = [
            # The queue: a unit's active tickets by their next deadline.
            models.Index(
                fields=["unit", "next_due_at", "id"],
                condition=Q(status__in=["new", "open", "waiting_requester", "waiting_third_party"]),
                name="ticket_queue_idx",
            ),
            models.Index(fields=["unit", "status", "received_at"], name="ticket_unit_status_idx"),
            models.Index(fields=["requester", "received_at"], name="ticket_requester_idx"),
            # The requester's list, for the requests that came from their address.
            models.Index(fields=["contact", "received_at"], name="ticket_contact_idx"),
            # The queue's live check: what arrived in a unit since the page last looked.
            models.Index(fields=["unit", "created_at"], name="ticket_unit_created_idx"),
            # A unit's requests of a period: every KPI and report reads them so.
            models.Index(fields=["unit", "received_at"], name="ticket_unit_received_idx"),
            # The API's list, newest first, for those who read every unit.
            models.Index(fields=["received_at", "id"], name="ticket_received_idx"),
            # The queue's box: a reference typed in any case (``reference__iexact``), so
            # that with the subject's trigrams both sides of its OR have an index.
            models.Index(Upper("reference"), name="ticket_reference_upper_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(csat_score__isnull=True) | Q(csat_score__gte=1, csat_score__lte=5),
                name="ticket_csat_1_to_5",
            ),
            models.CheckConstraint(
                condition=Q(requester__isnull=False) | Q(contact__isnull=False),
                name="ticket_has_requester_or_contact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.subject}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def requester_name(self) -> str:
        if self.requester_id:
            return str(self.requester)
        return str(self.contact) if self.contact_id else ""


class Pause(models.Model):
    """Time spent waiting for the requester or a third party: off the clock."""

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("request"), on_delete=models.CASCADE, related_name="pauses"
    )
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=24, choices=Status.choices)

    class Meta:
        verbose_name = _("pause")
        verbose_name_plural = _("pauses")
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.ticket_id} paused {self.started_at:%Y-%m-%d %H:%M}"


class Article(models.Model):
    class Kind(models.TextChoices):
        INBOUND = "inbound", _("Message from the requester")
        REPLY = "reply", _("Reply")
        NOTE = "note", _("Internal note")
        ACKNOWLEDGEMENT = "ack", _("Automatic acknowledgement")
        SYSTEM = "system", _("System")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("request"), on_delete=models.CASCADE, related_name="articles"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    door = models.CharField(_("door"), max_length=16, choices=Door.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    author_name = models.CharField(_("name of the author"), max_length=200, blank=True)
    body = models.TextField(_("text"))
    body_html = models.TextField(
        _("HTML text"), blank=True, help_text=_("Sanitised HTML, when it came as HTML.")
    )
    external_id = models.CharField(_("id at the door"), max_length=300, blank=True, db_index=True)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["ticket", "created_at"], name="article_ticket_idx")]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def is_public(self) -> bool:
        return self.kind != self.Kind.NOTE


def attachment_path(instance: Attachment, filename: str) -> str:
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{instance.article.ticket_id}/{filename}"


class Attachment(models.Model):
    article = models.ForeignKey(
        Article, verbose_name=_("message"), on_delete=models.CASCADE, related_name="attachments"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("file type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.filename


class Step(models.Model):
    """One activity of the ticket's SOP, timed against its Mutu Baku."""

    class State(models.TextChoices):
        PENDING = "pending", _("Not started")
        ACTIVE = "active", _("In progress")
        DONE = "done", _("Done")
        SKIPPED = "skipped", _("Not taken")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("request"), on_delete=models.CASCADE, related_name="steps"
    )
    activity = models.ForeignKey(
        "sop.Activity", verbose_name=_("activity"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("position"))
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    output = models.TextField(_("output"), blank=True)
    branch = models.CharField(
        _("branch"), max_length=64, blank=True, help_text=_("The branch taken.")
    )
    elapsed_minutes = models.PositiveIntegerField(_("working minutes taken"), null=True, blank=True)
    within_standard = models.BooleanField(_("within the standard"), null=True)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["ticket", "position"]
        constraints = [
            models.UniqueConstraint(fields=["ticket", "position"], name="step_unique_position")
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id}#{self.position} {self.state}"


class TicketEvent(models.Model):
    """Things that happened to a ticket that are not articles: SLA warnings and
    escalations (once per ticket, deadline and due time), merges, splits."""

    class Kind(models.TextChoices):
        SLA_WARNING = "sla_warning", _("Deadline warning")
        SLA_ESCALATION = "sla_escalation", _("Deadline breached, escalated")
        MERGED = "merged", _("Merged")
        SPLIT = "split", _("Split")

    ticket = models.ForeignKey(
        Ticket, verbose_name=_("request"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    deadline = models.CharField(
        _("deadline"), max_length=24, blank=True
    )  # first_response or resolution
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("request event")
        verbose_name_plural = _("request events")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket", "kind", "deadline", "due_at"],
                condition=Q(kind__in=["sla_warning", "sla_escalation"]),
                name="ticket_event_once_per_deadline",
            )
        ]

    def __str__(self) -> str:
        return f"{self.ticket_id} {self.kind} {self.at:%Y-%m-%d %H:%M}"


class SavedFilter(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="saved_filters",
    )
    name = models.CharField(_("name"), max_length=100)
    query = models.CharField(_("query"), max_length=500)

    class Meta:
        verbose_name = _("saved view")
        verbose_name_plural = _("saved views")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_filter_unique_name")
        ]

    def __str__(self) -> str:
        return self.name
