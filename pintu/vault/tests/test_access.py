"""Flow b of SOP SDM.5.OT.02.02-5068 through the desk's steps: the request classified,
access granted to accounts until a day or refused with a reason, both told to the
requester in the conversation; and the oversight after it (PENGAWASAN): a grant whose
time is up ends itself and opens a password rotation for the person in charge, a review
each semester lists every grant still running, and the access report says who could
see what and who did."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from pintu.conftest import PASSWORD, make_user, service
from pintu.core.models import AuditEvent
from pintu.desk import services as desk
from pintu.desk.actions import PREFIX
from pintu.desk.models import Article, Door, Step
from pintu.org.models import Role
from pintu.outbox.models import OutboxItem
from pintu.vault.forms import GrantForm
from pintu.vault.grants import grants_expire, review_decide, reviews_open
from pintu.vault.models import AccessRequest, Grant, Review, ReviewItem, Rotation
from pintu.vault.services import credential_reveal
from pintu.vault.tests.helpers import KEY, access_request, entry, grant, keeper

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vault_key(settings: Any) -> None:
    settings.PINTU_VAULT_KEY = KEY


def posted(**values: Any) -> dict[str, Any]:
    return {f"{PREFIX}-{name}": value for name, value in values.items()}


def to_classification(ticket: Any, staff: Any) -> Step:
    """Steps b2-b4: the person in charge asks, the user answers and confirms."""
    for key in ("b2-terima-pesan", "b3-terima-tanggapan", "b4-jawaban"):
        desk.ticket_complete_step(actor=staff, step=ticket.steps.get(activity__key=key))
    return ticket.steps.get(activity__key="b5-klasifikasi")


def test_the_request_is_classified_then_granted_until_a_day(sops: None) -> None:
    staff, person = keeper(), make_user("dosen", Role.REQUESTER, "TRPL")
    zoom, canva = entry(staff), entry(staff, service_name="Canva")
    ticket = access_request(person, akun="Zoom untuk kuliah")
    step = to_classification(ticket, staff)
    done = desk.ticket_complete_step(
        actor=staff, step=step, branch="b6-akses-diberikan", data=posted(accounts=[zoom.pk])
    )
    assert done.branch == "b6-akses-diberikan" and "Zoom" in done.output
    assert list(AccessRequest.objects.get(ticket=ticket).accounts.all()) == [zoom]
    assert ticket.steps.get(activity__key="b7-akses-ditolak").state == Step.State.SKIPPED
    grant_step = ticket.steps.get(activity__key="b6-akses-diberikan")
    initial = GrantForm(step=grant_step)
    assert list(initial["accounts"].value()) == [zoom.pk]  # as classified
    until = timezone.localdate() + timedelta(days=10)
    desk.ticket_complete_step(
        actor=staff,
        step=grant_step,
        data=posted(accounts=[zoom.pk, canva.pk], until=until.isoformat()),
    )
    made = Grant.objects.get()
    assert made.grantee == person and set(made.accounts.all()) == {zoom, canva}
    assert timezone.localtime(made.ends_at).date() == until
    reply = ticket.articles.filter(kind=Article.Kind.REPLY).latest("id")
    assert "/akun-digital/akses/" in reply.body and "Zoom-rahasia" not in reply.body
    assert AuditEvent.objects.filter(action="access.grant", object_id=str(made.pk)).exists()


def test_a_refusal_tells_the_requester_why(sops: None) -> None:
    staff, person = keeper(), make_user("dosen", Role.REQUESTER, "TRPL")
    ticket = access_request(person)
    step = to_classification(ticket, staff)
    desk.ticket_complete_step(
        actor=staff, step=step, branch="b7-akses-ditolak", data=posted(accounts=[])
    )
    refuse = ticket.steps.get(activity__key="b7-akses-ditolak")
    with pytest.raises(ValidationError):
        desk.ticket_complete_step(actor=staff, step=refuse, data=posted(reason=" "))
    desk.ticket_complete_step(
        actor=staff, step=refuse, data=posted(reason="Akun khusus untuk ujian.")
    )
    reply = ticket.articles.filter(kind=Article.Kind.REPLY).latest("id")
    assert reply.body == "Akses ditolak: Akun khusus untuk ujian."
    assert not Grant.objects.exists()
    assert (
        AuditEvent.objects.get(action="access.refuse").after["reason"] == "Akun khusus untuk ujian."
    )


def test_access_is_granted_only_to_a_person_who_signs_in(sops: None) -> None:
    staff = keeper()
    zoom = entry(staff)
    ticket = desk.ticket_create(
        actor=None,
        service_type=service("SDM.5.OT.02.02-5068", "pemberian-akses"),
        requester=desk.ContactDetails(name="Dosen Tamu", phone="6281200000077"),
        opening=desk.Opening(subject="Akses Zoom", body="Mohon akses."),
        door=Door.WHATSAPP,
        fields={"akun": "Zoom"},
    ).ticket
    step = to_classification(ticket, staff)
    desk.ticket_complete_step(
        actor=staff, step=step, branch="b6-akses-diberikan", data=posted(accounts=[zoom.pk])
    )
    with pytest.raises(ValidationError, match="tidak memiliki akun di Pintu"):
        desk.ticket_complete_step(
            actor=staff,
            step=ticket.steps.get(activity__key="b6-akses-diberikan"),
            data=posted(accounts=[zoom.pk], until=date.today().isoformat()),
        )


def test_an_expired_grant_ends_itself_and_asks_the_person_in_charge_to_rotate(
    sops: None,
) -> None:
    staff, person = keeper(), make_user("dosen", Role.REQUESTER, "TRPL")
    zoom, empty = entry(staff), entry(staff, service_name="Canva", credential="")
    now = timezone.now()
    made = grant(staff, person, [zoom, empty], days=7, now=now - timedelta(days=8))
    still = grant(staff, person, [zoom], days=7, now=now)
    assert grants_expire(now=now) == 1
    assert grants_expire(now=now) == 0  # once
    made.refresh_from_db()
    still.refresh_from_db()
    assert (made.end, made.ended_at) == ("expired", made.ends_at)
    assert still.ended_at is None
    (rotation,) = Rotation.objects.all()  # none for the account without a password
    assert (rotation.account, rotation.grant, rotation.done_at) == (zoom, made, None)
    notice = OutboxItem.objects.get(purpose=OutboxItem.Purpose.NOTIFICATION)
    assert notice.recipient == staff.email and "Zoom" in notice.subject
    assert f"/akun-digital/{zoom.pk}/" in notice.body_text
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("vault-register")).content.decode()
    assert "Kata sandi yang perlu diganti" in page and "akses Dosen berakhir" in page


def test_each_semester_the_person_in_charge_confirms_or_revokes_every_running_grant(
    sops: None,
) -> None:
    staff, person = keeper(), make_user("dosen", Role.REQUESTER, "TRPL")
    other = make_user("mahasiswa", Role.REQUESTER, "TRPL")
    zoom = entry(staff)
    now = timezone.now()
    kept = grant(staff, person, [zoom], days=200, now=now)
    revoked = grant(staff, other, [zoom], days=200, now=now)
    (review,) = reviews_open(now=now)
    assert review.steward == staff
    assert {item.grant for item in review.items.all()} == {kept, revoked}
    assert reviews_open(now=now + timedelta(days=30)) == []  # not yet due again
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("vault-reviews")).content.decode()
    assert "Mahasiswa" in page and "Dosen" in page
    items = {item.grant: item for item in review.items.all()}
    response = client.post(
        reverse("vault-reviews"), {"item": items[kept].pk, "decision": "confirmed"}
    )
    assert response.status_code == 302
    with pytest.raises(PermissionDenied):  # not their review
        review_decide(actor=person, item=items[revoked], decision="revoked", now=now)
    client.post(
        reverse("vault-reviews"),
        {"item": items[revoked].pk, "decision": "revoked", "reason": "Sudah lulus"},
    )
    review.refresh_from_db()
    revoked.refresh_from_db()
    assert review.closed_at is not None and revoked.end == "revoked"
    assert revoked.reason == "Sudah lulus"
    assert ReviewItem.objects.get(grant=kept).decision == "confirmed"
    assert Rotation.objects.filter(account=zoom, grant=revoked).exists()
    due = now + timedelta(days=190)
    assert [r.steward for r in reviews_open(now=due)] == [staff]
    assert Review.objects.count() == 2


def test_the_access_report_says_who_could_see_what_and_who_did(sops: None) -> None:
    staff, person = keeper(), make_user("dosen", Role.REQUESTER, "TRPL")
    zoom, canva = entry(staff), entry(staff, service_name="Canva")
    now = timezone.now()
    grant(staff, person, [zoom, canva], days=30, now=now - timedelta(days=1))
    for _ in range(2):
        credential_reveal(actor=person, account=zoom, password=PASSWORD, now=now)
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("vault-report")).content.decode()
    assert "Zoom: prodi@zoom.test" in page and "Canva" in page
    today = timezone.localdate()
    span = {"from": (today - timedelta(days=7)).isoformat(), "to": today.isoformat()}
    response: Any = client.get(reverse("vault-report-xlsx"), span)
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Layanan digital" and rows[0][10] == "Dilihat dalam periode"
    by_service = {row[0]: row for row in rows[1:]}
    assert by_service["Zoom"][5] == "Dosen" and by_service["Zoom"][10] == 2
    assert by_service["Canva"][10] == 0
    # A period before the grant lists nothing.
    before = {"from": "2020-01-01", "to": "2020-01-31"}
    assert (
        "Tidak ada yang memiliki akses"
        in client.get(reverse("vault-report"), before).content.decode()
    )
    assert client.get(reverse("vault-report")).status_code == 200
    outsider = Client()
    outsider.force_login(person)
    assert outsider.get(reverse("vault-report")).status_code == 403
