"""The KPI measures this module's records answer, under the names the SOPs' YAML uses:
the availability and the answer time of the probed online learning services
(B.1.8.17.a–b, SOP PR.13.2) and the announcement of information-system releases within
their time (B.4.6.4.g, SOP PR.33.8).

Each selector reads a unit's period into plain rows (probes aggregated in SQL per service
and month); each compute is pure and puts the rows behind its figure, passed or not, in
the measurement as its evidence (a few dozen service-months, a few dozen releases a year).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from django.db.models import Avg, Count, Q
from django.db.models.functions import ExtractMonth, ExtractYear
from django.urls import reverse
from django.utils.translation import gettext as _

from pintu.elearning.availability import Month
from pintu.elearning.models import Probe, Release
from pintu.org.models import Unit
from pintu.sla.calendars import zone_for_unit
from pintu.sop.grammar import parse_percent, parse_seconds
from pintu.sop.measurement import Evidence, Measure, Measurement, Period


def _bounds(unit: Unit, period: Period) -> tuple[datetime, datetime]:
    zone = zone_for_unit(unit)
    start = datetime.combine(period.start, time.min, tzinfo=zone)
    end = datetime.combine(period.end + timedelta(days=1), time.min, tzinfo=zone)
    return start, end


# ---------------------------------------------------------------- availability


def availability_rows(*, unit: Unit, period: Period, **rest: Any) -> list[Month]:
    """Every probed service's probes in each month of the period, in the unit's time
    zone: how many found it up, how many were made, and its mean answer time when up."""
    start, end = _bounds(unit, period)
    zone = zone_for_unit(unit)
    rows = (
        Probe.objects.filter(at__gte=start, at__lt=end)
        .annotate(year=ExtractYear("at", tzinfo=zone), month=ExtractMonth("at", tzinfo=zone))
        .values("service__name", "year", "month")
        .annotate(
            up_count=Count("id", filter=Q(up=True)),
            total=Count("id"),
            answer=Avg("latency_ms", filter=Q(up=True)),
        )
        .order_by("service__name", "year", "month")
    )
    return [
        Month(
            service=row["service__name"],
            year=row["year"],
            month=row["month"],
            up=row["up_count"],
            total=row["total"],
            answer_ms=row["answer"],
        )
        for row in rows
    ]


def _by_month(results: Sequence[tuple[Month, bool]]) -> dict[int, float]:
    """The share of the services that passed, month by month."""
    months: dict[int, list[bool]] = defaultdict(list)
    for row, passed in results:
        months[row.month].append(passed)
    return {month: 100.0 * sum(seen) / len(seen) for month, seen in sorted(months.items())}


def _month_reference(row: Month) -> str:
    return f"{row.service} {row.year}-{row.month:02d}"


def compute_availability(
    rows: Sequence[Month], *, params: Mapping[str, Any], **rest: Any
) -> Measurement:
    """B.1.8.17.a "ketersediaan layanan e-learning, perpustakaan (e-journal, e-book,
    e-repository)": the population is **every month of every probed service** with at
    least one probe; a month passes when the service was found up in at least
    ``availability`` of that month's probes."""
    wanted = parse_percent(str(params["availability"]))
    url = reverse("elearning-status")
    results = [(row, (row.share or 0.0) >= wanted) for row in rows if row.total]
    evidence = tuple(
        Evidence(
            reference=_month_reference(row),
            label=_("%(service)s: up in %(share).2f%% of %(count)s probes")
            % {"service": row.service, "share": row.share or 0.0, "count": row.total},
            url=url,
            passed=passed,
            note="" if passed else _("below %(wanted)s%%") % {"wanted": f"{wanted:g}"},
        )
        for row, passed in results
    )
    probes = sum(row.total for row in rows)
    up = sum(row.up for row in rows)
    note = (
        _("All services together: up in %(share).2f%% of %(count)s probes.")
        % {"share": 100.0 * up / probes, "count": probes}
        if probes
        else _("No service was probed in this period.")
    )
    return Measurement(
        sum(passed for _row, passed in results),
        len(results),
        evidence=evidence,
        by_month=_by_month(results),
        note=note,
    )


def compute_answer_time(
    rows: Sequence[Month], *, params: Mapping[str, Any], **rest: Any
) -> Measurement:
    """B.1.8.17.b "mudah diakses oleh sivitas akademika", read as answering quickly: the
    population is **every month of every probed service in which it was up at least
    once**; a month passes when its answers, when up, took ``within`` or less on
    average. A month in which the service never answered counts under availability, not
    here (the note says how many)."""
    within = parse_seconds(str(params["within"]))
    url = reverse("elearning-status")
    answered = [row for row in rows if row.answer_ms is not None]
    results = [(row, (row.answer_ms or 0.0) <= within * 1000) for row in answered]
    evidence = tuple(
        Evidence(
            reference=_month_reference(row),
            label=_("%(service)s: answered in %(seconds).2f s on average")
            % {"service": row.service, "seconds": (row.answer_ms or 0.0) / 1000},
            url=url,
            passed=passed,
            note="" if passed else _("slower than %(within)s s") % {"within": f"{within:g}"},
        )
        for row, passed in results
    )
    silent = sum(1 for row in rows if row.total and row.answer_ms is None)
    note = (
        _("%(count)s service-months without any answer are left to availability.")
        % {"count": silent}
        if silent
        else ""
    )
    return Measurement(
        sum(passed for _row, passed in results),
        len(results),
        evidence=evidence,
        by_month=_by_month(results),
        note=note,
    )


# ---------------------------------------------------------------- releases


@dataclass(frozen=True)
class ReleaseRow:
    pk: int
    system: str
    feature: str
    published_at: datetime
    due_at: datetime
    announced_at: datetime | None
    month: int  # of the publication, in the unit's time zone


def release_rows(*, unit: Unit, period: Period, **rest: Any) -> list[ReleaseRow]:
    """The unit's releases published in the period, oldest first."""
    start, end = _bounds(unit, period)
    zone = zone_for_unit(unit)
    releases = Release.objects.filter(
        unit=unit, published_at__gte=start, published_at__lt=end
    ).order_by("published_at", "id")
    return [
        ReleaseRow(
            pk=release.pk,
            system=release.system,
            feature=release.feature,
            published_at=release.published_at,
            due_at=release.announce_due_at,
            announced_at=release.announced_at,
            month=release.published_at.astimezone(zone).month,
        )
        for release in releases
    ]


def compute_announced(rows: Sequence[ReleaseRow], *, now: datetime, **rest: Any) -> Measurement:
    """B.4.6.4.g "mensosialisasi semua fitur-fitur baru … maksimal 1 hari setelah fitur
    dipublikasi": the population is **every release the unit published in the period**.
    Its clock starts at the publication and its deadline (``within`` on the unit's
    working clock, fixed when the release was recorded) is kept on the release. A release
    counts once it was announced or its deadline has passed; it passes when its
    announcement came by that deadline. Releases not announced before a deadline still
    ahead are not counted yet."""
    url = reverse("elearning-releases")
    evidence = []
    by_month: dict[int, list[bool]] = defaultdict(list)
    for row in rows:
        counted = row.announced_at is not None or row.due_at <= now
        passed = row.announced_at is not None and row.announced_at <= row.due_at
        if not counted:
            note = _("not announced yet, its deadline ahead")
        elif row.announced_at is None:
            note = _("not announced")
        elif not passed:
            note = _("announced late")
        else:
            note = ""
        if counted:
            by_month[row.month].append(passed)
        evidence.append(
            Evidence(
                reference=f"{row.system} #{row.pk}",
                label=row.feature[:120],
                url=url,
                passed=passed,
                counted=counted,
                note=note,
                when=row.published_at,
            )
        )
    counted_evidence = [e for e in evidence if e.counted]
    waiting = len(evidence) - len(counted_evidence)
    return Measurement(
        sum(e.passed for e in counted_evidence),
        len(counted_evidence),
        evidence=tuple(evidence),
        by_month={m: 100.0 * sum(seen) / len(seen) for m, seen in sorted(by_month.items())},
        note=(
            _("%(count)s releases still before their deadline are not counted yet.")
            % {"count": waiting}
            if waiting
            else ""
        ),
    )


MEASURES: dict[str, Measure] = {
    "availability_at_least": Measure(select=availability_rows, compute=compute_availability),
    "answered_within": Measure(select=availability_rows, compute=compute_answer_time),
    "announced_within": Measure(select=release_rows, compute=compute_announced),
}
