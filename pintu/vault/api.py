"""The register of digital-service accounts in JSON (/api/v1/vault/accounts): list and
register. A listing says whether a credential is stored, never the credential; the
credential a registration brings is sealed before it is stored."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from pintu.org import access as org_access
from pintu.org.models import Unit, User
from pintu.vault import access, selectors, services
from pintu.vault.models import Classification, DigitalAccount

router = Router()

MAX_LIMIT = 100


class AccountOut(Schema):
    id: int
    unit: str = Field(description="The owner unit's code.")
    service: str
    url: str
    login: str
    steward: str | None = Field(description="The person in charge's username.")
    classification: Classification
    has_credential: bool = Field(description="Whether a credential is stored (sealed).")
    credential_changed_at: datetime | None
    renews_on: date | None
    expires_on: date | None
    notes: str
    registered_at: datetime
    ticket: str | None = Field(description="The reference of the request it came through.")


class AccountPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[AccountOut]


class AccountFilter(Schema):
    unit: str | None = Field(None, description="A unit code, e.g. BAA.")
    classification: Classification | None = None
    limit: int = Field(50, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0)


class AccountIn(Schema):
    unit: str = Field(description="The owner unit's code; the caller must work in it.")
    service: str
    login: str
    url: str = ""
    steward: str = Field("", description="The person in charge's username (default: caller).")
    classification: Classification = Classification.INTERNAL
    credential: str = Field("", description="Sealed before it is stored; never returned.")
    renews_on: date | None = None
    expires_on: date | None = None
    notes: str = ""


def _out(account: DigitalAccount) -> AccountOut:
    return AccountOut(
        id=account.pk,
        unit=account.unit.code,
        service=account.service,
        url=account.url,
        login=account.account,
        steward=account.steward.username if account.steward else None,
        classification=Classification(account.classification),
        has_credential=bool(account.credential),
        credential_changed_at=account.credential_changed_at,
        renews_on=account.renews_on,
        expires_on=account.expires_on,
        notes=account.notes,
        registered_at=account.registered_at,
        ticket=account.ticket.reference if account.ticket else None,
    )


@router.get("/accounts", response=AccountPage, summary="The register's accounts (no credential)")
def account_list(request: HttpRequest, filters: Query[AccountFilter]) -> AccountPage:
    if not access.reads_registers(request.user):
        raise PermissionDenied
    accounts = selectors.accounts_visible_to(request.user).order_by("service", "account", "id")
    if filters.unit:
        accounts = accounts.filter(unit__code=filters.unit)
    if filters.classification:
        accounts = accounts.filter(classification=filters.classification)
    page = accounts[filters.offset : filters.offset + filters.limit]
    return AccountPage(
        count=accounts.count(),
        limit=filters.limit,
        offset=filters.offset,
        items=[_out(account) for account in page],
    )


@router.post("/accounts", response={201: AccountOut}, summary="Enter an account in the register")
def account_create(request: HttpRequest, data: AccountIn) -> AccountOut:
    user = request.user
    if org_access.is_auditor(user) and not org_access.is_admin(user):
        raise PermissionDenied(_("Auditors read; they change nothing."))
    unit = Unit.objects.filter(code=data.unit).first()
    if unit is None:
        raise ValidationError({"unit": [_("No unit has this code.")]})
    steward = None
    if data.steward:
        steward = User.objects.filter(username=data.steward).first()
        if steward is None:
            raise ValidationError({"steward": [_("No person has this username.")]})
    account = services.account_register(
        actor=user,
        unit=unit,
        service=data.service,
        account=data.login,
        url=data.url,
        steward=steward,
        classification=data.classification,
        credential=data.credential,
        renews_on=data.renews_on,
        expires_on=data.expires_on,
        notes=data.notes,
        now=timezone.now(),
    )
    return _out(selectors.accounts_visible_to(user).get(pk=account.pk))
