"""Moodle sites and their course lists, against a local server that speaks Moodle's
REST protocol: `pintu elearning site add`, `sync` and `courses`, the token sealed, and
every failure said in plain words that name the site."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from pintu.core.models import AuditEvent
from pintu.doors.secrets import unseal
from pintu.elearning import services
from pintu.elearning.client import MoodleClient, MoodleError
from pintu.elearning.models import Course, MoodleSite
from pintu.elearning.tests.moodle_server import TOKEN, MoodleFault, MoodleState, moodle_server

pytestmark = pytest.mark.django_db


@pytest.fixture
def moodle() -> Iterator[MoodleState]:
    with moodle_server() as state:
        state.add_course("IF201", "Basis Data", idnumber="IF201-2026", category=1)
        state.add_course("IF202", "Pemrograman Web", visible=0)
        yield state


def command(*args: str, stdin: str = "") -> str:
    out = io.StringIO()
    with mock.patch("sys.stdin", io.StringIO(stdin)):
        call_command("elearning", *args, stdout=out)
    return out.getvalue()


def add_site(moodle: MoodleState, name: str = "kampus", token: str = TOKEN) -> MoodleSite:
    return services.site_add(actor=None, name=name, url=moodle.url, token=token)[0]


def test_a_site_is_added_with_its_token_sealed_and_audited(moodle: MoodleState) -> None:
    out = command(
        "site", "add", "kampus", "--url", moodle.url + "/", "--token-stdin", stdin=TOKEN + "\n"
    )
    assert "kampus" in out
    site = MoodleSite.objects.get()
    assert site.url == moodle.url and TOKEN not in site.token_sealed
    assert unseal(site.token_sealed) == TOKEN
    audit = AuditEvent.objects.get(action="moodle_site.add")
    assert TOKEN not in json.dumps(audit.after)


def test_sync_reads_every_course_but_keeps_the_front_page_apart(moodle: MoodleState) -> None:
    site = add_site(moodle)
    assert "kampus: 2 mata kuliah" in command("sync")
    call = moodle.calls_of("core_course_get_courses_by_field")[0]
    assert call.method == "POST"
    assert call.content_type == "application/x-www-form-urlencoded"
    listed = json.loads(command("courses", "--json"))
    assert [(row["shortname"], row["idnumber"], row["visible"]) for row in listed] == [
        ("IF201", "IF201-2026", True),
        ("IF202", "", False),
    ]
    assert set(listed[0]) == {
        "site", "id", "shortname", "fullname", "idnumber", "category", "visible",
    }  # fmt: skip
    site.refresh_from_db()
    assert site.front_page_course == 1 and site.synced_at is not None


def test_a_second_sync_follows_renames_and_removals(moodle: MoodleState) -> None:
    site = add_site(moodle)
    services.site_sync(site=site, now=timezone.now())
    first, second = sorted(c for c in moodle.courses if c != 1)
    moodle.courses[first]["fullname"] = "Basis Data Lanjut"
    del moodle.courses[second]
    assert services.site_sync(site=site, now=timezone.now()) == 1
    assert list(Course.objects.values_list("moodle_id", "fullname")) == [
        (first, "Basis Data Lanjut")
    ]


def test_an_invalid_token_is_said_in_plain_words_naming_the_site(moodle: MoodleState) -> None:
    add_site(moodle, token="salah")
    with pytest.raises(CommandError) as caught:
        command("sync", "--site", "kampus")
    assert caught.value.returncode == 1
    message = str(caught.value)
    assert "kampus" in message and "token" in message and "invalidtoken" in message
    site = MoodleSite.objects.get()
    assert site.last_error == message and site.synced_at is None


@pytest.mark.parametrize(
    ("failure", "temporary", "words"),
    [
        (503, True, "HTTP 503"),
        (
            MoodleFault(
                "webservice_access_exception", "accessexception", "Access control exception"
            ),
            False,
            "core_course_get_courses_by_field",
        ),
        (
            MoodleFault("moodle_exception", "servicenotavailable", "Web service is not available"),
            False,
            "servicenotavailable",
        ),
    ],
)
def test_a_failed_call_says_whether_trying_again_can_help(
    moodle: MoodleState, failure: Any, temporary: bool, words: str
) -> None:
    moodle.failures = [failure]
    client = MoodleClient(site="kampus", url=moodle.url, token=TOKEN)
    with pytest.raises(MoodleError) as caught:
        client.courses()
    assert caught.value.temporary is temporary
    assert words in str(caught.value) and "kampus" in str(caught.value)


def test_a_site_that_does_not_answer_is_worth_another_try() -> None:
    client = MoodleClient(site="mati", url="http://127.0.0.1:9", token=TOKEN, timeout=2)
    with pytest.raises(MoodleError) as caught:
        client.courses()
    assert caught.value.temporary and "mati" in str(caught.value)


def test_an_address_that_is_no_moodle_answers_not_in_json(moodle: MoodleState) -> None:
    client = MoodleClient(site="salah", url=moodle.url + "/bukan", token=TOKEN)
    with pytest.raises(MoodleError) as caught:
        client.courses()
    assert "HTTP 404" in str(caught.value) and not caught.value.temporary


def test_the_site_of_the_environment_keeps_its_token_there(
    moodle: MoodleState, settings: Any
) -> None:
    settings.PINTU_MOODLE_URL = moodle.url
    settings.PINTU_MOODLE_TOKEN = TOKEN
    assert "moodle: 2 mata kuliah" in command("sync")
    site = MoodleSite.objects.get()
    assert (site.name, site.from_environment, site.token_sealed) == ("moodle", True, "")
    with pytest.raises(Exception, match="PINTU_MOODLE_URL"):
        services.site_add(actor=None, name="moodle", url=moodle.url, token="x")


def test_commands_that_cannot_run_exit_2() -> None:
    with pytest.raises(CommandError) as unknown:
        command("sync", "--site", "tidak-ada")
    assert unknown.value.returncode == 2
    with pytest.raises(CommandError) as none:
        command("sync")
    assert none.value.returncode == 2 and "PINTU_MOODLE_URL" in str(none.value)
    with pytest.raises(CommandError) as bad:
        command("site", "add", "x", "--url", "ftp://example", "--token-stdin", stdin="t\n")
    assert bad.value.returncode == 2
