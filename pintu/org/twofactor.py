"""Two-factor sign-in: a TOTP authenticator app (RFC 6238, django-otp's TOTP device) and
ten single-use recovery codes (its static device).

Who must use it is ``PINTU_TWO_FACTOR``: ``staff`` (the default) asks it of everyone who
holds a role other than requester (staff, sub-coordinators, heads, auditors, admins);
``off`` asks it of no one. Anyone who has set up a device is asked for a code either
way, requesters too: for them it is optional. Every change is a service with its audit
row; the codes themselves are never written to the audit log.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from pintu.core.audit import audit_record
from pintu.org.models import Role

RECOVERY_CODES = 10
APP = "authenticator"  # the name of a person's TOTP device
RECOVERY = "recovery"  # the name of their static device


def required(user: Any) -> bool:
    """Whether ``user`` may not work without a second factor: their role asks it, or
    they set one up themselves."""
    return user.is_authenticated and (required_by_role(user) or has_device(user))


def required_by_role(user: Any) -> bool:
    if not user.is_authenticated or settings.PINTU_TWO_FACTOR == "off":
        return False
    return user.is_superuser or user.memberships.exclude(role=Role.REQUESTER).exists()


def has_device(user: Any) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_app(user: Any) -> TOTPDevice:
    """The authenticator being set up (not yet confirmed), made on first ask: its key is
    shown once as a QR code and as text."""
    device = TOTPDevice.objects.filter(user=user, name=APP, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP, confirmed=False)
    return device


@transaction.atomic
def app_confirm(*, actor: Any, device: TOTPDevice, code: str) -> list[str]:
    """Confirm a new authenticator with a code it shows; returns the recovery codes, to
    be shown once. Any earlier authenticator and recovery codes stop working."""
    if device.confirmed or device.user_id != actor.pk:
        raise ValidationError(_("This set-up has ended; start again."))
    if not device.verify_token(_digits(code)):
        raise ValidationError(
            {"code": [_("That code is not the one the app shows now; try the next one.")]}
        )
    TOTPDevice.objects.filter(user=actor, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(actor)
    audit_record(
        actor=actor,
        action="twofactor.enrol",
        obj=actor,
        after={"device": device.name, "recovery_codes": len(codes)},
    )
    return codes


@transaction.atomic
def recovery_codes_renew(*, actor: Any) -> list[str]:
    """Ten new recovery codes in place of the old ones (used or not)."""
    if not has_device(actor):
        raise ValidationError(_("Set up an authenticator app first."))
    codes = _new_recovery_codes(actor)
    audit_record(
        actor=actor, action="twofactor.recovery_renew", obj=actor, after={"codes": len(codes)}
    )
    return codes


@transaction.atomic
def reset(*, actor: Any, user: Any, reason: str) -> None:
    """Remove a person's second factor (a lost phone): they set it up again at their
    next sign-in. Only an admin, or the command line, does this."""
    if not reason.strip():
        raise ValidationError({"reason": [_("Say why the second factor is removed.")]})
    removed = [device.name for device in devices_for_user(user, confirmed=None)]
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit_record(
        actor=actor,
        action="twofactor.reset",
        obj=user,
        before={"devices": removed},
        after={"reason": reason.strip()},
    )


@transaction.atomic
def remove_own(*, actor: Any) -> None:
    """A person whose role does not ask for it takes their second factor away."""
    if required_by_role(actor):
        raise ValidationError(_("Your role needs a second factor; it cannot be removed."))
    reset(actor=actor, user=actor, reason=_("removed by its holder"))


@transaction.atomic
def code_accept(user: Any, code: str) -> Any | None:
    """The device that accepts ``code`` (a six-digit code or a recovery code), or None.
    Each device slows down repeated failures (django-otp's throttling); a recovery code
    is used up by the sign-in it allows, and that use is audited."""
    code = code.strip().replace(" ", "").replace("-", "").lower()
    for device in devices_for_user(user, confirmed=True):
        allowed, _why = device.verify_is_allowed()
        if allowed and device.verify_token(code):
            if isinstance(device, StaticDevice):
                audit_record(
                    actor=user,
                    action="twofactor.recovery_used",
                    obj=user,
                    after={"left": recovery_left(user)},
                )
            return device
    return None


def key_text(device: TOTPDevice) -> str:
    """The key in base32 groups of four, to type into an app that cannot scan."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


def throttled(user: Any) -> bool:
    """Whether every device of ``user`` is waiting out its failures."""
    devices = list(devices_for_user(user, confirmed=True))
    return bool(devices) and not any(device.verify_is_allowed()[0] for device in devices)


def recovery_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY).count()


def _new_recovery_codes(user: Any) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def _digits(code: str) -> str:
    return "".join(character for character in code if character.isdigit())


DEMO = "demo"  # the name of a demo person's authenticator, whose key is published


@transaction.atomic
def demo_device(*, user: Any, key: str) -> bool:
    """Give a demo person an authenticator with the demo's published key (local runs
    only: the seed refuses production); False if they have one already."""
    if has_device(user):
        return False
    device = TOTPDevice.objects.create(user=user, name=DEMO, key=key, confirmed=True)
    audit_record(actor=None, action="twofactor.enrol", obj=user, after={"device": device.name})
    return True


def demo_code(user: Any) -> str | None:
    """The code a demo person's authenticator shows now; None for any other device."""
    device = TOTPDevice.objects.filter(user=user, name=DEMO, confirmed=True).first()
    if device is None:
        return None
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    return f"{totp.token():0{device.digits}d}"
