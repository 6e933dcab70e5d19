"""Text from mail bytes whatever their label says: declared charsets, RFC 2047 encoded
words, and the fallbacks for undeclared 8-bit text. Pure."""

from __future__ import annotations

import base64
import codecs
import re
from collections.abc import Sequence

# Undeclared 8-bit text is tried as UTF-8 first, then these, then Latin-1 (which cannot
# fail). A site whose correspondents write KOI8-R or Windows-1251 puts them here.
DEFAULT_FALLBACK_CHARSETS: tuple[str, ...] = ("cp1252",)

# Labels that name no charset at all: decode as if nothing were declared.
_UNDECLARED = {"", "ascii", "unknown-8bit", "x-unknown", "unknown", "default", "x-user-defined"}
# Charsets mail software declares for text written in a wider one. GB2312 and GBK are
# subsets of GB18030; "ISO-8859-1" mail is, in practice, Windows-1252 (as browsers read it).
_WIDER = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "iso8859-1": "cp1252",
    "euc_kr": "cp949",
    "shift_jis": "cp932",
    "iso2022_jp": "iso2022_jp_2",
    "big5": "big5hkscs",
}
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?]*)\?=")
_LABEL_ALIASES = {"iso-8859-8-i": "iso-8859-8", "unicode-1-1-utf-7": "utf-7", "x-gbk": "gbk"}


def codec_for(label: str | None) -> str | None:
    """The Python codec for a declared charset label, or None when it names nothing usable."""
    name = (label or "").strip().strip("\"'").lower()
    name = _LABEL_ALIASES.get(name, name)
    if name in _UNDECLARED:
        return None
    try:
        canonical = _codec_name(name)
    except (LookupError, ValueError):  # unknown, or not even a name (a NUL in it)
        return None
    if canonical == "ascii":
        return None
    return _WIDER.get(canonical, canonical)


def _codec_name(name: str) -> str:
    info = codecs.lookup(name)
    # base64, rot13, zlib... are codecs too, but not text encodings.
    if not getattr(info, "_is_text_encoding", True):
        raise LookupError(name)
    return info.name


def decode_bytes(
    data: bytes, declared: str | None, fallbacks: Sequence[str] = DEFAULT_FALLBACK_CHARSETS
) -> str:
    """Text from bytes whatever their label says: the declared charset, else UTF-8, else
    the declared one with a few characters replaced when it is mostly right, else the
    fallbacks, else Latin-1 (every byte stays visible)."""
    codec = codec_for(declared)
    if codec:
        try:
            return data.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    if data.isascii():
        return data.decode("ascii")
    if codec != "utf-8":
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if codec:
        try:
            text = data.decode(codec, "replace")
        except LookupError:
            text = ""
        if text and text.count("\ufffd") * 100 <= len(text):
            return text
    for charset in fallbacks:
        try:
            return data.decode(charset)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")


def has_surrogates(text: str) -> bool:
    return any("\udc80" <= ch <= "\udcff" for ch in text)


def decode_words(text: str, fallbacks: Sequence[str] = DEFAULT_FALLBACK_CHARSETS) -> str:
    """Decode RFC 2047 encoded words, tolerant of bad padding and of words that split a
    multi-byte character (adjacent words in one charset are joined before decoding)."""
    out: list[str] = []
    pending = b""
    pending_charset = ""
    position = 0

    def flush() -> None:
        nonlocal pending, pending_charset
        if pending_charset:
            out.append(decode_bytes(pending, pending_charset, fallbacks))
        pending, pending_charset = b"", ""

    for match in _ENCODED_WORD.finditer(text):
        between = text[position : match.start()]
        if not (pending_charset and not between.strip()):
            flush()
            out.append(between)
        charset = match[1].split("*", 1)[0]
        data = _decode_word(match[2].upper(), match[3])
        if pending_charset and charset.lower() == pending_charset.lower():
            pending += data
        else:
            flush()
            pending, pending_charset = data, charset
        position = match.end()
    flush()
    out.append(text[position:])
    return "".join(out)


def _decode_word(encoding: str, payload: str) -> bytes:
    if encoding == "B":
        letters = re.sub(r"[^A-Za-z0-9+/]", "", payload)
        if len(letters) % 4 == 1:
            letters = letters[:-1]
        return base64.b64decode(letters + "=" * (-len(letters) % 4))
    data = payload.replace("_", " ").encode("utf-8", "surrogateescape")
    return re.sub(rb"=([0-9A-Fa-f]{2})", lambda m: bytes([int(m[1], 16)]), data)
