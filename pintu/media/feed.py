"""The content calendar as an iCalendar feed (RFC 5545) that Google Calendar or Outlook
subscribes to: one event per item, at its planned publication, tentative while only an
idea or planned. Pure: it writes what it is given."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from icalendar import Calendar, Event

# An item is a moment; calendars show it as a short event.
EVENT_LENGTH = timedelta(minutes=30)
TENTATIVE = ("idea", "planned")


@dataclass(frozen=True)
class FeedItem:
    uid: str
    title: str
    channel: str  # in words
    status: str  # the status code
    status_words: str
    brief: str
    planned_at: datetime
    updated_at: datetime
    url: str


def calendar_feed(*, name: str, items: Iterable[FeedItem], now: datetime) -> bytes:
    feed = Calendar()
    feed.add("prodid", "-//Pintu//Kalender konten//ID")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("x-wr-calname", name)
    for item in items:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", now)
        event.add("dtstart", item.planned_at)
        event.add("dtend", item.planned_at + EVENT_LENGTH)
        event.add("summary", f"[{item.channel}] {item.title}")
        event.add("description", f"{item.status_words}\n\n{item.brief}".strip())
        event.add("categories", [item.channel])
        event.add("status", "TENTATIVE" if item.status in TENTATIVE else "CONFIRMED")
        event.add("last-modified", item.updated_at)
        event.add("url", item.url)
        feed.add_component(event)
    return bytes(feed.to_ical())
