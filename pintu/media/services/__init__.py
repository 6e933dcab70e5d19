"""Writes of the content calendar, one function each, each in one transaction with its
audit row. This face hands on what callers use."""

from pintu.media.services.items import (
    asset_add,
    item_create,
    item_edit,
    item_move,
    item_reschedule,
    metrics_import,
    metrics_record,
    publication_record,
    task_add,
    task_done,
)
from pintu.media.services.reviews import (
    feed_token,
    report_review_record,
    review_record,
    schedule_of,
)

__all__ = [
    "asset_add",
    "feed_token",
    "item_create",
    "item_edit",
    "item_move",
    "item_reschedule",
    "metrics_import",
    "metrics_record",
    "publication_record",
    "report_review_record",
    "review_record",
    "schedule_of",
    "task_add",
    "task_done",
]
