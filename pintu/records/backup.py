"""`pintu backup` and `pintu restore`: the database and every stored file in one tar.

SQLite is copied with its online backup API (the site may keep running); PostgreSQL
with ``pg_dump --format=custom`` and put back with ``pg_restore``. Stored files
(attachments, KPI evidence, retention archives) are read and written through Django's
storage API; raw e-mails and WhatsApp payloads are rows of the database. A SHA-256
manifest covers every member, and a restore checks it before it touches anything.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage, default_storage
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from pintu import __version__

FORMAT = 1
META = "pintu-backup.json"
MANIFEST = "MANIFEST.sha256"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
FILES = "files/"


class BackupError(Exception):
    """A backup that cannot be made or restored, said in words."""


@dataclass(frozen=True)
class Summary:
    engine: str
    files: int
    database_bytes: int


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in ("sqlite", "postgresql"):
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return vendor


def stored_files(storage: Storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage``, walking its folders."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from stored_files(storage, f"{folder}/{sub}" if folder else sub)


def _pg_environment() -> tuple[list[str], dict[str, str]]:
    settings = connection.settings_dict
    args = ["--dbname", settings["NAME"], "--no-password"]
    if settings.get("HOST"):
        args += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["--username", str(settings["USER"])]
    environ = dict(os.environ)
    if settings.get("PASSWORD"):
        environ["PGPASSWORD"] = str(settings["PASSWORD"])
    return args, environ


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client)")
    return found


def _dump_database(engine: str, scratch: Path) -> tuple[str, Path]:
    if engine == "sqlite":
        target = scratch / SQLITE_MEMBER
        source = sqlite3.connect(connection.settings_dict["NAME"])
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)
        finally:
            copy.close()
            source.close()
        return SQLITE_MEMBER, target
    target = scratch / PG_MEMBER
    args, environ = _pg_environment()
    # The arguments are the configured database's settings, never a user's input.
    result = subprocess.run(  # noqa: S603
        [_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *args],
        env=environ,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return PG_MEMBER, target


def _applied_migrations() -> list[str]:
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mode, info.mtime = len(data), 0o600, int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def backup(output: Path, *, storage: Storage | None = None) -> Summary:
    """Write the database and every stored file to ``output`` (a .tar.gz)."""
    storage = storage or default_storage
    engine = _engine()
    digests: dict[str, str] = {}
    partial = output.with_name(output.name + ".partial")
    with tempfile.TemporaryDirectory() as scratch:
        member, dump = _dump_database(engine, Path(scratch))
        names = list(stored_files(storage))
        meta = {
            "format": FORMAT,
            "pintu": __version__,
            "engine": engine,
            "created_at": timezone.now().isoformat(),
            "migrations": _applied_migrations(),
            "files": len(names),
        }
        with tarfile.open(partial, "w:gz") as tar:
            data = dump.read_bytes()
            digests[member] = hashlib.sha256(data).hexdigest()
            _add(tar, member, data)
            for name in names:
                with storage.open(name, "rb") as handle:
                    content = handle.read()
                digests[FILES + name] = hashlib.sha256(content).hexdigest()
                _add(tar, FILES + name, content)
            meta_bytes = json.dumps(meta, indent=1).encode()
            digests[META] = hashlib.sha256(meta_bytes).hexdigest()
            _add(tar, META, meta_bytes)
            manifest = "".join(f"{digest}  {name}\n" for name, digest in sorted(digests.items()))
            _add(tar, MANIFEST, manifest.encode())
    partial.replace(output)
    return Summary(engine=engine, files=len(names), database_bytes=len(data))


def _read(path: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The backup's metadata and members, after checking every member's SHA-256."""
    try:
        with tarfile.open(path, "r:gz") as tar:
            members = {}
            for info in tar.getmembers():
                handle = tar.extractfile(info)
                if handle is not None:
                    members[info.name] = handle.read()
    except (OSError, tarfile.TarError, EOFError, zlib.error) as error:
        raise BackupError(f"{path} is not a Pintu backup: {error}") from None
    if MANIFEST not in members or META not in members:
        raise BackupError(f"{path} is not a Pintu backup: it has no {MANIFEST} or {META}")
    listed = {}
    for line in members.pop(MANIFEST).decode().splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    for name in sorted(set(listed) | set(members)):
        if name not in members:
            raise BackupError(f"{path}: {name} is listed in the manifest but missing")
        if listed.get(name) != hashlib.sha256(members[name]).hexdigest():
            raise BackupError(f"{path}: {name} does not match its SHA-256 in the manifest")
    return json.loads(members.pop(META)), members


def restore(path: Path, *, storage: Storage | None = None) -> Summary:
    """Put the database and the stored files back as they were in the backup at
    ``path``; files stored since then that the backup does not hold are removed."""
    storage = storage or default_storage
    engine = _engine()
    meta, members = _read(path)
    if meta.get("format") != FORMAT:
        raise BackupError(f"{path}: backup format {meta.get('format')} is not {FORMAT}")
    if meta["engine"] != engine:
        raise BackupError(
            f"{path} is a {meta['engine']} backup; this Pintu runs on {engine} "
            "(restore it on the same kind of database)"
        )
    known = {f"{app}.{name}" for app, name in MigrationLoader(None).disk_migrations}
    unknown = sorted(set(meta["migrations"]) - known)
    if unknown:
        raise BackupError(
            f"{path} was made by a newer Pintu: migrations {', '.join(unknown[:5])} are "
            "unknown here; upgrade first"
        )
    member = SQLITE_MEMBER if engine == "sqlite" else PG_MEMBER
    database = members.pop(member)
    connections.close_all()
    with tempfile.TemporaryDirectory() as scratch:
        dump = Path(scratch) / member
        dump.write_bytes(database)
        if engine == "sqlite":
            _restore_sqlite(dump)
        else:
            _restore_postgresql(dump)
    kept = {name[len(FILES) :]: data for name, data in members.items() if name.startswith(FILES)}
    for name in stored_files(storage):
        if name not in kept:
            storage.delete(name)
    for name, data in kept.items():
        if storage.exists(name):
            storage.delete(name)
        saved = storage.save(name, ContentFile(data))
        if saved != name:
            raise BackupError(f"the storage kept {name} as {saved}")
    return Summary(engine=engine, files=len(kept), database_bytes=len(database))


def _restore_sqlite(dump: Path) -> None:
    source = sqlite3.connect(dump)
    target = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _restore_postgresql(dump: Path) -> None:
    args, environ = _pg_environment()
    result = subprocess.run(  # noqa: S603
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            *args,
            str(dump),
        ],
        env=environ,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")
