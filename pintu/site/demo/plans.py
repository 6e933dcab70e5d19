"""The demo's requests as plans: who asks for which service, through which door and
when, and what then happens to the request, moment by moment, on its unit's working
clock. ``pintu.site.demo.year`` plans the year, ``pintu.site.demo.scenes`` the requests
in the queues at the moment of seeding; ``pintu.site.demo.filing`` carries the plans
out through the desk's services.

Planning reads nothing from the database and no clock: the moment of seeding, the
units' calendars, the services and the people are its inputs, so that one seed and one
moment give the same requests.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from pintu.desk.models import Door
from pintu.site.demo import words
from pintu.site.demo.cases import WORDS
from pintu.sla.calendar import WorkingCalendar
from pintu.sla.clock import Target, add_working_minutes, parse_target
from pintu.sop.definition import Activity, Service

ONLINE = (Door.WEB, Door.EMAIL, Door.WHATSAPP)
STAFF_TYPED = (Door.WALK_IN, Door.PHONE)  # staff type these in
# Who asks for what: students, lecturers, outside people, partner organisations.
WHO = {
    "akun-kampus": {"student": 6, "lecturer": 3, "outsider": 3},
    "reset-sandi": {"student": 5, "lecturer": 3, "outsider": 2},
    "perubahan-akun": {"lecturer": 3, "student": 2},
    "akses-sistem": {"lecturer": 4, "student": 3},
    "penonaktifan-akun": {"student": 3, "outsider": 1},
    "layanan-ringan": {"student": 3, "lecturer": 4, "outsider": 3},
    "instalasi-perangkat-lunak": {"student": 1, "lecturer": 5, "outsider": 2},
    "layanan-berat": {"lecturer": 3, "outsider": 3},
    "perbaikan-sistem-informasi": {"student": 4, "lecturer": 3, "outsider": 2},
    "pengembangan-sistem-informasi": {"lecturer": 4, "outsider": 2},
    "sosialisasi-fitur": {"lecturer": 3, "outsider": 2},
    "perubahan-data-mata-kuliah": {"lecturer": 6, "outsider": 1},
    "publikasi-pengumuman": {"lecturer": 6, "outsider": 1},
    "gangguan-layanan": {"student": 3, "lecturer": 3},
    "dokumen-proses-bisnis": {"lecturer": 5, "outsider": 1},
    "publikasi-konten": {"lecturer": 4, "student": 1, "outsider": 2, "partner": 1},
    "pengembangan-media": {"lecturer": 3, "outsider": 2},
    "draf-mou-moa": {"lecturer": 2, "partner": 5},
    "permintaan-mitra": {"partner": 6, "lecturer": 1},
    "pendaftaran-akun": {"lecturer": 4, "outsider": 3},
    # Access is granted to a person who signs in (SDM.5.OT.02.02-5068 flow b, in Pintu).
    "pemberian-akses": {"lecturer": 5, "student": 1},
}
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Offer:
    """A service type as planning needs it: its unit, its SOP and its steps."""

    unit: str
    sop: str
    service: Service
    steps: tuple[Activity, ...]
    requester_roles: frozenset[str]

    @property
    def key(self) -> str:
        return self.service.key

    @property
    def resolution(self) -> Target:
        return parse_target(self.service.resolution, self.service.clock)


@dataclass(frozen=True)
class Requester:
    """A demo account (``username``) or an outside contact (name, e-mail, WhatsApp)."""

    username: str = ""
    name: str = ""
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Pools:
    """The people planning draws from."""

    students: Sequence[tuple[str, str]]  # username and name; the demo login first
    lecturers: Sequence[tuple[str, str]]
    outsiders: Sequence[Requester]
    partners: Sequence[Requester]
    staff: Mapping[str, Sequence[tuple[str, int]]]  # unit -> usernames and weights


# What happens to a request after it arrives, each at its moment.
@dataclass(frozen=True)
class Event:
    at: datetime


@dataclass(frozen=True)
class Assign(Event):
    staff: str


@dataclass(frozen=True)
class Reply(Event):
    staff: str
    body: str
    status: str = ""  # the status the reply moves the request to


@dataclass(frozen=True)
class Note(Event):
    staff: str
    body: str


@dataclass(frozen=True)
class Move(Event):
    staff: str
    status: str


@dataclass(frozen=True)
class Message(Event):
    """The requester writes again."""

    body: str


@dataclass(frozen=True)
class StepDone(Event):
    staff: str
    activity: str
    branch: str = ""


@dataclass(frozen=True)
class Fill(Event):
    """Staff fill in the service's fields that a mail or chat message left out."""

    staff: str
    fields: Mapping[str, str]


@dataclass(frozen=True)
class Rate(Event):
    score: int
    comment: str


@dataclass(frozen=True)
class Opening:
    """What a request says when it arrives, and the particulars it is about."""

    slots: words.Slots
    subject: str
    body: str
    fields: Mapping[str, str]


@dataclass(frozen=True)
class Plan:
    offer: Offer
    door: str
    requester: Requester
    opening: Opening
    received_at: datetime
    entered_at: datetime  # when it was filed: staff type a walk-in in after it came
    entered_by: str  # the staff member who typed it in ("" when it came in by itself)
    events: tuple[Event, ...]


def working_before(calendar: WorkingCalendar, end: datetime, minutes: float) -> datetime:
    """The moment ``minutes`` working minutes before ``end`` (the clock run backwards)."""
    tz = calendar.tz
    end = end.astimezone(tz)
    remaining = timedelta(minutes=minutes)
    day = end.date()
    for _ in range(366):
        hours = calendar.hours_on(day)
        if hours is not None:
            opening = datetime.combine(day, hours[0], tzinfo=tz)
            closing = min(datetime.combine(day, hours[1], tzinfo=tz), end)
            if closing > opening:
                if remaining <= closing - opening:
                    return closing - remaining
                remaining -= closing - opening
        day -= ONE_DAY
    raise ValueError(f"no working time in the year before {end.isoformat()}")


class RequestClock:
    """One request's clock: its minutes are working minutes since it started, without
    the time of its one pause (waiting is off the clock, as the desk counts it)."""

    def __init__(self, calendar: WorkingCalendar, start: datetime) -> None:
        self.calendar = calendar
        self.start = start
        self.paused_at: float | None = None
        self.paused_for = 0

    def pause(self, at: float, minutes: int) -> None:
        self.paused_at, self.paused_for = at, minutes

    def at(self, minutes: float) -> datetime:
        """The moment the clock shows ``minutes`` (after the pause, later by its length)."""
        if self.paused_at is not None and minutes > self.paused_at:
            minutes += self.paused_for
        return add_working_minutes(self.calendar, self.start, round(minutes))

    def resumed(self) -> datetime:
        assert self.paused_at is not None, "the clock was never paused"
        return add_working_minutes(
            self.calendar, self.start, round(self.paused_at + self.paused_for)
        )


T = TypeVar("T")


def weighted(rng: random.Random, weights: Mapping[T, float]) -> T:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


class Composer:
    """What every plan needs: one random source, the moment of seeding, the calendars,
    the people, and the words a request and its replies are written in."""

    def __init__(
        self,
        *,
        rng: random.Random,
        now: datetime,
        calendars: Mapping[str, WorkingCalendar],
        offers: Sequence[Offer],
        pools: Pools,
    ) -> None:
        self.rng = rng
        self.now = now
        self.calendars = calendars
        # Services the demo has no words for (an SOP added later) get no requests.
        self.offers = [o for o in offers if o.key in WORDS and o.unit in calendars]
        self.pools = pools

    def requester(self, offer: Offer, door: str, who: str = "") -> Requester:
        """Someone of kind ``who`` (drawn for the service when empty), or the demo
        login named ``who``."""
        rng = self.rng
        accounts = {username: name for username, name in self.everyone()}
        if who in accounts:
            return Requester(username=who, name=accounts[who])
        who = who or weighted(rng, WHO.get(offer.key, {"lecturer": 1}))
        if door == Door.WEB and who in ("outsider", "partner"):
            who = "lecturer"  # the portal is for people with an account
        if who == "outsider":
            return rng.choice(self.pools.outsiders)
        if who == "partner":
            return rng.choice(self.pools.partners)
        pool = self.pools.students if who == "student" else self.pools.lecturers
        # The demo logins (first in each pool) ask more often than the others.
        username, name = rng.choices(pool, weights=[3] + [1] * (len(pool) - 1))[0]
        return Requester(username=username, name=name)

    def everyone(self) -> list[tuple[str, str]]:
        return [*self.pools.students, *self.pools.lecturers]

    def staff(self, unit: str) -> str:
        return weighted(self.rng, dict(self.pools.staff[unit]))

    def opening(
        self,
        offer: Offer,
        door: str,
        received: datetime,
        requester: Requester,
        case: int | None = None,
    ) -> Opening:
        """The request's first message as it comes through ``door``."""
        rng = self.rng
        local = received.astimezone(self.calendars[offer.unit].tz)
        slots = words.Slots.draw(rng, requester.name, local.date())
        cases = WORDS[offer.key].cases
        chosen = cases[case] if case is not None else rng.choice(cases)
        text = words.fill(chosen.body, slots)
        hello, name = words.greeting(local.hour), requester.name
        bodies: dict[str, str] = {
            Door.EMAIL: f"{hello},\n\n{text}\n\nTerima kasih.\n{name}",
            Door.WHATSAPP: f"{hello}, mohon maaf mengganggu. {text}",
            Door.WALK_IN: f"{name} datang ke loket layanan: {text}",
            Door.PHONE: f"{name} menelepon: {text}",
        }
        body = bodies.get(door, text)
        return Opening(
            slots, words.fill(chosen.subject, slots), body, words.fill_fields(chosen.fields, slots)
        )

    def reply(self, offer: Offer, moment: datetime, text: str, slots: words.Slots) -> str:
        """A staff reply, greeting the requester and signed by the unit."""
        hello = words.greeting(moment.astimezone(self.calendars[offer.unit].tz).hour)
        signature = words.SIGNATURES.get(offer.unit, offer.unit)
        body = words.fill(text, slots)
        return f"{hello}, {slots.name}.\n\n{body}\n\nSalam,\n{signature}"

    def plan(
        self,
        *,
        offer: Offer,
        door: str,
        requester: Requester,
        opening: Opening,
        received: datetime,
        entered: datetime,
        entered_by: str,
        events: Sequence[Event],
    ) -> Plan:
        """The plan with what has happened by ``now``, in order (the sort is stable, so
        events at one moment keep their order: the last step before the reply that
        resolves)."""
        return Plan(
            offer=offer,
            door=door,
            requester=requester,
            opening=opening,
            received_at=received,
            entered_at=entered,
            entered_by=entered_by,
            events=tuple(sorted((e for e in events if e.at <= self.now), key=lambda e: e.at)),
        )
