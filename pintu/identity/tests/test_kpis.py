"""PR.33.8's account requests in the KPI engine: B.4.6.4.a, the first response within 15
working minutes that every request kind of this module names, computed through
``pintu.kpi`` on requests taken through the module's steps. The one-time link sent at
"Distribusi akun baru" is a public reply, so a request whose account is made and handed
over at once is answered by it; one nobody answered fails once its deadline passed."""

from __future__ import annotations

import json
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from pintu.conftest import Personas, service
from pintu.desk import services as desk
from pintu.desk.models import Door, Ticket
from pintu.identity.tests.records import master_record, posted
from pintu.kpi.engine import kpi_evidence, unit_kpis
from pintu.org.models import Unit
from pintu.sop.measurement import Period

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2026, 11, 30, 12, tzinfo=WIB)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


def ask(personas: Personas, key: str, when: datetime, **fields: str) -> Ticket:
    return desk.ticket_create(
        actor=personas.requester,
        service_type=service("PR.33.8", key),
        requester=personas.requester,
        opening=desk.Opening(subject=f"{key} {when:%d}", body="Mohon dibantu."),
        door=Door.WEB,
        fields={"nomor_induk": "4321250001", **fields},
        now=when,
    ).ticket


def step(personas: Personas, ticket: Ticket, key: str, when: datetime, **data: str) -> None:
    desk.ticket_complete_step(
        actor=personas.staff,
        step=ticket.steps.get(activity__key=key),
        data=posted(**data),
        now=when,
    )


def test_account_requests_answer_b_4_6_4_a_with_their_evidence(
    sops: None, personas: Personas
) -> None:
    master_record()
    # Mon 2 Nov 09:00: identified, made and handed over by 09:10: the link answers it.
    new = ask(personas, "akun-kampus", at(2, 9), status="Mahasiswa", sistem="SIAKAD")
    step(personas, new, "identifikasi-permintaan", at(2, 9, 4), id_number="4321250001")
    step(personas, new, "pengelolaan-akun", at(2, 9, 7))
    step(personas, new, "distribusi-akun", at(2, 9, 10), send_link="on")
    # Tue 3 Nov 09:00: a reset nobody answered.
    reset = ask(personas, "reset-sandi", at(3, 9), jenis="Lupa kata sandi")
    unit = Unit.objects.get(code="UPT-SI")

    results = {r.code: r for r in unit_kpis(unit, Period.year(2026), NOW)}
    first = results["B.4.6.4.a"]
    assert first.measurement is not None
    assert (first.measurement.numerator, first.measurement.denominator) == (1, 2)
    assert first.met is False
    _, evidence = kpi_evidence(unit, Period.year(2026), NOW, "B.4.6.4.a")
    assert [(e.reference, e.passed, e.counted) for e in evidence] == [
        (new.reference, True, True),
        (reset.reference, False, True),
    ]
    # The same, as `pintu kpi evidence` prints it.
    out = StringIO()
    call_command(
        "kpi", "evidence", "--unit", "UPT-SI", "--year", "2026", "--code", "B.4.6.4.a",
        "--json", stdout=out,
    )  # fmt: skip
    shown = json.loads(out.getvalue())
    assert [e["reference"] for e in shown["evidence"]] == [new.reference, reset.reference]
    assert shown["value"] == 50.0
