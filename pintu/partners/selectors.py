"""Reads of the partnership records: the register's lists with their filters, what the
charts count, the agreements that end soon, the activities, the monitoring forms and the
satisfaction surveys."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Case, CharField, Count, F, Min, Q, QuerySet, Value, When
from django.db.models.functions import Lower

from pintu.org.models import Unit
from pintu.partners.lifecycle import Stage, State, Stored
from pintu.partners.models import (
    QUESTIONS,
    Activity,
    Agreement,
    Monitoring,
    Partner,
    SatisfactionSurvey,
)

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


def monitoring_candidates(agreement: Agreement, year: int) -> QuerySet[Activity]:
    """The activities a monitoring form may name: held in ``year`` under the agreement,
    or with one of its partners and under no agreement."""
    return (
        Activity.objects.filter(carried_out_at__isnull=False, held_on__year=year)
        .filter(
            Q(agreement=agreement) | Q(agreement__isnull=True, partner__in=agreement.partners.all())
        )
        .select_related("ticket", "partner")
        .prefetch_related("units")
        .order_by("held_on", "id")
    )


def departments_of(units: Iterable[Unit]) -> set[int]:
    """The departments (their keys) ``units`` belong to: a department itself, a study
    programme its parent."""
    found: set[int] = set()
    for unit in units:
        if unit.kind == Unit.Kind.DEPARTMENT:
            found.add(unit.pk)
        elif unit.kind == Unit.Kind.STUDY_PROGRAMME and unit.parent_id is not None:
            found.add(unit.parent_id)
    return found


def monitoring_departments(monitoring: Monitoring) -> list[Unit]:
    """The departments a form assesses (B.1.15.8 is per department): those the
    agreement names, and those of the activities held under it in the year."""
    keys = departments_of(monitoring.agreement.units.all())
    for activity in monitoring_candidates(monitoring.agreement, monitoring.year):
        keys |= departments_of(activity.units.all())
    return list(Unit.objects.filter(pk__in=keys).order_by("code"))


def monitoring_shown(monitoring: Monitoring) -> dict[str, Any]:
    """The form as its audit rows write it."""
    return {
        "activities": sorted(monitoring.activities.values_list("ticket__reference", flat=True)),
        "outputs": monitoring.outputs,
        "benefits": monitoring.benefits,
        # "JTI benefit": met; the survey cited as its number.
        "assessments": {
            f"{a.department.code} {a.aspect}": a.met
            for a in monitoring.assessments.select_related("department")
        },
        "surveys": sorted(
            monitoring.assessments.exclude(survey=None).values_list("survey_id", flat=True)
        ),
    }


def agreements_to_monitor(year: int) -> QuerySet[Agreement]:
    """The signed agreements that ran during ``year`` (each takes a form a year)."""
    return (
        Agreement.objects.filter(status__in=[Stored.SIGNED, Stored.TERMINATED])
        .filter(Q(starts_on__isnull=True) | Q(starts_on__year__lte=year))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__year__gte=year))
        .prefetch_related("partners")
        .order_by("number", "id")
    )


def surveys_of(
    *, partner: Partner | None = None, year: int | None = None
) -> QuerySet[SatisfactionSurvey]:
    surveys = SatisfactionSurvey.objects.select_related("partner", "contact", "agreement")
    if partner is not None:
        surveys = surveys.filter(partner=partner)
    if year is not None:
        surveys = surveys.filter(year=year)
    return surveys.order_by("-year", "-sent_at", "-id")


def survey_results(surveys: Iterable[SatisfactionSurvey]) -> list[dict[str, Any]]:
    """Per year: how many were sent and answered, and each question's average."""
    years: dict[int, list[SatisfactionSurvey]] = {}
    for survey in surveys:
        years.setdefault(survey.year, []).append(survey)
    results = []
    for year in sorted(years, reverse=True):
        answered = [s for s in years[year] if s.answered_at is not None]
        averages = []
        for name, words in QUESTIONS.items():
            scores = [getattr(s, name) for s in answered]
            averages.append((words, sum(scores) / len(scores) if scores else None))
        sent = len(years[year])
        results.append(
            {"year": year, "sent": sent, "answered": len(answered), "averages": averages}
        )
    return results
