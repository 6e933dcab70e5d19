"""Django's cache, shared by every web and worker process on every host: the database's
table ``pintu_cache`` by default (made by ``pintu migrate``), Redis with
``PINTU_REDIS_URL``. What must agree across processes lives there: the rate limits'
counts (``pintu.core.ratelimit``) and the token of the working calendars
(``pintu.sla.calendars``). Sessions and sign-in lockouts are rows in the database.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

CACHE_TABLE = "pintu_cache"
DATABASE_BACKEND = "django.core.cache.backends.db.DatabaseCache"
REDIS_BACKEND = "django.core.cache.backends.redis.RedisCache"
REDIS_SCHEMES = ("redis", "rediss", "unix")


def caches_from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """``CACHES`` as ``PINTU_REDIS_URL`` says: Redis when set, else the database."""
    from pintu.core.env import Env

    url = Env(environ).optional("PINTU_REDIS_URL")
    if url is None:
        return {
            "default": {
                "BACKEND": DATABASE_BACKEND,
                "LOCATION": CACHE_TABLE,
                "OPTIONS": {"MAX_ENTRIES": 20000},
            }
        }
    parts = urlsplit(url)
    if parts.scheme not in REDIS_SCHEMES or not (parts.hostname or parts.path):
        raise ImproperlyConfigured(
            f"PINTU_REDIS_URL={url!r} is not a Redis address: use redis://host:6379/0, "
            "rediss://... (TLS) or unix:///path/to/redis.sock"
        )
    try:
        parts.port  # noqa: B018 (a port that is not a number raises here)
    except ValueError:
        message = f"PINTU_REDIS_URL={url!r} has a port that is not a number"
        raise ImproperlyConfigured(message) from None
    return {
        "default": {
            "BACKEND": REDIS_BACKEND,
            "LOCATION": url,
            # Every key under "pintu:", so that one Redis can serve other programs too.
            "KEY_PREFIX": "pintu",
        }
    }
