"""A real directory for the tests: Debian's slapd (OpenLDAP 2.5), private and
unprivileged on 127.0.0.1, as RECIPES.md describes.

One slapd per test process (a session fixture), with the schemas a campus directory
has (core, cosine, inetOrgPerson, NIS), the password policy and lastbind overlays, and
both plain LDAP (for StartTLS) and LDAPS on free ports, with a CA and a certificate
for 127.0.0.1 made for the run. Each test starts from the base entry with ou=people and
ou=groups empty.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from ldap3 import BASE, LEVEL, SUBTREE, Connection, Server
from ldap3.core.exceptions import LDAPNoSuchObjectResult

from pintu.conftest import free_port, require_peer

SLAPD = os.environ.get("PINTU_SLAPD", "/usr/sbin/slapd")
SCHEMAS = Path("/etc/ldap/schema")
MODULES = Path("/usr/lib/ldap")
BASE_DN = "dc=pintu,dc=test"
ADMIN_DN = f"cn=admin,{BASE_DN}"
ADMIN_PASSWORD = "sandi-admin-ldap"

CONFIG = """\
include {schemas}/core.schema
include {schemas}/cosine.schema
include {schemas}/inetorgperson.schema
include {schemas}/nis.schema
pidfile {root}/slapd.pid
argsfile {root}/slapd.args
modulepath {modules}
moduleload back_mdb
moduleload ppolicy
moduleload lastbind
TLSCACertificateFile {root}/ca.pem
TLSCertificateFile {root}/server.pem
TLSCertificateKeyFile {root}/server.key
database mdb
maxsize 104857600
suffix "{base}"
rootdn "{admin}"
rootpw {password}
directory {root}/data
overlay ppolicy
overlay lastbind
"""


class PeerError(RuntimeError):
    pass


def available() -> tuple[bool, str]:
    missing = [str(p) for p in (Path(SLAPD), SCHEMAS / "nis.schema", MODULES / "lastbind.so")]
    missing = [p for p in missing if not Path(p).exists()]
    return not missing, f"{', '.join(missing)} missing; install slapd and ldap-utils"


@dataclass
class SlapdPeer:
    root: Path
    port: int
    tls_port: int
    process: subprocess.Popen[bytes] | None = None
    settings: dict[str, str] = field(default_factory=dict)
    command: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"ldap://127.0.0.1:{self.port}"

    @property
    def ldaps_url(self) -> str:
        return f"ldaps://127.0.0.1:{self.tls_port}"

    @property
    def ca_file(self) -> str:
        return str(self.root / "ca.pem")

    def admin(self) -> Connection:
        return Connection(
            Server("127.0.0.1", port=self.port),
            ADMIN_DN,
            ADMIN_PASSWORD,
            auto_bind=True,
            raise_exceptions=True,
        )

    def bind_as(self, uid: str, password: str, ou: str = "people") -> bool:
        """A sign-in as the account holder would make one (e.g. SIAKAD's login)."""
        conn = Connection(
            Server("127.0.0.1", port=self.port), f"uid={uid},ou={ou},{BASE_DN}", password
        )
        try:
            return bool(conn.bind())
        finally:
            conn.unbind()

    def entry(self, dn: str, *attributes: str) -> dict[str, Any] | None:
        """The entry's attributes (those asked for by name, else its own), or None when
        there is no such entry."""
        conn = self.admin()
        try:
            conn.search(dn, "(objectClass=*)", BASE, attributes=list(attributes) or ["*"])
            return dict(conn.entries[0].entry_attributes_as_dict) if conn.entries else None
        except LDAPNoSuchObjectResult:
            return None
        finally:
            conn.unbind()

    def children(self, ou: str) -> list[str]:
        conn = self.admin()
        try:
            # An ou that vanished raises (noSuchObject): it is not an empty list.
            conn.search(f"ou={ou},{BASE_DN}", "(objectClass=*)", LEVEL, attributes=["1.1"])
            return sorted(entry.entry_dn for entry in conn.entries)
        finally:
            conn.unbind()

    def reset(self) -> None:
        """Only the base entry, ou=people and ou=groups, both empty."""
        conn = self.admin()
        try:
            conn.search(BASE_DN, "(objectClass=*)", SUBTREE, attributes=["1.1"])
            below = [e.entry_dn for e in conn.entries if e.entry_dn.lower() != BASE_DN]
            for dn in sorted(below, key=lambda d: -d.count(",")):
                conn.delete(dn)
            for ou in ("people", "groups"):
                conn.add(f"ou={ou},{BASE_DN}", ["top", "organizationalUnit"], {"ou": ou})
        finally:
            conn.unbind()

    def halt(self) -> None:
        """The directory gone, its ports closed, its entries kept (until ``resume``)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            self.process.wait(timeout=10)

    def resume(self) -> None:
        """Start slapd (again), on the same ports with the same entries."""
        with (self.root / "slapd.log").open("ab") as log:
            self.process = subprocess.Popen(
                self.command,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=log,
                start_new_session=True,
            )
        deadline = time.monotonic() + 15
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    text = (self.root / "slapd.log").read_text(errors="replace")
                    raise PeerError(f"slapd did not start:\n{text}") from None
                time.sleep(0.02)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        shutil.rmtree(self.root, ignore_errors=True)


def _certificates(root: Path) -> None:
    """A CA and a certificate for 127.0.0.1 signed by it, for LDAPS and StartTLS."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Pintu test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=2))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(ca_key, hashes.SHA256())
    )
    (root / "ca.pem").write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    (root / "server.pem").write_bytes(server.public_bytes(serialization.Encoding.PEM))
    (root / "server.key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )


def start_slapd() -> SlapdPeer:
    # Not pytest's tmp_path: its parents are private to root, and slapd runs as nobody.
    root = Path(tempfile.mkdtemp(prefix="pintu-slapd-"))
    (root / "data").mkdir()
    _certificates(root)
    as_root = os.geteuid() == 0
    account = pwd.getpwnam("nobody") if as_root else pwd.getpwuid(os.geteuid())
    peer = SlapdPeer(root=root, port=free_port(), tls_port=free_port())
    (root / "slapd.conf").write_text(
        CONFIG.format(
            schemas=SCHEMAS,
            modules=MODULES,
            root=root,
            base=BASE_DN,
            admin=ADMIN_DN,
            password=ADMIN_PASSWORD,
        )
    )
    root.chmod(0o755)
    if as_root:
        for path in [root, *root.rglob("*")]:
            os.chown(path, account.pw_uid, account.pw_gid)
    listen = f"ldap://127.0.0.1:{peer.port}/ ldaps://127.0.0.1:{peer.tls_port}/"
    # -d 0: stay in the foreground, so that the process is ours to stop.
    command = [SLAPD, "-d", "0", "-f", str(root / "slapd.conf"), "-h", listen]
    if as_root:
        command = ["runuser", "-u", account.pw_name, "--", *command]
    peer.command = command
    try:
        peer.resume()
    except PeerError:
        peer.stop()
        raise
    conn = peer.admin()
    try:
        conn.add(BASE_DN, ["top", "dcObject", "organization"], {"dc": "pintu", "o": "Pintu"})
    finally:
        conn.unbind()
    peer.reset()
    return peer


def slapd_session() -> Iterator[SlapdPeer]:
    found, why = available()
    require_peer("slapd", found, why)
    peer = start_slapd()
    try:
        yield peer
    finally:
        peer.stop()


def use_directory(peer: SlapdPeer, settings: Any, *, url: str = "", tls: str = "off") -> None:
    """Point Pintu's settings at ``peer`` (plain LDAP unless told otherwise)."""
    settings.PINTU_LDAP_URL = url or peer.url
    settings.PINTU_LDAP_TLS = tls
    settings.PINTU_LDAP_BIND_DN = ADMIN_DN
    settings.PINTU_LDAP_PASSWORD = ADMIN_PASSWORD
    settings.PINTU_LDAP_BASE_DN = BASE_DN
    settings.PINTU_LDAP_CA_FILE = peer.ca_file
