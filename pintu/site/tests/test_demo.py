"""`pintu seed demo`: its people, made once and kept by a second run; production refuses it."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from pintu.org.models import Holiday, User
from pintu.site.demo.people import DEMO_LECTURERS, DEMO_PEOPLE, DEMO_STUDENTS


@pytest.mark.django_db
def test_a_second_run_keeps_the_people_of_the_first() -> None:
    out = StringIO()
    call_command("seed", "demo", stdout=out)
    assert out.getvalue().count("(new)") == len(DEMO_PEOPLE)
    everyone = {p.username for p in (*DEMO_PEOPLE, *DEMO_STUDENTS, *DEMO_LECTURERS)}
    assert set(User.objects.values_list("username", flat=True)) == everyone
    # The requesters who are not logins cannot sign in.
    assert not User.objects.get(username=DEMO_STUDENTS[0].username).has_usable_password()
    year = timezone.localdate().year
    assert Holiday.objects.filter(date__year=year - 1).exists()
    out = StringIO()
    call_command("seed", "demo", stdout=out)
    assert "(new)" not in out.getvalue() and out.getvalue().count("(kept)") == len(DEMO_PEOPLE)
    assert User.objects.count() == len(everyone)


@pytest.mark.django_db
def test_the_demo_is_refused_in_production(settings: Any) -> None:
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("seed", "demo", stdout=StringIO())
    assert not User.objects.exists()
