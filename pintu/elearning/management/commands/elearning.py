"""`pintu elearning site add|sync|courses`: the Moodle sites Pintu works with (PR.13.2).

The token comes on standard input (``--token-stdin``), never as an argument that ``ps``
shows to everyone. A failed call exits 1 with what Moodle said, in words; a command that
cannot run (an unknown site, bad input) exits 2.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from pintu.elearning import selectors, services
from pintu.elearning.client import MoodleError
from pintu.elearning.models import MoodleSite


class Command(BaseCommand):
    help = "The Moodle sites of the e-learning service: add one, synchronise, list courses."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        site = sub.add_parser("site", help="Manage the Moodle sites.")
        site_actions = site.add_subparsers(dest="site_action", required=True)
        add = site_actions.add_parser("add", help="Add a site (or give one a new URL and token).")
        add.add_argument("name", help="A short name, e.g. kampus.")
        add.add_argument("--url", required=True, help="The site's address.")
        add.add_argument(
            "--token-stdin",
            action="store_true",
            required=True,
            help="Read the web-service token from standard input.",
        )
        sync = sub.add_parser("sync", help="Read each site's course list from Moodle.")
        sync.add_argument("--site", help="Only this site.")
        courses = sub.add_parser("courses", help="List the courses as last synchronised.")
        courses.add_argument("--site", help="Only this site.")
        courses.add_argument("--json", action="store_true", help="One JSON document.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "site":
            self._add(options)
        elif options["action"] == "sync":
            self._sync(options["site"])
        else:
            self._courses(options["site"], as_json=options["json"])

    def _site(self, name: str) -> MoodleSite:
        site = selectors.sites().filter(name=name).first()
        if site is None:
            raise CommandError(
                _("There is no Moodle site %(name)s.") % {"name": name}, returncode=2
            )
        return site

    def _add(self, options: dict[str, Any]) -> None:
        token = sys.stdin.readline().strip()
        try:
            site, created = services.site_add(
                actor=None, name=options["name"], url=options["url"], token=token
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages), returncode=2) from None
        words = (
            _("Added Moodle site %(name)s (%(url)s).")
            if created
            else _("Moodle site %(name)s now has the address %(url)s and a new token.")
        )
        self.stdout.write(words % {"name": site.name, "url": site.url})

    def _sync(self, name: str | None) -> None:
        services.site_from_environment()
        chosen = [self._site(name)] if name else list(selectors.sites())
        if not chosen:
            raise CommandError(
                _(
                    "No Moodle site is configured: set PINTU_MOODLE_URL or run "
                    "“pintu elearning site add”."
                ),
                returncode=2,
            )
        failed = []
        for site in chosen:
            try:
                count = services.site_sync(site=site, now=timezone.now())
            except MoodleError as error:
                failed.append(str(error))
                continue
            self.stdout.write(
                ngettext("%(site)s: %(count)d course", "%(site)s: %(count)d courses", count)
                % {"site": site.name, "count": count}
            )
        if failed:
            raise CommandError("; ".join(failed), returncode=1)

    def _courses(self, name: str | None, *, as_json: bool) -> None:
        found = selectors.courses(self._site(name) if name else None)
        rows = [
            {
                "site": course.site.name,
                "id": course.moodle_id,
                "shortname": course.shortname,
                "fullname": course.fullname,
                "idnumber": course.idnumber,
                "category": course.category,
                "visible": course.visible,
            }
            for course in found
        ]
        if as_json:
            self.stdout.write(json.dumps(rows, ensure_ascii=False))
            return
        for row in rows:
            shown = "" if row["visible"] else f" ({_('hidden')})"
            self.stdout.write(
                f"{row['site']}\t{row['id']}\t{row['shortname']}\t{row['fullname']}\t"
                f"{row['idnumber']}\t{row['category']}{shown}"
            )
