"""The permission matrix's rows for this app's pages (see
``pintu/site/tests/test_permission_matrix.py``). Partnerships (KS, PHK): none of the
UPT-SI personas works there; the auditor reads, the admin writes. A missing object
answers 404 to whoever may open its kind, 403 or 404 to the others."""

from __future__ import annotations

from pintu.site.tests.permission_matrix import (
    Row,
    missing_pk,
    no_args,
    post_only,
    same,
)

#               anon     req      other-req staff    other-st super    head     auditor  admin
PAGES: dict[str, Row] = {
    "partners-activities": (no_args, ("login", 403, 403, 403, 403, 403, 403, 200, 200)),
    "partners-activity": (missing_pk, ("login", 403, 403, 403, 403, 403, 403, 404, 404)),
    "partners-activity-file": (
        lambda w: {"pk": 999_999, "file": 999_999},
        ("login", 403, 403, 403, 403, 403, 403, 404, 404),
    ),
    "partners-agreement": (missing_pk, ("login", 403, 403, 403, 403, 403, 403, 404, 404)),
    "partners-agreement-edit": (missing_pk, ("login", 403, 403, 403, 403, 403, 403, 403, 404)),
    "partners-agreement-file": (
        lambda w: {"pk": 999_999, "number": 999_999},
        ("login", 403, 403, 403, 403, 403, 403, 404, 404),
    ),
    "partners-agreement-new": (no_args, ("login", 403, 403, 403, 403, 403, 403, 403, 200)),
    "partners-agreement-status": (missing_pk, post_only()),
    "partners-agreement-version": (missing_pk, post_only()),
    "partners-agreements": (no_args, ("login", 403, 403, 403, 403, 403, 403, 200, 200)),
    "partners-contact-add": (missing_pk, post_only()),
    "partners-contact-edit": (missing_pk, ("login", 403, 403, 403, 403, 403, 403, 403, 404)),
    "partners-home": (no_args, ("login", 403, 403, 403, 403, 403, 403, 200, 200)),
    "partners-import": (no_args, ("login", 403, 403, 403, 403, 403, 403, 403, 200)),
    "partners-list": (no_args, ("login", 403, 403, 403, 403, 403, 403, 200, 200)),
    "partners-partner": (missing_pk, ("login", 403, 403, 403, 403, 403, 403, 404, 404)),
    "partners-partner-edit": (missing_pk, ("login", 403, 403, 403, 403, 403, 403, 403, 404)),
    "partners-partner-new": (no_args, ("login", 403, 403, 403, 403, 403, 403, 403, 200)),
    "partners-monitoring": (missing_pk, ("login", 403, 403, 403, 403, 403, 403, 404, 404)),
    "partners-monitoring-edit": (missing_pk, ("login", 403, 403, 403, 403, 403, 403, 403, 404)),
    "partners-monitoring-pdf": (missing_pk, ("login", 403, 403, 403, 403, 403, 403, 404, 404)),
    "partners-monitoring-start": (no_args, post_only()),
    "partners-monitorings": (no_args, ("login", 403, 403, 403, 403, 403, 403, 200, 200)),
    "partners-partner-survey": (missing_pk, post_only()),
    # The partner's answer needs no account: an unknown link is 404 to everyone.
    "partners-survey-answer": (lambda w: {"token": "none"}, same(404)),
}
