"""Retention: how long a unit keeps its records, the holds that stop a purge, the
proposals a unit head approves (berita acara pemusnahan), the archives written before
anything goes, the tombstones left behind, and the log of every run."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UnitRetention(models.Model):
    """A unit that keeps its records longer than its SOPs say (never shorter)."""

    unit = models.OneToOneField(
        "org.Unit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    years = models.PositiveSmallIntegerField(_("years kept"))

    class Meta:
        verbose_name = _("unit retention period")
        verbose_name_plural = _("unit retention periods")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.years}y"


class LegalHold(models.Model):
    """Stops the purge of a request, of everything of a partner, or of a whole unit (for
    instance while an accreditation cycle is open), until it is lifted."""

    class Scope(models.TextChoices):
        TICKET = "ticket", _("One request")
        PARTNER = "partner", _("A partner")
        UNIT = "unit", _("A whole unit")

    scope = models.CharField(_("applies to"), max_length=16, choices=Scope.choices)
    ticket = models.ForeignKey(
        "desk.Ticket",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Partners are the Kerjasama module's: held by their id, as the module's retention
    # entries name it.
    partner_id = models.CharField(_("partner"), max_length=64, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("placed by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lifted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        verbose_name = _("legal hold")
        verbose_name_plural = _("legal holds")
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(scope="ticket", ticket__isnull=False)
                    | Q(scope="unit", unit__isnull=False)
                    | (Q(scope="partner") & ~Q(partner_id=""))
                ),
                name="legal_hold_names_what_it_holds",
            )
        ]

    def __str__(self) -> str:
        held = {
            self.Scope.TICKET: str(self.ticket.reference if self.ticket else ""),
            self.Scope.UNIT: str(self.unit.code if self.unit else ""),
            self.Scope.PARTNER: self.partner_id,
        }[self.Scope(self.scope)]
        return f"{self.get_scope_display()} {held}"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class RetentionRun(models.Model):
    """One `pintu retention run` (or its dry run), what it proposed, archived and purged."""

    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    dry_run = models.BooleanField(_("dry run"), default=False)
    proposed = models.PositiveIntegerField(_("proposed"), default=0)
    archived = models.PositiveIntegerField(_("archived"), default=0)
    purged = models.PositiveIntegerField(_("purged"), default=0)
    held = models.PositiveIntegerField(_("held back"), default=0)
    failures = models.TextField(_("failures"), blank=True)
    summary = models.JSONField(_("summary"), default=dict, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M}{' (dry run)' if self.dry_run else ''}"


class DestructionProposal(models.Model):
    """The list of a unit's records past their period, proposed for destruction; the
    unit head (an admin for records of no unit) approves it before any purge."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved, to be destroyed")
        DONE = "done", _("destroyed")
        REJECTED = "rejected", _("rejected, kept")

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING, db_index=True
    )
    proposed_by_run = models.ForeignKey(
        RetentionRun, verbose_name=_("proposed by"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    purged_by_run = models.ForeignKey(
        RetentionRun,
        verbose_name=_("destroyed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("destruction proposal")
        verbose_name_plural = _("destruction proposals")

    def __str__(self) -> str:
        return f"{self.unit.code if self.unit else '—'} {self.created_at:%Y-%m-%d}"


class ProposalItem(models.Model):
    """One record on a proposal: its kind (a retention schedule entry) and its id."""

    class Outcome(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        PURGED = "purged", _("destroyed")
        HELD = "held", _("kept: under a legal hold")
        GONE = "gone", _("kept: no longer past its period, or already gone")
        FAILED = "failed", _("kept: its archive did not verify")

    proposal = models.ForeignKey(
        DestructionProposal, verbose_name=_("proposal"), on_delete=models.CASCADE,
        related_name="items",
    )  # fmt: skip
    kind = models.CharField(_("kind of record"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    reference = models.CharField(_("record"), max_length=300)
    kept_since = models.DateTimeField(_("period counted from"))
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.PROPOSED
    )

    class Meta:
        ordering = ["kind", "kept_since", "id"]
        verbose_name = _("proposed record")
        verbose_name_plural = _("proposed records")
        indexes = [models.Index(fields=["kind", "object_id"], name="proposal_item_object_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"


class Archive(models.Model):
    """A tar written through the storage API before a purge: the records as JSON Lines,
    their files, and a SHA-256 manifest; read back and verified before anything goes."""

    run = models.ForeignKey(
        RetentionRun, verbose_name=_("run"), on_delete=models.PROTECT, related_name="archives"
    )
    proposal = models.ForeignKey(
        DestructionProposal, verbose_name=_("proposal"), on_delete=models.PROTECT,
        related_name="archives",
    )  # fmt: skip
    name = models.CharField(_("file"), max_length=300)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    records = models.PositiveIntegerField(_("records"))
    verified = models.BooleanField(_("verified"), default=False)
    created_at = models.DateTimeField(_("written"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("archive")
        verbose_name_plural = _("archives")

    def __str__(self) -> str:
        return self.name


class Tombstone(models.Model):
    """What remains of a destroyed record: which it was, when it went and into which
    archive, and the facts that KPIs measured (reference, service, moments), so that old
    figures can be computed again."""

    kind = models.CharField(_("kind of record"), max_length=64)
    object_id = models.CharField(_("object id"), max_length=64)
    reference = models.CharField(_("record"), max_length=300)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    facts = models.JSONField(_("facts kept"), default=dict, blank=True)
    archive = models.ForeignKey(
        Archive, verbose_name=_("archive"), on_delete=models.PROTECT, related_name="+"
    )
    purged_at = models.DateTimeField(_("destroyed"))

    class Meta:
        ordering = ["-purged_at", "-id"]
        verbose_name = _("tombstone")
        verbose_name_plural = _("tombstones")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="tombstone_once")]

    def __str__(self) -> str:
        return f"{self.kind} {self.reference}"
