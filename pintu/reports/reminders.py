"""Reminders before a year's report is due: the unit's heads and sub-coordinators by
e-mail through the outbox, once per threshold however many workers run."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.kpi.selectors import units_with_kpis
from pintu.org.models import Membership, Role, Unit
from pintu.outbox.models import OutboxItem
from pintu.outbox.services import message_queue
from pintu.reports.models import Report, ReportReminder
from pintu.reports.schedule import due_date, reminder_due


def reminders_send(now: datetime, today: date) -> list[ReportReminder]:
    """Remind each unit with KPIs of its last year's report as its due day nears: the
    heads and sub-coordinators by e-mail, once per threshold however many workers run
    (the reminder's unique row is claimed in the transaction of its messages)."""
    # The report whose due day comes next: last year's until its day has passed.
    day = settings.PINTU_REPORT_DUE
    year = today.year - 1 if today <= due_date(today.year - 1, day) else today.year
    sent = []
    for unit in units_with_kpis():
        days = reminder_due(today, year, day, settings.PINTU_REPORT_REMINDER_DAYS)
        if days is None:
            continue
        reminder = _remind(unit, year, days, now, today)
        if reminder is not None:
            sent.append(reminder)
    return sent


def _remind(unit: Unit, year: int, days: int, now: datetime, today: date) -> ReportReminder | None:
    leads = (
        Membership.objects.filter(unit=unit, role__in=[Role.HEAD, Role.SUPERVISOR])
        .exclude(user__email="")
        .select_related("user")
    )
    due = due_date(year, settings.PINTU_REPORT_DUE)
    delivered = Report.objects.filter(
        unit=unit, year=year, kind=Report.Kind.LED, delivered_at__isnull=False
    ).exists()
    if delivered:
        return None
    try:
        with transaction.atomic():
            reminder = ReportReminder.objects.create(
                unit=unit, year=year, days_before=days, sent_at=now, recipients=0
            )
            for membership in leads:
                message_queue(
                    transport="email",
                    purpose=OutboxItem.Purpose.NOTIFICATION,
                    recipient=membership.user.email,
                    subject=_("The %(year)s self-evaluation report of %(unit)s is due on %(due)s")
                    % {"year": year, "unit": unit.code, "due": due.isoformat()},
                    body_text=_(
                        "The self-evaluation report (LED) of %(unit)s for %(year)s is due on "
                        "%(due)s, in %(days)s days. Its KPIs, analysis and follow-up plan are on "
                        "the unit's report page in Pintu."
                    )
                    % {
                        "unit": unit.name,
                        "year": year,
                        "due": due.isoformat(),
                        "days": (due - today).days,
                    },
                    cause=reminder,
                    at=now,
                )
                reminder.recipients += 1
            reminder.save(update_fields=["recipients"])
            audit_record(
                actor=None,
                action="reports.remind",
                obj=reminder,
                unit=unit,
                after={"year": year, "days_before": days, "recipients": reminder.recipients},
            )
    except IntegrityError:
        return None  # another worker sent this one
    return reminder
