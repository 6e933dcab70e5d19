"""Campus accounts (PR.33.8 Prosedur Pengelolaan Akun, UPT-SI): the master data of who
belongs to the institution, the accounts made for them in the directory, the one-time
links through which holders set their own password, and the cohorts of new students
made in one batch.

What the directory holds is the directory's; these rows record what Pintu asked of it
(each change an outbox job of the ``ldap`` transport) and when, so that every step of
an account's life is evidence: staged, active once its holder set a password, first
signed in (as the directory recorded it), disabled, moved aside.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from pintu.identity.lifecycle import State


class Kind(models.TextChoices):
    STUDENT = "mahasiswa", _("Student")
    LECTURER = "dosen", _("Lecturer")
    STAFF = "pegawai", _("Staff member")


class Standing(models.TextChoices):
    ACTIVE = "aktif", _("Active")
    GRADUATED = "lulus", _("Graduated")
    LEFT = "keluar", _("Left")


# The life cycle's states (pintu.identity.lifecycle) in words.
STATES = [
    (State.STAGED, _("Staged")),
    (State.ACTIVE, _("Active")),
    (State.DISABLED, _("Disabled")),
    (State.MOVED, _("Moved aside")),
]


class MasterImport(models.Model):
    """One file of master data as it was imported (never one with errors)."""

    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    created = models.PositiveIntegerField(_("people added"))
    updated = models.PositiveIntegerField(_("people changed"))
    imported_at = models.DateTimeField(_("imported"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-imported_at"]
        verbose_name = _("master data import")
        verbose_name_plural = _("master data imports")

    def __str__(self) -> str:
        return f"{self.filename} ({self.imported_at:%Y-%m-%d})"


class MasterRecord(models.Model):
    """A student, lecturer or staff member as the academic or HR system knows them."""

    id_number = models.CharField(_("NIM/NIP/NIK"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("WhatsApp number"), max_length=20, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    standing = models.CharField(
        _("standing"), max_length=16, choices=Standing.choices, default=Standing.ACTIVE
    )
    extra = models.JSONField(_("other columns"), default=dict, blank=True)
    source = models.ForeignKey(
        MasterImport,
        verbose_name=_("import"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="records",
    )
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        ordering = ["name", "id_number"]
        verbose_name = _("master record")
        verbose_name_plural = _("master records")

    def __str__(self) -> str:
        return f"{self.name} ({self.id_number})"


class CampusAccount(models.Model):
    record = models.OneToOneField(
        MasterRecord,
        verbose_name=_("master record"),
        on_delete=models.PROTECT,
        related_name="account",
    )
    username = models.CharField(_("username"), max_length=32, unique=True)
    # PINTU_IDENTITY_UID_START + the row's id, set once the row has one.
    uid_number = models.PositiveIntegerField(_("uid number"), unique=True, null=True)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=STATES,
        default=State.STAGED,
    )
    # The person as last sent to the directory (name, kind, unit...): a change request
    # compares the master data with it.
    entry = models.JSONField(_("as sent to the directory"), default=dict, blank=True)
    staged_at = models.DateTimeField(_("staged"))
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)
    first_sign_in_at = models.DateTimeField(_("first signed in"), null=True, blank=True)
    disable_on = models.DateField(_("to disable on"), null=True, blank=True)
    disabled_at = models.DateTimeField(_("disabled"), null=True, blank=True)
    moved_at = models.DateTimeField(_("moved aside"), null=True, blank=True)
    ticket = models.ForeignKey(
        "desk.Ticket",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cohort = models.ForeignKey(
        "identity.Cohort",
        verbose_name=_("cohort"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="accounts",
    )

    class Meta:
        ordering = ["username"]
        verbose_name = _("campus account")
        verbose_name_plural = _("campus accounts")
        indexes = [
            models.Index(
                fields=["activated_at"],
                condition=Q(state="active", first_sign_in_at__isnull=True),
                name="account_awaiting_sign_in_idx",
            )
        ]

    def __str__(self) -> str:
        return self.username


class AccountRequest(models.Model):
    """A PR.33.8 request as identified (step "Identifikasi permintaan akun"): whose it is
    in the master data."""

    ticket = models.OneToOneField(
        "desk.Ticket", verbose_name=_("request"), on_delete=models.CASCADE, related_name="+"
    )
    record = models.ForeignKey(
        MasterRecord, verbose_name=_("master record"), on_delete=models.PROTECT, related_name="+"
    )
    identified_at = models.DateTimeField(_("identified"))
    identified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("identified by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("account request")
        verbose_name_plural = _("account requests")

    def __str__(self) -> str:
        return f"{self.ticket_id}: {self.record_id}"


class Handover(models.Model):
    """A one-time link to an account (PR.33.8 "Distribusi akun baru"): it opens once,
    after a code sent to the holder's registered contact, for the holder to set their
    password; it expires after ``PINTU_IDENTITY_LINK_HOURS``. The link's secret is
    derived from ``key`` and the site's secret key, so the database alone cannot make it;
    the code is kept as a digest."""

    account = models.ForeignKey(
        CampusAccount, verbose_name=_("account"), on_delete=models.CASCADE, related_name="handovers"
    )
    key = models.CharField(_("key"), max_length=32, unique=True)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expires"))
    sent_to = models.CharField(_("sent to"), max_length=254, blank=True)
    ticket = models.ForeignKey(
        "desk.Ticket",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    code_digest = models.CharField(_("code (digest)"), max_length=64, blank=True)
    code_sent_at = models.DateTimeField(_("code sent"), null=True, blank=True)
    code_tries = models.PositiveSmallIntegerField(_("wrong codes"), default=0)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    used_at = models.DateTimeField(_("password set"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("account hand-over")
        verbose_name_plural = _("account hand-overs")
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(used_at__isnull=True, revoked_at__isnull=True),
                name="handover_one_open_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.account} {self.issued_at:%Y-%m-%d}"


class HandoverView(models.Model):
    """Every look at a one-time link, whatever came of it."""

    class What(models.TextChoices):
        OPENED = "opened", _("Link opened")
        CODE_SENT = "code_sent", _("Code sent")
        CODE_WRONG = "code_wrong", _("Wrong code")
        UNLOCKED = "unlocked", _("Code accepted")
        PASSWORD_SET = "password_set", _("Password set")
        REFUSED = "refused", _("Refused (expired, used or withdrawn)")

    handover = models.ForeignKey(
        Handover,
        verbose_name=_("account hand-over"),
        on_delete=models.CASCADE,
        related_name="views",
    )
    at = models.DateTimeField(_("when"))
    what = models.CharField(_("what"), max_length=16, choices=What.choices)
    address = models.GenericIPAddressField(_("network address"), null=True, blank=True)
    agent = models.CharField(_("browser"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("hand-over view")
        verbose_name_plural = _("hand-over views")

    def __str__(self) -> str:
        return f"{self.handover_id} {self.what} {self.at:%Y-%m-%d %H:%M}"


class Cohort(models.Model):
    """A list of new students made into accounts in one batch; the same file again is
    the same cohort (known by its digest) and makes nothing twice."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    filename = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    # [row, NIM] of each student, in the file's order: what the run works through.
    people = models.JSONField(_("students in the file"), default=list)
    total = models.PositiveIntegerField(_("students"), default=0)
    done = models.PositiveIntegerField(_("processed"), default=0)
    send_messages = models.BooleanField(
        _("send each student their link"),
        default=False,
        help_text=_("Otherwise the links go on the hand-over letters only."),
    )
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")

    def __str__(self) -> str:
        return self.filename


class CohortRow(models.Model):
    class Outcome(models.TextChoices):
        CREATED = "created", _("Account made")
        EXISTING = "existing", _("Had an account already")

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="lines"
    )
    row = models.PositiveIntegerField(_("row"))
    account = models.ForeignKey(
        CampusAccount, verbose_name=_("account"), on_delete=models.PROTECT, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)

    class Meta:
        ordering = ["cohort", "row"]
        verbose_name = _("cohort row")
        verbose_name_plural = _("cohort rows")
        constraints = [
            models.UniqueConstraint(fields=["cohort", "row"], name="cohort_row_once"),
        ]

    def __str__(self) -> str:
        return f"{self.cohort_id}#{self.row} {self.outcome}"
