"""The S3-compatible object store behind ``PINTU_STORAGE_URL=s3://bucket/prefix``
(django-storages and boto3): AWS S3, MinIO, Ceph, Garage and the like.

The policy is fixed here rather than left to ``AWS_*`` settings: objects are private
(no ACL, so the bucket's own policy, which must not be public, applies), any URL made
is signed and short-lived, a new file never replaces one of the same name, and a store
that cannot be reached, or refuses, raises ``StoreUnavailable`` after a few quick tries
instead of hanging the request.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3File, S3Storage
from storages.utils import clean_name

from pintu.core.files import StoreUnavailable

CONNECT_SECONDS = 5
READ_SECONDS = 60
ATTEMPTS = 3


@contextmanager
def _store_errors(doing: str, name: str) -> Iterator[None]:
    try:
        yield
    except (BotoCoreError, ClientError) as error:
        raise StoreUnavailable(f"{doing} {name!r} in the object store failed: {error}") from error


class ObjectFile(S3File):
    """A stored file, read on demand; a store lost mid-read raises StoreUnavailable."""

    def _get_file(self) -> Any:
        with _store_errors("reading", self.name):
            return super()._get_file()

    file = property(_get_file, S3File._set_file)


class ObjectStore(S3Storage):
    default_acl = None
    querystring_auth = True
    querystring_expire = 300
    file_overwrite = False
    # Larger files spill from memory to a temporary file while they are streamed out.
    max_memory_size = 2 * 1024 * 1024

    def __init__(self, **settings: Any) -> None:
        super().__init__(**settings)
        self.client_config = Config(
            connect_timeout=CONNECT_SECONDS,
            read_timeout=READ_SECONDS,
            retries={"max_attempts": ATTEMPTS, "mode": "standard"},
            signature_version="s3v4",
            # A store of one's own (MinIO, moto, ...) rarely has a name per bucket in DNS.
            s3={"addressing_style": "path" if self.endpoint_url else "auto"},
        )

    def _open(self, name: str, mode: str = "rb") -> Any:
        with _store_errors("opening", name):
            try:
                return ObjectFile(self._normalize_name(clean_name(name)), mode, self)
            except ClientError as error:
                if error.response["ResponseMetadata"]["HTTPStatusCode"] == 404:
                    raise FileNotFoundError(f"no file {name!r} in the object store") from None
                raise

    def _save(self, name: str, content: Any) -> str:
        with _store_errors("saving", name):
            return str(super()._save(name, content))

    def delete(self, name: str) -> None:
        with _store_errors("deleting", name):
            super().delete(name)

    def exists(self, name: str) -> bool:
        with _store_errors("looking for", name):
            return bool(super().exists(name))

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        with _store_errors("listing", path):
            return super().listdir(path)

    def size(self, name: str) -> int:
        with _store_errors("measuring", name):
            return int(super().size(name))

    def get_modified_time(self, name: str) -> Any:
        with _store_errors("dating", name):
            return super().get_modified_time(name)
