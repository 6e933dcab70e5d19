"""A real S3-compatible server for the tests: moto's server mode on 127.0.0.1, one per
test process, spoken to over HTTP by the same boto3 code production runs.

It runs in this process (a thread), so that the tests can stop it, which closes its
port as a store gone down does, and start it again on the same port with the objects
it kept, as a store that comes back.
"""

from __future__ import annotations

import importlib.util
import logging
import uuid
from collections.abc import Iterator
from typing import Any

import boto3

from pintu.conftest import free_port, require_peer
from pintu.core.files import storage_from_environment

REGION = "us-east-1"
KEY_ID, SECRET = "pintu-test", "pintu-test-secret"


class S3Server:
    def __init__(self) -> None:
        self.port = free_port()
        self.server: Any = None
        self.bucket = ""  # the bucket of the test now running (the object_store fixture's)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        if self.server is not None:
            return
        from moto.server import ThreadedMotoServer

        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self.server.start()

    def stop(self) -> None:
        """Down: the port closed, so a client is refused at once (its objects are kept)."""
        if self.server is None:
            return
        self.server.stop()
        self.server._server.server_close()
        self.server = None

    def environment(self, bucket: str, prefix: str = "pintu") -> dict[str, str]:
        """The variables an operator sets to put Pintu's files in ``bucket``."""
        return {
            "PINTU_STORAGE_URL": f"s3://{bucket}/{prefix}",
            "PINTU_S3_ENDPOINT_URL": self.endpoint,
            "PINTU_S3_REGION": REGION,
            "PINTU_S3_ACCESS_KEY_ID": KEY_ID,
            "PINTU_S3_SECRET_ACCESS_KEY": SECRET,
        }

    def storage(self, bucket: str) -> dict[str, Any]:
        """The ``STORAGES["default"]`` entry those variables give (the settings' own)."""
        return storage_from_environment(self.environment(bucket))

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=KEY_ID,
            aws_secret_access_key=SECRET,
        )

    def new_bucket(self) -> str:
        self.bucket = f"pintu-{uuid.uuid4().hex[:12]}"
        self.client().create_bucket(Bucket=self.bucket)
        return self.bucket

    def keys(self) -> list[str]:
        listed = self.client().list_objects_v2(Bucket=self.bucket)
        return sorted(entry["Key"] for entry in listed.get("Contents", ()))


def s3_session() -> Iterator[S3Server]:
    require_peer(
        "moto's S3 server",
        importlib.util.find_spec("moto") is not None
        and importlib.util.find_spec("flask") is not None,
        "install the dev extras: pip install -e '.[dev]' (moto[server])",
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # a line per request otherwise
    server = S3Server()
    server.start()
    yield server
    server.stop()
