"""Long messages: typed ones have a limit, mailed ones are shortened (the original keeps
the whole), and pages fold what is long behind "tampilkan semua"."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from pintu.conftest import Personas, fields_for, screenshot, service, sign_in
from pintu.desk import services
from pintu.desk.models import Door, Ticket
from pintu.desk.texts import FOLD_AT, fold, shorten

PARAGRAPH = "Printer di lab 2 macet sejak pagi dan tidak bisa mencetak. " * 10 + "\n\n"


def test_a_short_message_is_not_folded() -> None:
    assert fold("Halo") == ("Halo", "")
    assert fold("x" * (FOLD_AT + 100)) == ("x" * (FOLD_AT + 100), "")


def test_a_long_message_folds_at_a_paragraph_before_the_limit() -> None:
    text = "a" * 1300 + "\n\n" + "b " * 1000
    assert fold(text) == ("a" * 1300, "b " * 1000)
    shown, rest = fold(PARAGRAPH * 10)  # no paragraph near the limit: at a word
    assert len(shown) <= FOLD_AT and shown.endswith("lab 2") and rest.startswith(" macet")


def test_a_long_line_without_breaks_folds_at_a_space_or_at_the_limit() -> None:
    words = "kata " * 1000
    shown, rest = fold(words)
    assert shown.endswith("kata") and shown + rest == words
    solid = "x" * 5000
    assert fold(solid) == ("x" * FOLD_AT, "x" * (5000 - FOLD_AT))


@given(st.text(min_size=0, max_size=6000))
def test_folding_loses_nothing_but_line_breaks_at_the_fold(text: str) -> None:
    shown, rest = fold(text)
    assert len(shown) <= max(FOLD_AT, len(text))
    assert (shown + rest).replace("\n", "") == text.replace("\n", "")


def test_a_shortened_mail_ends_with_the_note_and_keeps_within_the_limit() -> None:
    text = PARAGRAPH * 100
    short = shorten(text, 2000, "[Dipendekkan]")
    assert len(short) <= 2000 and short.endswith("[Dipendekkan]")
    assert shorten("pendek", 2000, "[Dipendekkan]") == "pendek"


@pytest.mark.django_db
def test_a_typed_message_over_the_limit_is_refused_with_its_length(
    sops: None, personas: Personas, settings: Any
) -> None:
    settings.PINTU_MESSAGE_MAX_CHARS = 1000
    svc = service("PR.33.8", "layanan-ringan")
    with pytest.raises(ValidationError, match=r"1\.200 karakter; paling banyak 1\.000"):
        services.ticket_create(
            actor=personas.requester,
            service_type=svc,
            requester=personas.requester,
            opening=services.Opening(subject="Printer", body="x" * 1200),
            fields=fields_for(svc),
        )
    ticket = services.ticket_create(
        actor=personas.requester,
        service_type=svc,
        requester=personas.requester,
        opening=services.Opening(subject="Printer", body="Macet"),
        fields=fields_for(svc),
    ).ticket
    with pytest.raises(ValidationError, match="paling banyak"):
        services.ticket_reply(actor=personas.staff, ticket=ticket, body="y" * 1001)
    with pytest.raises(ValidationError, match="paling banyak"):
        services.ticket_requester_message(
            ticket=ticket, body="z" * 1001, door=Door.WEB, author=personas.requester
        )


@pytest.mark.django_db
def test_a_long_mail_is_shortened_not_refused(sops: None, personas: Personas, settings) -> None:
    settings.PINTU_MESSAGE_MAX_CHARS = 1000
    article = services.ticket_create(
        actor=None,
        service_type=service("PR.33.8", "layanan-ringan"),
        requester=services.ContactDetails(email="tamu@example.ac.id"),
        opening=services.Opening(subject="Printer", body=PARAGRAPH * 20),
        door=Door.EMAIL,
    ).article
    assert len(article.body) <= 1000
    assert article.body.endswith("[Dipendekkan: pesan lengkapnya ada di pesan asli.]")


@pytest.mark.django_db
def test_the_portal_form_says_how_long_a_description_may_be(
    sops: None, personas: Personas, settings: Any
) -> None:
    settings.PINTU_MESSAGE_MAX_CHARS = 1000
    client = Client()
    client.force_login(personas.requester)
    svc = service("PR.33.8", "layanan-ringan")
    url = reverse("portal-request", args=[svc.sop.code, svc.key])
    assert 'maxlength="1000"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "subject": "Printer",
            "body": "x" * 100_000,
            **{f"field_{key}": value for key, value in fields_for(svc).items()},
        },
    )
    # The form comes back saying how long the text is against the limit; nothing filed.
    assert response.status_code == 200 and "100000" in response.content.decode()
    assert not Ticket.objects.exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_long_message_folds_on_the_requesters_page_and_opens_on_request(
    page: Any, sops: None, personas: Personas
) -> None:
    svc = service("PR.33.8", "layanan-ringan")
    ticket = services.ticket_create(
        actor=personas.requester,
        service_type=svc,
        requester=personas.requester,
        opening=services.Opening(subject="Printer", body=PARAGRAPH * 30),
        fields=fields_for(svc),
    ).ticket
    sign_in(page, "mahasiswa")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reverse("portal-ticket", args=[ticket.reference]))
    folded_height = page.evaluate("document.documentElement.scrollHeight")
    assert folded_height < 3000  # about 7,000 px unfolded at this width
    screenshot(page, "portal-long-message-folded")
    page.click("details.fold > summary")
    assert page.evaluate("document.documentElement.scrollHeight") > folded_height * 3
