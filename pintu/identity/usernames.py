"""Directory usernames from a person's name and number, by a configurable pattern, with
the next free one taken when the first is in use.

Pure: no ORM, no settings. The pattern's placeholders are ``{first}`` and ``{last}``
(the first and last word of the name, titles and degrees left out), ``{f}`` and ``{l}``
(their first letters), ``{id}`` (the NIM/NIP/NIK) and ``{kind}`` (mahasiswa, dosen,
pegawai). Whatever the name, the result is 1 to 32 characters of ``a-z 0-9 . _ -``
beginning with a letter or digit, which every directory and POSIX system accepts.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Container, Iterator

MAX_LENGTH = 32
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,31}$")
PLACEHOLDERS = frozenset({"first", "last", "f", "l", "id", "kind"})
SEPARATORS = "._-"
# Titles and degrees written before or after Indonesian names (Dr., Ir., H., S.T.,
# M.Kom., ...), compared without their dots.
_TITLE_WORDS = (
    "dr drs dra ir prof h hj st mt mkom msi mm se sh spd mpd ssi "
    "sst amd ama ms phd msc bsc ba ma skom skm sked sp mh mak meng"
)
TITLES = frozenset(_TITLE_WORDS.split())


class PatternError(ValueError):
    """The pattern names a placeholder that does not exist, or none at all."""


def check_pattern(pattern: str) -> None:
    fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    unknown = fields - PLACEHOLDERS
    if unknown:
        raise PatternError(
            f"unknown placeholder(s) {', '.join(sorted(unknown))}; "
            f"use {', '.join('{' + p + '}' for p in sorted(PLACEHOLDERS))}"
        )
    if not fields:
        raise PatternError("the pattern has no placeholder, so every username would be the same")


def ascii_words(text: str) -> list[str]:
    """The words of ``text`` in lower-case ASCII (accents folded, other signs dropped)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return [word for word in re.split(r"[^a-z0-9]+", folded) if word]


def name_words(full_name: str) -> list[str]:
    """The name's own words: what follows the first comma (the degrees) and the titles
    written with a dot (Dr., H., Ir.) left out; a name of one word keeps it."""
    tokens = full_name.split(",", 1)[0].split()
    words = []
    for raw in tokens:
        if "." in raw and raw.replace(".", "").lower() in TITLES and len(tokens) > 1:
            continue
        words.extend(ascii_words(raw))
    return words


def _tidy(text: str) -> str:
    text = re.sub(r"[^a-z0-9._-]", "", text.lower())
    text = re.sub(r"[._-]{2,}", lambda m: m.group(0)[0], text)
    return text.strip(SEPARATORS)[:MAX_LENGTH].strip(SEPARATORS)


def username_base(pattern: str, *, full_name: str, id_number: str, kind: str) -> str:
    """The username ``pattern`` makes for a person (before any collision)."""
    check_pattern(pattern)
    words = name_words(full_name)
    first = words[0] if words else ""
    last = words[-1] if len(words) > 1 else ""
    number = "".join(ascii_words(id_number))
    made = _tidy(
        pattern.format(
            first=first,
            last=last,
            f=first[:1],
            l=last[:1],
            id=number,
            kind="".join(ascii_words(kind)),
        )
    )
    if USERNAME.match(made):
        return made
    return _tidy(f"u{number}") or "u"


def candidates(base: str) -> Iterator[str]:
    """``base``, then ``base2``, ``base3``, ... each cut to fit ``MAX_LENGTH``."""
    yield base
    number = 2
    while True:
        suffix = str(number)
        yield _tidy(base[: MAX_LENGTH - len(suffix)]) + suffix
        number += 1


def username_for(
    pattern: str, taken: Container[str], *, full_name: str, id_number: str, kind: str
) -> str:
    """The first candidate of the pattern's username that is not ``taken``."""
    base = username_base(pattern, full_name=full_name, id_number=id_number, kind=kind)
    return next(candidate for candidate in candidates(base) if candidate not in taken)
