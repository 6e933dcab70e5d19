"""The e-learning pages and menu item: P4M's and UPT-SI's people, auditors and admins
open them; others do not see the item and are refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas
from pintu.elearning import services
from pintu.elearning.models import MoodleSite
from pintu.elearning.protocol import CourseData

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def course(moodle_id: int, shortname: str, fullname: str, **extra: Any) -> CourseData:
    values: dict[str, Any] = {
        "id": moodle_id,
        "shortname": shortname,
        "fullname": fullname,
        "idnumber": "",
        "categoryid": 1,
        "categoryname": "Semester 3",
        "summary": "",
        "startdate": 0,
        "enddate": 0,
        "visible": True,
        "format": "topics",
    }
    return CourseData(**(values | extra))


def stored_site() -> MoodleSite:
    site = MoodleSite.objects.create(name="kampus", url="https://elearning.example.ac.id")
    services.courses_store(
        site=site,
        courses=[course(12, "IF201", "Basis Data"), course(13, "IF202", "Pemrograman Web")],
        now=timezone.now(),
    )
    return site


def test_the_menu_item_shows_to_those_who_may_open_the_pages(personas: Personas) -> None:
    home = reverse("home")
    item = reverse("elearning-home")
    # UPT-SI staff keep the release register; P4M staff the rest; auditors read it all.
    for user in (personas.staff, personas.other_staff, personas.auditor, personas.admin):
        assert f'href="{item}"' in client_for(user).get(home, follow=True).content.decode(), user
        assert client_for(user).get(item).status_code == 200
    requester = client_for(personas.requester).get(home, follow=True).content.decode()
    assert f'href="{item}"' not in requester
    assert client_for(personas.requester).get(item).status_code == 403


def test_the_courses_page_lists_and_searches_the_synchronised_courses(
    personas: Personas,
) -> None:
    stored_site()
    client = client_for(personas.other_staff)
    page = client.get(reverse("elearning-courses")).content.decode()
    assert "Basis Data" in page and "Pemrograman Web" in page
    found = client.get(reverse("elearning-courses"), {"q": "if201"}).content.decode()
    assert "Basis Data" in found and "Pemrograman Web" not in found
    assert "Mata kuliah" in found


def test_the_site_page_shows_the_last_error(personas: Personas) -> None:
    site = stored_site()
    MoodleSite.objects.filter(pk=site.pk).update(last_error="Situs Moodle kampus menolak token")
    page = client_for(personas.other_staff).get(reverse("elearning-home")).content.decode()
    assert "menolak token" in page and "kampus" in page
