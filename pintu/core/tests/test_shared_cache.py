"""The cache every process shares (``pintu.core.caches``): the database's table by
default, made by ``pintu migrate`` alone, or Redis with ``PINTU_REDIS_URL``; the rate
limits count the requests of one address across processes in either."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from pintu.conftest import child_environment
from pintu.core.caches import CACHE_TABLE, DATABASE_BACKEND, REDIS_BACKEND, caches_from_environment
from pintu.core.ratelimit import hit
from pintu.core.tests.test_settings import run_pintu

# One fixed window, so that no test straddles two.
MOMENT = 1_800_000_000.0
LIMIT, WINDOW = 5, 3600

HITS = f"""
import sys, django
django.setup()
from pintu.core.ratelimit import hit
waits = [hit("login", "203.0.113.7", limit={LIMIT}, window={WINDOW}, now={MOMENT})
         for _ in range(int(sys.argv[1]))]
print(" ".join(str(wait) for wait in waits))
"""


def hits_in_another_process(count: int, **environ: str) -> list[int]:
    done = subprocess.run(
        [sys.executable, "-c", HITS, str(count)],
        env=child_environment(**environ),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [int(wait) for wait in done.stdout.split()]


@pytest.mark.django_db(transaction=True)
def test_the_rate_limit_counts_one_address_across_processes(
    shared_cache: dict[str, str],
) -> None:
    assert hits_in_another_process(3, **shared_cache) == [0, 0, 0]
    assert hits_in_another_process(2, **shared_cache) == [0, 0]
    # This process is the third to count: the sixth request of the address is refused.
    assert hit("login", "203.0.113.7", limit=LIMIT, window=WINDOW, now=MOMENT) > 0
    assert hit("login", "198.51.100.1", limit=LIMIT, window=WINDOW, now=MOMENT) == 0


def test_a_fresh_database_gets_the_cache_table_from_migrate_alone(tmp_path: Path) -> None:
    migrated = run_pintu(tmp_path, "migrate", "--noinput")
    assert migrated.returncode == 0, migrated.stderr
    shell = run_pintu(
        tmp_path,
        "shell",
        "-c",
        "from django.core.cache import cache; cache.set('k', 'v'); print(cache.get('k'))",
    )
    assert shell.returncode == 0, shell.stderr
    assert shell.stdout.splitlines()[-1] == "v"


def test_the_cache_is_the_database_unless_redis_is_named() -> None:
    default = caches_from_environment({})["default"]
    assert (default["BACKEND"], default["LOCATION"]) == (DATABASE_BACKEND, CACHE_TABLE)
    redis = caches_from_environment({"PINTU_REDIS_URL": "rediss://cache.kampus:6380/2"})
    assert redis["default"]["BACKEND"] == REDIS_BACKEND
    assert redis["default"]["LOCATION"] == "rediss://cache.kampus:6380/2"


@pytest.mark.parametrize(
    "url", ["127.0.0.1:6379", "http://127.0.0.1:6379", "redis://", "redis://host:port/0"]
)
def test_a_malformed_redis_url_is_refused_naming_it(url: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="PINTU_REDIS_URL="):
        caches_from_environment({"PINTU_REDIS_URL": url})
