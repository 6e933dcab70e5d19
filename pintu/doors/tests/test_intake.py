"""What every door shares: the default service of a unit and sealed credentials."""

from __future__ import annotations

import pytest

from pintu.conftest import service
from pintu.doors.intake import NoServiceError, default_service
from pintu.doors.secrets import seal, unseal
from pintu.org.models import Unit


@pytest.mark.django_db
def test_a_unit_files_new_requests_under_its_first_service_unless_told(sops) -> None:
    si = Unit.objects.get(code="UPT-SI")
    first = default_service(si)
    assert first.sop.code == "PR.33.8" and first.sop.is_current
    chosen = service("PR.33.8", "perbaikan-sistem-informasi")
    assert default_service(si, chosen) == chosen


@pytest.mark.django_db
def test_a_unit_without_an_sop_says_so() -> None:
    with pytest.raises(NoServiceError, match="JTI has no SOP loaded"):
        default_service(Unit.objects.get(code="JTI"))


def test_credentials_are_sealed_and_opened_with_the_secret_key(settings) -> None:
    sealed = seal("kata-sandi-imap")
    assert "kata-sandi-imap" not in sealed
    assert unseal(sealed) == "kata-sandi-imap"
    assert seal("") == "" and unseal("") == ""
    settings.SECRET_KEY = "another-" + "k" * 60
    with pytest.raises(ValueError, match="secret key changed"):
        unseal(sealed)
