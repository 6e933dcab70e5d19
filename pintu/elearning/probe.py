"""One look at a service's address over HTTP (the network side of the availability
probe; what counts as up is ``pintu.elearning.availability``)."""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from http.client import HTTPException

USER_AGENT = "Pintu-Probe/1.0"


@dataclass(frozen=True)
class Look:
    status: int | None  # None: no answer
    latency_ms: int
    error: str = ""


def look(url: str, *, timeout: float) -> Look:
    """GET ``url`` (following redirects) and time the answer."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT}, method="GET")  # noqa: S310
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            response.read(1024)
            status, error = response.status, ""
    except urllib.error.HTTPError as answered:
        status, error = answered.code, ""
    except (OSError, HTTPException) as failed:
        status, error = None, str(getattr(failed, "reason", None) or failed)[:300]
    return Look(status, int((time.monotonic() - started) * 1000), error)
