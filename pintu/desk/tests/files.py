"""The smallest files that are what they say, for tests that attach something: the
desk checks an attachment's content, not only its name (``pintu.desk.filetypes``)."""

from __future__ import annotations

import struct
import zlib


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x00"))
        + chunk(b"IEND", b"")
    )


PNG = _png()
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8 \x0e\x00\x00\x00" + b"\x00" * 14
OGG = b"OggS\x00\x02" + b"\x00" * 20 + b"\x01\x13OpusHead" + b"\x00" * 10
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 16
# A Windows program (the MZ header of a PE executable).
PROGRAM = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48

BY_TYPE = {
    "image/png": PNG,
    "image/jpeg": JPEG,
    "application/pdf": PDF,
    "image/webp": WEBP,
    "audio/ogg": OGG,
    "video/mp4": MP4,
}


def content_of(mime: str) -> bytes:
    """A file of type ``mime`` (its parameters ignored); text for any text type."""
    base = mime.split(";")[0].strip().lower()
    return BY_TYPE.get(base, f"contoh {base}\n".encode())
