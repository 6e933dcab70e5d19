"""Archives written before a purge: a tar of the records as JSON Lines, their files and
a SHA-256 manifest, saved through Django's storage API (a local folder or an S3-compatible
store) and read back and checked before anything is deleted."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import tarfile
import tempfile
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core import serializers
from django.core.files import File
from django.core.files.storage import Storage, default_storage, storages
from django.db import models

MANIFEST = "MANIFEST.sha256"
RECORDS = "records.jsonl"
ITEMS = "items.jsonl"


def archive_storage() -> Storage:
    """The storage named ``archive`` in STORAGES when there is one, else the default."""
    return storages["archive"] if "archive" in settings.STORAGES else default_storage


@dataclass
class ArchiveContent:
    """What goes into one archive, gathered before it is written."""

    items: list[dict[str, Any]] = field(default_factory=list)
    rows: list[models.Model] = field(default_factory=list)
    files: dict[str, bytes] = field(default_factory=dict)  # storage name -> content

    def add(
        self, item: Mapping[str, Any], rows: Iterable[models.Model], files: Iterable[Any]
    ) -> None:
        self.items.append(dict(item))
        self.rows.extend(rows)
        for stored in files:
            with stored.storage.open(stored.name, "rb") as handle:
                self.files[stored.name] = handle.read()


@dataclass(frozen=True)
class Written:
    name: str
    sha256: str
    size: int
    problems: tuple[str, ...]

    @property
    def verified(self) -> bool:
        return not self.problems


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _members(content: ArchiveContent) -> dict[str, bytes]:
    records = serializers.serialize("jsonl", content.rows).encode()
    items = "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in content.items)
    members = {RECORDS: records, ITEMS: items.encode()}
    members.update({f"files/{name}": data for name, data in content.files.items()})
    return members


def write_archive(name: str, content: ArchiveContent) -> Written:
    """Write the archive under ``name`` (the storage may adjust it), then read it back
    and check every member against the manifest and against what was gathered."""
    members = _members(content)
    manifest = "".join(f"{_sha(data)}  {member}\n" for member, data in sorted(members.items()))
    with tempfile.SpooledTemporaryFile(max_size=64 * 1024 * 1024) as spool:
        with tarfile.open(fileobj=spool, mode="w:gz") as tar:
            for member, data in [*sorted(members.items()), (MANIFEST, manifest.encode())]:
                info = tarfile.TarInfo(member)
                info.size, info.mode = len(data), 0o640
                tar.addfile(info, io.BytesIO(data))
        spool.seek(0)
        storage = archive_storage()
        saved = storage.save(name, File(spool, name=name))
    expected = {member: _sha(data) for member, data in members.items()}
    return _read_back(storage, saved, expected, len(content.rows))


def _read_back(storage: Storage, name: str, expected: dict[str, str], rows: int) -> Written:
    with storage.open(name, "rb") as handle:
        data = handle.read()
    problems = verify_archive_bytes(data, expected=expected, rows=rows)
    return Written(name=name, sha256=_sha(data), size=len(data), problems=tuple(problems))


def verify_archive_bytes(
    data: bytes, *, expected: Mapping[str, str] | None = None, rows: int | None = None
) -> list[str]:
    """What is wrong with an archive's bytes (nothing: an empty list). Without
    ``expected`` it checks the archive against its own manifest only."""
    try:
        # The whole stream, so that its CRC is checked, padding after the last member too.
        plain = gzip.decompress(data)
        with tarfile.open(fileobj=io.BytesIO(plain), mode="r:") as tar:
            found = {}
            for info in tar.getmembers():
                handle = tar.extractfile(info)
                if handle is not None:
                    found[info.name] = handle.read()
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        return [f"the archive cannot be read: {error}"]
    if MANIFEST not in found:
        return ["the archive has no manifest"]
    listed = {}
    for line in found.pop(MANIFEST).decode().splitlines():
        digest, _, member = line.partition("  ")
        listed[member] = digest
    problems = [
        f"{member}: its SHA-256 differs from the manifest"
        for member, digest in listed.items()
        if member in found and _sha(found[member]) != digest
    ]
    problems += [f"{member}: missing" for member in listed if member not in found]
    problems += [f"{member}: not in the manifest" for member in found if member not in listed]
    if expected is not None:
        problems += [
            f"{member}: differs from the record it archives"
            for member, digest in expected.items()
            if listed.get(member) != digest
        ]
    if rows is not None and RECORDS in found:
        lines = found[RECORDS].decode().splitlines()
        if len(lines) != rows:
            problems.append(f"{RECORDS}: {len(lines)} records where {rows} were written")
    return problems
