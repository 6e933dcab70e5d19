"""Encrypt the doors' credentials at rest (IMAP passwords, OAuth2 tokens).

The key is derived from the secret key, so a database dump alone does not reveal them;
rotating ``PINTU_SECRET_KEY`` means entering the credentials again.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    digest = hashlib.sha256(b"pintu-doors-secrets:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def seal(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode() if plain else ""


def unseal(sealed: str) -> str:
    if not sealed:
        return ""
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        raise ValueError(
            "a stored credential cannot be decrypted (was the secret key changed?)"
        ) from None
