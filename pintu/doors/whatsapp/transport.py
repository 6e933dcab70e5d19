"""WhatsApp out: the outbox hands each row for door ``whatsapp`` to ``WhatsAppTransport``.

Inside the 24-hour customer-service window the reply goes as free-form text; outside it
as the approved template (``PINTU_WHATSAPP_TEMPLATE`` in
``PINTU_WHATSAPP_TEMPLATE_LANGUAGE``) with the reply as its one body parameter, since
WhatsApp refuses free-form text there (error 131047).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from pintu.desk.channels import window_open
from pintu.desk.models import Door
from pintu.doors.whatsapp import gateway as gateways
from pintu.outbox.delivery import TRANSPORTS, PermanentFailure, TemporaryFailure
from pintu.outbox.models import OutboundMessage


class WhatsAppTransport:
    def send(self, message: OutboundMessage) -> str:
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


TRANSPORTS[Door.WHATSAPP] = WhatsAppTransport()
