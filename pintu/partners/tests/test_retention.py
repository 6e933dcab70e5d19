"""The monitoring forms on the retention schedule: past five years they are proposed for
destruction with their assessments, unless a legal hold on one of the agreement's
partners keeps them; archived and verified before they go."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from pintu.conftest import Personas
from pintu.partners.models import Activity, Assessment, Monitoring
from pintu.partners.services.monitoring import monitoring_fill, monitoring_open
from pintu.partners.tests.conftest import NOW, agreement_signed, held, partner_made
from pintu.partners.tests.test_monitoring import judged
from pintu.records.models import ProposalItem, Tombstone
from pintu.records.selectors import due_records
from pintu.records.services import hold_lift, hold_place, proposal_decide, retention_run

pytestmark = pytest.mark.django_db

LATER = NOW + timedelta(days=366 * 6)


@pytest.fixture
def form(sops: None, personas: Personas, ks_staff: Any) -> Monitoring:
    partner = partner_made(ks_staff)
    agreement = agreement_signed(ks_staff, partner, units=("TRPL",))
    held(ks_staff, personas, partner, ["TRPL"], date(2026, 5, 4), agreement=agreement)
    monitoring, _ = monitoring_open(actor=ks_staff, agreement=agreement, year=2026, now=NOW)
    return monitoring_fill(
        actor=ks_staff,
        monitoring=monitoring,
        activities=[Activity.objects.get(held_on=date(2026, 5, 4))],
        outputs="Kurikulum bersama",
        benefits="Magang 12 mahasiswa",
        judgements=judged("JTI", benefit=True, performance=True, satisfaction=True),
        now=NOW,
    )


def due_forms(now: Any) -> list[Any]:
    return [due for due in due_records(now=now) if due.kind == "partners.monitoring"]


def test_a_form_is_kept_five_years_then_proposed_with_its_assessments(
    form: Monitoring, personas: Personas
) -> None:
    assert due_forms(NOW + timedelta(days=365 * 4)) == []
    (due,) = due_forms(LATER)
    assert due.object_id == str(form.pk) and not due.held
    assert due.reference.startswith("BO.28.1.2 2026")
    retention_run(now=LATER)
    item = ProposalItem.objects.get(kind="partners.monitoring")
    proposal_decide(actor=personas.admin, proposal=item.proposal, approve=True, now=LATER)
    retention_run(now=LATER)
    assert not Monitoring.objects.filter(pk=form.pk).exists()
    assert not Assessment.objects.filter(monitoring_id=form.pk).exists()
    assert Tombstone.objects.filter(kind="partners.monitoring", object_id=str(form.pk)).exists()
    assert due_forms(LATER) == []  # its tombstone keeps it off the list


def test_a_hold_on_a_partner_keeps_its_agreements_forms(
    form: Monitoring, personas: Personas
) -> None:
    partner = form.agreement.partners.get()
    hold = hold_place(
        actor=personas.auditor,
        scope="partner",
        partner_id=str(partner.pk),
        reason="Akreditasi 2033: bukti kerja sama",
        now=LATER,
    )
    assert [due.held for due in due_forms(LATER)] == [True]
    other = hold_place(
        actor=personas.auditor,
        scope="partner",
        partner_id=str(partner.pk + 1000),
        reason="Mitra lain",
        now=LATER,
    )
    hold_lift(actor=personas.auditor, hold=hold, now=LATER)
    assert [due.held for due in due_forms(LATER)] == [False]
    assert other.lifted_at is None
