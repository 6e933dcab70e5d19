"""`pintu ingest email`: one JSON line per message, exit 0 whatever became of it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pintu.doors.models import InboundMessage
from pintu.doors.tests.test_email_parse import mail
from pintu.sop.tests.test_commands import pintu_executable

REQUEST = mail(
    "From: Budi <budi@example.ac.id>",
    "To: nobody@example.org",
    "Subject: Printer macet",
    "Message-ID: <cli-1@example.ac.id>",
    body="Printer ruang 201 macet.",
)


def ingest(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("ingest", "email", *args, stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1
    answer: dict[str, Any] = json.loads(lines[0])
    return answer


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_each_outcome_is_one_json_line(sops: None, tmp_path: Path) -> None:
    path = tmp_path / "request.eml"
    path.write_bytes(REQUEST)
    assert ingest("--unit", "UPT-SI", str(path)) == {
        "outcome": "created",
        "ticket": "SI-26-00001",
        "reason": None,
    }
    assert ingest("--unit", "UPT-SI", str(path)) == {
        "outcome": "ignored",
        "ticket": "SI-26-00001",
        "reason": "duplicate",
    }
    # No unit given and none owns the address: kept, quarantined, and still exit 0.
    other = tmp_path / "other.eml"
    other.write_bytes(REQUEST.replace(b"cli-1@", b"cli-2@"))
    assert ingest(str(other)) == {"outcome": "quarantined", "ticket": None, "reason": "no unit"}
    assert InboundMessage.objects.filter(outcome="quarantined").count() == 1


@pytest.mark.django_db
def test_standard_input_is_read_as_bytes(sops: None, monkeypatch: pytest.MonkeyPatch) -> None:
    auto = REQUEST.replace(b"Subject:", b"Auto-Submitted: auto-replied\r\nSubject:")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(auto)))
    assert ingest("--unit", "UPT-SI", "-") == {
        "outcome": "ignored",
        "ticket": None,
        "reason": "auto-reply",
    }


@pytest.mark.django_db
def test_a_command_that_cannot_run_exits_2_with_a_message(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as unknown:
        call_command("ingest", "email", "--unit", "NOPE", str(tmp_path / "x.eml"))
    assert unknown.value.returncode == 2
    assert "unknown unit 'NOPE'" in str(unknown.value)
    with pytest.raises(CommandError) as missing:
        call_command("ingest", "email", str(tmp_path / "missing.eml"))
    assert missing.value.returncode == 2
    assert "cannot read" in str(missing.value) and "missing.eml" in str(missing.value)
    assert not InboundMessage.objects.exists()


def test_the_console_script_prints_the_json_line_and_exits_0(tmp_path: Path) -> None:
    env = {**os.environ, "PINTU_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # a database of its own, never the configured one
    pintu = pintu_executable()
    subprocess.run([pintu, "migrate", "-v0"], env=env, check=True, capture_output=True, timeout=120)

    def run(*args: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [pintu, "ingest", "email", *args], env=env, input=stdin, capture_output=True, timeout=60
        )

    bounce = REQUEST.replace(b"From: Budi <budi@example.ac.id>", b"From: MAILER-DAEMON@mx.org")
    ignored = run("-", stdin=bounce)
    assert ignored.returncode == 0, ignored.stderr
    assert ignored.stdout.decode().splitlines() == [
        '{"outcome": "ignored", "ticket": null, "reason": "bounce"}'
    ]
    unknown = run("--unit", "NOPE", "-", stdin=REQUEST)
    assert unknown.returncode == 2
    assert b"unknown unit 'NOPE'" in unknown.stderr and unknown.stdout == b""
