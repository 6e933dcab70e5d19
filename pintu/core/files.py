"""Where Pintu keeps its files (attachments, documents, assets, reports, archives):
the local ``var/media`` folder by default, or an S3-compatible object store with
``PINTU_STORAGE_URL=s3://bucket/prefix``, so that several hosts share them.

Every file goes through Django's storage API, and people get them only through the
access-checked views (``pintu.core.downloads.stored_file``): the bucket is private,
its objects carry no public ACL and any URL the backend makes is signed. A store that
cannot be reached raises ``StoreUnavailable``; the page says so (503) and, since the
file is saved before its row in the same transaction, nothing is half-written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"
S3_BACKEND = "pintu.core.objectstore.ObjectStore"
# A bucket name as S3 allows it: 3-63 lower-case letters, digits, dots and hyphens.
_BUCKET_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz0123456789.-")


class StoreUnavailable(OSError):
    """The file store could not be reached, or refused what was asked of it."""


class FileMissing(Http404):
    """A record's file is not in the store (lost or removed behind Pintu's back)."""


def storage_from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """The ``STORAGES["default"]`` entry that ``PINTU_STORAGE_URL`` and the
    ``PINTU_S3_*`` variables describe; the local folder (MEDIA_ROOT) when unset."""
    from pintu.core.env import Env

    env = Env(environ)
    url = env.optional("PINTU_STORAGE_URL")
    if url is None or url == "file:":
        return {"BACKEND": LOCAL_BACKEND}
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ImproperlyConfigured(
            f"PINTU_STORAGE_URL={url!r} is not an object store: use s3://bucket/prefix "
            "(or leave it unset for the local var/media folder)"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ImproperlyConfigured(
            f"PINTU_STORAGE_URL={url!r}: put only the bucket and prefix in the URL; the "
            "keys go in PINTU_S3_ACCESS_KEY_ID and PINTU_S3_SECRET_ACCESS_KEY"
        )
    bucket = parts.netloc
    if not 3 <= len(bucket) <= 63 or not set(bucket) <= _BUCKET_CHARACTERS:
        raise ImproperlyConfigured(
            f"PINTU_STORAGE_URL={url!r} names no valid bucket: s3://bucket/prefix, the "
            "bucket 3-63 lower-case letters, digits, dots or hyphens"
        )
    endpoint = env.optional("PINTU_S3_ENDPOINT_URL")
    if endpoint is not None and urlsplit(endpoint).scheme not in ("http", "https"):
        raise ImproperlyConfigured(
            f"PINTU_S3_ENDPOINT_URL={endpoint!r} is not an http:// or https:// address"
        )
    access_key = env.optional("PINTU_S3_ACCESS_KEY_ID")
    secret_key = env.optional("PINTU_S3_SECRET_ACCESS_KEY")
    if (access_key is None) != (secret_key is None):
        raise ImproperlyConfigured(
            "PINTU_S3_ACCESS_KEY_ID and PINTU_S3_SECRET_ACCESS_KEY go together: set both "
            "(or neither, to use the host's own credentials)"
        )
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            "location": parts.path.strip("/"),
            "endpoint_url": endpoint,
            "region_name": env.optional("PINTU_S3_REGION"),
            "access_key": access_key,
            "secret_key": secret_key,
        },
    }


def stored_file_opened(file: Any) -> Any:
    """``file`` (a FieldFile) opened for reading, or ``FileMissing`` when the store has
    no such file: logged, since a kept record has lost its content."""
    try:
        return file.open("rb")
    except FileNotFoundError:
        log.error("the file %s of a kept record is missing from the file store", file.name)
        raise FileMissing(file.name) from None


class FileStoreErrorsMiddleware:
    """Say plainly what went wrong with the file store instead of a bare 500 or 404."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, FileMissing):
            status, template = 404, "core/file_missing.html"
            message = _("The file of this record is missing from the file store.")
        elif isinstance(exception, StoreUnavailable):
            log.error("file store unavailable: %s", exception)
            status, template = 503, "core/store_unavailable.html"
            message = _("The file store cannot be reached; nothing was saved. Try again later.")
        else:
            return None
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=status)
        from django.shortcuts import render  # not at import: the settings import this module

        response = render(request, template, status=status)
        if status == 503:
            response["Retry-After"] = "60"
        return response
