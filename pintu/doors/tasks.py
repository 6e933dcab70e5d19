"""The doors' periodic jobs live next to each door; importing them registers them."""

from pintu.doors.email import tasks as email_tasks
from pintu.doors.whatsapp import tasks as whatsapp_tasks

__all__ = ["email_tasks", "whatsapp_tasks"]
