"""The WhatsApp door's pure cores: signatures, the webhook parser and what each message
type says as an article."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pintu.doors.tests.whatsapp_samples import CORPUS, message, status, webhook
from pintu.doors.whatsapp import signature
from pintu.doors.whatsapp.content import Content, media_filename, render, vcard
from pintu.doors.whatsapp.gateway import template_parameter
from pintu.doors.whatsapp.payload import PayloadError, parse, parse_value

SENDER = "6281234567890"


# ---------------------------------------------------------------- signatures


def test_signature_is_hmac_sha256_of_the_raw_body_in_hex() -> None:
    # hexdocs.pm/whatsapp_sdk: HMAC-SHA256("secret", "test").
    digest = "0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914"
    assert signature.sign(b"test", "secret") == f"sha256={digest}"
    assert signature.verify(b"test", f"sha256={digest}", "secret") is signature.Verdict.VALID
    assert signature.verify(b"test", f"SHA256={digest.upper()}", "secret").name == "VALID"


def test_the_corpus_signature_vector_verifies() -> None:
    vector_file = CORPUS / "signature-test-vector.json"
    if not vector_file.exists():
        pytest.skip(f"{vector_file} is absent")
    vector = json.loads(vector_file.read_text())
    body = (CORPUS / vector["body_file"]).read_bytes()
    assert vector["header"] == signature.HEADER
    assert signature.sign(body, vector["app_secret"]) == vector["value"]
    verdict = signature.verify(body, vector["value"], vector["app_secret"])
    assert verdict is signature.Verdict.VALID
    independent = vector["independent_vector"]
    expected = "sha256=" + independent["hex"]
    assert signature.sign(independent["payload"].encode(), independent["secret"]) == expected


@pytest.mark.parametrize(
    ("header", "secret", "verdict"),
    [
        (None, "s", signature.Verdict.MISSING),
        ("", "s", signature.Verdict.MISSING),
        ("sha256=00", "s", signature.Verdict.INVALID),
        ("sha1=" + "0" * 40, "s", signature.Verdict.INVALID),
        ("garbage", "s", signature.Verdict.INVALID),
        (signature.sign(b"{}", "s"), "", signature.Verdict.INVALID),  # no secret configured
        (signature.sign(b"{}", "other"), "s", signature.Verdict.INVALID),
        (signature.sign(b"{}", "s"), "s", signature.Verdict.VALID),
    ],
)
def test_signature_verdicts(header: str | None, secret: str, verdict: signature.Verdict) -> None:
    assert signature.verify(b"{}", header, secret) is verdict


@given(body=st.binary(max_size=2000), secret=st.text(min_size=1, max_size=40), flip=st.integers())
def test_any_change_to_the_body_breaks_the_signature(body: bytes, secret: str, flip: int) -> None:
    header = signature.sign(body, secret)
    assert signature.verify(body, header, secret) is signature.Verdict.VALID
    changed = body + b" " if not body else bytes([body[0] ^ 1]) + body[1:]
    assert signature.verify(changed, header, secret) is signature.Verdict.INVALID


def test_verify_token_compares_exactly_and_an_unset_token_matches_nothing() -> None:
    assert signature.token_matches("abc", "abc")
    assert not signature.token_matches("abd", "abc")
    assert not signature.token_matches(None, "abc")
    assert not signature.token_matches("", "")


# ---------------------------------------------------------------- parsing


def test_a_notification_yields_messages_with_sender_names_and_statuses() -> None:
    body = webhook(
        message("wamid.A", SENDER, text="Halo"),
        message("wamid.B", "6289999999999", text="Selamat pagi"),
        statuses=(status("wamid.OUT", "delivered", SENDER),),
        names={SENDER: "Siti Aminah"},
    )
    parsed = parse(body)
    assert [(m.id, m.sender, m.sender_name, m.kind) for m in parsed.messages] == [
        ("wamid.A", SENDER, "Siti Aminah", "text"),
        ("wamid.B", "6289999999999", "Pengirim 9999", "text"),
    ]
    assert parsed.messages[0].timestamp == datetime(2026, 1, 1, tzinfo=UTC)
    assert [(s.message_id, s.status, s.recipient) for s in parsed.statuses] == [
        ("wamid.OUT", "delivered", SENDER)
    ]


def test_a_stored_message_reads_back_alone_with_its_sender() -> None:
    body = webhook(
        message("wamid.A", SENDER, text="satu"),
        message("wamid.B", "6289999999999", text="dua"),
        names={SENDER: "Siti"},
    )
    first = parse(body).messages[0]
    again = parse_value(json.loads(first.raw())).messages
    assert [(m.id, m.sender_name, m.data) for m in again] == [("wamid.A", "Siti", first.data)]


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"[1, 2]",
        b'"text"',
    ],
)
def test_a_body_that_is_no_json_object_is_refused(body: bytes) -> None:
    with pytest.raises(PayloadError):
        parse(body)


@pytest.mark.parametrize(
    "document",
    [
        {},
        {"entry": None},
        {"entry": [1, "x", None]},
        {"entry": [{"changes": [{"field": "messages", "value": None}]}]},
        {"entry": [{"changes": [{"field": "messages", "value": {"messages": [{}]}}]}]},
        {"entry": [{"changes": [{"field": "messages", "value": {"messages": {"a": 1}}}]}]},
        {"entry": [{"changes": [{"field": "account_update", "value": {"event": "X"}}]}]},
    ],
)
def test_odd_shapes_yield_what_can_be_read_without_error(document: dict[str, object]) -> None:
    parsed = parse(json.dumps(document).encode())
    for found in parsed.messages:
        assert found.id.startswith("sha256:")  # no id: kept once, by its content


@given(
    st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner),
        max_leaves=25,
    )
)
def test_no_json_value_crashes_the_parser_or_the_renderer(document: object) -> None:
    wrapped = {"entry": [{"changes": [{"field": "messages", "value": {"messages": [document]}}]}]}
    for candidate in (document, wrapped):
        try:
            parsed = parse(json.dumps(candidate).encode())
        except PayloadError:
            continue
        for found in parsed.messages:
            assert render(found).text


# ---------------------------------------------------------------- what a message says


def rendered(kind: str, **fields: Any) -> Content:
    return render(parse(webhook(message("wamid.X", SENDER, kind=kind, **fields))).messages[0])


def test_text_keeps_its_words_and_its_first_line_is_the_subject() -> None:
    content = rendered(kind="text", text="Reset password SIAKAD\nNIM 2201001")
    assert content.text == "Reset password SIAKAD\nNIM 2201001"
    assert content.subject == "Reset password SIAKAD"
    assert content.media is None and not content.follow_up


def test_media_names_its_file_and_keeps_the_caption() -> None:
    content = rendered(
        kind="document",
        document={
            "caption": "Formulir akun",
            "filename": "../../etc/formulir.pdf",
            "mime_type": "application/pdf",
            "id": "998877",
        },
    )
    assert content.media is not None
    assert (content.media.id, content.media.filename) == ("998877", "formulir.pdf")
    assert content.text.startswith("Formulir akun\n\n[")
    assert content.subject == "Formulir akun"


@pytest.mark.parametrize(
    ("kind", "media_id", "mime", "name"),
    [
        ("image", "65463453", "image/jpeg", "whatsapp-image-65463453.jpg"),
        ("audio", "1", "audio/ogg; codecs=opus", "whatsapp-audio-1.ogg"),
        ("sticker", "2", "image/webp", "whatsapp-sticker-2.webp"),
        ("video", "3", "video/mp4", "whatsapp-video-3.mp4"),
        ("document", "4/../x", "application/x-unknown-thing", "whatsapp-document-4x.bin"),
    ],
)
def test_media_file_names(kind: str, media_id: str, mime: str, name: str) -> None:
    assert media_filename(kind, media_id, mime) == name


def test_location_has_name_address_coordinates_and_a_map_link() -> None:
    content = rendered(
        kind="location",
        location={
            "latitude": -7.2575,
            "longitude": 112.7521,
            "name": "Gedung D4",
            "address": "Jl. Raya ITS, Surabaya",
        },
    )
    assert content.text.splitlines()[1:4] == [
        "Gedung D4",
        "Jl. Raya ITS, Surabaya",
        "-7.2575, 112.7521",
    ]
    assert "openstreetmap.org/?mlat=-7.2575&mlon=112.7521" in content.text


def test_shared_contacts_become_vcards() -> None:
    card = vcard(
        {
            "name": {"first_name": "Budi", "last_name": "Santoso", "formatted_name": "Budi S."},
            "phones": [{"phone": "+62 812-3456", "wa_id": "628123456", "type": "CELL"}],
            "emails": [{"email": "budi@kampus.ac.id", "type": "WORK"}],
            "org": {"company": "Politeknik; Kampus", "title": "Dosen"},
        }
    )
    assert card.splitlines() == [
        "BEGIN:VCARD",
        "VERSION:3.0",
        "N:Santoso;Budi;;;",
        "FN:Budi S.",
        "ORG:Politeknik\\; Kampus",
        "TITLE:Dosen",
        "TEL;TYPE=CELL;waid=628123456:+62 812-3456",
        "EMAIL;TYPE=WORK:budi@kampus.ac.id",
        "END:VCARD",
    ]


def test_interactive_replies_name_the_choice_and_its_id() -> None:
    button = rendered(
        kind="interactive",
        interactive={"type": "button_reply", "button_reply": {"id": "ya-1", "title": "Ya"}},
    )
    assert "Ya" in button.text and "ya-1" in button.text and button.subject == "Ya"
    chosen = rendered(
        kind="interactive",
        interactive={
            "type": "list_reply",
            "list_reply": {"id": "svc-3", "title": "Reset akun", "description": "Lupa sandi"},
        },
    )
    assert "svc-3" in chosen.text and "Lupa sandi" in chosen.text


def test_a_reaction_names_the_emoji_and_its_message_and_only_follows_up() -> None:
    content = rendered(kind="reaction", reaction={"message_id": "wamid.OURS", "emoji": "👍"})
    assert "👍" in content.text and "wamid.OURS" in content.text
    assert content.follow_up
    removed = rendered(kind="reaction", reaction={"message_id": "wamid.OURS"})
    assert "wamid.OURS" in removed.text and removed.follow_up


def test_unknown_and_unsupported_types_say_what_they_are() -> None:
    poll = rendered(kind="poll", poll={"question": "?"})
    assert "poll" in poll.text and not poll.follow_up
    unsupported = rendered(
        kind="unsupported",
        unsupported={"type": "pool"},
        errors=[{"code": 131051, "title": "Message type unknown"}],
    )
    assert "pool" in unsupported.text and "131051 Message type unknown" in unsupported.text


def test_template_parameters_are_one_line() -> None:
    assert template_parameter("Baik,\n\n  sudah     kami\treset.") == "Baik, sudah kami reset."
    assert len(template_parameter("x" * 5000)) == 1000
