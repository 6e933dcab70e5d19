"""Writes of the KPI engine, each in one transaction with its audit row: evidence
documents and their review, service evaluations, their findings and follow-ups."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.desk.services.uploads import Upload, validate_upload
from pintu.kpi import access
from pintu.kpi.measures import DOCUMENT_MEASURES
from pintu.kpi.models import EvidenceDocument, Finding, ServiceEvaluation
from pintu.org.models import Unit
from pintu.sop.selectors import sop_current


def _kpi_of(unit: Unit, sop_code: str, kpi_code: str) -> Any:
    sop = sop_current(sop_code)
    if sop is None or sop.unit_id != unit.pk:
        raise ValidationError(_("SOP %(sop)s is not one of this unit's.") % {"sop": sop_code})
    kpi = next((k for k in sop.parsed().kpis if k.code == kpi_code), None)
    if kpi is None:
        raise ValidationError(
            _("SOP %(sop)s has no KPI %(kpi)s.") % {"sop": sop_code, "kpi": kpi_code}
        )
    return kpi


@transaction.atomic
def evidence_upload(
    *,
    actor: Any,
    unit: Unit,
    sop_code: str,
    kpi_code: str,
    title: str,
    upload: Upload,
    valid_from: date,
    valid_until: date,
    item: str = "",
    now: datetime,
) -> EvidenceDocument:
    """A document that shows a KPI is met, waiting for its reviewer's judgement."""
    if not access.can_keep_evidence(actor, unit):
        raise PermissionDenied
    kpi = _kpi_of(unit, sop_code, kpi_code)
    if kpi.measure.name not in DOCUMENT_MEASURES:
        raise ValidationError(
            _("KPI %(kpi)s is measured from the records, not from a document.") % {"kpi": kpi_code}
        )
    items = kpi.measure.params.get("items") or []
    if items and item not in items:
        raise ValidationError(_("Choose which item of the list this document shows."))
    if valid_until < valid_from:
        raise ValidationError(_("The document cannot stop being valid before it starts."))
    if not title.strip():
        raise ValidationError(_("Give the document a title."))
    upload = validate_upload(upload)
    document = EvidenceDocument(
        unit=unit,
        sop_code=sop_code,
        kpi_code=kpi_code,
        item=item,
        title=title.strip()[:300],
        filename=upload.name,
        content_type=upload.content_type,
        uploaded_by=actor,
        uploaded_at=now,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    document.file.save(upload.name, ContentFile(upload.data), save=False)
    document.save()
    audit_record(
        actor=actor,
        action="kpi.evidence_upload",
        obj=document,
        unit=unit,
        after={
            "kpi_code": kpi_code,
            "item": item,
            "title": document.title,
            "valid_from": valid_from.isoformat(),
            "valid_until": valid_until.isoformat(),
        },
    )
    return document


@transaction.atomic
def evidence_judge(
    *, actor: Any, document: EvidenceDocument, accept: bool, note: str = "", now: datetime
) -> EvidenceDocument:
    """The reviewer of the quality unit accepts or rejects a document (a rejection says
    why)."""
    if not access.can_judge(actor):
        raise PermissionDenied
    document = EvidenceDocument.objects.select_for_update().get(pk=document.pk)
    if document.uploaded_by_id == actor.pk:
        raise ValidationError(_("A document is judged by someone other than its uploader."))
    if not accept and not note.strip():
        raise ValidationError(_("Say why the document is rejected."))
    before = {"judgement": document.judgement}
    document.judgement = (
        EvidenceDocument.Judgement.ACCEPTED if accept else EvidenceDocument.Judgement.REJECTED
    )
    document.reviewer = actor
    document.judged_at = now
    document.review_note = note.strip()
    document.save(update_fields=["judgement", "reviewer", "judged_at", "review_note"])
    audit_record(
        actor=actor,
        action="kpi.evidence_judge",
        obj=document,
        unit=document.unit,
        before=before,
        after={"judgement": document.judgement, "review_note": document.review_note},
    )
    return document


@transaction.atomic
def evaluation_record(
    *,
    actor: Any,
    unit: Unit,
    sop_code: str,
    service_key: str,
    year: int,
    evaluated_on: date,
    summary: str,
) -> ServiceEvaluation:
    """The yearly evaluation of one service type of the unit's SOP."""
    if not access.can_keep_evidence(actor, unit):
        raise PermissionDenied
    sop = sop_current(sop_code)
    if sop is None or sop.unit_id != unit.pk:
        raise ValidationError(_("SOP %(sop)s is not one of this unit's.") % {"sop": sop_code})
    if service_key not in {s.key for s in sop.parsed().services}:
        raise ValidationError(_("SOP %(sop)s has no such service type.") % {"sop": sop_code})
    if not summary.strip():
        raise ValidationError(_("Write what the evaluation found."))
    if ServiceEvaluation.objects.filter(
        sop_code=sop_code, service_key=service_key, year=year
    ).exists():
        raise ValidationError(_("This service type is evaluated for that year already."))
    evaluation = ServiceEvaluation.objects.create(
        unit=unit,
        sop_code=sop_code,
        service_key=service_key,
        year=year,
        evaluated_on=evaluated_on,
        summary=summary.strip(),
        evaluated_by=actor,
    )
    audit_record(
        actor=actor,
        action="kpi.evaluation_record",
        obj=evaluation,
        unit=unit,
        after={"service_key": service_key, "year": year, "summary": evaluation.summary},
    )
    return evaluation


@transaction.atomic
def finding_add(
    *,
    actor: Any,
    evaluation: ServiceEvaluation,
    text: str,
    action: str,
    owner: Any = None,
    due_on: date | None = None,
) -> Finding:
    if not access.can_keep_evidence(actor, evaluation.unit):
        raise PermissionDenied
    if not text.strip() or not action.strip():
        raise ValidationError(_("Write the finding and the action that follows it up."))
    finding = Finding.objects.create(
        evaluation=evaluation, text=text.strip(), action=action.strip(), owner=owner, due_on=due_on
    )
    audit_record(
        actor=actor,
        action="kpi.finding_add",
        obj=finding,
        unit=evaluation.unit,
        after={"text": finding.text, "action": finding.action},
    )
    return finding


@transaction.atomic
def finding_done(*, actor: Any, finding: Finding, note: str, now: datetime) -> Finding:
    """The follow-up of a finding is done; what was done is kept as its evidence."""
    finding = (
        Finding.objects.select_for_update().select_related("evaluation__unit").get(pk=finding.pk)
    )
    if not access.can_keep_evidence(actor, finding.evaluation.unit):
        raise PermissionDenied
    if finding.done_at is not None:
        raise ValidationError(_("This follow-up is done already."))
    if not note.strip():
        raise ValidationError(_("Say what was done."))
    finding.done_at = now
    finding.done_note = note.strip()
    finding.save(update_fields=["done_at", "done_note"])
    audit_record(
        actor=actor,
        action="kpi.finding_done",
        obj=finding,
        unit=finding.evaluation.unit,
        before={"done_at": None},
        after={"done_at": now.isoformat(), "done_note": finding.done_note},
    )
    return finding
