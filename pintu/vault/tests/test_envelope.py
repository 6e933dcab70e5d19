"""The sealed form of a credential: it opens with its key and on its record only, a
wrong key or a changed value says so, and a rotation keeps every value readable."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pintu.vault import envelope

KEY = envelope.parse_key(envelope.new_key())
OTHER = envelope.parse_key(envelope.new_key())

texts = st.text(max_size=300)
contexts = st.text(min_size=1, max_size=40)


@given(plain=texts, context=contexts)
def test_a_sealed_value_opens_to_what_was_sealed(plain: str, context: str) -> None:
    sealed = envelope.seal(plain, KEY, context=context)
    assert envelope.unseal(sealed, KEY, context=context) == plain


@given(plain=st.text(min_size=4, max_size=300), context=contexts)
def test_a_sealed_value_never_shows_its_text(plain: str, context: str) -> None:
    sealed = envelope.seal(plain, KEY, context=context)
    assert plain not in sealed.split(":", 2)[2] or len(plain) < 8
    assert sealed.startswith(f"v1:{envelope.key_id(KEY)}:")


@given(plain=texts, context=contexts)
def test_the_same_text_seals_differently_each_time(plain: str, context: str) -> None:
    assert envelope.seal(plain, KEY, context=context) != envelope.seal(plain, KEY, context=context)


@given(plain=texts, context=contexts)
def test_a_wrong_key_fails_clearly_never_with_garbage(plain: str, context: str) -> None:
    sealed = envelope.seal(plain, KEY, context=context)
    with pytest.raises(envelope.WrongKey, match=envelope.key_id(KEY)):
        envelope.unseal(sealed, OTHER, context=context)


@given(plain=texts, context=contexts, position=st.integers(min_value=0))
def test_a_changed_value_fails_clearly(plain: str, context: str, position: int) -> None:
    sealed = envelope.seal(plain, KEY, context=context)
    head, body = sealed.rsplit(":", 1)
    # Any character but the last: unpadded base64's last character may carry bits that
    # decoding drops, so changing it need not change a byte.
    index = position % (len(body) - 1)
    flipped = "A" if body[index] != "A" else "B"
    with pytest.raises(envelope.Damaged):
        envelope.unseal(f"{head}:{body[:index]}{flipped}{body[index + 1 :]}", KEY, context=context)


@given(plain=texts)
def test_a_value_copied_to_another_record_does_not_open(plain: str) -> None:
    sealed = envelope.seal(plain, KEY, context="digital-account:1")
    with pytest.raises(envelope.Damaged, match="another record"):
        envelope.unseal(sealed, KEY, context="digital-account:2")


@given(plain=texts, context=contexts)
def test_a_rotation_keeps_the_value_readable_under_the_new_key_only(
    plain: str, context: str
) -> None:
    moved = envelope.reseal(envelope.seal(plain, KEY, context=context), KEY, OTHER, context=context)
    assert envelope.unseal(moved, OTHER, context=context) == plain
    with pytest.raises(envelope.WrongKey):
        envelope.unseal(moved, KEY, context=context)


@pytest.mark.parametrize(
    "sealed",
    [
        "",
        "plain text",
        "v1:abc:xyz",
        "v2:12345678:AAAA",
        "v1:12345678",
        "v1:{kid}:!!!!",
        "v1:{kid}:AAAA",
    ],
)
def test_what_is_not_a_sealed_value_is_named_so(sealed: str) -> None:
    with pytest.raises(envelope.Damaged):
        envelope.unseal(sealed.format(kid=envelope.key_id(KEY)), KEY, context="x")


@pytest.mark.parametrize(
    ("text", "why"),
    [("", "0"), ("not base64!", "base64"), ("c2hvcnQ=", "is 5"), ("A" * 44 + "AAAA", "bytes")],
)
def test_a_key_that_is_not_32_bytes_of_base64_is_refused(text: str, why: str) -> None:
    with pytest.raises(envelope.BadKey, match=why):
        envelope.parse_key(text)


def test_a_key_reads_in_either_base64_alphabet_and_with_space_around() -> None:
    raw = bytes(range(250, 256)) + bytes(26)
    assert envelope.parse_key(" " + base64.b64encode(raw).decode() + "\n") == raw
    assert envelope.parse_key(base64.urlsafe_b64encode(raw).decode().rstrip("=")) == raw
