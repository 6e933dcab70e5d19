"""The register of digital-service accounts that the academic administration keeps
(SOP SDM.5.OT.02.02-5068, flow a: "Penanggung Jawab memasukkan akun digital ke dalam
daftar akun yang dikelola"). Each entry names the service and the account, the unit
that manages it, and the request through which it was recorded."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DigitalAccount(models.Model):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    service = models.CharField(
        _("digital service"), max_length=200, help_text=_("e.g. Zoom, Google Workspace, SIAKAD")
    )
    account = models.CharField(_("account"), max_length=200, help_text=_("Its login name."))
    notes = models.TextField(_("notes"), blank=True)
    registered_at = models.DateTimeField(_("registered"), default=timezone.now)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    ticket = models.ForeignKey(
        "desk.Ticket",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["service", "account"]
        verbose_name = _("digital-service account")
        verbose_name_plural = _("digital-service accounts")
        constraints = [
            models.UniqueConstraint(
                "unit", Lower("service"), Lower("account"), name="digital_account_once_per_unit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service}: {self.account}"
