"""/healthz and the admins' banner tell whether a worker is alive, from its heartbeat;
a real `pintu worker` process shows up there and marks its clean stop."""

from __future__ import annotations

import signal
import subprocess
import sys
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas, child_environment, service, wait_for
from pintu.core.heartbeat import heartbeat_start, heartbeat_stop
from pintu.core.models import WorkerHeartbeat


def worker_of(client: Client) -> dict:
    response = client.get("/healthz")
    assert response.status_code == 200
    return response.json()["worker"]


@pytest.mark.django_db
def test_healthz_says_when_no_worker_ever_ran(client: Client) -> None:
    assert worker_of(client) == {"status": "none", "last_beat_at": None, "running": 0}


@pytest.mark.django_db
def test_a_stale_worker_is_reported_while_the_web_answers_200(client: Client) -> None:
    beat = timezone.now() - timedelta(minutes=3)
    heartbeat_start(worker_id="laptop-4242", now=beat)
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["database"]) == ("ok", "ok")
    assert body["worker"]["status"] == "stale"
    assert datetime.fromisoformat(body["worker"]["last_beat_at"]) == beat


@pytest.mark.django_db
def test_a_fresh_beat_is_ok(client: Client) -> None:
    heartbeat_start(worker_id="laptop-4242", now=timezone.now() - timedelta(seconds=20))
    assert worker_of(client)["status"] == "ok"


@pytest.mark.django_db
def test_only_a_database_failure_is_503(client: Client, monkeypatch) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("database unreachable")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "error"


BANNER = "Worker tidak berjalan sejak"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("persona", "shown"),
    [("requester", False), ("staff", False), ("auditor", False), ("admin", True)],
)
def test_admins_see_a_banner_when_the_worker_is_stale(
    client: Client, personas: Personas, persona: str, shown: bool
) -> None:
    heartbeat_start(worker_id="laptop-4242", now=timezone.now() - timedelta(minutes=5))
    client.force_login(getattr(personas, persona))
    body = client.get(reverse("sop-catalogue")).content.decode()
    assert (BANNER in body) is shown


@pytest.mark.django_db
def test_the_banner_names_the_last_beat_even_after_a_clean_stop(
    client: Client, personas: Personas
) -> None:
    at = timezone.make_aware(datetime(2026, 11, 24, 9, 15))
    heartbeat_start(worker_id="laptop-4242", now=at - timedelta(hours=1))
    heartbeat_stop(worker_id="laptop-4242", now=at)
    client.force_login(personas.admin)
    body = client.get(reverse("sop-catalogue")).content.decode()
    assert f"{BANNER} 24 Nov 2026 09.15" in body


@pytest.mark.django_db
def test_no_banner_while_a_worker_beats_and_one_when_none_ever_ran(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.admin)
    assert "Belum ada worker yang berjalan" in client.get(reverse("sop-catalogue")).content.decode()
    heartbeat_start(worker_id="laptop-4242", now=timezone.now())
    body = client.get(reverse("sop-catalogue")).content.decode()
    assert "Belum ada worker" not in body and BANNER not in body


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_shows_on_healthz_then_marks_its_clean_stop(client: Client) -> None:
    worker = subprocess.Popen(
        [sys.executable, "-m", "pintu", "worker", "--beat-every", "0.2"],
        env=child_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    beats = WorkerHeartbeat.objects.filter(pid=worker.pid)
    try:
        wait_for(lambda: beats.exists() or worker.poll() is not None, "the first heartbeat")
        assert worker.poll() is None, worker.communicate()[0]
        first = beats.get().last_beat_at
        wait_for(lambda: beats.get().last_beat_at > first, "the next heartbeat")
        assert worker_of(client)["status"] == "ok"
        assert worker_of(client)["running"] == 1
    finally:
        worker.send_signal(signal.SIGTERM)
        output = worker.communicate(timeout=30)[0]
    assert worker.returncode == 0, output
    row = beats.get()
    assert row.stopped_at is not None
    health = worker_of(client)
    assert health["status"] == "stopped"
    assert datetime.fromisoformat(health["last_beat_at"]) == row.last_beat_at


@pytest.mark.django_db
def test_healthz_gives_each_doors_and_outside_systems_last_success(
    client: Client, sops: None
) -> None:
    from pintu.doors.models import InboundMessage, Mailbox
    from pintu.org.models import Unit
    from pintu.outbox.models import OutboxItem

    now = timezone.now()
    empty = client.get("/healthz").json()
    assert empty["doors"]["email"] == {
        "last_success_at": None,
        "waiting": 0,
        "mailboxes": 0,
        "mailboxes_failing": 0,
        "last_read_at": None,
    }
    assert empty["transports"]["email"]["last_success_at"] is None

    def message(key: str, door: str, outcome: str, ago: int) -> None:
        InboundMessage.objects.create(
            door=door,
            dedupe_key=key,
            raw=b"x",
            sha256="0" * 64,
            outcome=outcome,
            received_at=now - timedelta(minutes=ago),
        )

    filed = InboundMessage.Outcome.CREATED
    message("email:a", "email", filed, 30)
    message("email:b", "email", InboundMessage.Outcome.QUARANTINED, 5)  # no success
    message("whatsapp:c", "whatsapp", InboundMessage.Outcome.APPENDED, 90)
    message("whatsapp:d", "whatsapp", InboundMessage.Outcome.PENDING, 1)
    Mailbox.objects.create(
        unit=Unit.objects.get(code="UPT-SI"),
        address="helpdesk@pintu.test",
        service_type=service("PR.33.8", "layanan-ringan"),
        host="127.0.0.1",
        username="helpdesk",
        last_polled_at=now - timedelta(minutes=2),
        last_error="login refused",
    )

    def item(transport: str, status: str, sent_ago: int | None = None) -> None:
        OutboxItem.objects.create(
            transport=transport,
            purpose=OutboxItem.Purpose.JOB,
            status=status,
            sent_at=None if sent_ago is None else now - timedelta(minutes=sent_ago),
        )

    item("email", OutboxItem.Status.SENT, 10)
    item("email", OutboxItem.Status.DELIVERED, 3)
    item("email", OutboxItem.Status.PENDING)
    item("ldap", OutboxItem.Status.FAILED)
    item("ldap", OutboxItem.Status.DEAD)

    health = client.get("/healthz").json()
    email, whatsapp = health["doors"]["email"], health["doors"]["whatsapp"]
    assert email["last_success_at"] == (now - timedelta(minutes=30)).isoformat()
    assert (email["mailboxes"], email["mailboxes_failing"]) == (1, 1)
    assert email["last_read_at"] == (now - timedelta(minutes=2)).isoformat()
    assert "helpdesk@pintu.test" not in str(health)  # /healthz answers anyone
    assert whatsapp == {
        "last_success_at": (now - timedelta(minutes=90)).isoformat(),
        "waiting": 1,
    }
    assert health["transports"]["email"] == {
        "last_success_at": (now - timedelta(minutes=3)).isoformat(),
        "waiting": 1,
        "failing": 0,
        "given_up": 0,
    }
    assert health["transports"]["ldap"] == {
        "last_success_at": None,
        "waiting": 0,
        "failing": 1,
        "given_up": 1,
    }
