"""What a file really is, read from its content: an attachment must be what its name
says (a ``.pdf`` that is a program is refused), and requesters read the accepted kinds
as a few words ("PDF, gambar, dokumen Office") instead of a list of extensions.

Pure: no ORM. The content is recognised by the ``filetype`` library (magic numbers);
text formats have none, so for them the content must read as text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import filetype

# What the content may be recognised as, per extension of the name.
_RECOGNISED: dict[str, frozenset[str]] = {
    "pdf": frozenset({"pdf"}),
    "png": frozenset({"png", "apng"}),
    "jpg": frozenset({"jpg"}),
    "jpeg": frozenset({"jpg"}),
    "gif": frozenset({"gif"}),
    "webp": frozenset({"webp"}),
    "doc": frozenset({"doc"}),
    "xls": frozenset({"xls"}),
    "ppt": frozenset({"ppt"}),
    # Office Open XML and OpenDocument files are ZIP archives inside; a plain reader may
    # see only the archive.
    "docx": frozenset({"docx", "zip"}),
    "xlsx": frozenset({"xlsx", "zip"}),
    "pptx": frozenset({"pptx", "zip"}),
    "odt": frozenset({"odt", "zip"}),
    "ods": frozenset({"ods", "zip"}),
    "odp": frozenset({"odp", "zip"}),
    "zip": frozenset({"zip", "docx", "xlsx", "pptx", "odt", "ods", "odp", "epub"}),
    "ogg": frozenset({"ogg"}),
    "opus": frozenset({"ogg"}),
    "mp3": frozenset({"mp3"}),
    "m4a": frozenset({"m4a", "mp4"}),
    "mp4": frozenset({"mp4", "m4v", "m4a", "mov"}),
}
# Formats without a signature of their own: their content must read as text.
TEXT = frozenset({"txt", "csv", "eml", "ics", "asc"})
# Binary signatures (PKCS #7, detached OpenPGP) have no magic number either; they are
# accepted unless their content is recognised as something else.
_UNMARKED = frozenset({"p7s", "sig"})
# The compound-file header of the legacy Office formats (.doc, .xls, .ppt), which the
# library recognises only by streams deeper inside.
_COMPOUND_FILE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_LEGACY_OFFICE = frozenset({"doc", "xls", "ppt"})
# Recognised programs are refused whatever their name says.
PROGRAMS = frozenset({"exe", "elf", "deb", "rpm", "crx", "wasm", "swf"})

Problem = Literal["program", "mismatch", "not text"]


@dataclass(frozen=True)
class Sniffed:
    """What the content was recognised as (its extension and type, when recognised) and,
    when it may not be kept under its name, why."""

    found: str = ""
    mime: str = ""
    problem: Problem | None = None


def _reads_as_text(data: bytes) -> bool:
    if b"\x00" in data[:8192]:
        return False
    try:
        data[:8192].decode("utf-8")
    except UnicodeDecodeError as error:
        # Cut in the middle of a character at the end of the sample is still text.
        return error.start >= len(data[:8192]) - 3
    return True


def sniff(extension: str, data: bytes) -> Sniffed:
    """Check ``data`` against the ``extension`` of its name (lower case, no dot)."""
    kind = filetype.guess(data)
    if kind is not None and kind.extension in PROGRAMS:
        return Sniffed(kind.extension, kind.mime, "program")
    if extension in TEXT:
        if kind is not None or not _reads_as_text(data):
            return Sniffed(kind.extension if kind else "", kind.mime if kind else "", "not text")
        return Sniffed()
    if kind is None:
        if extension in _UNMARKED or (
            extension in _LEGACY_OFFICE and data.startswith(_COMPOUND_FILE)
        ):
            return Sniffed()
        return Sniffed(problem="mismatch")
    if kind.extension in _RECOGNISED.get(extension, frozenset()):
        return Sniffed(kind.extension, kind.mime)
    return Sniffed(kind.extension, kind.mime, "mismatch")


# The kinds requesters read, in the order they read them.
KindOfFile = Literal["pdf", "image", "office", "archive", "audio", "video", "text", "mail"]
_KIND_OF: dict[str, KindOfFile] = {
    "pdf": "pdf",
    **dict.fromkeys(("png", "jpg", "jpeg", "gif", "webp"), "image"),
    **dict.fromkeys(("doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp"), "office"),
    "zip": "archive",
    **dict.fromkeys(("ogg", "opus", "mp3", "m4a"), "audio"),
    "mp4": "video",
    **dict.fromkeys(("txt", "csv"), "text"),
    **dict.fromkeys(("eml", "ics", "asc", "p7s", "sig"), "mail"),
}
KIND_ORDER: tuple[KindOfFile, ...] = (
    "pdf",
    "image",
    "office",
    "archive",
    "audio",
    "video",
    "text",
    "mail",
)


def kinds_of(extensions: Iterable[str]) -> list[KindOfFile | str]:
    """The kinds of file ``extensions`` allow, in reading order; an extension of no known
    kind is named as itself."""
    allowed = {extension.lower() for extension in extensions}
    kinds: list[KindOfFile | str] = [
        kind for kind in KIND_ORDER if any(_KIND_OF.get(e) == kind for e in allowed)
    ]
    kinds += sorted(e for e in allowed if e not in _KIND_OF)
    return kinds
