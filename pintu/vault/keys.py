"""Where the vault's key comes from: ``PINTU_VAULT_KEY`` (the key itself) or
``PINTU_VAULT_KEY_FILE`` (a file holding it), never the database.

Read at each use, never copied into a module global, so that a rotation takes effect
when the processes restart with the new key. In development, without either, a key is
made once into ``var/vault_key`` (mode 0600), as the secret key is.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from pintu.vault.envelope import BadKey, new_key, parse_key


class KeyUnavailable(ImproperlyConfigured):
    """No usable key is configured; the message names the setting to fix."""


def key_file() -> Path | None:
    """The key file in use: the configured one, else the development default."""
    if settings.PINTU_VAULT_KEY_FILE:
        return Path(settings.PINTU_VAULT_KEY_FILE)
    if settings.PINTU_VAULT_KEY or settings.PRODUCTION:
        return None
    return Path(settings.VAR_DIR) / "vault_key"


def current_key() -> bytes:
    if settings.PINTU_VAULT_KEY:
        try:
            return parse_key(settings.PINTU_VAULT_KEY)
        except BadKey as error:
            raise KeyUnavailable(f"PINTU_VAULT_KEY is not usable: {error}") from None
    path = key_file()
    if path is None:
        raise KeyUnavailable(
            "no vault key is configured: set PINTU_VAULT_KEY or PINTU_VAULT_KEY_FILE "
            "(make one with `pintu vault new-key`)"
        )
    if not path.exists() and not settings.PINTU_VAULT_KEY_FILE:
        write_key_file(path, new_key())  # development only: see key_file
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise KeyUnavailable(f"the vault key file {path} cannot be read: {error}") from None
    try:
        return parse_key(text)
    except BadKey as error:
        raise KeyUnavailable(f"the vault key file {path} is not usable: {error}") from None


def stage_key_file(path: Path, key: str) -> Path:
    """Write ``key`` beside ``path`` (as ``<name>.new``, readable by its owner only) and
    return where: a rotation stages the new key before it re-seals, so that the key is
    on disk before any credential needs it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    staged = path.with_name(path.name + ".new")
    staged.unlink(missing_ok=True)
    fd = os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return staged


def write_key_file(path: Path, key: str) -> None:
    """Replace ``path`` with ``key`` in one step: a reader sees the old key or the new
    one, never half a file."""
    os.replace(stage_key_file(path, key), path)
