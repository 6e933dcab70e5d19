"""Writes of the monitoring form BO.28.1.2: opening an agreement's form for a year, and
filling it in (the activities carried out, outputs, benefits, and B.1.15.8's three
aspects per department with their evidence), each in one transaction with its audit
row."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from pintu.org.models import Unit
from pintu.partners import selectors
from pintu.partners.models import (
    Activity,
    Agreement,
    Aspect,
    Assessment,
    Monitoring,
    SatisfactionSurvey,
)
from pintu.partners.services.common import audit, require_work
from pintu.sop.measurement import YEARS


@dataclass(frozen=True)
class Judgement:
    """One aspect for one department, as the form gives it."""

    department: Unit
    aspect: Aspect
    met: bool
    evidence: str = ""
    survey: SatisfactionSurvey | None = None


@transaction.atomic
def monitoring_open(
    *, actor: Any, agreement: Agreement, year: int, now: datetime
) -> tuple[Monitoring, bool]:
    """The agreement's form for ``year``, made now if it has none; (form, made)."""
    require_work(actor)
    if year not in YEARS:
        raise ValidationError({"year": _("Choose a year between 2000 and 2100.")})
    if agreement.status not in (Agreement.Status.SIGNED, Agreement.Status.TERMINATED):
        raise ValidationError(
            {"agreement": _("Only a signed agreement is monitored: this one is a draft.")}
        )
    found = Monitoring.objects.filter(agreement=agreement, year=year).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            monitoring = Monitoring.objects.create(
                agreement=agreement, year=year, created_at=now, created_by=actor
            )
    except IntegrityError:  # opened a moment ago by someone else
        return Monitoring.objects.get(agreement=agreement, year=year), False
    audit(actor, "monitoring.open", monitoring, after={"agreement": str(agreement), "year": year})
    return monitoring, True


def _words(department: Unit, aspect: Aspect) -> str:
    return f"{department.code}, {aspect.label}"


@transaction.atomic
def monitoring_fill(
    *,
    actor: Any,
    monitoring: Monitoring,
    activities: Iterable[Activity],
    outputs: str,
    benefits: str,
    judgements: Sequence[Judgement],
    now: datetime,
) -> Monitoring:
    """Fill in (or correct) the form: every aspect of every department involved is
    given, met only with its evidence; the activities are the year's under it."""
    require_work(actor)
    monitoring = Monitoring.objects.select_for_update().get(pk=monitoring.pk)
    chosen = list(activities)
    allowed = set(
        selectors.monitoring_candidates(monitoring.agreement, monitoring.year).values_list(
            "pk", flat=True
        )
    )
    stray = [activity.title for activity in chosen if activity.pk not in allowed]
    if stray:
        raise ValidationError(
            {
                "activities": _("Not held under this agreement in %(year)s: %(titles)s.")
                % {"year": monitoring.year, "titles": "; ".join(stray)}
            }
        )
    departments = {unit.pk: unit for unit in selectors.monitoring_departments(monitoring)}
    given = {(j.department.pk, j.aspect) for j in judgements}
    missing = [
        _words(unit, aspect)
        for unit in departments.values()
        for aspect in Aspect
        if (unit.pk, aspect) not in given
    ]
    problems = []
    if missing:
        problems.append(_("Not assessed: %(which)s.") % {"which": "; ".join(missing)})
    for judgement in judgements:
        words = _words(judgement.department, judgement.aspect)
        if judgement.department.pk not in departments:
            problems.append(
                _("%(which)s: the department is not in this cooperation.") % {"which": words}
            )
        if judgement.met and not (judgement.evidence.strip() or judgement.survey):
            problems.append(_("%(which)s: met, but with no evidence given.") % {"which": words})
        survey = judgement.survey
        if survey is not None and (
            judgement.aspect != Aspect.SATISFACTION
            or survey.answered_at is None
            or survey.year != monitoring.year
            or not monitoring.agreement.partners.filter(pk=survey.partner_id).exists()
        ):
            problems.append(
                _("%(which)s: cite an answered survey of this agreement's partners in %(year)s.")
                % {"which": words, "year": monitoring.year}
            )
    if problems:
        raise ValidationError(problems)
    before = selectors.monitoring_shown(monitoring)
    monitoring.outputs, monitoring.benefits = outputs.strip(), benefits.strip()
    monitoring.updated_at, monitoring.updated_by = now, actor
    monitoring.save(update_fields=["outputs", "benefits", "updated_at", "updated_by"])
    monitoring.activities.set(chosen)
    monitoring.assessments.all().delete()
    Assessment.objects.bulk_create(
        Assessment(
            monitoring=monitoring,
            department=judgement.department,
            aspect=judgement.aspect,
            met=judgement.met,
            evidence=judgement.evidence.strip(),
            survey=judgement.survey,
        )
        for judgement in judgements
    )
    after = selectors.monitoring_shown(monitoring)
    changed = {key: value for key, value in after.items() if before.get(key) != value}
    if changed:
        audit(
            actor,
            "monitoring.fill",
            monitoring,
            before={key: before.get(key) for key in changed},
            after=changed,
        )
    return monitoring
