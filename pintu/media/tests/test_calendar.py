"""PR.27.4's content calendar: a content request planned onto it at its first step and
reviewed at its second (the reviewed version of the schedule kept), produced with tasks,
resolved when published (not when reviewed), evaluated by reach and engagement, entered
or imported; the evaluation's figures worked out by hand; the sub-coordinator's review;
the iCalendar feed, which matches the calendar and answers 404 to a wrong token."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import Personas, make_user, service
from pintu.desk import services as desk
from pintu.desk.actions import PREFIX, action_for, bound_form
from pintu.desk.models import Door, Status, Step
from pintu.media import selectors, services
from pintu.media.models import ContentItem, ItemStatus, Review
from pintu.org.models import Role, Unit

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
SOP = "PR.27.4"


@pytest.fixture
def humas(personas: Personas) -> Any:
    return make_user("staf-humas", Role.STAFF, "PHK")


@pytest.fixture
def phk() -> Unit:
    return Unit.objects.get(code="PHK")


def at(day: int, hour: int = 9, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, tzinfo=WIB)


def content_request(**fields: str) -> Any:
    return desk.ticket_create(
        actor=None,
        service_type=service(SOP, "publikasi-konten"),
        requester=desk.ContactDetails(name="Jurusan TI", email="jti@kampus.ac.id"),
        opening=desk.Opening(subject="Liputan Dies Natalis", body="Mohon diliput."),
        door=Door.EMAIL,
        fields=fields
        or {
            "judul": "Liputan Dies Natalis",
            "uraian": "Berita 500 kata dan foto.",
            "media": "Instagram",
            "tanggal_publikasi": "2026-12-14",
        },
        acknowledge_receipt=False,
    ).ticket


def complete_with_form(step: Step, actor: Any, **typed: str) -> Step:
    action = action_for(SOP, step.activity.key)
    assert action is not None
    form = bound_form(action, step)
    values = {name: form[name].value() for name in form.fields} | typed
    data = {f"{PREFIX}-{name}": "" if v is None else str(v) for name, v in values.items()}
    return desk.ticket_complete_step(actor=actor, step=step, data=data)


def planned_request(humas: Any) -> tuple[Any, ContentItem]:
    ticket = content_request()
    complete_with_form(ticket.steps.get(activity__key="rencana-jadwal"), humas)
    return ticket, ContentItem.objects.get(ticket=ticket)


def test_the_first_step_plans_the_request_onto_the_calendar(sops: None, humas: Any) -> None:
    ticket, item = planned_request(humas)
    assert (item.title, item.channel, item.status) == (
        "Liputan Dies Natalis",
        "instagram",
        ItemStatus.PLANNED,
    )
    assert timezone.localtime(item.planned_at) == at(14)
    assert item.baseline_at == item.planned_at and item.unit.code == "PHK"
    step = ticket.steps.get(activity__key="rencana-jadwal")
    assert step.state == Step.State.DONE and "Liputan Dies Natalis" in step.output


def test_the_review_step_keeps_the_reviewed_schedule_and_the_request_stays_open(
    sops: None, humas: Any, phk: Unit
) -> None:
    ticket, item = planned_request(humas)
    other = services.item_create(
        actor=humas,
        unit=phk,
        title="Video profil JTI",
        channel="youtube",
        planned_at=at(21),
        status=ItemStatus.PLANNED,
        now=timezone.now(),
    )
    complete_with_form(ticket.steps.get(activity__key="reviu-jadwal"), humas, decisions="Setuju")
    review = Review.objects.get()
    assert review.version == 1 and list(review.items.all()) == [item]
    assert (review.period_start, review.period_end) == (date(2026, 12, 1), date(2026, 12, 31))
    assert [row["title"] for row in review.schedule] == ["Liputan Dies Natalis", "Video profil JTI"]
    # The schedule moves on; the reviewed version stays as it was.
    services.item_reschedule(actor=humas, item=other, planned_at=at(28), now=timezone.now())
    review.refresh_from_db()
    assert review.schedule[1]["planned_at"].startswith("2026-12-21")
    ticket.refresh_from_db()
    assert ticket.status not in (Status.RESOLVED, Status.CLOSED)  # reviewed is not done


def test_the_request_resolves_when_its_content_is_published(sops: None, humas: Any) -> None:
    ticket, item = planned_request(humas)
    for status in (ItemStatus.IN_PRODUCTION, ItemStatus.IN_REVIEW, ItemStatus.APPROVED):
        services.item_move(actor=humas, item=item, status=status, now=timezone.now())
    with pytest.raises(ValidationError):
        services.item_move(actor=humas, item=item, status=ItemStatus.PUBLISHED, now=timezone.now())
    url = "https://instagram.com/p/dies-natalis"
    services.publication_record(
        actor=humas, item=item, url=url, published_at=timezone.now(), now=timezone.now()
    )
    item.refresh_from_db()
    ticket.refresh_from_db()
    assert item.status == ItemStatus.PUBLISHED and ticket.status == Status.RESOLVED
    assert url in ticket.articles.latest("created_at").body
    assert [m.status for m in item.moves.all()] == [
        "planned", "in_production", "in_review", "approved", "published",
    ]  # fmt: skip


def test_a_reschedule_keeps_the_reviewed_plan_for_the_slippage(
    sops: None, humas: Any, phk: Unit
) -> None:
    item = services.item_create(
        actor=humas,
        unit=phk,
        title="Poster PMB",
        channel="tiktok",
        planned_at=at(7),
        status=ItemStatus.PLANNED,
        now=at(1),
    )
    services.item_reschedule(actor=humas, item=item, planned_at=at(10), now=at(2))
    item.refresh_from_db()
    assert timezone.localtime(item.baseline_at) == at(7)
    services.review_record(
        actor=humas,
        unit=phk,
        kind=Review.Kind.EMAIL,
        held_at=at(3),
        period_start=date(2026, 12, 1),
        period_end=date(2026, 12, 31),
        items=[item],
        now=at(3),
    )
    item.refresh_from_db()
    assert timezone.localtime(item.baseline_at) == at(10)  # the review agreed the new day


def test_the_evaluation_in_figures_worked_out_by_hand(sops: None, humas: Any, phk: Unit) -> None:
    def published(title: str, channel: str, planned: datetime, out: datetime | None) -> Any:
        item = services.item_create(
            actor=humas,
            unit=phk,
            title=title,
            channel=channel,
            planned_at=planned,
            status=ItemStatus.PLANNED,
            now=at(1, month=11),
        )
        if out is not None:
            for status in (ItemStatus.IN_PRODUCTION, ItemStatus.IN_REVIEW, ItemStatus.APPROVED):
                services.item_move(actor=humas, item=item, status=status, now=out)
            services.publication_record(
                actor=humas, item=item, url=f"https://x.id/{title}", published_at=out, now=out
            )
        return item

    a = published("a", "instagram", at(2), at(2, 15))  # 0.25 days late
    b = published("b", "instagram", at(4), at(7))  # 3 days late
    published("c", "website", at(10), None)  # not out yet
    services.item_create(
        actor=humas, unit=phk, title="idea", channel="other", planned_at=at(5), now=at(1)
    )  # an idea is no plan
    services.metrics_record(
        actor=humas, item=a, measured_on=date(2026, 12, 3), reach=100, engagement=10, now=at(3)
    )
    services.metrics_record(
        actor=humas, item=a, measured_on=date(2026, 12, 9), reach=250, engagement=30, now=at(9)
    )
    services.metrics_record(
        actor=humas, item=b, measured_on=date(2026, 12, 9), reach=50, engagement=5, now=at(9)
    )
    a.refresh_from_db()
    assert a.status == ItemStatus.EVALUATED
    figures = selectors.year_figures(phk, 2026)
    assert figures == {
        "planned": 3,
        "published": 2,
        "on_time": 1,
        "mean_slippage_days": 1.62,  # (0.25 + 3) / 2
        "reach": 300,  # the latest figures: 250 + 50
        "engagement": 35,
        "by_channel": {
            "instagram": {"planned": 2, "published": 2, "reach": 300, "engagement": 35},
            "website": {"planned": 1, "published": 0, "reach": 0, "engagement": 0},
        },
    }


def test_reach_and_engagement_are_imported_from_csv(sops: None, humas: Any, phk: Unit) -> None:
    item = services.item_create(
        actor=humas,
        unit=phk,
        title="Liputan",
        channel="website",
        planned_at=at(2),
        status=ItemStatus.PLANNED,
        now=at(1),
    )
    for status in (ItemStatus.IN_PRODUCTION, ItemStatus.IN_REVIEW, ItemStatus.APPROVED):
        services.item_move(actor=humas, item=item, status=status, now=at(2))
    services.publication_record(
        actor=humas, item=item, url="https://kampus.ac.id/berita/1", published_at=at(2), now=at(2)
    )
    draft = services.item_create(
        actor=humas, unit=phk, title="Draf", channel="x", planned_at=at(3), now=at(1)
    )
    client = Client()
    client.force_login(humas)
    csv = (
        "konten;tanggal;jangkauan;keterlibatan\n"
        "https://kampus.ac.id/berita/1;2026-12-05;1.500;120\n"
        f"{draft.pk};2026-12-05;10;1\n"
        "999999;2026-12-05;10;1\n"
    )
    upload = io.BytesIO(csv.encode())
    upload.name = "insights.csv"
    response = client.post(
        reverse("media-metrics-csv"), {"file": upload, "year": "2026"}, follow=True
    )
    page = response.content.decode()
    assert "1 baris diimpor" in page
    assert "Baris 3" in page and "Baris 4" in page
    item.refresh_from_db()
    metric = item.metrics.get()
    assert (metric.reach, metric.engagement, metric.source) == (1500, 120, "csv")


def test_only_the_sub_coordinator_reviews_the_years_activity_report(
    sops: None, humas: Any, phk: Unit
) -> None:
    subkoor = make_user("subkoor-humas", Role.SUPERVISOR, "PHK")
    with pytest.raises(PermissionDenied):
        services.report_review_record(
            actor=humas, unit=phk, year=2026, report="x", notes="", figures={}, now=timezone.now()
        )
    client = Client()
    client.force_login(subkoor)
    page = client.get(reverse("media-evaluation"), {"year": 2026}).content.decode()
    assert "Catat reviu" in page
    client.post(
        reverse("media-report-review"),
        {"year": "2026", "report": "Notulen rapat evaluasi Desember.", "notes": "Lengkap"},
    )
    reviewed = phk_reviews(phk)
    assert reviewed == [("Notulen rapat evaluasi Desember.", subkoor.username)]


def phk_reviews(unit: Unit) -> list[tuple[str, str]]:
    from pintu.media.models import ReportReview

    return [(r.report, r.reviewed_by.username) for r in ReportReview.objects.filter(unit=unit)]


def test_the_feed_matches_the_calendar_and_a_wrong_token_answers_404(
    sops: None, humas: Any, phk: Unit, settings: Any
) -> None:
    settings.PINTU_BASE_URL = "https://pintu.example.ac.id"
    now = timezone.now()
    made = [
        services.item_create(
            actor=humas,
            unit=phk,
            title=title,
            channel=channel,
            planned_at=now + timedelta(days=days),
            status=status,
            now=now,
        )
        for title, channel, days, status in (
            ("Liputan wisuda", "website", 3, ItemStatus.PLANNED),
            ("Ide: podcast kampus", "other", 10, ItemStatus.IDEA),
        )
    ]
    out = io.StringIO()
    call_command("media", "feed-url", "--unit", "PHK", stdout=out)
    url = out.getvalue().strip()
    assert url.startswith("https://pintu.example.ac.id/media/feed/PHK/") and url.endswith(".ics")
    path = url.removeprefix("https://pintu.example.ac.id")
    response = Client().get(path)  # a calendar program: no session
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    feed = icalendar.Calendar.from_ical(response.content)
    events = {str(e["uid"]): e for e in feed.walk("VEVENT")}
    calendar_items = list(
        selectors.items_between(
            phk, (now - timedelta(days=1)).date(), (now + timedelta(days=30)).date()
        )
    )
    assert len(events) == len(calendar_items) == 2
    for item in made:
        event = events[f"content-item-{item.pk}@{settings.PINTU_EMAIL_DOMAIN}"]
        assert event.decoded("dtstart") == item.planned_at.replace(microsecond=0) or (
            event.decoded("dtstart") == item.planned_at
        )
        assert item.title in str(event["summary"])
        assert str(event["url"]).endswith(reverse("media-item", args=[item.pk]))
    assert (
        str(events[f"content-item-{made[1].pk}@{settings.PINTU_EMAIL_DOMAIN}"]["status"])
        == "TENTATIVE"
    )
    assert Client().get(path.replace(path.rsplit("/", 1)[1], "salah.ics")).status_code == 404
    assert Client().get(path.replace("/PHK/", "/KS/")).status_code == 404
    call_command("media", "feed-url", "--unit", "PHK", "--rotate", stdout=io.StringIO())
    assert Client().get(path).status_code == 404  # the old address ends


def test_the_calendar_pages_are_humas_work_and_others_read_or_are_refused(
    sops: None, humas: Any, personas: Personas, phk: Unit
) -> None:
    services.item_create(
        actor=humas,
        unit=phk,
        title="Liputan wisuda",
        channel="website",
        planned_at=timezone.now(),
        status=ItemStatus.PLANNED,
        now=timezone.now(),
    )
    pages = [
        reverse("media-calendar"),
        reverse("media-calendar") + "?view=week",
        reverse("media-calendar") + "?view=list",
        reverse("media-timeline"),
        reverse("media-reviews"),
        reverse("media-evaluation"),
    ]
    for viewer, status, sees_buttons in (
        (humas, 200, True),
        (personas.auditor, 200, False),
        (personas.staff, 403, False),
        (personas.requester, 403, False),
    ):
        client = Client()
        client.force_login(viewer)
        for url in pages:
            response = client.get(url)
            assert response.status_code == status, (viewer, url)
        if status == 200:
            body = client.get(pages[0]).content.decode()
            assert "Liputan wisuda" in body
            assert ('class="media-move"' in body) is sees_buttons
    auditor = Client()
    auditor.force_login(personas.auditor)
    item = ContentItem.objects.get()
    assert (
        auditor.post(reverse("media-item-move", args=[item.pk]), {"status": "idea"}).status_code
        == 403
    )


def test_an_asset_is_kept_and_downloaded_as_a_file_never_shown_in_the_page(
    sops: None, humas: Any, phk: Unit
) -> None:
    from pintu.desk.services import Upload
    from pintu.desk.tests.files import PNG

    item = services.item_create(
        actor=humas, unit=phk, title="Poster", channel="instagram", planned_at=at(9),
        status="planned", now=at(1),
    )  # fmt: skip
    asset = services.asset_add(
        actor=humas, item=item, upload=Upload("poster.png", "image/png", PNG), now=at(1)
    )
    client = Client()
    client.force_login(humas)
    response = client.get(reverse("media-asset", args=[item.pk, asset.pk]))
    assert b"".join(response.streaming_content) == PNG  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
