"""The mail parser on hand-built damage and on generated messages: what a person reads
comes out decoded, every attachment comes out with its name and its exact bytes."""

from __future__ import annotations

import base64
import quopri
from dataclasses import dataclass
from email.header import Header
from typing import Any
from urllib.parse import quote

import nh3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pintu.doors.email import markup
from pintu.doors.email.charsets import decode_bytes, decode_words
from pintu.doors.email.markup import html_to_text
from pintu.doors.email.mime import message_id_of, safe_filename
from pintu.doors.email.parse import UnparseableEmail, parse_email


def mail(*headers: str, body: str | bytes = "Halo.\n") -> bytes:
    """A message from header lines and a body, CRLF line ends as on the wire."""
    head = "\r\n".join(headers).encode("utf-8", "surrogateescape")
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    return head + b"\r\n\r\n" + data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


BASIC = ("From: Budi <budi@example.ac.id>", "To: helpdesk@pintu.test")


# ---------------------------------------------------------------- headers and charsets


@pytest.mark.parametrize(
    ("subject_header", "expected"),
    [
        ("Subject: Wi-Fi lab mati", "Wi-Fi lab mati"),
        ("Subject: =?iso-8859-1?q?Caf=E9_cr=E8me?=", "Café crème"),
        ("Subject: =?UTF-8?B?UGVybW9ob25hbiBha3Vu?=", "Permohonan akun"),
        # A character split over two encoded words (the bytes are joined first).
        ("Subject: =?utf-8?B?ww==?= =?utf-8?B?qQ==?=", "é"),
        # Over-padded base64, GB18030 (RT's new-ticket-from-gb18030).
        ("Subject: =?gb18030?B?suLK1A===?=", "测试"),
        # GB2312 declared for a character only GB18030/GBK has (镕).
        (
            "Subject: =?gb2312?B?" + base64.b64encode("朱镕基".encode("gb18030")).decode() + "?=",
            "朱镕基",
        ),
        # Folded with tabs and runs of spaces: one line, single spaces.
        ("Subject: test\r\n\t   folded\r\n  subject", "test folded subject"),
        # Whitespace between encoded words goes, around plain words it stays.
        ("Subject: Re: =?utf-8?q?Akun?= =?utf-8?q?_email?= hilang", "Re: Akun email hilang"),
        # An unknown charset label: the bytes are read as UTF-8.
        ("Subject: =?x-unknown?q?Caf=C3=A9?=", "Café"),
        # RFC 2231 language tag in an encoded word.
        ("Subject: =?utf-8*id?q?Selamat_pagi?=", "Selamat pagi"),
        # Broken encoded word: left as it is rather than dropped.
        ("Subject: =?utf-8?q?tidak selesai", "=?utf-8?q?tidak selesai"),
        ("Subject:", ""),
    ],
)
def test_subjects_are_decoded_as_a_person_reads_them(subject_header: str, expected: str) -> None:
    assert parse_email(mail(*BASIC, subject_header)).subject == expected


def test_a_raw_utf8_subject_without_encoding_is_read_as_utf8() -> None:
    raw = mail(*BASIC).replace(b"To:", "Subject: Pengajuan cuti — Februari\r\nTo:".encode())
    assert parse_email(raw).subject == "Pengajuan cuti — Februari"


def test_a_raw_8bit_subject_uses_the_fallback_charsets() -> None:
    raw = mail(*BASIC).replace(b"To:", b"Subject: \xd4\xc5\xd3\xd4\r\nTo:")
    assert parse_email(raw).subject == "ÔÅÓÔ"  # Windows-1252 by default
    assert parse_email(raw, fallback_charsets=("koi8-r",)).subject == "тест"


@pytest.mark.parametrize(
    ("data", "declared", "expected"),
    [
        (b"plain", None, "plain"),
        ("Håvard".encode("latin-1"), None, "Håvard"),
        ("Håvard".encode(), None, "Håvard"),
        ("Håvard".encode("latin-1"), "iso-8859-1", "Håvard"),
        # Windows-1252 quotes in mail labelled ISO-8859-1.
        (b"\x93kutip\x94", "iso-8859-1", "\u201ckutip\u201d"),
        ("测试".encode("gb18030"), "gb2312", "测试"),
        # Labelled UTF-8 but written in Windows-1252 throughout.
        ("Café crème brûlée".encode("cp1252"), "utf-8", "Café crème brûlée"),
        # Labelled UTF-8 with one stray byte in a long text: UTF-8 with one replacement.
        (("a" * 200 + "é").encode() + b"\xff", "utf-8", "a" * 200 + "é\ufffd"),
        ("Привет".encode("koi8-r"), "koi8-r", "Привет"),
        ("Ünïcödé".encode(), "x-mystery", "Ünïcödé"),
        ("Ünïcödé".encode(), "us-ascii", "Ünïcödé"),
        (b"data", "base64", "data"),  # a codec, but not a charset
        # Bytes no fallback reads strictly: Latin-1 keeps each of them visible.
        (b"\x81\x8d\x8f", None, "\x81\x8d\x8f"),
    ],
)
def test_text_is_decoded_whatever_its_label_says(
    data: bytes, declared: str | None, expected: str
) -> None:
    assert decode_bytes(data, declared) == expected


def test_addresses_are_split_before_their_names_are_decoded() -> None:
    parsed = parse_email(
        mail(
            "From: =?utf-8?q?Siregar=2C_Budi?= <Budi.Siregar@Example.AC.ID>",
            "To: helpdesk@pintu.test, =?utf-8?q?Tim_P4M?= <p4m@pintu.test>",
            "Cc: kepala@pintu.test",
            "Delivered-To: helpdesk@pintu.test",
            "Subject: x",
        )
    )
    assert (parsed.from_name, parsed.from_address) == (
        "Siregar, Budi",
        "budi.siregar@example.ac.id",
    )
    assert parsed.to == ("helpdesk@pintu.test", "p4m@pintu.test")
    assert parsed.cc == ("kepala@pintu.test",)
    assert parsed.delivered_to == ("helpdesk@pintu.test",)


def test_threading_headers_are_read_tolerantly() -> None:
    parsed = parse_email(
        mail(
            *BASIC,
            "Message-ID: < abc@host >",
            "In-Reply-To: <ack-1@pintu.test> (Pintu's message of Monday)",
            "References: <a@x>\r\n <b@y>\r\n\t<c@z>",
            "Date: Mon, 02 Jun 2003 20:58:30 +0200",
            "Subject: x",
        )
    )
    assert parsed.message_id == "abc@host"
    assert parsed.in_reply_to == ("ack-1@pintu.test",)
    assert parsed.references == ("a@x", "b@y", "c@z")
    assert parsed.date is not None and parsed.date.isoformat() == "2003-06-02T20:58:30+02:00"
    assert message_id_of(mail(*BASIC, "Message-ID: <Abc@Host>")) == "Abc@Host"
    assert message_id_of(mail(*BASIC)) == ""
    assert parse_email(mail(*BASIC, "Date: yesterday")).date is None


def test_return_path_tells_the_null_path_from_none() -> None:
    assert parse_email(mail(*BASIC, "Return-Path: <>")).return_path == ""
    assert parse_email(mail(*BASIC, "Return-Path: <Bob@X.org>")).return_path == "bob@x.org"
    assert parse_email(mail(*BASIC)).return_path is None


# ---------------------------------------------------------------- bodies


def test_html_only_mail_gets_sanitised_html_and_a_readable_text() -> None:
    html = (
        "<html><head><title>T</title><style>p{color:red}</style></head><body>"
        "<p onclick='steal()'>Halo&nbsp;tim,</p><script>alert(1)</script>"
        "<ul><li>satu</li><li>dua</li></ul>baris<br>baru <img src='cid:logo'></body></html>"
    )
    parsed = parse_email(mail(*BASIC, "Content-Type: text/html; charset=utf-8", body=html))
    assert "script" not in parsed.html and "onclick" not in parsed.html
    assert "<title>" not in parsed.html and "color:red" not in parsed.html
    assert 'src="cid:logo"' in parsed.html
    assert parsed.text == "Halo tim,\n\n- satu\n- dua\n\nbaris\nbaru"


def test_alternative_parts_give_the_plain_text_and_the_html() -> None:
    body = (
        "--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nTeks biasa\r\n"
        "--b\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p><b>Teks</b> kaya</p>\r\n--b--\r\n"
    )
    parsed = parse_email(
        mail(*BASIC, 'Content-Type: multipart/alternative; boundary="b"', body=body)
    )
    assert parsed.text == "Teks biasa"
    assert parsed.html == "<p><b>Teks</b> kaya</p>"
    assert parsed.attachments == ()


def test_a_mixed_message_keeps_each_text_part_in_order_and_wraps_plain_text_in_the_html() -> None:
    body = (
        "--m\r\nContent-Type: text/html\r\n\r\n<p>pertama</p>\r\n"
        "--m\r\nContent-Type: text/plain\r\n\r\nkedua <b>\r\n--m--\r\n"
    )
    parsed = parse_email(mail(*BASIC, 'Content-Type: multipart/mixed; boundary="m"', body=body))
    assert parsed.text == "pertama\n\nkedua <b>"
    assert parsed.html == "<p>pertama</p>\n<pre>kedua &lt;b&gt;</pre>"


def test_quoted_printable_and_base64_bodies_are_decoded() -> None:
    text = "Mohon bantuan: akun SIAKAD terkunci — sudah 3× salah kata sandi."
    for cte, encoded in (
        ("quoted-printable", quopri.encodestring(text.encode()).decode()),
        ("base64", base64.encodebytes(text.encode()).decode()),
    ):
        parsed = parse_email(
            mail(
                *BASIC,
                "Content-Type: text/plain; charset=utf-8",
                f"Content-Transfer-Encoding: {cte}",
                body=encoded,
            )
        )
        assert parsed.text == text


def test_damaged_base64_does_not_stop_the_message() -> None:
    parsed = parse_email(
        mail(*BASIC, "Content-Transfer-Encoding: base64", body="SGFsbyB0aW0*@#!\n")
    )
    assert parsed.text.startswith("Halo tim")


def test_a_missing_boundary_is_recovered_from_the_first_delimiter() -> None:
    body = (
        "preamble\r\n--found\r\nContent-Type: text/plain\r\n\r\nisi pesan\r\n"
        "--found\r\nContent-Type: application/pdf; name=a.pdf\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--found--\r\n"
    )
    parsed = parse_email(mail(*BASIC, "Content-Type: multipart/mixed", body=body))
    assert parsed.text == "isi pesan"
    assert [(a.filename, a.data) for a in parsed.attachments] == [("a.pdf", b"%PDF-")]


def test_a_multipart_without_any_delimiter_is_kept_as_text() -> None:
    parsed = parse_email(
        mail(*BASIC, 'Content-Type: multipart/mixed; boundary="nowhere"', body="hanya teks")
    )
    assert parsed.text == "hanya teks"


def test_a_message_without_a_blank_line_after_its_headers_still_reads() -> None:
    raw = b"From: budi@example.ac.id\r\nSubject: tanpa pemisah\r\nIni isi pesannya.\r\n"
    parsed = parse_email(raw)
    assert parsed.subject == "tanpa pemisah"
    assert "Ini isi pesannya." in parsed.text


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        (b"", "empty"),
        (b"  \r\n\r\n", "empty"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "not an e-mail"),
        (b"Lorem ipsum dolor sit amet,\nconsectetur adipisicing elit.\n", "not an e-mail"),
        (b"\x00\x01\x02\x03" * 64, "not an e-mail"),
    ],
)
def test_bytes_that_are_not_a_message_say_why(raw: bytes, why: str) -> None:
    with pytest.raises(UnparseableEmail, match=why):
        parse_email(raw)


# ---------------------------------------------------------------- attachments


def multipart(*parts: str, kind: str = "mixed", boundary: str = "part") -> bytes:
    body = "".join(f"--{boundary}\r\n{part}\r\n" for part in parts) + f"--{boundary}--\r\n"
    return mail(
        *BASIC,
        "Subject: lampiran",
        f'Content-Type: multipart/{kind}; boundary="{boundary}"',
        body=body,
    )


TEXT_PART = "Content-Type: text/plain; charset=utf-8\r\n\r\nTerlampir."


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        ('attachment; filename="laporan.pdf"', "laporan.pdf"),
        # RFC 2231, percent-encoded UTF-8, in continuations.
        (
            "attachment; filename*0*=utf-8''Laporan%20Tahunan%20;\r\n filename*1*=%E2%80%94%20LED;"
            "\r\n filename*2=.pdf",
            "Laporan Tahunan — LED.pdf",
        ),
        # RFC 2047 inside the quoted parameter (wrong, but what many clients send).
        ('attachment; filename="=?utf-8?B?U3VyYXQgS2V0ZXJhbmdhbi5wZGY=?="', "Surat Keterangan.pdf"),
        # Raw 8-bit UTF-8 in the parameter.
        ('attachment; filename="Bukti—bayar.pdf"', "Bukti—bayar.pdf"),
        # Folders, control characters and hidden-file dots are no part of a name.
        # (A backslash in a quoted string escapes the next character; escaped ones stay.)
        ('attachment; filename="C:\\\\Users\\\\evil.pdf"', "evil.pdf"),
        ('attachment; filename="../../etc/.passwd"', "passwd"),
        ('attachment; filename="a\tb\x07c.pdf"', "a bc.pdf"),
        ('attachment; filename=".."', "attachment-1.pdf"),
        ("attachment", "attachment-1.pdf"),
    ],
)
def test_attachments_keep_their_names(disposition: str, expected: str) -> None:
    part = (
        f"Content-Type: application/pdf\r\nContent-Disposition: {disposition}\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQ="
    )
    parsed = parse_email(multipart(TEXT_PART, part))
    assert parsed.text == "Terlampir."
    [attachment] = parsed.attachments
    assert attachment.filename == expected
    assert (attachment.content_type, attachment.data) == ("application/pdf", b"%PDF-1.4")


def test_binary_attachment_bytes_come_out_exactly() -> None:
    data = bytes(range(256)) * 40
    part = (
        "Content-Type: application/octet-stream; name=blob.bin\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n" + base64.encodebytes(data).decode()
    )
    [attachment] = parse_email(multipart(TEXT_PART, part)).attachments
    assert attachment.data == data


def test_inline_images_keep_their_names_and_content_ids() -> None:
    html = 'Content-Type: text/html\r\n\r\n<p>Lihat <img src="cid:shot@pintu"></p>'
    named = (
        "Content-Type: image/png; name=layar.png\r\nContent-ID: <shot@pintu>\r\n"
        "Content-Disposition: inline; filename=layar.png\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo="
    )
    anonymous = (
        "Content-Type: image/gif\r\nContent-ID: <dot>\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nR0lGODlh"
    )
    parsed = parse_email(multipart(html, named, anonymous, kind="related"))
    assert [(a.filename, a.content_type, a.content_id, a.inline) for a in parsed.attachments] == [
        ("layar.png", "image/png", "shot@pintu", True),
        ("image-2.gif", "image/gif", "dot", False),
    ]
    assert parsed.text == "Lihat"


def test_a_text_part_with_a_file_name_is_an_attachment() -> None:
    named = 'Content-Type: text/plain; name="catatan.txt"\r\n\r\nisi berkas'
    parsed = parse_email(multipart(TEXT_PART, named))
    assert parsed.text == "Terlampir."
    assert [(a.filename, a.data) for a in parsed.attachments] == [("catatan.txt", b"isi berkas")]


def test_uuencoded_blocks_in_the_body_become_attachments() -> None:
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(100))
    import binascii

    lines = [
        binascii.b2a_uu(data[i : i + 45]).decode().rstrip("\n") for i in range(0, len(data), 45)
    ]
    body = "Foto terlampir.\n\nbegin 644 foto kamar.png\n" + "\n".join(lines) + "\n`\nend\n\nSalam."
    parsed = parse_email(mail(*BASIC, body=body))
    assert parsed.text == "Foto terlampir.\n\nSalam."
    [attachment] = parsed.attachments
    assert (attachment.filename, attachment.content_type) == ("foto kamar.png", "image/png")
    assert attachment.data == data


def test_a_forwarded_message_is_kept_whole_and_its_text_made_readable() -> None:
    inner = (
        "From: Rina <rina@example.ac.id>\r\nSubject: =?utf-8?q?Jadwal_ujian?=\r\n"
        "Date: Tue, 13 Apr 2021 12:56:39 +0200\r\nMessage-ID: <inner@x>\r\n\r\nUjian hari Senin."
    )
    forwarded = f"Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n{inner}"
    parsed = parse_email(multipart(TEXT_PART, forwarded))
    assert parsed.text == (
        "Terlampir.\n\n---------- Forwarded message ----------\nFrom: Rina <rina@example.ac.id>\n"
        "Date: Tue, 13 Apr 2021 12:56:39 +0200\nSubject: Jadwal ujian\n\nUjian hari Senin."
    )
    [attachment] = parsed.attachments
    assert (attachment.filename, attachment.content_type) == ("Jadwal ujian.eml", "message/rfc822")
    again = parse_email(attachment.data)
    assert (again.subject, again.text, again.message_id) == (
        "Jadwal ujian",
        "Ujian hari Senin.",
        "inner@x",
    )


def test_signature_and_encrypted_parts_are_kept_as_attachments() -> None:
    signed = multipart(
        TEXT_PART,
        'Content-Type: application/pgp-signature; name="signature.asc"\r\n\r\n'
        "-----BEGIN PGP SIGNATURE-----\r\nabc\r\n-----END PGP SIGNATURE-----",
        kind='signed; protocol="application/pgp-signature"; micalg=pgp-sha256',
    )
    parsed = parse_email(signed)
    assert parsed.text == "Terlampir."
    assert [(a.filename, a.content_type) for a in parsed.attachments] == [
        ("signature.asc", "application/pgp-signature")
    ]
    smime = mail(
        *BASIC,
        'Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"',
        "Content-Transfer-Encoding: base64",
        body="MIAGCSqGSIb3DQEHA6CAMIACAQA=",
    )
    [envelope] = parse_email(smime).attachments
    assert (envelope.filename, envelope.content_type) == ("smime.p7m", "application/pkcs7-mime")
    encrypted = multipart(
        "Content-Type: application/pgp-encrypted\r\n\r\nVersion: 1",
        "Content-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----",
        kind='encrypted; protocol="application/pgp-encrypted"',
    )
    names = [a.filename for a in parse_email(encrypted).attachments]
    assert names == ["attachment-1.asc", "attachment-2.bin"]


def test_a_delivery_status_report_names_the_original_and_what_failed() -> None:
    report = multipart(
        "Content-Type: text/plain\r\n\r\nYour message could not be delivered.",
        "Content-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.org\r\n\r\n"
        "Final-Recipient: rfc822; nobody@example.org\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        "Diagnostic-Code: smtp; 550 5.1.1 User unknown",
        "Content-Type: message/rfc822\r\n\r\nMessage-ID: <reply-7@pintu.test>\r\n"
        "Subject: [SI-26-00001] Wi-Fi\r\n\r\nBalasan kami.",
        kind="report; report-type=delivery-status",
    )
    parsed = parse_email(report)
    assert (parsed.content_type, parsed.report_type) == ("multipart/report", "delivery-status")
    assert parsed.original_message_id == "reply-7@pintu.test"
    assert parsed.delivery_summary == "5.1.1 failed nobody@example.org smtp; 550 5.1.1 User unknown"
    # The original quoted by a bounce is no forwarded text of the bounce.
    assert parsed.text == "Your message could not be delivered."


def test_a_bounce_without_a_structured_report_still_names_the_original() -> None:
    body = (
        "--r\r\nContent-Type: text/plain\r\n\r\nDelivery failed.\r\n\r\n"
        "------ original headers ------\r\nMessage-ID: <ack-3@pintu.test>\r\n--r--\r\n"
    )
    parsed = parse_email(
        mail(
            "From: MAILER-DAEMON@example.org",
            "Message-ID: <bounce@example.org>",
            "X-Failed-Recipients: gone@example.org",
            'Content-Type: multipart/report; report-type=delivery-status; boundary="r"',
            body=body,
        )
    )
    assert parsed.original_message_ids == ("ack-3@pintu.test",)
    assert parsed.failed_recipients == ("gone@example.org",)
    assert parsed.delivery_summary == "failed: gone@example.org"


def test_classification_headers_are_read() -> None:
    parsed = parse_email(
        mail(
            *BASIC,
            "Auto-Submitted: Auto-Replied",
            "Precedence: Bulk",
            "X-Autoreply: yes",
            "List-Id: <pengumuman.pintu.test>",
            "List-Unsubscribe: <mailto:leave@pintu.test>",
        )
    )
    assert (parsed.auto_submitted, parsed.precedence) == ("auto-replied", "bulk")
    assert parsed.autoreply_header
    assert parsed.list_id == "<pengumuman.pintu.test>"
    assert parsed.list_unsubscribe == "<mailto:leave@pintu.test>"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("laporan.pdf", "laporan.pdf"),
        ("C:\\Users\\budi\\laporan.pdf", "laporan.pdf"),
        ("  spasi   ganda .pdf ", "spasi ganda .pdf"),
        ("x" * 300 + ".docx", "x" * 145 + ".docx"),
        ("y" * 300, "y" * 150),
        ("...", ""),
        ("\x00\x01", ""),
    ],
)
def test_file_names_are_made_safe(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_html_to_text_keeps_preformatted_text() -> None:
    assert html_to_text("<pre>a  b\n  c</pre><p>d   e</p>") == "a  b\n  c\n\nd e"


def test_decode_words_leaves_text_without_encoded_words_alone() -> None:
    assert decode_words("plain = text ?= here") == "plain = text ?= here"


# ---------------------------------------------------------------- generated messages

# Characters each charset can carry, so that generated text always fits its label.
POOL = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,;:!?()'-"
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßÀÉÎÕÜ€‘’“”…–—Š"
    "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ"
    "测试电子邮件附件报告账户请求处理完成谢谢"
)
CHARSETS = ("utf-8", "iso-8859-1", "gb18030", "cp1252", "koi8-r")


def fits(charset: str) -> str:
    found = []
    for ch in POOL:
        try:
            ch.encode(charset)
        except UnicodeEncodeError:
            continue
        found.append(ch)
    return "".join(found)


ALPHABETS = {charset: fits(charset) for charset in CHARSETS}


@dataclass
class Generated:
    raw: bytes
    subject: str
    body: str
    files: list[tuple[str, bytes]]


def words(alphabet: str, *, most: int) -> st.SearchStrategy[str]:
    word = st.text(alphabet=alphabet, min_size=1, max_size=8)
    return st.lists(word, min_size=1, max_size=most).map(" ".join)


def rfc2231(name: str, charset: str) -> str:
    """filename*N*= continuations, each section whole percent-escapes."""
    units = [
        quote(ch.encode(charset), safe="") if not ch.isascii() or not ch.isalnum() else ch
        for ch in name
    ]
    sections, current = [], ""
    for unit in units:
        if len(current) + len(unit) > 24 and current:
            sections.append(current)
            current = ""
        current += unit
    sections.append(current)
    first = f"filename*0*={charset}''{sections[0]}"
    rest = [f"filename*{i}*={section}" for i, section in enumerate(sections[1:], start=1)]
    return ";\r\n ".join([first, *rest])


@st.composite
def generated_mail(draw: st.DrawFn) -> Generated:
    charset = draw(st.sampled_from(CHARSETS))
    alphabet = ALPHABETS[charset]
    subject = draw(words(alphabet, most=8))
    lines = draw(st.lists(words(alphabet, most=10), min_size=1, max_size=6))
    body = "\n".join(lines)
    cte = draw(st.sampled_from(["quoted-printable", "base64", "8bit"]))
    encoded = body.encode(charset)
    if cte == "quoted-printable":
        payload = quopri.encodestring(encoded)
    elif cte == "base64":
        payload = base64.encodebytes(encoded)
    else:
        payload = encoded
    text_part = (
        f"Content-Type: text/plain; charset={charset}\r\nContent-Transfer-Encoding: {cte}\r\n\r\n"
    ).encode() + payload
    extensions = st.sampled_from(["pdf", "txt", "jpg", "docx", "zip"])
    letters = "".join(ch for ch in alphabet if ch.isalnum())  # names the sanitiser keeps as-is
    files = draw(
        st.lists(
            st.tuples(
                st.tuples(words(letters, most=3), extensions).map(lambda p: f"{p[0]}.{p[1]}"),
                st.binary(max_size=300),
            ),
            max_size=3,
        )
    )
    parts = [text_part] + [
        (
            "Content-Type: application/octet-stream\r\n"
            f"Content-Disposition: attachment;\r\n {rfc2231(name, charset)}\r\n"
            "Content-Transfer-Encoding: base64\r\n\r\n"
        ).encode()
        + base64.encodebytes(data)
        for name, data in files
    ]
    counter = iter(range(1000))

    def wrap(contents: list[bytes]) -> bytes:
        boundary = f"=_Part_{next(counter)}_pintu"
        kind = draw(st.sampled_from(["mixed", "related", "mixed"]))
        inner = b"".join(b"--" + boundary.encode() + b"\r\n" + c + b"\r\n" for c in contents)
        return (
            f'Content-Type: multipart/{kind}; boundary="{boundary}"\r\n\r\n'.encode()
            + inner
            + f"--{boundary}--\r\n".encode()
        )

    # Random nesting: each part wrapped 0-2 times, then the whole in a multipart (or, for
    # a lone text part, possibly nothing at all).
    nested = []
    for part in parts:
        for _ in range(draw(st.integers(0, 2))):
            part = wrap([part])
        nested.append(part)
    top = nested[0] if len(nested) == 1 and draw(st.booleans()) else wrap(nested)
    header = str(Header(subject, charset, header_name="Subject").encode())
    raw = (
        "From: =?utf-8?q?Pengirim?= <sender@example.ac.id>\r\nTo: helpdesk@pintu.test\r\n"
        f"Subject: {header}\r\nMIME-Version: 1.0\r\n"
    ).encode() + top
    return Generated(raw=raw, subject=subject, body=body, files=files)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generated_mail())
def test_generated_mail_round_trips_subject_body_and_attachments(case: Generated) -> None:
    parsed = parse_email(case.raw)
    assert parsed.subject == " ".join(case.subject.split())
    assert parsed.text == case.body.strip()
    assert [(a.filename, a.data) for a in parsed.attachments] == case.files


def test_a_meta_charset_without_value_does_not_break_the_sanitiser() -> None:
    # html5ever (inside nh3) panics on this (servo/html5ever#763); old mailers write it.
    html = '<html><head><META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset"></head>'
    parsed = parse_email(mail(*BASIC, "Content-Type: text/html", body=html + "<p>Halo</p>"))
    assert (parsed.text, parsed.html) == ("Halo", "<p>Halo</p>")


def test_a_panic_in_the_sanitiser_falls_back_to_escaped_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class PanicException(BaseException):  # what pyo3 raises when Rust code panics
        __module__ = "pyo3_runtime"

    def panic(*args: Any, **kwargs: Any) -> str:
        raise PanicException("index out of bounds")

    monkeypatch.setattr(nh3, "clean", panic)
    html = "<p>Halo &amp; <b>tim</b></p><script>alert(1)</script>"
    assert markup.sanitise_html(html) == "<pre>Halo &amp; tim</pre>"

    def interrupted(*args: Any, **kwargs: Any) -> str:
        raise KeyboardInterrupt

    monkeypatch.setattr(nh3, "clean", interrupted)
    with pytest.raises(KeyboardInterrupt):
        markup.sanitise_html(html)


SAMPLE = multipart(
    TEXT_PART,
    "Content-Type: text/html; charset=iso-2022-jp\r\n\r\n<p>x</p>",
    "Content-Type: application/pdf\r\nContent-Disposition: attachment;\r\n"
    " filename*0*=iso-2022-jp''%1b$B%3f7;\r\n filename*1*=.pdf\r\n"
    "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQ=",
    "Content-Type: message/rfc822\r\n\r\nSubject: =?utf-8?B?w6k=?=\r\n\r\n"
    "begin 644 a\r\n!80``\r\nend",
    "Content-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; a@b\r\nStatus: 5.0.0",
)
DAMAGE = [b"\r\n", b"\n\n", b"--", b"=?", b"?=", b'"', b";", b"\x00", b"\xff", b"%", b"=\r\n"]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, len(SAMPLE)), st.sampled_from(["cut", "insert", "flip"]), st.data()
        ),
        min_size=1,
        max_size=8,
    )
)
def test_damaged_mail_never_raises_anything_but_unparseable(edits: list[Any]) -> None:
    raw = bytearray(SAMPLE)
    for position, kind, data in edits:
        position = min(position, len(raw))
        if kind == "cut":
            del raw[position : position + data.draw(st.integers(1, 40))]
        elif kind == "insert":
            raw[position:position] = data.draw(st.sampled_from(DAMAGE))
        elif raw:
            raw[min(position, len(raw) - 1)] = data.draw(st.integers(0, 255))
    try:
        parsed = parse_email(bytes(raw))
    except UnparseableEmail:
        return
    assert isinstance(parsed.text, str) and isinstance(parsed.html, str)
