"""WhatsApp out: the outbox hands each row for door ``whatsapp`` to ``WhatsAppTransport``.

Inside the 24-hour customer-service window the reply goes as free-form text; outside it
as the approved template (``PINTU_WHATSAPP_TEMPLATE`` in
``PINTU_WHATSAPP_TEMPLATE_LANGUAGE``) with the reply as its one body parameter, since
WhatsApp refuses free-form text there (error 131047).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from pintu.desk.channels import WORDING, Channel, Mode, window_open
from pintu.desk.models import Door
from pintu.doors.whatsapp import gateway as gateways
from pintu.outbox.delivery import TRANSPORTS, PermanentFailure, TemporaryFailure
from pintu.outbox.models import OutboxItem


class WhatsAppTransport:
    def send(self, message: OutboxItem) -> str:
        to = message.recipient.strip().lstrip("+")
        if not to.isdigit():
            raise PermanentFailure(f"{message.recipient!r} is not a WhatsApp number")
        gateway = gateways.gateway()
        try:
            if window_open(to, timezone.now()):
                return gateway.send_text(to=to, body=message.body_text)
            return gateway.send_template(
                to=to,
                name=settings.PINTU_WHATSAPP_TEMPLATE,
                language=settings.PINTU_WHATSAPP_TEMPLATE_LANGUAGE,
                parameters=[message.body_text],
            )
        except gateways.GatewayError as error:
            if error.temporary:
                raise TemporaryFailure(str(error)) from error
            raise PermanentFailure(str(error)) from error


def channel_words(channel: Channel) -> str:
    """What the reply box says about a reply that leaves by WhatsApp."""
    if not channel.recipient:
        return _("No WhatsApp number is known: the reply is kept here but not sent.")
    if channel.mode == Mode.WHATSAPP_TEMPLATE:
        # Meta allows free text only within 24 hours of the requester's last message.
        return _(
            "Sent by WhatsApp to +%(address)s as the approved template: the requester's "
            "last message is more than 24 hours old."
        ) % {"address": channel.recipient}
    return _(
        "Sent by WhatsApp to +%(address)s as a free-text message (within 24 hours "
        "of the requester's last message)."
    ) % {"address": channel.recipient}


TRANSPORTS[Door.WHATSAPP] = WhatsAppTransport()
WORDING[Door.WHATSAPP] = channel_words
