"""The partner satisfaction survey: sent to the partner's contact through the outbox
(e-mail, or WhatsApp where only a number is known), answered once through a link that
needs no account and expires, kept with when it came, and read by staff per year."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pintu.core.models import AuditEvent
from pintu.outbox.models import OutboxItem
from pintu.partners import services
from pintu.partners.models import Partner, SatisfactionSurvey
from pintu.partners.services.surveys import survey_send
from pintu.partners.tests.conftest import NOW, partner_made

pytestmark = pytest.mark.django_db

ANSWER = {"communication": "5", "benefit": "4", "quality": "3", "continuity": "5"}
LINK = re.compile(r"https?://\S+/survei-mitra/([\w-]+)/")


@pytest.fixture
def partner(sops: None, ks_staff: Any) -> Partner:
    partner = partner_made(ks_staff)
    services.contact_add(
        actor=ks_staff,
        partner=partner,
        name="Ir. Surya Darma",
        email="surya@sinar.example",
        is_primary=True,
    )
    return partner


def sent(ks_staff: Any, partner: Partner, **values: Any) -> tuple[SatisfactionSurvey, str]:
    survey, _token = survey_send(
        actor=ks_staff,
        partner=partner,
        contact=values.pop("contact", None),
        agreement=None,
        year=2026,
        now=values.pop("now", NOW),
    )
    message = OutboxItem.objects.filter(recipient=survey.sent_to).latest("id")
    match = LINK.search(message.body_text)
    assert match is not None, message.body_text
    return survey, reverse("partners-survey-answer", args=[match.group(1)])


def test_the_survey_goes_by_e_mail_with_a_link_whose_token_is_kept_hashed_only(
    ks_staff: Any, partner: Partner
) -> None:
    survey, link = sent(ks_staff, partner)
    message = OutboxItem.objects.get()
    assert (message.transport, message.recipient) == ("email", "surya@sinar.example")
    assert "tanpa perlu akun" in message.body_text
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 40 and token not in survey.token_digest
    assert survey.expires_at == NOW + timedelta(days=30)
    assert AuditEvent.objects.get(action="survey.send").after["to"] == "surya@sinar.example"


def test_a_contact_with_only_a_number_gets_it_by_whatsapp_and_one_without_either_is_named(
    ks_staff: Any, partner: Partner, settings: Any
) -> None:
    settings.PINTU_PARTNERS_SURVEY_DAYS = 7
    phone = services.contact_add(
        actor=ks_staff, partner=partner, name="Budi", phone="6281234567890"
    )
    survey, _link = sent(ks_staff, partner, contact=phone)
    assert (survey.transport, survey.sent_to) == ("whatsapp", "6281234567890")
    assert survey.expires_at == NOW + timedelta(days=7)
    nobody = partner_made(ks_staff, "PT Tanpa Kontak")
    with pytest.raises(ValidationError) as refused:
        survey_send(
            actor=ks_staff, partner=nobody, contact=None, agreement=None, year=2026, now=NOW
        )
    assert refused.value.message_dict == {
        "contact": ["Tambahkan kontak mitra terlebih dahulu: survei dikirim kepadanya."]
    }
    assert SatisfactionSurvey.objects.count() == 1 and OutboxItem.objects.count() == 1


def test_the_partner_answers_once_without_an_account(ks_staff: Any, partner: Partner) -> None:
    survey, link = sent(ks_staff, partner, now=timezone.now())
    visitor = Client()
    form = visitor.get(link)
    assert form.status_code == 200 and "Survei kepuasan mitra" in form.content.decode()
    incomplete = visitor.post(link, {"communication": "5"})
    assert incomplete.context["form"].errors["benefit"] == ["Pilih nilai dari 1 sampai 5."]
    survey.refresh_from_db()
    assert survey.answered_at is None
    thanks = visitor.post(link, {**ANSWER, "comment": "Sangat membantu"})
    assert "Terima kasih!" in thanks.content.decode()
    survey.refresh_from_db()
    assert survey.answered_at is not None
    assert (survey.communication, survey.quality, survey.comment) == (5, 3, "Sangat membantu")
    again = visitor.get(link).content.decode()
    assert "sudah dijawab" in again and "Kirim jawaban saya" not in again
    visitor.post(link, {**ANSWER, "quality": "1"})
    survey.refresh_from_db()
    assert survey.quality == 3  # the first answer stays
    assert AuditEvent.objects.filter(action="survey.answer").count() == 1

    staff = Client()
    staff.force_login(ks_staff)
    page = staff.get(reverse("partners-partner", args=[partner.pk])).content.decode()
    assert "Sangat membantu" in page and "dijawab" in page


def test_an_expired_link_says_so_and_an_unknown_one_is_not_found(
    ks_staff: Any, partner: Partner
) -> None:
    _survey, link = sent(ks_staff, partner, now=NOW - timedelta(days=400))
    visitor = Client()
    page = visitor.get(link).content.decode()
    assert "kedaluwarsa" in page and "Kirim jawaban saya" not in page
    visitor.post(link, ANSWER)
    assert not SatisfactionSurvey.objects.filter(answered_at__isnull=False).exists()
    assert visitor.get(reverse("partners-survey-answer", args=["x" * 43])).status_code == 404


def test_the_answer_page_needs_no_inline_script_or_style(ks_staff: Any, partner: Partner) -> None:
    _survey, link = sent(ks_staff, partner, now=timezone.now())
    html = Client().get(link).content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert not re.search(r"\sstyle\s*=", html) and "<style" not in html


def test_only_partnership_staff_send_surveys(
    personas: Any, ks_staff: Any, partner: Partner
) -> None:
    auditor = Client()
    auditor.force_login(personas.auditor)
    contact = partner.contacts.get()
    response = auditor.post(
        reverse("partners-partner-survey", args=[partner.pk]),
        {"contact": contact.pk, "year": 2026},
    )
    assert response.status_code == 403 and not SatisfactionSurvey.objects.exists()
    staff = Client()
    staff.force_login(ks_staff)
    staff.post(
        reverse("partners-partner-survey", args=[partner.pk]),
        {"contact": contact.pk, "year": timezone.localdate().year},
    )
    assert SatisfactionSurvey.objects.get().sent_by == ks_staff
