"""The e-learning tests' Moodle: a local server that speaks the REST protocol, a site
Pintu knows it by, its synchronised course list, and the outbox's ``moodle`` transport
delivering to it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from pintu.conftest import service
from pintu.desk import services as desk
from pintu.desk.actions import PREFIX, action_for, bound_form
from pintu.desk.models import Door, Step, Ticket
from pintu.elearning import services
from pintu.elearning.models import MoodleSite
from pintu.elearning.tests.moodle_server import TOKEN, MoodleState, moodle_server
from pintu.outbox.delivery import deliver_due

SOP = "PR.13.2"


@pytest.fixture
def moodle() -> Iterator[MoodleState]:
    with moodle_server() as state:
        state.categories.update({4: "Semester 3", 5: "Semester 4"})
        state.add_course("IF201", "Basis Data", idnumber="IF201-2026", category=4)
        state.add_course("IF202", "Pemrograman Web", category=4)
        state.add_course("IF301", "Jaringan Komputer", category=5)
        yield state


@pytest.fixture
def site(moodle: MoodleState, db: None) -> MoodleSite:
    site, _ = services.site_add(actor=None, name="kampus", url=moodle.url, token=TOKEN)
    services.site_sync(site=site, now=timezone.now())
    return site


def deliver() -> int:
    """Run the worker's delivery once, a moment from now."""
    return deliver_due(timezone.now() + timedelta(seconds=1))


def file_request(key: str, fields: dict[str, str], subject: str = "Mohon diubah") -> Ticket:
    return desk.ticket_create(
        actor=None,
        service_type=service(SOP, key),
        requester=desk.ContactDetails(name="Dosen A", email="dosen.a@kampus.ac.id"),
        opening=desk.Opening(subject=subject, body="Mohon bantuannya."),
        door=Door.EMAIL,
        fields=fields,
        acknowledge_receipt=False,
    ).ticket


def approve_review(ticket: Ticket, actor: Any, review: str, way: str) -> Step:
    """Complete the review step the way ``way`` and return the step that starts."""
    desk.ticket_complete_step(actor=actor, step=ticket.steps.get(activity__key=review), branch=way)
    return ticket.steps.get(activity__key=way)


def posted_as_it_starts(step: Step, **changed: str) -> dict[str, str]:
    """The step's action form as the panel shows it, with ``changed`` typed over it."""
    action = action_for(SOP, step.activity.key)
    assert action is not None
    form = bound_form(action, step)
    values = {name: form[name].value() for name in form.fields}
    values.update(changed)
    return {
        f"{PREFIX}-{name}": "" if value is None else str(value) for name, value in values.items()
    }
