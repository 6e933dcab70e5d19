"""Reads of the partnership records: the register's lists with their filters, what the
charts count, the agreements that end soon, and the activities."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Case, CharField, Count, F, Min, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from pintu.partners.lifecycle import Stage, State, Stored
from pintu.partners.models import Activity, Agreement, Partner

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

    class _State(TypedDict):
        state: str

    # An agreement read with its state on a day (``with_state``).
    StatedAgreement = WithAnnotations[Agreement, _State]


def with_state(agreements: QuerySet[Agreement], today: date) -> QuerySet[StatedAgreement]:
    """Each agreement's state on ``today`` as the annotation ``state``: the rule of
    ``pintu.partners.lifecycle.state_on``, written in SQL so that lists filter on it."""
    signed = Q(status=Stored.SIGNED)
    return agreements.annotate(
        state=Case(
            When(signed & Q(starts_on__gt=today), then=Value(State.SIGNED.value)),
            When(signed & Q(ends_on__lt=today), then=Value(State.EXPIRED.value)),
            When(signed, then=Value(State.ACTIVE.value)),
            default=F("status"),
            output_field=CharField(),
        )
    )


def partners_filtered(
    *, query: str = "", kind: str = "", level: str = "", country: str = ""
) -> QuerySet[Partner]:
    """The partners the list's filters leave (the charts count the same ones)."""
    partners = Partner.objects.all()
    if query:
        partners = partners.filter(Q(name__icontains=query) | Q(city__icontains=query))
    if kind:
        partners = partners.filter(kind=kind)
    if level:
        partners = partners.filter(level=level)
    if country:
        partners = partners.filter(country__iexact=country)
    return partners


def partner_list(partners: QuerySet[Partner]) -> QuerySet[Partner]:
    """The list's rows, with how many agreements each partner is party to."""
    return partners.annotate(agreement_count=Count("agreements", distinct=True)).order_by("name")


def partners_by_level(partners: QuerySet[Partner]) -> dict[str, int]:
    rows = partners.order_by().values("level").annotate(n=Count("id", distinct=True))
    return {row["level"]: row["n"] for row in rows}


def partners_by_country(partners: QuerySet[Partner], limit: int = 10) -> list[tuple[str, int]]:
    """The countries with the most partners (names compared without case)."""
    rows = (
        partners.order_by()
        .annotate(key=Lower("country"))
        .values("key")
        .annotate(n=Count("id", distinct=True), name=Min("country"))
        .order_by("-n", "key")[:limit]
    )
    return [(row["name"], row["n"]) for row in rows]


def countries() -> list[str]:
    """Every country the register names, for the filter."""
    seen: dict[str, str] = {}
    for name in Partner.objects.order_by("country").values_list("country", flat=True):
        seen.setdefault(name.lower(), name)
    return sorted(seen.values())


def agreement_list(
    *,
    today: date,
    state: str = "",
    kind: str = "",
    partner: Partner | None = None,
    query: str = "",
) -> QuerySet[StatedAgreement]:
    agreements = with_state(Agreement.objects.all(), today).prefetch_related("partners")
    if state:
        agreements = agreements.filter(state=state)
    if kind:
        agreements = agreements.filter(kind=kind)
    if partner is not None:
        agreements = agreements.filter(partners=partner)
    if query:
        agreements = agreements.filter(
            Q(number__icontains=query)
            | Q(title__icontains=query)
            | Q(partners__name__icontains=query)
        ).distinct()
    return agreements.order_by(F("ends_on").asc(nulls_last=True), "id")


def agreements_ending(*, today: date, within_days: int) -> QuerySet[StatedAgreement]:
    """Signed agreements running today whose last day is at most ``within_days`` away."""
    return (
        with_state(Agreement.objects.all(), today)
        .filter(state=State.ACTIVE, ends_on__lte=today + timedelta(days=within_days))
        .prefetch_related("partners")
        .order_by("ends_on", "id")
    )


def state_counts(today: date) -> dict[str, int]:
    rows = with_state(Agreement.objects.all(), today).values("state").annotate(n=Count("id"))
    return {row["state"]: row["n"] for row in rows}


def activity_list(
    *, year: int | None = None, stage: str = "", query: str = ""
) -> QuerySet[Activity]:
    """Activities held (or, not held yet, planned) in ``year``, newest first."""
    activities = Activity.objects.select_related("partner", "agreement", "ticket").prefetch_related(
        "units"
    )
    if year is not None:
        activities = activities.filter(
            Q(held_on__year=year) | Q(held_on__isnull=True, planned_start__year=year)
        )
    stages = {
        Stage.PLANNED: Q(coordinated_at__isnull=True, carried_out_at__isnull=True),
        Stage.COORDINATED: Q(coordinated_at__isnull=False, carried_out_at__isnull=True),
        Stage.CARRIED_OUT: Q(carried_out_at__isnull=False, archived_at__isnull=True),
        Stage.ARCHIVED: Q(archived_at__isnull=False),
    }
    if stage in stages:
        activities = activities.filter(stages[Stage(stage)])
    if query:
        activities = activities.filter(
            Q(title__icontains=query)
            | Q(partner__name__icontains=query)
            | Q(ticket__reference__iexact=query)
        )
    return activities.order_by(F("held_on").desc(nulls_last=True), "-planned_start", "-id")
