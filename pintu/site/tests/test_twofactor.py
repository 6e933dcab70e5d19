"""Two-factor sign-in: staff and admins must set up an authenticator app (TOTP) and
enter its code after the password; requesters may; recovery codes work once each;
wrong codes slow down; an admin resets a lost phone from the command line."""

from __future__ import annotations

import time
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from pintu.conftest import PASSWORD, Personas, next_app_code
from pintu.core.models import AuditEvent
from pintu.core.tokens import api_token_create
from pintu.org import twofactor

pytestmark = [pytest.mark.django_db, pytest.mark.two_factor]


def code_of(device: TOTPDevice, *, later: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits)
    totp.time += later
    return f"{totp.token():06d}"


def signed_in(username: str) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    answer = client.post("/login/", {"username": username, "password": PASSWORD})
    assert answer.status_code == 302, answer.content
    return client


def enrolled(user: Any) -> tuple[TOTPDevice, list[str]]:
    device = twofactor.pending_app(user)
    codes = twofactor.app_confirm(actor=user, device=device, code=code_of(device))
    device.refresh_from_db()
    return device, codes


def test_staff_without_an_app_are_sent_to_set_one_up_and_get_nowhere_else(
    personas: Personas,
) -> None:
    client = signed_in("staf-si")
    queue = client.get("/desk/")
    assert queue.status_code == 302
    assert queue["Location"] == "/keamanan/?next=%2Fdesk%2F"
    page = client.get(queue["Location"])
    assert b"Your role needs a second factor" in page.content
    assert b"<svg" in page.content  # the QR code of the key
    device = TOTPDevice.objects.get(user=personas.staff, confirmed=False)
    key = page.context["key"].replace(" ", "")
    assert len(key) == 32  # 20 bytes in base32

    wrong = client.post("/keamanan/", {"action": "confirm", "code": "000000", "next": "/desk/"})
    assert wrong.status_code == 400
    assert not TOTPDevice.objects.filter(user=personas.staff, confirmed=True).exists()
    assert client.get("/desk/").status_code == 302

    done = client.post(
        "/keamanan/", {"action": "confirm", "code": code_of(device), "next": "/desk/"}
    )
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert code.encode() in done.content
    assert client.get("/desk/").status_code == 200  # this session is verified now
    event = AuditEvent.objects.get(action="twofactor.enrol")
    assert event.actor == personas.staff
    assert not any(code in str(event.after) for code in codes)  # codes are never logged


def test_the_code_is_asked_after_the_password_and_a_wrong_one_opens_nothing(
    personas: Personas,
) -> None:
    device, _codes = enrolled(personas.staff)
    client = signed_in("staf-si")
    first = client.get("/desk/")
    assert first["Location"] == "/login/kode/?next=%2Fdesk%2F"
    wrong = client.post("/login/kode/", {"code": "123456", "next": "/desk/"})
    assert wrong.status_code == 400
    assert b"That code was not accepted" in wrong.content
    assert client.get("/desk/").status_code == 302
    device.refresh_from_db()
    device.throttling_failure_count = 0  # the wrong code's pause, over
    device.save()
    right = client.post("/login/kode/", {"code": next_app_code(device), "next": "/desk/"})
    assert right.status_code == 302 and right["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200


def test_a_code_that_reaches_the_server_a_step_late_is_accepted_and_so_is_the_next(
    personas: Personas,
) -> None:
    device = twofactor.pending_app(personas.staff)
    if time.time() % device.step > device.step - 2:
        time.sleep(2)  # not at a step's end, where "the step before" would become two
    twofactor.app_confirm(actor=personas.staff, device=device, code=code_of(device, later=-30))
    device.refresh_from_db()
    assert device.drift == -1  # the app is taken to run one step behind
    client = signed_in("staf-si")
    assert client.post("/login/kode/", {"code": code_of(device, later=-30)}).status_code == 400
    device.throttling_failure_count = 0  # the reused code's pause, over
    device.save()
    right = client.post("/login/kode/", {"code": next_app_code(device), "next": "/desk/"})
    assert right.status_code == 302 and right["Location"] == "/desk/"


def test_the_next_address_never_leaves_the_site(personas: Personas) -> None:
    device, _codes = enrolled(personas.staff)
    client = signed_in("staf-si")
    answer = client.post(
        "/login/kode/", {"code": next_app_code(device), "next": "https://evil.example/"}
    )
    assert answer["Location"] == "/"


def test_repeated_wrong_codes_make_the_next_try_wait(personas: Personas) -> None:
    device, _codes = enrolled(personas.staff)
    client = signed_in("staf-si")
    for _ in range(6):
        client.post("/login/kode/", {"code": "000001"})
    waiting = client.post("/login/kode/", {"code": next_app_code(device)})
    assert waiting.status_code == 400
    assert b"Too many wrong codes" in waiting.content
    assert client.get("/desk/").status_code == 302


def test_a_recovery_code_signs_in_once(personas: Personas) -> None:
    _device, codes = enrolled(personas.staff)
    first = signed_in("staf-si")
    assert first.post("/login/kode/", {"code": codes[0].upper()}).status_code == 302
    assert first.get("/desk/").status_code == 200
    assert twofactor.recovery_left(personas.staff) == 9
    used = AuditEvent.objects.get(action="twofactor.recovery_used")
    assert used.after == {"left": 9}

    again = signed_in("staf-si")
    assert again.post("/login/kode/", {"code": codes[0]}).status_code == 400
    assert again.get("/desk/").status_code == 302


def test_new_recovery_codes_replace_the_old_ones(personas: Personas) -> None:
    _device, old = enrolled(personas.staff)
    client = signed_in("staf-si")
    client.post("/login/kode/", {"code": old[0]})
    renewed = client.post("/keamanan/", {"action": "renew"})
    new = renewed.context["codes"]
    assert set(new).isdisjoint(old)
    assert twofactor.recovery_left(personas.staff) == 10
    assert signed_in("staf-si").post("/login/kode/", {"code": new[1]}).status_code == 302
    assert signed_in("staf-si").post("/login/kode/", {"code": old[1]}).status_code == 400


def test_a_requester_is_not_asked_but_may_turn_it_on_and_off(personas: Personas) -> None:
    client = signed_in("mahasiswa")
    assert client.get("/permintaan-saya/").status_code == 200
    page = client.get("/keamanan/")
    assert b"It is optional for you" in page.content
    device = TOTPDevice.objects.get(user=personas.requester, confirmed=False)
    client.post("/keamanan/", {"action": "confirm", "code": code_of(device)})

    later = signed_in("mahasiswa")
    assert later.get("/permintaan-saya/")["Location"].startswith("/login/kode/")
    later.post("/login/kode/", {"code": next_app_code(device)})
    removed = later.post("/keamanan/", {"action": "remove"})
    assert removed["Location"] == "/login/"
    assert not TOTPDevice.objects.filter(user=personas.requester).exists()
    assert signed_in("mahasiswa").get("/permintaan-saya/").status_code == 200


def test_staff_cannot_remove_the_factor_their_role_needs(personas: Personas) -> None:
    _device, codes = enrolled(personas.staff)
    client = signed_in("staf-si")
    client.post("/login/kode/", {"code": codes[0]})
    refused = client.post("/keamanan/", {"action": "remove"})
    assert refused.status_code == 400
    assert twofactor.has_device(personas.staff)


def test_off_asks_no_one_who_has_not_set_it_up(personas: Personas, settings: Any) -> None:
    settings.PINTU_TWO_FACTOR = "off"
    assert signed_in("staf-si").get("/desk/").status_code == 200
    assert signed_in("admin").get("/audit/").status_code == 200


def test_the_api_refuses_an_unverified_session_but_not_a_personal_token(
    personas: Personas,
) -> None:
    enrolled(personas.staff)
    client = signed_in("staf-si")
    refused = client.get("/api/v1/tickets")
    assert refused.status_code == 401
    assert refused.json() == {"detail": "Enter your sign-in code first."}
    token = api_token_create(actor=None, user=personas.staff)[1]
    by_token = Client(headers={"Authorization": f"Bearer {token}"}).get("/api/v1/tickets")
    assert by_token.status_code == 200


def test_an_admin_resets_a_lost_phone_from_the_command_line(personas: Personas) -> None:
    enrolled(personas.staff)
    with pytest.raises(CommandError):
        call_command("twofactor", "reset", "staf-si", "--reason", " ")
    out = StringIO()
    call_command("twofactor", "reset", "staf-si", "--reason", "ponsel hilang", stdout=out)
    assert "second factor removed" in out.getvalue()
    assert not twofactor.has_device(personas.staff)
    event = AuditEvent.objects.get(action="twofactor.reset")
    assert event.before == {"devices": ["authenticator", "recovery"]}
    assert signed_in("staf-si").get("/desk/")["Location"].startswith("/keamanan/")


def test_status_lists_who_must_and_who_has(personas: Personas) -> None:
    enrolled(personas.head)
    out = StringIO()
    call_command("twofactor", "status", stdout=out)
    lines = {line.split()[0]: line for line in out.getvalue().splitlines()}
    assert "NOT SET UP" in lines["staf-si"]
    assert " on " in lines["kepala-si"] and "10 recovery codes" in lines["kepala-si"]
    assert "mahasiswa" not in lines


def test_demo_codes_are_only_for_demo_devices(personas: Personas, settings: Any) -> None:
    enrolled(personas.staff)
    with pytest.raises(CommandError, match="no demo authenticator"):
        call_command("twofactor", "code", "staf-si")
    twofactor.demo_device(user=personas.head, key="00" * 20)
    out = StringIO()
    call_command("twofactor", "code", "kepala-si", stdout=out)
    device = TOTPDevice.objects.get(user=personas.head)
    assert out.getvalue().strip() in {code_of(device), code_of(device, later=-30)}
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="production"):
        call_command("twofactor", "code", "kepala-si")
