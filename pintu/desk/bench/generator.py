"""Bench tickets drafted one after another, in the order they arrived: each a ticket
row with its articles, steps and pauses, its deadlines computed by the SLA clock."""

from __future__ import annotations

import math
import random
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from pintu.desk import search
from pintu.desk.bench import shape
from pintu.desk.bench.people import People
from pintu.desk.bench.plans import ServicePlan
from pintu.desk.models import Article, ReferenceCounter, Status, Step
from pintu.org.models import Unit
from pintu.sla.calendar import WorkingCalendar
from pintu.sla.calendars import CalendarCache
from pintu.sla.clock import add_working_minutes, due_at, roll_forward
from pintu.sla.clock import working_minutes_between as working_minutes
from pintu.sla.deadlines import Clock, ticket_deadlines

Row = dict[str, Any]
OpenPause = tuple[datetime, datetime | None]


class Weighted:
    """Draws from a fixed population by weight (enum members are drawn as their values)."""

    def __init__(self, weights: dict[Any, int]) -> None:
        self.population = [getattr(key, "value", key) for key in weights]
        self.cumulative = list(_accumulate(weights.values()))

    def draw(self, rng: random.Random) -> Any:
        return rng.choices(self.population, cum_weights=self.cumulative)[0]


def _accumulate(values: Iterable[int]) -> Iterator[int]:
    total = 0
    for value in values:
        total += value
        yield total


@dataclass
class Draft:
    """A ticket's row and its children's rows, before the ticket has its id."""

    ticket: Row
    counter: tuple[int, int]  # the (unit id, year) whose reference counter it used
    articles: list[Row] = field(default_factory=list)
    steps: list[Row] = field(default_factory=list)
    pauses: list[Row] = field(default_factory=list)


def received_times(rng: random.Random, count: int, now: datetime) -> list[int]:
    """``count`` arrival moments (epoch seconds, sorted) over the last two years."""
    tz = timezone.get_current_timezone()
    first_day = timezone.localtime(now - timedelta(days=shape.SPAN_DAYS)).date()
    end = now.timestamp()
    days: dict[int, tuple[float, bool]] = {}  # offset -> (local midnight, weekend)
    moments = array("q")
    while len(moments) < count:
        # Use grows over the two years: the density rises linearly from 0.5 to 1.5.
        share = math.sqrt(0.25 + 2 * rng.random()) - 0.5
        offset = min(int(share * shape.SPAN_DAYS), shape.SPAN_DAYS)
        if offset not in days:
            day = first_day + timedelta(days=offset)
            midnight = datetime.combine(day, datetime.min.time(), tzinfo=tz).timestamp()
            days[offset] = (midnight, day.weekday() >= 5)
        midnight, weekend = days[offset]
        if weekend and rng.random() > shape.WEEKEND_SHARE:
            continue
        if rng.random() < shape.OFFICE_HOURS_SHARE:
            minute = rng.uniform(*shape.OFFICE_HOURS)
        else:
            minute = rng.uniform(0, 24 * 60)
        moment = midnight + minute * 60
        if moment < end:
            moments.append(int(moment))
    return sorted(moments)


def _response_minutes(rng: random.Random) -> int:
    """Working minutes until the first reply: mostly within the 15-minute standard."""
    roll = rng.random()
    if roll < 0.82:
        return rng.randint(1, 15)
    if roll < 0.96:
        return rng.randint(16, 120)
    return rng.randint(121, 900)


def _ahead(moment: datetime | None, now: datetime) -> datetime | None:
    """``moment`` if it is still to come, else None (as the sweep leaves it)."""
    return moment if moment is not None and moment > now else None


def _minutes(rng: random.Random, low: float, high: float) -> timedelta:
    return timedelta(minutes=rng.uniform(low, high))


class Generator:
    """Drafts tickets one after another, in the order they arrived."""

    def __init__(
        self, *, rng: random.Random, now: datetime, plans: list[ServicePlan], people: People
    ) -> None:
        self.rng = rng
        self.now = now
        self.tz = timezone.get_current_timezone()
        self.people = people
        self.calendars = CalendarCache()
        by_unit: dict[int, list[ServicePlan]] = {}
        for plan in plans:
            by_unit.setdefault(plan.unit.pk, []).append(plan)
        self.plans = by_unit
        self.units = Weighted(
            {unit_id: shape.UNIT_WEIGHTS.get(p[0].unit.code, 10) for unit_id, p in by_unit.items()}
        )
        self.services = {
            unit_id: Weighted(
                {i: shape.SERVICE_WEIGHTS.get(plan.service_type.key, 2) for i, plan in enumerate(p)}
            )
            for unit_id, p in by_unit.items()
        }
        self.doors = Weighted(shape.DOORS)
        self.active = Weighted(shape.ACTIVE)
        self.priorities = Weighted(shape.PRIORITIES)
        self.csat = Weighted(shape.CSAT)
        self.counters: dict[tuple[int, int], int] = {
            (c.unit_id, c.year): c.last for c in ReferenceCounter.objects.all()
        }

    def _reference(self, unit: Unit, year: int) -> tuple[str, tuple[int, int]]:
        key = (unit.pk, year)
        number = self.counters.get(key, 0) + 1
        self.counters[key] = number
        return f"{unit.reference_prefix}-{year % 100:02d}-{number:05d}", key

    def draft(self, moment: int) -> Draft:
        rng, now = self.rng, self.now
        received = datetime.fromtimestamp(moment, self.tz)
        unit_id = self.units.draw(rng)
        plan = self.plans[unit_id][self.services[unit_id].draw(rng)]
        unit = plan.unit
        # The calendar for the local year of arrival, as the desk's services take it.
        calendar = self.calendars.get(unit, received.year)

        opening, closing = shape.OFFICE_HOURS
        minute = received.hour * 60 + received.minute
        in_office = received.weekday() < 5 and opening <= minute < closing
        door = self.doors.draw(rng)
        if not in_office and door not in shape.ONLINE_DOORS:
            door = rng.choice(shape.ONLINE_DOORS)  # nobody takes walk-ins or calls after hours
        requester_id, contact_id, requester_name = self._requester(door, unit)

        age_days = (now - received).total_seconds() / 86400
        recent = math.exp(-age_days / shape.ACTIVE_DECAY_DAYS)
        chance = shape.ACTIVE_FLOOR + shape.ACTIVE_RECENT * recent
        status = self.active.draw(rng) if rng.random() < chance else Status.RESOLVED.value
        staff = self.people.staff[unit_id]
        unassigned = status == Status.NEW and rng.random() < 0.6
        assignee = None if unassigned else rng.choice(staff)

        first_response_at = None
        if status != Status.NEW:
            first_response_at = add_working_minutes(calendar, received, _response_minutes(rng))
            if first_response_at >= now:
                status, first_response_at = Status.NEW.value, None

        pauses: list[OpenPause] = []
        resolved_at = closed_at = paused_at = None
        if status in (Status.WAITING_REQUESTER, Status.WAITING_THIRD_PARTY):
            assert first_response_at is not None
            started = first_response_at + _minutes(rng, 5, 240)
            if started < now:
                pauses.append((started, None))
                paused_at = started
            else:
                status = Status.OPEN.value
        elif status == Status.RESOLVED:
            assert first_response_at is not None
            if rng.random() < shape.PAUSED_SHARE:
                started = first_response_at + _minutes(rng, 10, 360)
                pauses.append((started, started + _minutes(rng, 30, 3 * 1440)))
            resolved_at = self._resolved(calendar, plan, received, first_response_at, pauses)
            if resolved_at is None:
                status, pauses = Status.OPEN.value, []
            elif now - resolved_at > shape.AUTO_CLOSE:
                status = Status.CLOSED.value
                by_staff = rng.random() < 0.3  # closed at once, else closed automatically
                closed_at = resolved_at + (_minutes(rng, 1, 30) if by_staff else shape.AUTO_CLOSE)

        deadlines = ticket_deadlines(
            Clock(
                calendar=calendar,
                received_at=received,
                first_response=plan.first_response,
                resolution=plan.resolution,
                pauses=pauses,
                first_response_at=first_response_at,
                resolved_at=resolved_at,
            )
        )
        csat_score = csat_at = None
        if resolved_at is not None and rng.random() < shape.CSAT_SHARE:
            rated = resolved_at + _minutes(rng, 10, 3 * 1440)
            if rated < now:
                csat_score, csat_at = self.csat.draw(rng), rated

        reference, counter = self._reference(unit, received.year)
        subject = self._subject(plan)
        ticket: Row = {
            "id": None,
            "reference": reference,
            "unit_id": unit_id,
            "service_type_id": plan.service_type.pk,
            "requester_id": requester_id,
            "contact_id": contact_id,
            "door": door,
            "subject": subject,
            "priority": self.priorities.draw(rng),
            "assignee_id": assignee,
            "status": status,
            "fields": self._fields(plan, received.date()),
            "received_at": received,
            "first_response_at": first_response_at,
            "resolved_at": resolved_at,
            "closed_at": closed_at,
            "paused_at": paused_at,
            "first_response_due_at": deadlines.first_response_due_at,
            "resolution_due_at": deadlines.resolution_due_at,
            "next_due_at": deadlines.next_due_at,
            # The sweep (pintu.desk.sweep) clears a warning or an escalation when its
            # moment comes: on a desk in use, those of the past went out as the tickets
            # aged. Their notifications are history, like the audit rows: not written.
            "next_warn_at": _ahead(deadlines.next_warn_at, now),
            "next_escalate_at": _ahead(deadlines.next_escalate_at, now),
            "merged_into_id": None,
            "csat_score": csat_score,
            "csat_comment": "Cepat dan jelas, terima kasih." if csat_score == 5 else "",
            "csat_at": csat_at,
            "created_at": received,
        }
        draft = Draft(ticket=ticket, counter=counter)
        draft.pauses = [
            {
                "started_at": begin,
                "ended_at": end,
                "reason": status if end is None else Status.WAITING_REQUESTER.value,
            }
            for begin, end in pauses
        ]
        worker = assignee or rng.choice(staff)
        draft.articles = self._articles(
            ticket, subject, (requester_id, requester_name), worker, pauses
        )
        ticket["search_text"] = search.document(
            reference=reference,
            subject=subject,
            opening=draft.articles[0]["body"],
            fields=ticket["fields"],
            requester=requester_name,
        )
        work_end = resolved_at or (pauses[0][0] if pauses else now)
        draft.steps = self._steps(ticket, plan, calendar, worker, work_end)
        ticket["updated_at"] = max(
            [a["created_at"] for a in draft.articles] + [m for m in (closed_at, csat_at) if m]
        )
        return draft

    def _requester(self, door: str, unit: Unit) -> tuple[int | None, int | None, str]:
        rng = self.rng
        share = shape.CONTACT_SHARE.get(door, 0.15)
        if unit.code == "KS":
            share = shape.CONTACT_SHARE_PARTNERS
        if rng.random() < share:
            contact_id, name = rng.choice(self.people.contacts)
            return None, contact_id, name
        requester_id = rng.choice(self.people.requesters)
        return requester_id, None, self.people.names[requester_id]

    def _resolved(
        self,
        calendar: WorkingCalendar,
        plan: ServicePlan,
        received: datetime,
        first_response_at: datetime,
        pauses: list[OpenPause],
    ) -> datetime | None:
        """When the work was done: mostly within the resolution target, some late; None
        when that would not be in the past yet."""
        rng = self.rng
        closed = [(begin, end) for begin, end in pauses if end is not None]
        due = due_at(calendar, received, plan.resolution, closed)
        on_time = rng.random() < shape.ON_TIME_SHARE
        share = rng.uniform(0.05, 0.95) if on_time else rng.uniform(1.05, 1.8)
        span = max(due - first_response_at, timedelta(minutes=5))
        resolved = first_response_at + span * share
        rolled = roll_forward(calendar, resolved)  # staff finish work in working hours
        if not on_time or rolled <= due:
            resolved = rolled
        earliest = max([first_response_at, *(end for _, end in closed)]) + timedelta(minutes=5)
        resolved = max(resolved, earliest)
        if resolved >= self.now:
            resolved = self.now - _minutes(rng, 1, 30)
            if resolved <= earliest:
                return None
        return resolved

    def _subject(self, plan: ServicePlan) -> str:
        rng = self.rng
        values = {
            "place": rng.choice(shape.PLACES),
            "system": rng.choice(shape.SYSTEMS),
            "software": rng.choice(shape.SOFTWARE),
            "partner": rng.choice(shape.PARTNERS),
            "event": rng.choice(shape.EVENTS),
            "course": f"MK{rng.randint(1000, 4999)}",
        }
        return rng.choice(plan.subjects).format_map(values)

    def _fields(self, plan: ServicePlan, day: date) -> dict[str, Any]:
        """A value for each field the service declares (optional ones mostly filled)."""
        rng = self.rng
        values: dict[str, Any] = {}
        for declared in plan.fields:
            if not declared.required and rng.random() < 0.3:
                continue
            if declared.choices:
                values[declared.key] = rng.choice(declared.choices)
            elif declared.type == "date":
                values[declared.key] = (day + timedelta(days=rng.randint(1, 30))).isoformat()
            elif declared.type == "number":
                values[declared.key] = rng.randint(1, 50)
            elif declared.type == "email":
                values[declared.key] = f"pengguna{rng.randint(1, 999)}@kampus.example"
            else:
                values[declared.key] = f"{declared.label} {rng.randint(1, 999)}"
        return values

    def _articles(
        self,
        ticket: Row,
        subject: str,
        requester: tuple[int | None, str],
        worker: int,
        pauses: list[OpenPause],
    ) -> list[Row]:
        """1-4 messages: the request, the first reply, the requester's answer after a
        pause or an internal note, and the reply that resolved it."""
        rng = self.rng
        door = ticket["door"]
        first_response_at, resolved_at = ticket["first_response_at"], ticket["resolved_at"]

        def article(kind: str, at: datetime, body: str, by_staff: bool) -> Row:
            author_id, author_name = (worker, self.people.names[worker]) if by_staff else requester
            return {
                "kind": kind,
                "door": door,
                "author_id": author_id,
                "author_name": author_name,
                "body": body,
                "body_html": "",
                "external_id": "",
                "created_at": at,
            }

        inbound, reply, note = (
            k.value for k in (Article.Kind.INBOUND, Article.Kind.REPLY, Article.Kind.NOTE)
        )
        opening = f"{subject}. {rng.choice(shape.INBOUND)}"
        articles = [article(inbound, ticket["received_at"], opening, by_staff=False)]
        if first_response_at is not None:
            articles.append(article(reply, first_response_at, rng.choice(shape.REPLIES), True))
        for _, end in pauses:
            if end is not None:
                articles.append(article(inbound, end, rng.choice(shape.ANSWERS), by_staff=False))
        if first_response_at is not None and len(articles) < 3 and rng.random() < 0.3:
            last = resolved_at or self.now
            at = first_response_at + (last - first_response_at) * rng.uniform(0.2, 0.8)
            articles.append(article(note, at, rng.choice(shape.NOTES), by_staff=True))
        if resolved_at is not None:
            articles.append(article(reply, resolved_at, rng.choice(shape.RESOLUTIONS), True))
        return sorted(articles, key=lambda a: a["created_at"])

    def _steps(
        self,
        ticket: Row,
        plan: ServicePlan,
        calendar: WorkingCalendar,
        worker: int,
        work_end: datetime,
    ) -> list[Row]:
        """The SOP's activities as steps, walked as ``ticket_complete_step`` walks them:
        the requester's leading steps done on arrival, then one step after another (at
        a branch one is chosen, the others are not taken); resolving marks the steps
        nobody took as not taken."""
        if not plan.activities:
            return []
        rng = self.rng
        received, start = ticket["received_at"], ticket["first_response_at"]
        steps: list[Row] = [
            {
                "activity_id": activity.pk,
                "position": position,
                "state": Step.State.PENDING.value,
                "started_at": None,
                "finished_at": None,
                "done_by_id": None,
                "output": "",
                "branch": "",
                "elapsed_minutes": None,
                "within_standard": None,
            }
            for position, activity in enumerate(plan.activities, start=1)
        ]
        index = {activity.key: i for i, activity in enumerate(plan.activities)}
        leading = 0
        while leading < len(steps) and plan.activities[leading].actor in plan.requester_roles:
            steps[leading].update(
                state=Step.State.DONE.value,
                started_at=received,
                finished_at=received,
                output=plan.activities[leading].output,
                elapsed_minutes=0,
                within_standard=True,
            )
            leading += 1
        current = leading if leading < len(steps) else None
        if current is not None:
            steps[current].update(state=Step.State.ACTIVE.value, started_at=received)

        if start is None:
            to_complete = 0
        elif ticket["resolved_at"] is not None:
            to_complete = len(steps)
        else:
            to_complete = rng.randrange(len(steps))
        done = 0
        while current is not None and done < to_complete:
            assert start is not None
            step, activity = steps[current], plan.activities[current]
            began = step["started_at"]
            finished = max(start + (work_end - start) * ((done + 1) / (len(steps) + 1)), began)
            step.update(
                state=Step.State.DONE.value,
                finished_at=finished,
                done_by_id=worker,
                output=activity.output,
                elapsed_minutes=working_minutes(calendar, began, finished),
            )
            if activity.standard is not None:
                step["within_standard"] = finished <= due_at(calendar, began, activity.standard)
            following: int | None
            if activity.branches:
                chosen = activity.branches[0]
                if rng.random() >= 0.85:
                    chosen = rng.choice(activity.branches)
                step["branch"] = chosen
                for other in activity.branches:
                    if other != chosen:
                        steps[index[other]]["state"] = Step.State.SKIPPED.value
                following = index[chosen]
            elif activity.end or current + 1 == len(steps):
                following = None
            else:
                following = current + 1
            current = None
            if following is not None and steps[following]["state"] == Step.State.PENDING:
                steps[following].update(state=Step.State.ACTIVE.value, started_at=finished)
                current = following
            done += 1
        if ticket["resolved_at"] is not None:
            for step in steps:
                if step["state"] in (Step.State.PENDING, Step.State.ACTIVE):
                    step["state"] = Step.State.SKIPPED.value
        return steps
