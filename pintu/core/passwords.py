"""Password hashing: Argon2id at OWASP's lowest recommended memory cost (19 MiB, two
passes, one lane) instead of Django's 100 MiB, so that one sign-in does not double a
web process's memory. Hashes made with other parameters (Django's defaults, earlier
releases) still verify, and are made again with these at the person's next sign-in."""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class PintuArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
