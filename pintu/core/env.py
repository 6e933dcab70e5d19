"""Read settings from the environment, failing loudly on values that cannot be right.

Every helper takes the mapping to read (``os.environ`` by default) so tests can hand in
their own, and raises ``ImproperlyConfigured`` naming the variable and what it expected.
"""

from __future__ import annotations

import os
import secrets
import zoneinfo
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


class Env:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self.environ: Mapping[str, str] = os.environ if environ is None else environ

    def _raw(self, name: str) -> str | None:
        value = self.environ.get(name)
        if value is None or value.strip() == "":
            return None
        return value.strip()

    def text(self, name: str, default: str) -> str:
        value = self._raw(name)
        return default if value is None else value

    def optional(self, name: str) -> str | None:
        return self._raw(name)

    def required(self, name: str, why: str) -> str:
        value = self._raw(name)
        if value is None:
            raise ImproperlyConfigured(f"{name} must be set: {why}")
        return value

    def flag(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        lowered = value.lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ImproperlyConfigured(
            f"{name}={value!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off"
        )

    def number(self, name: str, default: int, *, minimum: int | None = None) -> int:
        value = self._raw(name)
        if value is None:
            return default
        try:
            number = int(value)
        except ValueError:
            raise ImproperlyConfigured(f"{name}={value!r} is not a whole number") from None
        if minimum is not None and number < minimum:
            raise ImproperlyConfigured(f"{name}={number} is below the minimum of {minimum}")
        return number

    def items(self, name: str, default: list[str]) -> list[str]:
        value = self._raw(name)
        if value is None:
            return list(default)
        return [item.strip() for item in value.split(",") if item.strip()]

    def days(self, name: str, default: tuple[int, ...]) -> tuple[int, ...]:
        """``"180,90,30"`` → ``(180, 90, 30)``: whole numbers of days from 1, largest
        first (e.g. the days before a deadline on which to remind)."""
        value = self._raw(name)
        if value is None:
            return default
        days = set()
        for item in value.split(","):
            text = item.strip()
            if not text.isdigit() or int(text) < 1:
                raise ImproperlyConfigured(
                    f"{name}: {item.strip()!r} is not a number of days (e.g. 180,90,30)"
                )
            days.add(int(text))
        return tuple(sorted(days, reverse=True))

    def month_day(self, name: str, default: str) -> tuple[int, int]:
        """``"01-31"`` → ``(1, 31)``: a day of the year, as MM-DD."""
        value = self.text(name, default)
        month, _, day = value.partition("-")
        try:
            date(2000, int(month), int(day))  # 2000: a leap year, so 02-29 is a day
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}={value!r} is not a day of the year as MM-DD (e.g. 01-31)"
            ) from None
        return int(month), int(day)

    def percent_map(self, name: str) -> dict[str, float]:
        """``"15m:50,1mo:80"`` → ``{"15m": 0.5, "1mo": 0.8}``: a share per key."""
        value = self._raw(name)
        if value is None:
            return {}
        shares: dict[str, float] = {}
        for item in value.split(","):
            key, _, percent = item.strip().partition(":")
            if not key or not percent.strip().isdigit() or not 0 < int(percent) <= 100:
                raise ImproperlyConfigured(
                    f"{name}: {item.strip()!r} should look like 15m:50 (a percent from 1 to 100)"
                )
            shares[key.strip()] = int(percent) / 100
        return shares

    def choice(self, name: str, default: str, choices: tuple[str, ...]) -> str:
        value = self.text(name, default)
        if value not in choices:
            raise ImproperlyConfigured(f"{name}={value!r} must be one of: {', '.join(choices)}")
        return value

    def timezone(self, name: str, default: str) -> str:
        value = self.text(name, default)
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ImproperlyConfigured(
                f"{name}={value!r} is not a known time zone (e.g. Asia/Jakarta)"
            ) from None
        return value


def local_secret_key(path: Path) -> str:
    """Return the secret key kept in ``path``, generating it on first use (local runs only)."""
    if path.exists():
        key = path.read_text(encoding="utf-8").strip()
        if len(key) < 50:
            raise ImproperlyConfigured(f"{path} holds a secret key shorter than 50 characters")
        return key
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    # Create with 0600 so the key is never world-readable, even for a moment.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key + "\n")
    return key
