"""The permission matrix's rows for this app's pages (see
``pintu/site/tests/test_permission_matrix.py``). The content calendar of HUMAS: none of
the UPT-SI personas works there; the auditor and admin read. A missing object answers
404 to whoever may open its kind, 403 or 404 to the others."""

from __future__ import annotations

from pintu.site.tests.permission_matrix import (
    Row,
    missing_pk,
    no_args,
    post_only,
    same,
    signed_in,
)

#               anon     req      other-req staff    other-st super    head     auditor  admin
PAGES: dict[str, Row] = {
    "media-asset": (
        lambda w: {"pk": 999_999, "asset_id": 999_999},
        ("login", 403, 403, 403, 403, 403, 403, 404, 404),
    ),
    "media-asset-add": (missing_pk, post_only()),
    "media-calendar": (no_args, ("login", 403, 403, 403, 403, 403, 403, 200, 200)),
    "media-evaluation": (no_args, ("login", 403, 403, 403, 403, 403, 403, 200, 200)),
    "media-feed": (lambda w: {"code": "HUMAS", "token": "none"}, same(404)),
    "media-home": (no_args, same("→")),
    "media-item": (missing_pk, signed_in(404)),
    "media-item-edit": (missing_pk, post_only()),
    "media-item-move": (missing_pk, post_only()),
    "media-item-new": (no_args, ("login", 403, 403, 403, 403, 403, 403, 200, 200)),
    "media-item-reschedule": (missing_pk, post_only()),
    "media-metrics": (missing_pk, post_only()),
    "media-metrics-csv": (no_args, post_only()),
    "media-publication": (missing_pk, post_only()),
    "media-report-review": (no_args, post_only()),
    "media-review": (missing_pk, ("login", 403, 403, 403, 403, 403, 403, 404, 404)),
    "media-reviews": (no_args, ("login", 403, 403, 403, 403, 403, 403, 200, 200)),
    "media-task-add": (missing_pk, post_only()),
    "media-task-done": (lambda w: {"pk": 999_999, "task_id": 999_999}, post_only()),
    "media-timeline": (no_args, ("login", 403, 403, 403, 403, 403, 403, 200, 200)),
}
