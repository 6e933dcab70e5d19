"""SOP SDM.5.OT.02.02-5068's Mutu Baku in the KPI engine (M.1.a for flow a, M.1.b for
flow b), computed through ``pintu.kpi`` on requests taken through their steps by the
desk's services: each office step done within its 15 minutes passes, one over fails,
one in progress waits, the requester's own steps and the branch not taken never count."""

from __future__ import annotations

import json
from datetime import datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from pintu.conftest import Personas, fields_for, service
from pintu.desk import services
from pintu.desk.models import Door, Ticket
from pintu.kpi.engine import kpi_evidence, unit_kpis
from pintu.org.models import Role, Unit
from pintu.org.services import membership_grant, user_create
from pintu.sop.measurement import Period
from pintu.vault.services import account_register

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
SOP = "SDM.5.OT.02.02-5068"
NOW = datetime(2026, 11, 30, 12, tzinfo=WIB)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=WIB)


def arrive(key: str, when: datetime) -> Ticket:
    svc = service(SOP, key)
    return services.ticket_create(
        actor=None,
        service_type=svc,
        requester=services.contact_for(name="Taruna A", phone="6281200000009"),
        opening=services.Opening(subject=f"{key} {when:%d %H:%M}", body="Mohon dibantu."),
        door=Door.WHATSAPP,
        fields=fields_for(svc),
        now=when,
    ).ticket


def done(staff: Any, ticket: Ticket, key: str, when: datetime, **extra: Any) -> None:
    step = ticket.steps.get(activity__key=key)
    services.ticket_complete_step(actor=staff, step=step, now=when, **extra)


@pytest.fixture
def baa(sops: None, personas: Personas) -> Any:
    staff = personas.staff
    membership_grant(actor=None, user=staff, role=Role.STAFF, unit=Unit.objects.get(code="BAA"))
    return staff


def test_flow_a_counts_the_office_steps_done_against_their_15_minutes(baa: Any) -> None:
    # Mon 2 Nov: a3 done 5 minutes after a2 (within), a4 still in progress.
    quick = arrive("pendaftaran-akun", at(2, 9))
    done(baa, quick, "a2-terima-pesan", at(2, 9, 5))
    done(baa, quick, "a3-tanggapan", at(2, 9, 10))
    # Tue 3 Nov: a3 done 40 minutes after a2 (over its 15), a4 in progress.
    slow = arrive("pendaftaran-akun", at(3, 9))
    done(baa, slow, "a2-terima-pesan", at(3, 9))
    done(baa, slow, "a3-tanggapan", at(3, 9, 40))
    results = {r.code: r for r in unit_kpis(Unit.objects.get(code="BAA"), Period.year(2026), NOW)}
    flow_a = results["M.1.a"]
    assert flow_a.measurement is not None
    assert (flow_a.measurement.numerator, flow_a.measurement.denominator) == (1, 2)
    assert flow_a.value == 50.0 and flow_a.met is False and flow_a.threshold == 100.0
    assert "2" in flow_a.measurement.note  # both a4 steps, in progress: not counted yet
    _, evidence = kpi_evidence(Unit.objects.get(code="BAA"), Period.year(2026), NOW, "M.1.a")
    rows = [(e.reference, e.passed, e.counted) for e in evidence]
    assert rows == [
        (quick.reference, True, True),
        (quick.reference, False, False),  # a4, in progress
        (slow.reference, False, True),
        (slow.reference, False, False),
    ]
    assert results["M.1.b"].measurement is not None
    assert results["M.1.b"].value is None  # no flow b request: nothing counted


def test_flow_b_counts_the_classification_and_the_branch_taken(baa: Any) -> None:
    user_create(actor=None, username="taruna", password=None, phone="6281200000009")
    ticket = arrive("pemberian-akses", at(24, 9))
    for minute, key in ((10, "b2-terima-pesan"), (20, "b3-terima-tanggapan"), (30, "b4-jawaban")):
        done(baa, ticket, key, at(24, 9, minute))
    # b5 an hour after b4 (over), b6 ten minutes later (within); b7 is not taken.
    done(baa, ticket, "b5-klasifikasi", at(24, 10, 30), branch="b6-akses-diberikan")
    zoom = account_register(
        actor=baa, unit=ticket.unit, service="Zoom", account="prodi", now=at(24, 9)
    )
    data = {"action-accounts": [zoom.pk], "action-until": "2026-12-24"}
    done(baa, ticket, "b6-akses-diberikan", at(24, 10, 40), data=data)
    out = StringIO()
    call_command(
        "kpi", "evidence", "--unit", "BAA", "--year", "2026", "--code", "M.1.b", "--json",
        stdout=out,
    )  # fmt: skip
    shown = json.loads(out.getvalue())
    assert (shown["numerator"], shown["denominator"]) == (1, 2)
    labels = [(e["label"], e["passed"]) for e in shown["evidence"]]
    assert labels == [("Perihal pemberian akses.", False), (
        "Jawaban Pengirim diterima dan akses diberikan.", True
    )]  # fmt: skip
    assert all(e["reference"] == ticket.reference for e in shown["evidence"])
    assert "60" in shown["evidence"][0]["note"] and "15m" in shown["evidence"][0]["note"]
