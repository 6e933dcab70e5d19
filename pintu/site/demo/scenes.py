"""The requests in the queues at the moment of seeding, each in a state set in advance
(new, at risk, breached, waiting for the requester or a third party), so that every
unit's queue shows what a desk meets whenever the demo is made; UPT-SI's, which staf-si
opens, shows every state. The times are counted back on the unit's working clock from
the moment of seeding: a request "at risk" has used a share of its target between the
warning share and the deadline.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from pintu.desk.models import Door, Status
from pintu.site.demo import words
from pintu.site.demo.cases import WORDS
from pintu.site.demo.plans import (
    STAFF_TYPED,
    Assign,
    Composer,
    Event,
    Move,
    Note,
    Offer,
    Plan,
    Reply,
    RequestClock,
    working_before,
)
from pintu.sla.calendar import WorkingCalendar
from pintu.sla.clock import Target, due_at, parse_target, roll_forward, working_minutes_between


@dataclass(frozen=True)
class Scene:
    """A request in a unit's queue whose state at the moment of seeding is set."""

    unit: str
    service: str
    door: str
    who: str  # a kind of requester (student, lecturer, outsider, partner) or a login
    case: int  # which of the service's cases it is about
    # new, new_at_risk, new_breached (no answer yet); open, open_at_risk, open_breached
    # (answered, the resolution's clock running); asked (waiting for the requester's
    # answer), asked_now (the question leaves as the demo is seeded); third_party
    state: str
    staff: str = ""  # its assignee


SCENES = (
    Scene("UPT-SI", "akun-kampus", Door.WEB, "mahasiswa", 0, "new"),
    Scene("UPT-SI", "akun-kampus", Door.EMAIL, "outsider", 1, "new_at_risk"),
    Scene("UPT-SI", "layanan-ringan", Door.WHATSAPP, "student", 0, "new_breached"),
    Scene("UPT-SI", "layanan-ringan", Door.PHONE, "dosen", 1, "open", "staf-si"),
    Scene(
        "UPT-SI", "instalasi-perangkat-lunak", Door.WALK_IN, "dosen", 1, "open_at_risk", "staf-si"
    ),
    Scene("UPT-SI", "layanan-ringan", Door.WEB, "lecturer", 2, "open_breached", "subkoor-si"),
    Scene("UPT-SI", "akun-kampus", Door.EMAIL, "outsider", 5, "asked_now", "staf-si"),
    Scene("UPT-SI", "layanan-berat", Door.PHONE, "outsider", 1, "third_party", "staf-si"),
    Scene("UPT-SI", "perbaikan-sistem-informasi", Door.WEB, "mahasiswa", 0, "asked"),
    Scene("P4M", "publikasi-pengumuman", Door.WEB, "dosen", 0, "new"),
    Scene("P4M", "perubahan-data-mata-kuliah", Door.EMAIL, "dosen", 0, "open_at_risk", "staf-p4m"),
    Scene("BAA", "pemberian-akses", Door.WHATSAPP, "outsider", 0, "asked", "staf-baa"),
    Scene("BAA", "pendaftaran-akun", Door.EMAIL, "lecturer", 0, "new_breached"),
    Scene("PHK", "publikasi-konten", Door.WEB, "dosen", 0, "open", "staf-humas"),
    Scene("PHK", "publikasi-konten", Door.EMAIL, "lecturer", 1, "new_at_risk"),
    Scene("KS", "draf-mou-moa", Door.EMAIL, "partner", 0, "open_breached", "staf-kerjasama"),
    Scene("KS", "permintaan-mitra", Door.EMAIL, "partner", 0, "third_party", "staf-kerjasama"),
)

# Working minutes before the moment of seeding that a request in each state arrived;
# the states counted as a share of a target are in SHARES.
MINUTES_BEFORE = {
    "new": 4,
    "new_breached": 70,
    "asked": 40,
    "asked_now": 9,
    "third_party": 3 * 8 * 60,
}
SHARES = {"open": 0.2, "open_breached": 1.3}


class Scenes(Composer):
    def plans(self, scenes: Sequence[Scene], *, warn: Callable[[str], float]) -> list[Plan]:
        """The scenes' requests; ``warn`` gives a target's warning share (at risk from
        there on)."""
        offers = {(o.unit, o.key): o for o in self.offers}
        return [
            self._scene(scene, offers[(scene.unit, scene.service)], warn)
            for scene in scenes
            if (scene.unit, scene.service) in offers
        ]

    @staticmethod
    def _at_risk(target: str, warn: Callable[[str], float]) -> float:
        """A share of ``target`` between its warning share and its deadline."""
        share = warn(target)
        return share + (1 - share) / 4

    def _received_for(self, calendar: WorkingCalendar, target: Target, share: float) -> datetime:
        """When a request arrived that has used ``share`` of ``target`` by now."""
        minutes = share * 8 * 60
        for _ in range(5):  # the span depends a little on the day it starts
            received = working_before(calendar, self.now, minutes)
            span = working_minutes_between(calendar, received, due_at(calendar, received, target))
            minutes = share * span
        return working_before(calendar, self.now, minutes)

    def _received(self, scene: Scene, offer: Offer, warn: Callable[[str], float]) -> datetime:
        calendar = self.calendars[offer.unit]
        service = offer.service
        if scene.state in MINUTES_BEFORE:
            return working_before(calendar, self.now, MINUTES_BEFORE[scene.state])
        if scene.state == "new_at_risk":
            first = parse_target(service.first_response, service.clock)
            share = self._at_risk(service.first_response, warn)
            return self._received_for(calendar, first, share)
        share = SHARES.get(scene.state) or self._at_risk(service.resolution, warn)
        return self._received_for(calendar, offer.resolution, share)

    def _scene(self, scene: Scene, offer: Offer, warn: Callable[[str], float]) -> Plan:
        calendar = self.calendars[offer.unit]
        text = WORDS[offer.key]
        received = min(self._received(scene, offer, warn), self.now)
        requester = self.requester(offer, scene.door, scene.who)
        opening = self.opening(offer, scene.door, received, requester, scene.case)
        slots = opening.slots
        staff = scene.staff or self.staff(offer.unit)
        entered, entered_by = received, ""
        if scene.door in STAFF_TYPED:
            entered, entered_by = min(received + timedelta(minutes=2), self.now), staff
        clock = RequestClock(calendar, roll_forward(calendar, received))
        events: list[Event] = []
        if scene.staff:
            events.append(Assign(entered, scene.staff))
        if scene.state == "asked_now":
            # The question leaves as the demo is seeded: its e-mail is the one the
            # worker sends when it starts, for the mail catcher to show.
            question = self.reply(offer, self.now, text.questions[0], slots)
            events.append(Reply(self.now, staff, question, Status.WAITING_REQUESTER))
        elif not scene.state.startswith("new"):
            first = working_minutes_between(calendar, clock.start, entered) + self.rng.randint(4, 9)
            first_at = min(clock.at(first), self.now)
            if scene.state == "asked":
                question = self.reply(offer, first_at, text.questions[0], slots)
                events.append(Reply(first_at, staff, question, Status.WAITING_REQUESTER))
            else:
                answer = self.reply(offer, first_at, self.rng.choice(words.FIRST_REPLIES), slots)
                events.append(Reply(first_at, staff, answer))
            if scene.state in ("open_breached", "third_party"):
                noted = min(clock.at(first + 240), self.now)
                events.append(Note(noted, staff, words.fill((text.waits or text.notes)[0], slots)))
            if scene.state == "third_party":
                waiting = min(clock.at(first + 241), self.now)
                events.append(Move(waiting, staff, Status.WAITING_THIRD_PARTY))
        return self.plan(
            offer=offer,
            door=scene.door,
            requester=requester,
            opening=opening,
            received=received,
            entered=entered,
            entered_by=entered_by,
            events=events,
        )
