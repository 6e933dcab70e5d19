"""The demo's year: the requests of the ``days`` before the moment of seeding.

Requests arrive on the units' working days in working hours, around a morning and an
afternoon peak, more of them when a semester starts (some by e-mail or WhatsApp in the
evening, at weekends or on a holiday; walk-ins and calls only when the unit is open).
Staff answer most within the first-response target, some late; some requests wait for
the requester or a third party; each goes through its SOP's steps (the timed ones
mostly within their Mutu Baku, a branching one mostly its first way: access granted);
most are resolved on time, some late; requesters with an account rate most of theirs,
kindly as a rule and less so when it was late; staff close many a few days later.
What a plan has not reached by ``now`` has not happened yet: recent requests are still
in the queues.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from pintu.desk.models import Door, Status
from pintu.site.demo import words
from pintu.site.demo.cases import WORDS
from pintu.site.demo.plans import (
    ONLINE,
    STAFF_TYPED,
    Assign,
    Composer,
    Event,
    Fill,
    Message,
    Move,
    Note,
    Offer,
    Plan,
    Rate,
    Reply,
    RequestClock,
    StepDone,
    weighted,
    working_before,
)
from pintu.sla.calendar import WorkingCalendar
from pintu.sla.clock import add_working_minutes, due_at, roll_forward, working_minutes_between
from pintu.sop.definition import Activity

# Requests per working day in each unit, and how the academic year swells and ebbs
# (new students in August and February, examinations, the July break).
DAILY = {"UPT-SI": 1.5, "P4M": 0.6, "BAA": 0.45, "PHK": 0.3, "KS": 0.25}
SEASON = {1: 0.9, 2: 1.2, 3: 1.1, 4: 1.0, 5: 0.9, 6: 1.0}
SEASON |= {7: 0.6, 8: 1.4, 9: 1.3, 10: 1.0, 11: 0.9, 12: 0.7}
# A weekend day or a holiday gets this share of a working day's requests, by e-mail or
# WhatsApp only; online requests arrive outside working hours this often.
CLOSED_DAY_SHARE = 0.06
AFTER_HOURS_SHARE = 0.12
DOORS = {
    "UPT-SI": {Door.WEB: 40, Door.EMAIL: 20, Door.WHATSAPP: 22, Door.WALK_IN: 12, Door.PHONE: 6},
    "P4M": {Door.WEB: 45, Door.EMAIL: 35, Door.WHATSAPP: 10, Door.WALK_IN: 7, Door.PHONE: 3},
    "PHK": {Door.WEB: 35, Door.EMAIL: 40, Door.WHATSAPP: 15, Door.WALK_IN: 5, Door.PHONE: 5},
    "KS": {Door.EMAIL: 50, Door.WHATSAPP: 15, Door.WEB: 15, Door.PHONE: 12, Door.WALK_IN: 8},
    # SDM.5.OT.02.02-5068: requests come by WhatsApp or e-mail.
    "BAA": {Door.WHATSAPP: 45, Door.EMAIL: 40, Door.WEB: 8, Door.WALK_IN: 4, Door.PHONE: 3},
}
SERVICES = {
    "akun-kampus": 6,
    "reset-sandi": 4,
    "perubahan-akun": 1,
    "akses-sistem": 2,
    "penonaktifan-akun": 1,
    "layanan-ringan": 6,
    "instalasi-perangkat-lunak": 3,
    "perbaikan-sistem-informasi": 3,
    "layanan-berat": 1,
    "pengembangan-sistem-informasi": 1,
    "sosialisasi-fitur": 1,
    "perubahan-data-mata-kuliah": 3,
    "publikasi-pengumuman": 2,
    "gangguan-layanan": 1,
    "dokumen-proses-bisnis": 1,
    "publikasi-konten": 4,
    "pengembangan-media": 1,
    "draf-mou-moa": 2,
    "permintaan-mitra": 3,
    "pendaftaran-akun": 1,
    "pemberian-akses": 2,
}
ON_TIME = {"UPT-SI": 0.86, "P4M": 0.92, "PHK": 0.9, "KS": 0.8, "BAA": 0.9}
PAUSE_SHARE = 0.18  # requests that wait once for the requester or a third party
THIRD_PARTY_SHARE = 0.45  # of those, where the service has a third party to wait for
ASKED_FIRST_SHARE = 0.7  # questions that are the first answer
MISSING_FIELDS_SHARE = 0.5  # mail and chat messages that leave the service's fields out
NOTE_SHARE = 0.3
ASSIGNED_SHARE = 0.85
GRANT_SHARE = 0.8  # a branching step takes its first way (e.g. access granted)
LATE_STEP_SHARE = 0.12  # timed steps that overrun their Mutu Baku
AGAIN_SHARE = 0.03  # resolved requests the requester reopens
RATED_SHARE = 0.62  # resolved requests of requesters with an account that are rated
COMMENT_SHARE = 0.35
CLOSED_SHARE = 0.6  # resolved requests that staff close a few days later
SCORES = {5: 46, 4: 32, 3: 12, 2: 6, 1: 4}
SCORES_WHEN_LATE = {5: 18, 4: 30, 3: 26, 2: 16, 1: 10}


def _poisson(rng: random.Random, mean: float) -> int:
    """How many requests a day brings, for a small mean (Knuth's method)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


@dataclass(frozen=True)
class _Arrival:
    offer: Offer
    door: str
    at: datetime


@dataclass(frozen=True)
class _Pause:
    status: str  # waiting for the requester or for a third party
    at: float  # on the request's clock
    minutes: int  # working minutes it lasts


@dataclass
class _Life:
    """One request's events while they are planned."""

    composer: Composer
    offer: Offer
    slots: words.Slots
    staff: str
    clock: RequestClock
    events: list[Event] = field(default_factory=list)

    def say(self, options: Sequence[str]) -> str:
        return words.fill(self.composer.rng.choice(options), self.slots)

    def reply(self, at: datetime, options: Sequence[str], status: str = "") -> None:
        text = self.composer.rng.choice(options)
        body = self.composer.reply(self.offer, at, text, self.slots)
        self.events.append(Reply(at, self.staff, body, status))

    def note(self, at: datetime, options: Sequence[str]) -> None:
        self.events.append(Note(at, self.staff, self.say(options)))

    def step(self, at: datetime, activity: Activity, way: str) -> None:
        self.events.append(StepDone(at, self.staff, activity.key, way))


class Year(Composer):
    def plans(self, days: int) -> list[Plan]:
        arrivals = sorted(self._arrivals(days), key=lambda a: a.at)
        plans = [self._request(arrival) for arrival in arrivals]
        return [plan for plan in plans if plan.entered_at <= self.now]

    # ------------------------------------------------------------ when requests arrive

    def _arrivals(self, days: int) -> list[_Arrival]:
        rng = self.rng
        units = sorted({offer.unit for offer in self.offers})
        arrivals: list[_Arrival] = []
        if not units:
            return arrivals
        today = self.now.astimezone(self.calendars[units[0]].tz).date()
        for back in range(days, -1, -1):
            day = today - timedelta(days=back)
            for unit in units:
                calendar = self.calendars[unit]
                mean = DAILY.get(unit, 0.3) * SEASON[day.month]
                doors = DOORS.get(unit, DOORS["UPT-SI"])
                if calendar.hours_on(day) is None:
                    mean *= CLOSED_DAY_SHARE
                    doors = {door: doors[door] for door in (Door.EMAIL, Door.WHATSAPP)}
                offers = {o: SERVICES.get(o.key, 1) for o in self.offers if o.unit == unit}
                for _ in range(_poisson(rng, mean)):
                    offer, door = weighted(rng, offers), weighted(rng, doors)
                    moment = self._moment(calendar, day, door)
                    if moment is not None:
                        arrivals.append(_Arrival(offer, door, moment))
        return arrivals + self._coverage(arrivals, days)

    def _moment(self, calendar: WorkingCalendar, day: date, door: str) -> datetime | None:
        """A time on ``day`` for a request through ``door``: in working hours, around
        the morning and the afternoon peaks; sometimes after hours for online doors."""
        rng = self.rng
        hours = calendar.hours_on(day)
        if hours is None or (door in ONLINE and rng.random() < AFTER_HOURS_SHARE):
            if door in STAFF_TYPED:
                return None
            if rng.random() < 0.3:  # early, on the way in
                minute = rng.randint(6 * 60, 7 * 60 + 20)
            else:  # in the evening
                minute = rng.randint(16 * 60 + 40, 22 * 60)
        else:
            opening = hours[0].hour * 60 + hours[0].minute
            closing = hours[1].hour * 60 + hours[1].minute
            peak = rng.choice((9 * 60 + 30, 13 * 60 + 45))
            minute = int(min(max(rng.gauss(peak, 75), opening + 1), closing - 10))
        seconds = rng.randint(0, 59)
        moment = datetime.combine(day, time(minute // 60, minute % 60, seconds), calendar.tz)
        return moment if moment <= self.now else None

    def _coverage(self, arrivals: Sequence[_Arrival], days: int) -> list[_Arrival]:
        """However short the span, every service and every door gets a request."""
        extra: list[_Arrival] = []
        seen_offers = {a.offer for a in arrivals}
        seen_doors = {a.door for a in arrivals}
        for offer in self.offers:
            if offer not in seen_offers:
                door = weighted(self.rng, DOORS.get(offer.unit, DOORS["UPT-SI"]))
                extra.append(self._covering(offer, door, days))
                seen_doors.add(door)
        for missing in Door.values:
            if missing not in seen_doors and self.offers:
                extra.append(self._covering(self.rng.choice(self.offers), missing, days))
        return extra

    def _covering(self, offer: Offer, door: str, days: int) -> _Arrival:
        """A request at a working moment of the span (walk-ins and calls included)."""
        calendar = self.calendars[offer.unit]
        latest = working_before(calendar, self.now, 60)
        back = self.rng.uniform(1, max(days, 1) * 0.6 * 8 * 60)
        return _Arrival(offer, door, working_before(calendar, latest, back))

    # ------------------------------------------------------------ one request's life

    def _request(self, arrival: _Arrival) -> Plan:
        rng = self.rng
        offer, door, received = arrival.offer, arrival.door, arrival.at
        calendar = self.calendars[offer.unit]
        requester = self.requester(offer, door)
        opening = self.opening(offer, door, received, requester)
        staff = self.staff(offer.unit)
        entered, entered_by = received, ""
        if door in STAFF_TYPED:
            entered = received + timedelta(minutes=rng.randint(1, 8))
            entered_by = staff
        clock = RequestClock(calendar, roll_forward(calendar, received))
        life = _Life(self, offer, opening.slots, staff, clock)
        first = self._first_response(door) + working_minutes_between(calendar, clock.start, entered)
        due = due_at(calendar, received, offer.resolution)
        span = working_minutes_between(calendar, received, due)
        on_time = rng.random() < ON_TIME.get(offer.unit, 0.88)
        if on_time:
            resolve = first + 1 + (max(span - first, 2) - 1) * rng.betavariate(1.3, 2.2)
        else:
            resolve = span * rng.uniform(1.02, 1.4) + rng.randint(5, 120)
        path = self._path(offer)
        pause = self._pause(offer, path, first, resolve)
        if pause is not None:
            clock.pause(pause.at, pause.minutes)
        remaining = self._answer(life, path, first, pause)
        if door in (Door.EMAIL, Door.WHATSAPP) and rng.random() < MISSING_FIELDS_SHARE:
            # With the first response: the steps that follow need them.
            life.events.append(Fill(clock.at(first), staff, opening.fields))
            opening = replace(opening, fields={})
        if rng.random() < NOTE_SHARE:
            life.note(
                clock.at(first + (resolve - first) * rng.uniform(0.2, 0.8)), WORDS[offer.key].notes
            )
        cursor = float(first)
        if pause is not None:
            cursor = self._wait(life, pause, first, remaining, bool(requester.username), door)
        resolve = self._steps(life, remaining, cursor, resolve)
        refused = any(way and way != activity.next[0].to for activity, way in path)
        text = WORDS[offer.key]
        resolved_at = clock.at(resolve)
        life.reply(
            resolved_at,
            text.refusals if refused and text.refusals else text.solutions,
            Status.RESOLVED,
        )
        late = resolve > span or not on_time
        self._afterwards(life, requester.username, resolved_at, late=late, refused=refused)
        return self.plan(
            offer=offer,
            door=door,
            requester=requester,
            opening=opening,
            received=received,
            entered=entered,
            entered_by=entered_by,
            events=life.events,
        )

    def _first_response(self, door: str) -> int:
        """Working minutes to the first answer: mostly within the 15 minutes, some late
        (a walk-in or a caller is answered at once)."""
        roll = self.rng.random()
        if door in STAFF_TYPED or roll < 0.86:
            return self.rng.randint(1, 13)
        if roll < 0.95:
            return self.rng.randint(16, 60)
        return self.rng.randint(61, 300)

    def _path(self, offer: Offer) -> list[tuple[Activity, str]]:
        """The steps the request goes through after it arrives, in order, with the way
        each branching step takes (the requester's leading steps are done on arrival,
        as ``steps_create`` does)."""
        steps = offer.steps
        position = {activity.key: index for index, activity in enumerate(steps)}
        index = 0
        while index < len(steps) and steps[index].actor in offer.requester_roles:
            index += 1
        path: list[tuple[Activity, str]] = []
        while index < len(steps):
            activity = steps[index]
            if activity.next:
                ways = [branch.to for branch in activity.next]
                first_way = len(ways) == 1 or self.rng.random() < GRANT_SHARE
                way = ways[0] if first_way else self.rng.choice(ways[1:])
                path.append((activity, way))
                if way not in position:
                    break
                index = position[way]
                continue
            path.append((activity, ""))
            if activity.end:
                break
            index += 1
        return path

    def _pause(
        self, offer: Offer, path: Sequence[tuple[Activity, str]], first: float, resolve: float
    ) -> _Pause | None:
        """Whether and when the request waits. A flow whose requester answers in the
        middle (SDM.5.OT.02.02-5068 flow b: the user answers the questions) always
        waits for that answer, briefly."""
        rng = self.rng
        text = WORDS[offer.key]
        if any(activity.actor in offer.requester_roles for activity, _ in path):
            return _Pause(Status.WAITING_REQUESTER, first, rng.randint(3, 45))
        if not (text.questions or text.waits) or rng.random() >= PAUSE_SHARE:
            return None
        third = bool(text.waits) and (rng.random() < THIRD_PARTY_SHARE or not text.questions)
        if third:
            at = first + (resolve - first) * rng.uniform(0.1, 0.5)
            return _Pause(Status.WAITING_THIRD_PARTY, at, rng.randint(240, 3000))
        if rng.random() < ASKED_FIRST_SHARE:
            at = first
        else:
            at = first + (resolve - first) * rng.uniform(0.1, 0.5)
        return _Pause(Status.WAITING_REQUESTER, at, rng.randint(20, 1500))

    def _answer(
        self,
        life: _Life,
        path: Sequence[tuple[Activity, str]],
        first: float,
        pause: _Pause | None,
    ) -> list[tuple[Activity, str]]:
        """The first answer (a question when the request must wait for the requester
        at once), with the step in progress since arrival when more follow; returns the
        steps still to do."""
        at = life.clock.at(first)
        if self.rng.random() < ASSIGNED_SHARE:
            life.events.append(Assign(at, life.staff))
        if pause is not None and pause.status == Status.WAITING_REQUESTER and pause.at == first:
            life.reply(at, WORDS[life.offer.key].questions or words.FIRST_REPLIES, pause.status)
        else:
            life.reply(at, words.FIRST_REPLIES)
        remaining = list(path)
        if len(remaining) > 1:
            activity, way = remaining.pop(0)
            life.step(at, activity, way)
        return remaining

    def _wait(
        self,
        life: _Life,
        pause: _Pause,
        first: float,
        remaining: list[tuple[Activity, str]],
        has_account: bool,
        door: str,
    ) -> float:
        """The wait and its end; the requester's own steps (answering, confirming) are
        done by the answer (staff record them when the answer came by telephone).
        Returns the clock at the last step done."""
        text = WORDS[life.offer.key]
        paused_at, resumed_at = life.clock.at(pause.at), life.clock.resumed()
        by_staff = True  # whether staff record the requester's steps
        if pause.status == Status.WAITING_THIRD_PARTY:
            life.note(paused_at, text.waits)
            life.events.append(Move(paused_at, life.staff, pause.status))
            life.events.append(Move(resumed_at, life.staff, Status.OPEN))
            life.note(resumed_at, words.WAIT_OVER)
        else:
            if pause.at != first:
                life.reply(paused_at, text.questions, pause.status)
            if door in STAFF_TYPED and not has_account:
                # No way back but the telephone: staff record the answer themselves.
                life.events.append(Move(resumed_at, life.staff, Status.OPEN))
                life.note(resumed_at, words.RESUMED_NOTES)
            else:
                life.events.append(Message(resumed_at, life.say(text.answers)))
                by_staff = False
        cursor = max(first, pause.at)
        while remaining and remaining[0][0].actor in life.offer.requester_roles:
            activity, way = remaining.pop(0)
            cursor += 1
            if not by_staff:
                continue  # the requester's message did it
            life.step(life.clock.at(cursor), activity, way)
        return cursor

    def _steps(
        self, life: _Life, remaining: Sequence[tuple[Activity, str]], cursor: float, resolve: float
    ) -> float:
        """The other steps: a timed one a few minutes after the one before (some over
        their Mutu Baku), the others spread up to the resolution. Returns the clock
        when the request is resolved."""
        untimed = sum(1 for activity, _ in remaining if not activity.time_standard)
        done = 0
        for activity, way in remaining:
            if activity.time_standard:
                late = self.rng.random() < LATE_STEP_SHARE
                cursor += self.rng.randint(16, 45) if late else self.rng.randint(2, 12)
            else:
                done += 1
                cursor += (max(resolve, cursor + 1) - cursor) * done / untimed
            life.step(life.clock.at(cursor), activity, way)
        if remaining and remaining[-1][0].time_standard:
            return cursor + self.rng.randint(0, 2)  # the flow's last timed step settles it
        return max(resolve, cursor)

    def _afterwards(
        self, life: _Life, username: str, resolved_at: datetime, *, late: bool, refused: bool
    ) -> None:
        """Reopened now and then, rated by requesters with an account, closed by staff."""
        rng = self.rng
        calendar = life.clock.calendar
        if username and not refused and rng.random() < AGAIN_SHARE:
            again = add_working_minutes(calendar, resolved_at, rng.randint(300, 1500))
            life.events.append(Message(again, rng.choice(words.AGAIN)))
            resolved_at = add_working_minutes(calendar, again, rng.randint(30, 400))
            life.reply(resolved_at, words.AGAIN_SOLVED, Status.RESOLVED)
            late = True
        if username and rng.random() < RATED_SHARE:
            score = weighted(rng, SCORES_WHEN_LATE if late else SCORES)
            comment = ""
            if rng.random() < COMMENT_SHARE:
                comment = rng.choice(words.RATING_COMMENTS[score])
            rated_at = resolved_at + timedelta(minutes=rng.randint(5, 2880))
            life.events.append(Rate(rated_at, score, comment))
        if rng.random() < CLOSED_SHARE:
            closing = roll_forward(calendar, resolved_at + timedelta(days=rng.randint(3, 8)))
            life.events.append(Move(closing, life.staff, Status.CLOSED))
