"""The permission matrix's rows for this app's pages (see
``pintu/site/tests/test_permission_matrix.py``). E-learning and the status page (P4M's
module); the status page is public. A missing object answers 404 to whoever may open its
kind, 403 or 404 to the others."""

from __future__ import annotations

from pintu.site.tests.permission_matrix import (
    Row,
    no_args,
    post_only,
    same,
)

#               anon     req      other-req staff    other-st super    head     auditor  admin
PAGES: dict[str, Row] = {
    "elearning-announcements": (no_args, ("login", 403, 403, 200, 200, 200, 200, 200, 200)),
    "elearning-changes": (no_args, ("login", 403, 403, 200, 200, 200, 200, 200, 200)),
    "elearning-courses": (no_args, ("login", 403, 403, 200, 200, 200, 200, 200, 200)),
    "elearning-home": (no_args, ("login", 403, 403, 200, 200, 200, 200, 200, 200)),
    "elearning-release-announced": (lambda w: {"release_id": 999_999}, post_only()),
    "elearning-releases": (no_args, ("login", 403, 403, 200, 200, 200, 200, 200, 200)),
    "elearning-status": (no_args, same(200)),
    "elearning-target-retry": (lambda w: {"target_id": 999_999}, post_only()),
}
