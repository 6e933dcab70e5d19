"""Shared test fixtures: the personas every view test checks (built through services)."""

from __future__ import annotations

import importlib
import os
import socket
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from pintu.org import services
from pintu.org.models import Role, Unit, User

PASSWORD = "kata-sandi-uji-123"  # noqa: S105 (test personas only)


@dataclass
class Personas:
    requester: User
    staff: User  # staff (agent) of UPT-SI
    other_staff: User  # staff of P4M, another unit
    supervisor: User  # sub-coordinator of UPT-SI
    head: User  # head of UPT-SI
    auditor: User
    admin: User


@pytest.fixture(autouse=True)
def seeded_units(request: pytest.FixtureRequest) -> None:
    """Transactional tests flush every table afterwards, migration-seeded units too;
    put them back for the tests that follow (as a fresh migrate would have them)."""
    if not request.node.get_closest_marker("django_db") and "db" not in request.fixturenames:
        return
    # The same helper pytest-django's own marker fixture uses; asking twice is harmless.
    request.getfixturevalue("_django_db_helper")
    restore_units()


def restore_units() -> None:
    """The units as a fresh migrate makes them, when a flush has removed them."""
    from django.apps import apps

    if not apps.get_model("org", "Unit").objects.exists():
        importlib.import_module("pintu.org.migrations.0002_seed_units").seed(apps, None)
        importlib.import_module("pintu.org.migrations.0004_ticket_prefixes").set_prefixes(
            apps, None
        )


@pytest.fixture(autouse=True)
def second_factor(request: pytest.FixtureRequest) -> Iterator[None]:
    """Staff sign in without a second factor except in the tests of it (marked
    ``two_factor``): the other tests sign people in with force_login or the password
    form and are about something else. The setting's own default stays "staff"."""
    from django.conf import settings

    if request.node.get_closest_marker("two_factor"):
        yield
        return
    before = settings.PINTU_TWO_FACTOR
    settings.PINTU_TWO_FACTOR = "off"
    yield
    settings.PINTU_TWO_FACTOR = before


@pytest.fixture(autouse=True)
def default_language() -> Iterator[None]:
    """Each test starts in the default language: a page a test client opened in English
    would otherwise leave English active for the tests after it."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def fresh_calendars() -> None:
    """A rolled-back test leaves no signal behind: forget calendars it may have cached."""
    from pintu.sla.calendars import forget_kept

    forget_kept()


@pytest.fixture(autouse=True)
def fresh_rate_limits(request: pytest.FixtureRequest) -> None:
    """Each test starts with no request counted against the rate limits. The cache is
    a table of the database (``pintu.core.caches``): only tests that reach the database
    can have counted anything."""
    from django.core.cache import cache

    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        request.getfixturevalue("_django_db_helper")
        cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    """Argon2 is slow by design; tests other than the one that checks it hash quickly."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username: str, role: Role | None, unit_code: str | None) -> User:
    user = services.user_create(
        actor=None,
        username=username,
        password=PASSWORD,
        full_name=username.title(),
        email=f"{username}@pintu.test",
    )
    if role is not None:
        unit = Unit.objects.get(code=unit_code) if unit_code else None
        services.membership_grant(actor=None, user=user, role=role, unit=unit)
    return user


@pytest.fixture
def personas(db: None) -> Personas:
    return Personas(
        requester=make_user("mahasiswa", Role.REQUESTER, "TRPL"),
        staff=make_user("staf-si", Role.STAFF, "UPT-SI"),
        other_staff=make_user("staf-p4m", Role.STAFF, "P4M"),
        supervisor=make_user("subkoor-si", Role.SUPERVISOR, "UPT-SI"),
        head=make_user("kepala-si", Role.HEAD, "UPT-SI"),
        auditor=make_user("auditor", Role.AUDITOR, None),
        admin=make_user("admin", Role.ADMIN, None),
    )


def require_peer(name: str, found: bool, why: str) -> None:
    """Skip a test whose real peer is missing here; in CI (PINTU_REQUIRE_PEERS=1) fail it."""
    if found:
        return
    message = f"{name} is not available: {why}"
    if os.environ.get("PINTU_REQUIRE_PEERS") == "1":
        pytest.fail(f"{message} (PINTU_REQUIRE_PEERS=1 forbids skipping)", pytrace=False)
    pytest.skip(message)


def free_port() -> int:
    """A loopback port no one listens on now, for a peer this test starts."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(
    condition: Callable[[], object], what: str = "it", seconds: float = 60, every: float = 0.05
) -> None:
    """Poll ``condition`` every ``every`` seconds until it holds; fail naming ``what``
    after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(every)


def child_environment(**extra: str) -> dict[str, str]:
    """The environment for a `pintu` child process that works on this test run's
    database (its SQLite file or PostgreSQL database). The child sees committed rows
    only: use it from ``django_db(transaction=True)`` tests."""
    from django.db import connection

    database = connection.settings_dict
    if database["ENGINE"] == "django.db.backends.sqlite3":
        url = f"sqlite:///{database['NAME']}"
    else:
        user, password = quote(database["USER"] or ""), quote(database["PASSWORD"] or "")
        server = f"{database['HOST']}:{database['PORT']}"
        url = f"postgres://{user}:{password}@{server}/{database['NAME']}"
    environ = {
        key: value for key, value in os.environ.items() if key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    environ.update(
        DJANGO_SETTINGS_MODULE="pintu.settings",
        DATABASE_URL=url,
        PINTU_LOG_LEVEL="WARNING",
        **extra,
    )
    return environ


CHROMIUM = os.environ.get("PINTU_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    require_peer(
        "Chromium",
        Path(CHROMIUM).exists(),
        f"{CHROMIUM} is missing; install Debian's chromium package",
    )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests
    # make between page actions are still plain synchronous calls.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, live_server: Any) -> Iterator[Any]:
    context = chromium.new_context(base_url=live_server.url, locale="id-ID")
    browser_page = context.new_page()
    browser_page.set_default_timeout(15_000)
    yield browser_page
    context.close()


def sign_in(page: Any, username: str, password: str = PASSWORD) -> None:
    """Sign in through the login form as a person would."""
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    # The form's own button: without JavaScript the language menu shows one too.
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)


def next_app_code(device: Any) -> str:
    """The code for the first time step this authenticator has not used yet: what a
    person types at the next sign-in. Not "the step after now": when the set-up's code
    reached the server in the following step, django-otp took the app to run one step
    behind and no longer accepts the step after now."""
    from django_otp.oath import hotp

    device.refresh_from_db()
    return f"{hotp(device.bin_key, device.last_t + 1, device.digits):0{device.digits}d}"


def screenshot(page: Any, name: str) -> Path:
    """Keep a screenshot of what the test saw, under var/screenshots/."""
    folder = Path(__file__).resolve().parent.parent / "var" / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture
def sops(db: None) -> None:
    """The five shipped SOPs, loaded through the real loader."""
    from pintu.sop.services import DEFINITIONS_DIR, sop_load_dir

    sop_load_dir(actor=None, directory=DEFINITIONS_DIR)


def service(sop_code: str, key: str) -> Any:
    from pintu.sop.models import ServiceType

    return ServiceType.objects.select_related("sop__unit").get(
        sop__code=sop_code, sop__is_current=True, key=key
    )


def fields_for(service_type: Any) -> dict[str, str]:
    """A value for every field the service declares (the first choice where it has some)."""
    declared = service_type.definition().fields
    return {f.key: (f.choices[0] if f.choices else f"isi {f.label}") for f in declared}


@pytest.fixture(scope="session")
def slapd() -> Iterator[Any]:
    """Debian's slapd on 127.0.0.1 for this test process (``pintu.doors.tests.slapd_peer``);
    skipped without it (failed in CI)."""
    from pintu.doors.tests.slapd_peer import slapd_session

    yield from slapd_session()


@pytest.fixture
def directory(slapd: Any, settings: Any) -> Any:
    """The directory emptied for this test, and Pintu's settings pointing at it."""
    from pintu.doors.tests.slapd_peer import use_directory

    slapd.reset()
    use_directory(slapd, settings)
    return slapd


@pytest.fixture(scope="session")
def s3_server() -> Iterator[Any]:
    """An S3-compatible server (moto) on 127.0.0.1 for this test process
    (``pintu.core.tests.s3_peer``); skipped without it (failed in CI)."""
    from pintu.core.tests.s3_peer import s3_session

    yield from s3_session()


@pytest.fixture
def object_store(s3_server: Any, settings: Any) -> Iterator[Any]:
    """Pintu's files in a bucket of their own on the S3 server, for this test only."""
    s3_server.start()  # a test before may have stopped it
    settings.STORAGES = {**settings.STORAGES, "default": s3_server.storage(s3_server.new_bucket())}
    yield s3_server
    s3_server.start()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[Any]:
    """Debian's redis-server on 127.0.0.1 for this test process
    (``pintu.core.tests.redis_peer``); skipped without it (failed in CI)."""
    from pintu.core.tests.redis_peer import redis_session

    yield from redis_session()


@pytest.fixture
def redis_cache(redis_server: Any, settings: Any) -> Any:
    """Django's cache in that Redis, emptied, as ``PINTU_REDIS_URL`` sets it."""
    from pintu.core.caches import caches_from_environment

    redis_server.client().flushdb()
    settings.CACHES = caches_from_environment({"PINTU_REDIS_URL": redis_server.url})
    return redis_server


@pytest.fixture(params=["database", "redis"])
def shared_cache(request: pytest.FixtureRequest) -> dict[str, str]:
    """Each of the shared caches in turn (the database's table, then Redis); returns
    the variables a child process needs to share it with this one."""
    if request.param == "redis":
        return {"PINTU_REDIS_URL": request.getfixturevalue("redis_cache").url}
    return {}
