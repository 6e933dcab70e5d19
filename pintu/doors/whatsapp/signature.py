"""Meta's proofs that a webhook call is genuine: the verify token of the subscription
handshake and the ``X-Hub-Signature-256`` HMAC over the raw body of every POST.

Pure functions; every comparison runs in constant time.
"""

from __future__ import annotations

import enum
import hashlib
import hmac

HEADER = "X-Hub-Signature-256"
PREFIX = "sha256="


class Verdict(enum.Enum):
    MISSING = "missing"  # no signature header at all
    INVALID = "invalid"  # a header that does not match (or no secret to check it with)
    VALID = "valid"


def sign(body: bytes, secret: str) -> str:
    """The header value Meta sends for ``body``: ``sha256=`` and the hex HMAC-SHA256
    of the exact bytes, keyed with the app secret."""
    return PREFIX + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify(body: bytes, header: str | None, secret: str) -> Verdict:
    """Check a POST's signature header against its raw body."""
    if header is None or not header.strip():
        return Verdict.MISSING
    if not secret:
        return Verdict.INVALID
    given = header.strip()
    # Meta writes lower-case hex; accept upper case too rather than refuse a real call.
    scheme, _, digest = given.partition("=")
    candidate = f"{scheme.lower()}={digest.lower()}"
    if hmac.compare_digest(candidate.encode(), sign(body, secret).encode()):
        return Verdict.VALID
    return Verdict.INVALID


def token_matches(given: str | None, expected: str) -> bool:
    """The subscription handshake's ``hub.verify_token`` against ours. An unset token
    matches nothing, so a server that was never configured cannot be subscribed."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())
