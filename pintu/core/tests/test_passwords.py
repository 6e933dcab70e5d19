"""Passwords are hashed with Argon2id at 19 MiB; a hash made with Django's 100 MiB
defaults still signs in and is made again with Pintu's parameters."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher, identify_hasher, make_password
from django.test import Client

from pintu.conftest import PASSWORD, Personas

pytestmark = pytest.mark.django_db

# The suite hashes with MD5 for speed; these tests put back what production uses.
REAL = [
    "pintu.core.passwords.PintuArgon2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@pytest.fixture(autouse=True)
def real_hashers(settings: Any) -> None:
    settings.PASSWORD_HASHERS = REAL


def parameters(encoded: str) -> str:
    # argon2$argon2id$v=19$m=...,t=...,p=...$salt$hash
    return encoded.split("$")[3]


def test_the_settings_hash_as_these_tests_do() -> None:
    from pintu import settings as production

    assert production.PASSWORD_HASHERS == REAL


def test_a_new_password_is_hashed_at_19_mib_two_passes_one_lane() -> None:
    encoded = make_password("Kata-Sandi-Uji-2026")
    assert encoded.startswith("argon2$argon2id$")
    assert parameters(encoded) == "m=19456,t=2,p=1"
    assert identify_hasher(encoded).algorithm == "argon2"


def test_a_hash_of_django_defaults_signs_in_and_is_made_again(personas: Personas) -> None:
    user = personas.requester
    user.password = Argon2PasswordHasher().encode(PASSWORD, "garamlamasekali")
    user.save(update_fields=["password"])
    assert parameters(user.password) == "m=102400,t=2,p=8"
    answer = Client().post("/login/", {"username": user.username, "password": PASSWORD})
    assert answer.status_code == 302
    user.refresh_from_db()
    assert parameters(user.password) == "m=19456,t=2,p=1"
