"""The partnership records on the retention schedule: the monitoring form BO.28.1.2
("Monitoring Kerjasama, kept 5 years" in the SOP), with its assessments. A legal hold on
a partner keeps every form of an agreement the partner is a party to."""

from __future__ import annotations

from typing import Any

from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from pintu.core.retention import RecordKind


def _assessments(monitoring: Any) -> list[Any]:
    return list(monitoring.assessments.order_by("pk"))


def _reference(monitoring: Any) -> str:
    return f"BO.28.1.2 {monitoring.year}: {monitoring.agreement}"


RETENTION = [
    RecordKind(
        name="partners.monitoring",
        label=_("Cooperation monitoring forms (BO.28.1.2) with their assessments"),
        model="partners.Monitoring",
        sop_records=("Monitoring Kerjasama",),
        moment=Coalesce("updated_at", "created_at"),
        unit="agreement__unit",
        partner="agreement__partners",
        parts=_assessments,
        reference=_reference,
    ),
]
