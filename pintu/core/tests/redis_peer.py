"""A real Redis for the tests: Debian's redis-server on 127.0.0.1, one per test
process, with no persistence and its files in a scratch folder of its own."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import redis

from pintu.conftest import free_port, require_peer, wait_for

REDIS_SERVER = os.environ.get("PINTU_REDIS_SERVER", "/usr/bin/redis-server")


@dataclass
class RedisServer:
    url: str
    process: subprocess.Popen[bytes]

    def client(self) -> Any:
        return redis.Redis.from_url(self.url)

    def answers(self) -> bool:
        try:
            return bool(self.client().ping())
        except redis.ConnectionError:
            return False


def redis_session() -> Iterator[RedisServer]:
    require_peer(
        "redis-server",
        Path(REDIS_SERVER).exists(),
        f"{REDIS_SERVER} is missing; install Debian's redis-server package",
    )
    scratch = tempfile.mkdtemp(prefix="pintu-redis-")
    port = free_port()
    process = subprocess.Popen(
        [
            REDIS_SERVER,
            "--bind", "127.0.0.1",
            "--port", str(port),
            "--dir", scratch,
            "--save", "",
            "--appendonly", "no",
            "--daemonize", "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    server = RedisServer(url=f"redis://127.0.0.1:{port}/0", process=process)
    try:
        wait_for(server.answers, "redis-server to answer", seconds=20)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=20)
        shutil.rmtree(scratch, ignore_errors=True)
