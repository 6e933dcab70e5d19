"""The work a directory job does, one function per kind of job, on an open ldap3
connection: each checks before it changes, so that a job handed over again (after a
failure half-way, or after a worker died) finds what it did and does the rest only.

An entry is added whole in one operation, so none is ever left half-made; the groups a
person joins come after it, each checked first, and a failure there leaves the entry
and fails the job, whose retry then only joins the groups still missing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any

from ldap3 import BASE, MODIFY_ADD, MODIFY_DELETE, MODIFY_REPLACE, SUBTREE, Connection
from ldap3.core import exceptions as ldap_errors
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

from pintu.outbox.delivery import PermanentFailure, TemporaryFailure

# The LDAP password policy control (draft-behera-ldap-password-policy): a directory
# that announces it keeps pwdReset and pwdAccountLockedTime.
PPOLICY_CONTROL = "1.3.6.1.4.1.42.2.27.8.5.1"
PEOPLE, GROUPS, DISABLED = "people", "groups", "disabled"
NOLOGIN = "/usr/sbin/nologin"

Result = dict[str, Any]


def container(name: str, base: str) -> str:
    return f"ou={name},{base}"


def _entries(conn: Connection) -> list[dict[str, Any]]:
    return [item for item in conn.response or [] if item.get("type") == "searchResEntry"]


def _search(
    conn: Connection, base: str, query: str, attributes: Iterable[str] = ()
) -> list[dict[str, Any]]:
    try:
        conn.search(base, query, SUBTREE, attributes=list(attributes))
    except ldap_errors.LDAPNoSuchObjectResult:
        return []
    return _entries(conn)


def _one(values: Any) -> str:
    if isinstance(values, list):
        return str(values[0]) if values else ""
    return "" if values is None else str(values)


def person(conn: Connection, base: str, uid: str) -> dict[str, Any] | None:
    """The entry of ``uid`` wherever it is (in ou=people, or moved aside)."""
    found = _search(
        conn,
        base,
        f"(&(objectClass=posixAccount)(uid={escape_filter_chars(uid)}))",
        ["uid", "employeeNumber", "userPassword", "loginShell", "pwdAccountLockedTime"],
    )
    return found[0] if found else None


def _by_marker(conn: Connection, base: str, marker: str) -> dict[str, Any] | None:
    found = _search(
        conn,
        base,
        f"(&(objectClass=posixAccount)(employeeNumber={escape_filter_chars(marker)}))",
        ["uid"],
    )
    return found[0] if found else None


def _ensure_container(conn: Connection, name: str, base: str) -> None:
    with contextlib.suppress(ldap_errors.LDAPEntryAlreadyExistsResult):
        conn.add(container(name, base), ["top", "organizationalUnit"], {"ou": name})


def _join(conn: Connection, base: str, uid: str, groups: Iterable[Mapping[str, Any]]) -> list[str]:
    joined = []
    for group in groups:
        dn = f"cn={escape_rdn(group['cn'])},{container(GROUPS, base)}"
        try:
            conn.search(dn, "(objectClass=posixGroup)", BASE, attributes=["memberUid"])
            members = _entries(conn)[0]["attributes"].get("memberUid", [])
        except ldap_errors.LDAPNoSuchObjectResult:
            # The group is made when first needed; a missing ou=groups fails the job
            # here (passing: it is retried once the container is there).
            conn.add(
                dn,
                ["top", "posixGroup"],
                {"cn": group["cn"], "gidNumber": group["gidNumber"], "memberUid": [uid]},
            )
            joined.append(group["cn"])
            continue
        if uid not in members:
            with contextlib.suppress(ldap_errors.LDAPAttributeOrValueExistsResult):
                conn.modify(dn, {"memberUid": [(MODIFY_ADD, [uid])]})
            joined.append(group["cn"])
    return joined


def _leave(conn: Connection, base: str, uid: str, only: Iterable[str] | None = None) -> list[str]:
    wanted = set(only) if only is not None else None
    left = []
    for group in _search(
        conn, container(GROUPS, base), f"(memberUid={escape_filter_chars(uid)})", ["cn"]
    ):
        cn = _one(group["attributes"].get("cn"))
        if wanted is not None and cn not in wanted:
            continue
        with contextlib.suppress(ldap_errors.LDAPNoSuchAttributeResult):
            conn.modify(group["dn"], {"memberUid": [(MODIFY_DELETE, [uid])]})
        left.append(cn)
    return left


def _required(conn: Connection, base: str, uid: str) -> dict[str, Any]:
    entry = person(conn, base, uid)
    if entry is None:
        # Passing: the job that makes the entry may still be waiting for its retry.
        raise TemporaryFailure(f"the directory has no entry for {uid} (yet)")
    return entry


def provision(conn: Connection, payload: Mapping[str, Any], base: str) -> Result:
    """Make the person's entry in ou=people unless it is there (found by the person's
    number, ``employeeNumber``), then have it join its groups."""
    uid, marker = payload["uid"], payload["attributes"]["employeeNumber"]
    created = False
    mine = _by_marker(conn, base, marker)
    if mine is not None:
        found = _one(mine["attributes"].get("uid"))
        if found != uid:
            raise PermanentFailure(f"{marker} is in the directory already, as {found}")
        dn = mine["dn"]
    else:
        other = person(conn, base, uid)
        if other is not None:
            raise PermanentFailure(
                f"the username {uid} is taken in the directory by {other['dn']}, "
                "which is not this person"
            )
        dn = f"uid={escape_rdn(uid)},{container(PEOPLE, base)}"
        attributes = dict(payload["attributes"])
        classes = attributes.pop("objectClass")
        conn.add(dn, classes, {**attributes, "uid": uid})
        created = True
    groups = _join(conn, base, uid, payload.get("groups", ()))
    return {"dn": dn, "uid": uid, "created": created, "joined": groups}


def change(conn: Connection, payload: Mapping[str, Any], base: str) -> Result:
    """Replace some attributes (a new name, unit or kind) and move between groups."""
    uid = payload["uid"]
    dn = _required(conn, base, uid)["dn"]
    replace = payload.get("replace", {})
    if replace:
        conn.modify(dn, {name: [(MODIFY_REPLACE, values)] for name, values in replace.items()})
    left = _leave(conn, base, uid, only=payload.get("leave", ()))
    joined = _join(conn, base, uid, payload.get("join", ()))
    return {"dn": dn, "uid": uid, "replaced": sorted(replace), "joined": joined, "left": left}


def set_password(conn: Connection, payload: Mapping[str, Any], base: str) -> Result:
    """The holder's own password, through the Password Modify operation (RFC 3062), so
    that the directory hashes it by its own policy."""
    uid = payload["uid"]
    dn = _required(conn, base, uid)["dn"]
    conn.extend.standard.modify_password(user=dn, new_password=payload["password"])
    return {"dn": dn, "uid": uid}


def disable(conn: Connection, payload: Mapping[str, Any], base: str) -> Result:
    """No more sign-ins, nothing deleted: the password goes, the shell is nologin, and
    the entry leaves every group."""
    uid = payload["uid"]
    entry = _required(conn, base, uid)
    attributes = entry["attributes"]
    changes: dict[str, Any] = {"loginShell": [(MODIFY_REPLACE, [NOLOGIN])]}
    if attributes.get("userPassword"):
        changes["userPassword"] = [(MODIFY_DELETE, [])]
    conn.modify(entry["dn"], changes)
    return {"dn": entry["dn"], "uid": uid, "left": _leave(conn, base, uid)}


def move_aside(conn: Connection, payload: Mapping[str, Any], base: str) -> Result:
    """Move a disabled entry from ou=people to ou=disabled (made when first needed)."""
    uid = payload["uid"]
    entry = _required(conn, base, uid)
    aside = container(DISABLED, base)
    if entry["dn"].lower().endswith(aside.lower()):
        return {"dn": entry["dn"], "uid": uid, "moved": False}
    _ensure_container(conn, DISABLED, base)
    conn.modify_dn(entry["dn"], f"uid={escape_rdn(uid)}", new_superior=aside)
    return {"dn": f"uid={escape_rdn(uid)},{aside}", "uid": uid, "moved": True}


def has_password_policy(conn: Connection) -> bool:
    conn.search("", "(objectClass=*)", BASE, attributes=["supportedControl"])
    entries = _entries(conn)
    controls = entries[0]["attributes"].get("supportedControl", []) if entries else []
    return PPOLICY_CONTROL in controls


def _policy(conn: Connection, uid: str) -> None:
    if not has_password_policy(conn):
        raise PermanentFailure(
            f"the directory has no password policy (ppolicy): nothing to do for {uid}"
        )


def unlock(conn: Connection, payload: Mapping[str, Any], base: str) -> Result:
    """Lift a lockout after too many failed sign-ins (the password policy's)."""
    uid = payload["uid"]
    _policy(conn, uid)
    entry = _required(conn, base, uid)
    locked = bool(entry["attributes"].get("pwdAccountLockedTime"))
    if locked:
        conn.modify(entry["dn"], {"pwdAccountLockedTime": [(MODIFY_DELETE, [])]})
    return {"dn": entry["dn"], "uid": uid, "was_locked": locked}


def force_change(conn: Connection, payload: Mapping[str, Any], base: str) -> Result:
    """The holder must choose a new password at their next sign-in (pwdReset)."""
    uid = payload["uid"]
    _policy(conn, uid)
    dn = _required(conn, base, uid)["dn"]
    conn.modify(dn, {"pwdReset": [(MODIFY_REPLACE, ["TRUE"])]})
    return {"dn": dn, "uid": uid}


OPERATIONS: dict[str, Callable[[Connection, Mapping[str, Any], str], Result]] = {
    "provision": provision,
    "change": change,
    "set_password": set_password,
    "disable": disable,
    "move_aside": move_aside,
    "unlock": unlock,
    "force_change": force_change,
}


def generalized_time(text: str) -> datetime:
    """An LDAP GeneralizedTime in UTC (``20261201134500Z``, fractions ignored)."""
    return datetime.strptime(text[:14], "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def sign_ins(conn: Connection, base: str, uids: Iterable[str]) -> dict[str, datetime]:
    """When each of ``uids`` last signed in (``authTimestamp``, kept by the directory's
    lastbind overlay); those who never did are absent."""
    seen: dict[str, datetime] = {}
    pending = sorted(set(uids))
    for start in range(0, len(pending), 100):
        chunk = pending[start : start + 100]
        query = "(|" + "".join(f"(uid={escape_filter_chars(uid)})" for uid in chunk) + ")"
        for entry in _search(conn, container(PEOPLE, base), query, ["uid", "authTimestamp"]):
            stamp = entry["attributes"].get("authTimestamp")
            if stamp:
                seen[_one(entry["attributes"].get("uid"))] = generalized_time(_one(stamp))
    return seen
