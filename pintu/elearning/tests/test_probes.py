"""The availability probe (B.1.8.17.a): every listed address is looked at, each look is
kept; a service that fails several looks in a row is an outage, which opens an incident
request in P4M's queue and ends with the next good look; the public status page says
how each service is doing."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pintu.core.periodic import SCHEDULES
from pintu.desk.models import Ticket
from pintu.elearning import services
from pintu.elearning.models import Outage, Probe, ProbedService
from pintu.elearning.probe import Look, look
from pintu.elearning.tasks import probe_services

pytestmark = pytest.mark.django_db


class Site:
    """A web server on loopback that answers the statuses a test scripts."""

    def __init__(self) -> None:
        self.statuses: list[int] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                status = site.statuses.pop(0) if site.statuses else 200
                body = b"<html>ok</html>"
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/login/index.php"


@pytest.fixture
def web() -> Iterator[Site]:
    site = Site()
    thread = threading.Thread(target=site.server.serve_forever, daemon=True)
    thread.start()
    yield site
    site.server.shutdown()
    site.server.server_close()


@pytest.fixture
def elearning(web: Site) -> ProbedService:
    return ProbedService.objects.create(name="E-learning", kind="elearning", url=web.url)


def test_a_look_times_the_answer_and_says_why_there_was_none(web: Site) -> None:
    web.statuses = [503]
    assert look(web.url, timeout=5).status == 503
    found = look(web.url, timeout=5)
    assert found.status == 200 and found.latency_ms >= 0
    dead = look("http://127.0.0.1:9/", timeout=2)
    assert dead.status is None and dead.error


def test_three_failed_looks_in_a_row_open_an_outage_and_its_incident_request(
    sops: None, elearning: ProbedService, settings: Any
) -> None:
    settings.PINTU_PROBE_FAILURES = 3
    start = timezone.now()
    for minutes, status in enumerate([200, 503, 502]):
        services.probe_record(
            service=elearning, look=Look(status, 40), at=start + timedelta(minutes=5 * minutes)
        )
    assert not Outage.objects.exists()  # two in a row: not sustained yet
    services.probe_record(
        service=elearning, look=Look(None, 10000, "timed out"), at=start + timedelta(minutes=15)
    )
    outage = Outage.objects.get()
    assert outage.started_at == start + timedelta(minutes=5) and outage.ended_at is None
    ticket = outage.ticket
    assert ticket.unit.code == "P4M" and ticket.service_type.key == "gangguan-layanan"
    assert "E-learning" in ticket.subject and "timed out" in ticket.articles.get().body
    # More failures keep the one outage and its one request.
    services.probe_record(service=elearning, look=Look(503, 30), at=start + timedelta(minutes=20))
    assert Outage.objects.count() == 1 and Ticket.objects.count() == 1
    services.probe_record(service=elearning, look=Look(200, 30), at=start + timedelta(minutes=25))
    outage.refresh_from_db()
    assert outage.ended_at == start + timedelta(minutes=25)
    assert Probe.objects.filter(service=elearning).count() == 6


def test_the_periodic_probe_looks_at_each_active_service(
    sops: None, elearning: ProbedService, web: Site
) -> None:
    ProbedService.objects.create(name="E-journal", kind="ejournal", url=web.url, is_active=False)
    web.statuses = [500]
    assert probe_services.call() == {"E-learning": False}
    assert probe_services.call() == {"E-learning": True}
    assert SCHEDULES["pintu.elearning.tasks.probe_services"].every == timedelta(seconds=300)


def test_the_status_page_is_public_and_says_how_each_service_is_doing(
    sops: None, elearning: ProbedService, settings: Any
) -> None:
    settings.PINTU_PROBE_FAILURES = 2
    repository = ProbedService.objects.create(
        name="E-repository", kind="erepository", url="https://repo.example"
    )
    now = timezone.now()
    for minutes, status in enumerate([200, 200, 200, 503]):
        services.probe_record(
            service=elearning, look=Look(status, 120), at=now - timedelta(minutes=20 - 5 * minutes)
        )
    for minutes in range(2):
        services.probe_record(
            service=repository,
            look=Look(None, 10000, "timed out"),
            at=now - timedelta(minutes=5 - minutes),
        )
    page = Client().get(reverse("elearning-status")).content.decode()
    elearning_row = page[page.index('data-service="E-learning"') :]
    assert "tidak menjawab" in elearning_row[:800] and "HTTP 503" in elearning_row[:800]
    assert "75,00%" in elearning_row[:800]  # three of its four probes
    repository_row = page[page.index('data-service="E-repository"') :]
    assert "terganggu" in repository_row[:800] and "0,00%" in repository_row[:800]
    assert "Gangguan terakhir" in page
