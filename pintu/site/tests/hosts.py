"""`pintu worker` processes started as if each ran on a host of its own, for the tests
and ``bench/workers.py``, and the check that the workers have nothing left to do.

A host worker gets a folder of its own: its PINTU_VAR_DIR, TMPDIR, working directory
and log. Nothing on disk is shared with another process; only what its environment
points it at (the database, the mail relay, the Graph API) is.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from pintu.doors.models import InboundMessage, WebhookDelivery
from pintu.outbox.models import OutboxItem


def host_worker(environ: Mapping[str, str], folder: Path, *options: str) -> subprocess.Popen[bytes]:
    """Start `pintu worker` with ``options`` in ``folder`` (made if missing); what it
    prints goes to ``folder/worker.log`` (a pipe nobody reads would stall it)."""
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "worker.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "pintu", "worker", *options],
            env={**environ, "PINTU_VAR_DIR": str(folder), "TMPDIR": str(folder)},
            cwd=folder,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def worker_log(folder: Path) -> str:
    path = folder / "worker.log"
    return path.read_text(errors="replace") if path.exists() else "(no log)"


def all_done() -> bool:
    """Every outbox row sent, every stored webhook body unpacked and every inbound
    message filed (or quarantined)."""
    return not (
        OutboxItem.objects.exclude(status=OutboxItem.Status.SENT).exists()
        or WebhookDelivery.objects.filter(processed_at=None).exists()
        or InboundMessage.objects.filter(outcome=InboundMessage.Outcome.PENDING).exists()
    )
