"""Configure a unit's mailbox: one audited write; the credentials are sealed, never logged."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from pintu.core.audit import audit_record
from pintu.doors.models import Mailbox
from pintu.doors.secrets import seal
from pintu.org.models import Unit

DEFAULT_PORTS = {
    Mailbox.Security.SSL: 993,
    Mailbox.Security.STARTTLS: 143,
    Mailbox.Security.PLAIN: 143,
}
# Where Google Workspace and Microsoft 365 exchange a refresh token for an access token.
TOKEN_URLS = {
    "google": "https://oauth2.googleapis.com/token",
    "microsoft": "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
}

SHOWN = ["unit", "address", "host", "port", "security", "folder", "username", "auth"]


@dataclass(frozen=True)
class OAuth:
    token_url: str
    client_id: str
    client_secret: str  # empty for a public client
    refresh_token: str


def token_url(provider: str, *, tenant: str = "organizations") -> str:
    """``google``, ``microsoft`` (with the Entra tenant) or a token URL as it is."""
    return TOKEN_URLS.get(provider, provider).format(tenant=tenant)


def _shown(mailbox: Mailbox) -> dict[str, Any]:
    values = {name: getattr(mailbox, name) for name in SHOWN}
    values["unit"] = mailbox.unit.code
    values["oauth_token_url"] = mailbox.oauth_token_url
    return values


@transaction.atomic
def mailbox_save(
    *,
    actor: Any,
    unit: Unit,
    address: str,
    host: str,
    username: str,
    port: int | None = None,
    security: str = Mailbox.Security.SSL,
    folder: str = "INBOX",
    password: str = "",
    oauth: OAuth | None = None,
) -> tuple[Mailbox, bool]:
    """Add the mailbox ``address``, or replace its settings; returns it and whether it is new.

    Exactly one of ``password`` and ``oauth`` is given.
    """
    if bool(password) == (oauth is not None):
        raise ValidationError(_("Give a password or the OAuth2 settings: one of the two."))
    mailbox = Mailbox.objects.select_for_update().filter(address=address).first()
    created = mailbox is None
    before = None if mailbox is None else _shown(mailbox)
    if mailbox is None:
        mailbox = Mailbox(address=address)
    mailbox.unit = unit
    mailbox.host = host
    mailbox.port = port or DEFAULT_PORTS[Mailbox.Security(security)]
    mailbox.security = security
    mailbox.folder = folder
    mailbox.username = username
    mailbox.is_active = True
    mailbox.last_error = ""
    if oauth is None:
        mailbox.auth = Mailbox.Auth.PASSWORD
        mailbox.secret = seal(password)
        mailbox.oauth_token_url = mailbox.oauth_client_id = mailbox.oauth_client_secret = ""
    else:
        if not oauth.refresh_token or not oauth.client_id:
            raise ValidationError(_("OAuth2 needs a refresh token and a client id."))
        mailbox.auth = Mailbox.Auth.XOAUTH2
        mailbox.secret = seal(oauth.refresh_token)
        mailbox.oauth_token_url = oauth.token_url
        mailbox.oauth_client_id = oauth.client_id
        mailbox.oauth_client_secret = seal(oauth.client_secret)
    mailbox.full_clean()
    mailbox.save()
    audit_record(
        actor=actor,
        action="mailbox.add" if created else "mailbox.change",
        obj=mailbox,
        unit=unit,
        before=before,
        # The credential itself is never written to the audit log, only that it was set.
        after={**_shown(mailbox), "credential": "set"},
    )
    return mailbox, created
