"""The partnership records, one module per subject: the register of partners and their
agreements, the cooperation activities, monitoring, and partner satisfaction."""

from pintu.partners.models.activities import Activity, ActivityFile
from pintu.partners.models.register import (
    Agreement,
    AgreementVersion,
    ExpiryReminder,
    Partner,
    PartnerContact,
    Scope,
)

__all__ = [
    "Activity",
    "ActivityFile",
    "Agreement",
    "AgreementVersion",
    "ExpiryReminder",
    "Partner",
    "PartnerContact",
    "Scope",
]
