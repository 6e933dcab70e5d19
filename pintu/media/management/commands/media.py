"""`pintu media feed-url --unit CODE [--rotate]`: the address of a unit's content calendar
feed (iCalendar), to subscribe to from Google Calendar or Outlook. The address holds the
feed's secret; ``--rotate`` makes a new one, and the old address answers 404 from then on.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse
from django.utils.translation import gettext as _

from pintu.media import services
from pintu.org.models import Unit


class Command(BaseCommand):
    help = "The content calendar: print a unit's calendar feed address."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        feed = sub.add_parser("feed-url", help="Print the address of a unit's calendar feed.")
        feed.add_argument("--unit", required=True, help="The unit's code, e.g. PHK.")
        feed.add_argument("--rotate", action="store_true", help="Make a new secret address.")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = Unit.objects.filter(code=options["unit"]).first()
        if unit is None:
            raise CommandError(
                _("There is no unit %(code)s.") % {"code": options["unit"]}, returncode=2
            )
        token = services.feed_token(unit=unit, rotate=options["rotate"])
        path = reverse("media-feed", args=[unit.code, token.token])
        self.stdout.write(f"{settings.PINTU_BASE_URL}{path}")
