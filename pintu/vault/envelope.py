"""The sealed form of a credential at rest: AES-256-GCM under a key kept outside the
database, with the key's id written beside the ciphertext.

Pure: no ORM, no settings. A sealed value reads ``v1:<key id>:<nonce and ciphertext,
base64url>``. The key id (the first 8 hex digits of a hash of the key) lets a wrong key
be told from a damaged value, so that opening never yields garbage: either the plain
text, or ``WrongKey`` or ``Damaged`` with words a person can act on. The ``context``
(e.g. ``account:42``) is authenticated with the ciphertext, so a sealed value copied
onto another record does not open there.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12


class EnvelopeError(ValueError):
    """A sealed value cannot be opened; the message says why."""


class WrongKey(EnvelopeError):
    """The value was sealed under another key than the one given."""


class Damaged(EnvelopeError):
    """The value is not a sealed value, or it was changed after sealing."""


class BadKey(ValueError):
    """The text given as a key is not one (32 bytes, base64)."""


def new_key() -> str:
    """A fresh key as text (32 random bytes, base64url), for a key file or variable."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode()


def parse_key(text: str) -> bytes:
    """The key's 32 bytes from its text (base64 or base64url, surrounding space ignored)."""
    cleaned = text.strip()
    try:
        raw = base64.urlsafe_b64decode(cleaned.replace("+", "-").replace("/", "_") + "==")
    except (binascii.Error, ValueError):
        raise BadKey("the key is not base64 text") from None
    if len(raw) != KEY_BYTES:
        raise BadKey(f"the key must be {KEY_BYTES} bytes of base64 text; this one is {len(raw)}")
    return raw


def key_id(key: bytes) -> str:
    """A short name for ``key`` that reveals nothing of it."""
    return hashlib.sha256(b"pintu-vault-key:" + key).hexdigest()[:8]


def seal(plain: str, key: bytes, *, context: str, nonce: bytes | None = None) -> str:
    nonce = os.urandom(NONCE_BYTES) if nonce is None else nonce
    if len(nonce) != NONCE_BYTES:
        raise ValueError(f"a nonce is {NONCE_BYTES} bytes")
    sealed = AESGCM(key).encrypt(nonce, plain.encode(), context.encode())
    body = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
    return f"{VERSION}:{key_id(key)}:{body}"


def _parts(sealed: str) -> tuple[str, str, str]:
    parts = sealed.split(":")
    if len(parts) != 3 or parts[0] != VERSION or len(parts[1]) != 8:
        raise Damaged("this is not a sealed credential")
    return parts[0], parts[1], parts[2]


def unseal(sealed: str, key: bytes, *, context: str) -> str:
    _version, kid, body = _parts(sealed)
    if kid != key_id(key):
        raise WrongKey(
            f"the credential was sealed with key {kid}, but the key given is {key_id(key)}"
        )
    try:
        raw = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    except (binascii.Error, ValueError):
        raise Damaged("the sealed credential is not base64") from None
    if len(raw) <= NONCE_BYTES:
        raise Damaged("the sealed credential is too short")
    try:
        plain = AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], context.encode())
    except InvalidTag:
        raise Damaged(
            "the sealed credential was changed after sealing, or belongs to another record"
        ) from None
    return plain.decode()


def reseal(sealed: str, old: bytes, new: bytes, *, context: str) -> str:
    """``sealed`` under ``new`` instead of ``old`` (a key rotation)."""
    return seal(unseal(sealed, old, context=context), new, context=context)
