"""The ``ldap`` transport: the outbox hands it each directory job, which it carries out
on one connection (LDAPS, or StartTLS unless turned off) bound as Pintu's service
account, and reports what the directory answered as the job's result.

A connection that cannot be made or is cut, a busy or unavailable directory, a missing
container, a refused bind: passing failures, retried with backoff (an admin's fix
takes effect at the next try). What the directory refuses for good (a schema
violation, a username taken by someone else): a dead letter, shown on the ticket with
its reason and a retry button. A password travels sealed in the job's payload and is
wiped from it once the directory has taken it.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from ldap3 import NONE, Connection, Server, Tls
from ldap3.core import exceptions as ldap_errors

from pintu.doors import secrets
from pintu.doors.ldap.config import Directory, directory
from pintu.doors.ldap.operations import OPERATIONS
from pintu.outbox.delivery import TRANSPORTS, PermanentFailure, Sent, TemporaryFailure
from pintu.outbox.models import OutboxItem

TIMEOUT = 15  # seconds, to connect and for each answer

# What the directory refuses for good: the job as it is will never pass.
FINAL = (
    ldap_errors.LDAPObjectClassViolationResult,
    ldap_errors.LDAPUndefinedAttributeTypeResult,
    ldap_errors.LDAPInvalidAttributeSyntaxResult,
    ldap_errors.LDAPInvalidDNSyntaxResult,
    ldap_errors.LDAPNamingViolationResult,
    ldap_errors.LDAPConstraintViolationResult,
    ldap_errors.LDAPUnwillingToPerformResult,
)


@contextmanager
def connection(where: Directory | None = None) -> Iterator[Connection]:
    """A bound connection to the directory; raises ldap3's errors."""
    where = where or directory()
    tls = None
    if where.ldaps or where.starttls:
        tls = Tls(
            validate=ssl.CERT_REQUIRED,
            version=ssl.PROTOCOL_TLS_CLIENT,
            ca_certs_file=where.ca_file or None,
        )
    server = Server(
        where.host,
        port=where.port,
        use_ssl=where.ldaps,
        tls=tls,
        get_info=NONE,
        connect_timeout=TIMEOUT,
    )
    conn = Connection(
        server,
        user=where.bind_dn or None,
        password=where.password or None,
        raise_exceptions=True,
        receive_timeout=TIMEOUT,
    )
    conn.open()
    try:
        if where.starttls:
            try:
                upgraded = conn.start_tls()
            except (ldap_errors.LDAPException, ssl.SSLError, OSError) as error:
                upgraded, why = False, error
            else:
                why = None
            if not upgraded:
                # ldap3 loses the TLS error on the way; say what to look at.
                raise ldap_errors.LDAPStartTLSError(
                    "StartTLS failed: is the directory's certificate trusted "
                    f"(PINTU_LDAP_CA_FILE)? {why or conn.last_error}"
                )
        conn.bind()
        yield conn
    finally:
        # A connection that broke cannot say goodbye; its error is the one to report.
        with suppress(ldap_errors.LDAPException, OSError):
            conn.unbind()


def _reason(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return f"LDAP: {text}"[:2000]


class LdapTransport:
    def send(self, item: OutboxItem) -> Sent:
        payload: dict[str, Any] = dict(item.payload)
        operation = OPERATIONS.get(payload.get("op", ""))
        if operation is None:
            raise PermanentFailure(f"unknown directory job {payload.get('op')!r}")
        if payload.get("op") == "set_password":
            if not payload.get("password"):
                # Wiped after the directory took it: the job was done before a crash.
                return Sent(item.external_id, item.result or {"uid": payload.get("uid")})
            payload["password"] = secrets.unseal(payload["password"])
        try:
            where = directory()
        except ImproperlyConfigured as error:
            raise TemporaryFailure(str(error)) from error
        try:
            with connection(where) as conn:
                result = operation(conn, payload, where.base_dn)
        except FINAL as error:
            raise PermanentFailure(_reason(error)) from error
        except (ldap_errors.LDAPException, ssl.SSLError, OSError) as error:
            raise TemporaryFailure(_reason(error)) from error
        if payload.get("op") == "set_password":
            OutboxItem.objects.filter(pk=item.pk).update(payload={**item.payload, "password": ""})
        return Sent(external_id=str(result.get("dn", ""))[:200], result=result)


TRANSPORTS["ldap"] = LdapTransport()
