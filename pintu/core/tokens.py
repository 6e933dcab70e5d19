"""Personal API tokens: made, checked and revoked here, by the API and `pintu token`.
The core knows a person only as the configured user model (``AUTH_USER_MODEL``).

A token is ``pintu_`` and 40 random URL-safe characters. The database keeps the first 8
of those (to list and revoke a token by) and the SHA-256 digest of the whole token,
never the token itself.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from pintu.core.audit import audit_record
from pintu.core.models import ApiToken

SCHEME = "pintu_"
PREFIX_LENGTH = 8
# token_urlsafe(30) gives 40 characters.
SECRET_BYTES = 30
SECRET_LENGTH = 40
# Recording every use would write a row per request; once a minute says enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _prefix(token: str) -> str:
    return token[len(SCHEME) : len(SCHEME) + PREFIX_LENGTH]


@transaction.atomic
def api_token_create(
    *, actor: Any, user: Any, name: str = "", now: datetime | None = None
) -> tuple[ApiToken, str]:
    """Make a token for ``user``; returns the row and the token, which is never stored."""
    while True:
        token = SCHEME + secrets.token_urlsafe(SECRET_BYTES)
        if not ApiToken.objects.filter(prefix=_prefix(token)).exists():
            break
    row = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=_prefix(token),
        digest=_digest(token),
        created_at=now or timezone.now(),
    )
    audit_record(
        actor=actor,
        action="api_token.create",
        obj=row,
        after={"user": user.username, "name": row.name, "prefix": row.prefix},
    )
    return row, token


def api_token_verify(token: str, *, now: datetime | None = None) -> Any:
    """The active user a token belongs to, or None for an unknown or revoked token."""
    if not token.startswith(SCHEME) or len(token) != len(SCHEME) + SECRET_LENGTH:
        return None
    row = (
        ApiToken.objects.select_related("user")
        .filter(prefix=_prefix(token), revoked_at__isnull=True)
        .first()
    )
    if row is None or not hmac.compare_digest(row.digest, _digest(token)):
        return None
    if not row.user.is_active:
        return None
    now = now or timezone.now()
    if row.last_used_at is None or now - row.last_used_at >= LAST_USED_RESOLUTION:
        # Conditional, so that concurrent requests within the minute write once.
        ApiToken.objects.filter(pk=row.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
    return row.user


@transaction.atomic
def api_token_revoke(*, actor: Any, token: ApiToken, now: datetime | None = None) -> ApiToken:
    """Revoke ``token`` for good; revoking a revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        return token
    token.revoked_at = now or timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=actor,
        action="api_token.revoke",
        obj=token,
        before={"revoked_at": None},
        after={"revoked_at": token.revoked_at.isoformat()},
    )
    return token


def api_token_find(prefix: str) -> ApiToken | None:
    """The token shown as ``prefix``, with or without the leading ``pintu_``."""
    prefix = prefix.strip().removeprefix(SCHEME)[:PREFIX_LENGTH]
    if len(prefix) != PREFIX_LENGTH:
        return None
    return ApiToken.objects.select_related("user").filter(prefix=prefix).first()


def api_tokens_of(user: Any) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
