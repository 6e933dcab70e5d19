"""The site's own rows: the demo requests still to arrive on a local run."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DemoArrival(models.Model):
    """A demo request that arrives a few minutes after `pintu seed demo`: the worker
    files it once ``due_at`` has come (``pintu.site.demo.arrivals``), exactly once."""

    key = models.CharField(_("key"), max_length=64, unique=True)
    due_at = models.DateTimeField(_("due"))
    filed_at = models.DateTimeField(_("filed"), null=True, blank=True)
    ticket = models.OneToOneField(
        "desk.Ticket",
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = _("demo arrival")
        verbose_name_plural = _("demo arrivals")

    def __str__(self) -> str:
        return f"{self.key} {self.due_at:%Y-%m-%d %H:%M}"
