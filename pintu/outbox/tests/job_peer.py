"""An outside system for outbox jobs, on loopback, and the transport that talks to it.

The peer acts on a job once per idempotency key (as a directory or an LMS does when it
is asked by key): a second request with the same key answers what the first did and
changes nothing. Tests script failures with HTTP status codes.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from pintu.outbox.delivery import PermanentFailure, Sent, TemporaryFailure
from pintu.outbox.models import OutboxItem


@dataclass
class JobPeer:
    url: str = ""
    applied: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> payload
    requests: list[str] = field(default_factory=list)  # the keys, in the order asked
    fail_with: list[int] = field(default_factory=list)  # status codes for the next requests


def _handler(peer: JobPeer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            key = self.headers.get("Idempotency-Key", "")
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
            peer.requests.append(key)
            if peer.fail_with:
                self._answer(peer.fail_with.pop(0), {"error": "scripted failure"})
                return
            first = key not in peer.applied
            if first:
                peer.applied[key] = body
            number = list(peer.applied).index(key) + 1
            self._answer(200, {"id": f"job-{number}", "applied": first})

        def _answer(self, status: int, data: dict[str, Any]) -> None:
            raw = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # keep the test output clean

    return Handler


@contextmanager
def job_peer() -> Iterator[JobPeer]:
    peer = JobPeer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(peer))
    peer.url = f"http://127.0.0.1:{server.server_address[1]}/jobs"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield peer
    finally:
        server.shutdown()
        server.server_close()


class PeerTransport:
    """A job transport as a module would write one: the payload goes to the outside
    system with the job's idempotency key; 5xx and network errors are passing, 4xx
    refusals final."""

    def __init__(self, url: str) -> None:
        self.url = url

    def send(self, item: OutboxItem) -> Sent:
        request = urllib.request.Request(  # noqa: S310 (a loopback http:// URL)
            self.url,
            data=json.dumps(item.payload).encode(),
            headers={"Content-Type": "application/json", "Idempotency-Key": item.idempotency_key},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                answer = json.loads(response.read())
        except urllib.error.HTTPError as error:
            failure = PermanentFailure if error.code < 500 else TemporaryFailure
            raise failure(f"HTTP {error.code}") from error
        except OSError as error:
            raise TemporaryFailure(str(error)) from error
        return Sent(external_id=answer["id"], result=answer)
