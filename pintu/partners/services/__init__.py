"""Every change to the partnership records: one function each, one transaction each,
with its audit row (and its outbox rows, for what leaves the building). Views, the step
actions, the worker and the commands call these; none of them writes a record directly.
"""

from pintu.partners.services.register import (
    agreement_add_version,
    agreement_create,
    agreement_move,
    agreement_update,
    contact_add,
    contact_update,
    partner_create,
    partner_update,
)

__all__ = [
    "agreement_add_version",
    "agreement_create",
    "agreement_move",
    "agreement_update",
    "contact_add",
    "contact_update",
    "partner_create",
    "partner_update",
]
