"""A person's browser, as the benchmarks that drive a real server need it: a cookie jar,
forms posted with their CSRF token, the sign-in form (and Pintu's second factor), and
the time of every request. Shared by ``load.py`` and ``compare.py``; only the standard
library at import, so that the django-helpdesk side can use it too.
"""

from __future__ import annotations

import http.cookiejar
import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable
from typing import Any

PASSWORD = "Beban-Uji-2026"  # noqa: S105 (people made for the benchmarks only)
CSRF = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
SECOND_FACTOR = "/login/kode/"  # where Pintu asks for the authenticator's code


class Recorder:
    """Every request's time by name, and what went wrong; safe across threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    def call(self, name: str, opener: Any, url: str, data: bytes | None = None, **kw: Any) -> Any:
        """``(status, body, final url)``; ``(None, b"", url)`` when no answer came."""
        request = urllib.request.Request(url, data=data, headers=kw.get("headers", {}))  # noqa: S310 (our own servers)
        started = time.perf_counter()
        try:
            with opener.open(request, timeout=kw.get("timeout", 60)) as response:
                body = response.read()
                status, final = response.status, response.url
        except urllib.error.HTTPError as error:
            body, status, final = error.read(), error.code, url
        except OSError as error:
            with self.lock:
                self.errors[name].append(f"{error.__class__.__name__}: {error}")
            return None, b"", url
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.times[name].append(elapsed)
            if status >= 400:
                self.errors[name].append(f"HTTP {status}")
        return status, body, final


def opener() -> Any:
    """A browser of its own: its own cookies, so its own session."""
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )


def form_post(rec: Recorder, name: str, browser: Any, url: str, fields: dict[str, str]) -> Any:
    """Open the form at ``url`` and post ``fields`` with its CSRF token, as a person does."""
    status, page, _ = rec.call(name + " (form)", browser, url)
    token = CSRF.search(page or b"")
    if token is None:
        with rec.lock:
            rec.errors[name].append(f"no form at {url} ({status})")
        return None, b"", url
    data = urllib.parse.urlencode({"csrfmiddlewaretoken": token.group(1).decode(), **fields})
    return rec.call(name, browser, url, data.encode(), headers={"Referer": url})


def sign_in(
    rec: Recorder,
    base: str,
    username: str,
    *,
    password: str = PASSWORD,
    code: Callable[[], str] | None = None,
    login_path: str = "/login/",
) -> Any:
    """A browser signed in through the real login form; ``code`` gives the second
    factor's code when the server asks for it. None (and an error recorded) on failure."""
    browser = opener()
    status, _, final = form_post(
        rec, "sign in", browser, base + login_path, {"username": username, "password": password}
    )
    if code is not None and SECOND_FACTOR in final:
        status, _, final = form_post(rec, "sign-in code", browser, final, {"code": code()})
    if status != 200 or login_path in final:
        with rec.lock:
            rec.errors["sign in"].append(f"{username} not signed in ({status}, {final})")
        return None
    return browser


def authenticator_code(username: str) -> str:
    """The code ``username``'s authenticator shows now (Pintu's database; Django set up)."""
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.get(user__username=username)
    return f"{TOTP(device.bin_key).token():06d}"
