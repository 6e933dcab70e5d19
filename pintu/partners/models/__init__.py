"""The partnership records, one module per subject: the register of partners and their
agreements, the cooperation activities, monitoring, and partner satisfaction."""

from pintu.partners.models.activities import Activity, ActivityFile
from pintu.partners.models.monitoring import Aspect, Assessment, Monitoring
from pintu.partners.models.register import (
    Agreement,
    AgreementVersion,
    ExpiryReminder,
    Partner,
    PartnerContact,
    Scope,
)
from pintu.partners.models.satisfaction import QUESTIONS, SatisfactionSurvey

__all__ = [
    "QUESTIONS",
    "Activity",
    "ActivityFile",
    "Agreement",
    "AgreementVersion",
    "Aspect",
    "Assessment",
    "ExpiryReminder",
    "Monitoring",
    "Partner",
    "PartnerContact",
    "SatisfactionSurvey",
    "Scope",
]
