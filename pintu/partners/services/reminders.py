"""Expiry reminders: Unit Kerjasama hears ahead of an agreement's last day (when is
``pintu.partners.expiry``'s), by e-mail through the outbox, each reminder once.

The worker runs ``expiry_reminders_send`` on the hour. Each reminder is claimed by
inserting its row, whose unique constraint (agreement, end date, threshold) lets only
one worker through, in the same transaction as its outbox rows and audit row: however
many workers run, a reminder is sent once, and one that rolls back is tried again.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.desk.access import WORKING_ROLES
from pintu.desk.models import Door
from pintu.org.models import Membership
from pintu.outbox.services import message_queue
from pintu.partners import access
from pintu.partners.expiry import reminder_due
from pintu.partners.models import Agreement, ExpiryReminder
from pintu.sla.calendars import zone_for_unit


def expiry_reminders_send(*, now: datetime) -> int:
    """Send every reminder due today (in Unit Kerjasama's time zone); the number sent."""
    unit = access.partnership_unit()
    today = timezone.localdate(now, zone_for_unit(unit))
    days = settings.PINTU_PARTNERS_REMINDER_DAYS
    running = Agreement.objects.filter(
        status=Agreement.Status.SIGNED,
        ends_on__gte=today,
        ends_on__lte=today + timedelta(days=max(days)),
    ).values_list("pk", "ends_on")
    sent = 0
    for pk, ends_on in running.order_by("ends_on", "pk"):
        assert ends_on is not None  # filtered on it
        due = reminder_due(ends_on, today, days)
        if due is not None:
            sent += _remind(pk, ends_on, due, today, now)
    return sent


def _remind(pk: int, ends_on: date, days_before: int, today: date, now: datetime) -> int:
    with transaction.atomic():
        try:
            with transaction.atomic():
                reminder = ExpiryReminder.objects.create(
                    agreement_id=pk, ends_on=ends_on, days_before=days_before, sent_at=now
                )
        except IntegrityError:
            return 0  # another worker sent it, or it was sent on an earlier run
        agreement = Agreement.objects.prefetch_related("partners").get(pk=pk)
        recipients = _recipients()
        left = (ends_on - today).days
        for address in recipients:
            message_queue(
                transport=Door.EMAIL,
                purpose="notification",
                recipient=address,
                subject=_("%(agreement)s ends in %(days)s days")
                % {"agreement": agreement, "days": left},
                body_text=_body(agreement, left),
                cause=agreement,
                source=reminder,
                at=now,
            )
        reminder.recipients = recipients
        reminder.save(update_fields=["recipients"])
        audit_record(
            actor=None,
            action="agreement.remind",
            obj=agreement,
            unit=agreement.unit,
            after={"ends_on": ends_on.isoformat(), "days_before": days_before, "to": recipients},
        )
        return 1


def _recipients() -> list[str]:
    """Everyone who works in Unit Kerjasama and has an address."""
    addresses = (
        Membership.objects.filter(
            unit__code=access.UNIT, role__in=WORKING_ROLES, user__is_active=True
        )
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    return sorted(addresses)


def _body(agreement: Agreement, left: int) -> str:
    assert agreement.ends_on is not None  # only agreements with an end are reminded of
    parties = ", ".join(str(partner) for partner in agreement.partners.all())
    link = settings.PINTU_BASE_URL.rstrip("/") + reverse("partners-agreement", args=[agreement.pk])
    return _(
        "%(agreement)s (%(title)s) with %(parties)s ends on %(date)s, in %(days)s days.\n"
        "Prepare its renewal or its end in time: %(link)s"
    ) % {
        "agreement": agreement,
        "title": agreement.title,
        "parties": parties or "—",
        "date": date_format(agreement.ends_on, "j F Y"),
        "days": left,
        "link": link,
    }
