"""Where the directory is and how to reach it, from ``PINTU_LDAP_URL``,
``PINTU_LDAP_BIND_DN``, ``PINTU_LDAP_PASSWORD``, ``PINTU_LDAP_BASE_DN`` and
``PINTU_LDAP_TLS``; read at each connection, never at import, and checked at start-up
with words that name the variable.

``ldaps://`` is TLS from the first byte (port 636); ``ldap://`` upgrades with StartTLS
when ``PINTU_LDAP_TLS=starttls`` (the default) and stays in clear only with
``PINTU_LDAP_TLS=off`` (loopback and tests). ``PINTU_LDAP_CA_FILE`` names the CA
certificates to trust instead of the system's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

TLS_MODES = ("starttls", "off")


@dataclass(frozen=True)
class Directory:
    host: str
    port: int
    ldaps: bool
    starttls: bool
    bind_dn: str
    password: str
    base_dn: str
    ca_file: str


def directory() -> Directory:
    url = settings.PINTU_LDAP_URL
    if not url:
        raise ImproperlyConfigured("PINTU_LDAP_URL is not set: Pintu has no directory to talk to")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ImproperlyConfigured(f"PINTU_LDAP_URL={url!r} is not usable: {error}") from None
    if parts.scheme not in ("ldap", "ldaps") or not parts.hostname:
        raise ImproperlyConfigured(
            f"PINTU_LDAP_URL={url!r} is not usable: write ldap://host[:port] or ldaps://host[:port]"
        )
    tls = settings.PINTU_LDAP_TLS
    if tls not in TLS_MODES:
        raise ImproperlyConfigured(f"PINTU_LDAP_TLS={tls!r} must be one of: {', '.join(TLS_MODES)}")
    if not settings.PINTU_LDAP_BASE_DN:
        raise ImproperlyConfigured("PINTU_LDAP_BASE_DN is not set (e.g. dc=poltek,dc=ac,dc=id)")
    ldaps = parts.scheme == "ldaps"
    return Directory(
        host=parts.hostname,
        port=port or (636 if ldaps else 389),
        ldaps=ldaps,
        starttls=not ldaps and tls == "starttls",
        bind_dn=settings.PINTU_LDAP_BIND_DN,
        password=settings.PINTU_LDAP_PASSWORD,
        base_dn=settings.PINTU_LDAP_BASE_DN,
        ca_file=settings.PINTU_LDAP_CA_FILE,
    )


@checks.register("pintu")
def check_directory(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    if not settings.PINTU_LDAP_URL:
        return []  # no directory: the campus accounts' jobs wait, with that reason, on their ticket
    try:
        directory()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="pintu.E301")]
    return []
