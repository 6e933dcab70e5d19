"""Every change to a ticket: one function each, one transaction each, with its audit row.

Views, the API, the doors and the worker call these; none of them writes a ticket
directly. Outgoing messages are queued in the outbox inside the same transaction and
delivered by the worker. The functions live in a module per subject; this face hands
on the ones callers use.
"""

from pintu.desk.services.conversation import ticket_note, ticket_reply, ticket_requester_message
from pintu.desk.services.intake import (
    ContactDetails,
    Created,
    Opening,
    Requester,
    contact_for,
    ticket_create,
)
from pintu.desk.services.merging import ticket_merge, ticket_split
from pintu.desk.services.notify import ticket_delivery_retry
from pintu.desk.services.saved_filters import saved_filter_delete, saved_filter_save
from pintu.desk.services.steps import ticket_complete_step
from pintu.desk.services.tickets import (
    ALLOWED_MOVES,
    ticket_assign,
    ticket_rate,
    ticket_set_status,
    ticket_update_fields,
    tickets_bulk,
)
from pintu.desk.services.uploads import Upload, uploads_from_files, validate_upload

__all__ = [
    "ALLOWED_MOVES",
    "ContactDetails",
    "Created",
    "Opening",
    "Requester",
    "Upload",
    "contact_for",
    "saved_filter_delete",
    "saved_filter_save",
    "ticket_assign",
    "ticket_complete_step",
    "ticket_create",
    "ticket_delivery_retry",
    "ticket_merge",
    "ticket_note",
    "ticket_rate",
    "ticket_reply",
    "ticket_requester_message",
    "ticket_set_status",
    "ticket_split",
    "ticket_update_fields",
    "tickets_bulk",
    "uploads_from_files",
    "validate_upload",
]
