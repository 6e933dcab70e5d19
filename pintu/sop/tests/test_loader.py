"""Loading definitions: all or nothing, idempotent, a new revision per changed file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pintu.conftest import Personas
from pintu.core.models import AuditEvent
from pintu.sop import selectors
from pintu.sop.models import Activity, Kpi, ServiceType, Sop
from pintu.sop.nodes import DefinitionError
from pintu.sop.services import DEFINITIONS_DIR, sop_load_dir, sop_load_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def definitions(tmp_path: Path) -> Path:
    """A copy of the shipped definitions, free to change."""
    folder = tmp_path / "definitions"
    shutil.copytree(DEFINITIONS_DIR, folder)
    return folder


def audit_count() -> int:
    return AuditEvent.objects.filter(action="sop.load").count()


def test_loading_the_shipped_folder_stores_every_sop_and_its_rows(definitions: Path) -> None:
    results = sop_load_dir(actor=None, directory=definitions)
    assert [(r.code, r.revision, r.status) for r in results] == [
        ("PR.13.2", 1, "loaded"),
        ("PR.27.4", 1, "loaded"),
        ("PR.33.8", 1, "loaded"),
        ("PR.KS", 1, "loaded"),
        ("SDM.5.OT.02.02-5068", 1, "loaded"),
    ]
    sop = Sop.objects.get(code="PR.33.8")
    assert sop.unit.code == "UPT-SI" and sop.is_current and sop.source_name == "PR.33.8.yaml"
    assert sop.parsed().code == "PR.33.8"
    assert ServiceType.objects.get(sop=sop, key="layanan-ringan").resolution == "3d"
    assert Kpi.objects.filter(sop=sop).count() == 15
    assert list(Activity.objects.filter(sop=sop).values_list("position", flat=True)) == [1, 2, 3]
    sdm = Sop.objects.get(code="SDM.5.OT.02.02-5068")
    steps = Activity.objects.filter(sop=sdm)
    assert steps.count() == 11 and steps.filter(time_standard="").count() == 2
    assert Sop.objects.get(code="PR.KS").effective is None
    media = Sop.objects.get(code="PR.27.4").parsed()
    assert media.gaps == ("Melaksanakan produksi konten media kreatif",)
    assert media.owner == "Koor.PHK"
    assert audit_count() == 5


def test_loading_the_same_bytes_again_loads_nothing_new(definitions: Path) -> None:
    sop_load_dir(actor=None, directory=definitions)
    counts = (Sop.objects.count(), ServiceType.objects.count(), Kpi.objects.count())
    results = sop_load_dir(actor=None, directory=definitions)
    assert {r.status for r in results} == {"unchanged"}
    assert {r.revision for r in results} == {1}
    assert (Sop.objects.count(), ServiceType.objects.count(), Kpi.objects.count()) == counts
    assert audit_count() == 5


def test_a_changed_file_becomes_revision_2_and_keeps_the_old_rows(
    definitions: Path, personas: Personas
) -> None:
    path = definitions / "PR.33.8.yaml"
    first = sop_load_file(actor=personas.admin, path=path)
    old_services = list(ServiceType.objects.filter(sop=first.sop).values_list("id", "resolution"))
    path.write_text(
        path.read_text()
        .replace("resolution: 3d", "resolution: 2d")
        .replace("within: 3d", "within: 2d")
    )

    second = sop_load_file(actor=personas.admin, path=path)

    assert (second.status, second.revision) == ("loaded", 2)
    first.sop.refresh_from_db()
    assert not first.sop.is_current and second.sop.is_current
    assert selectors.sop_current("PR.33.8") == second.sop
    # Tickets of revision 1 keep their service types untouched.
    assert (
        list(ServiceType.objects.filter(sop=first.sop).values_list("id", "resolution"))
        == old_services
    )
    assert ServiceType.objects.get(sop=second.sop, key="layanan-ringan").resolution == "2d"
    assert Kpi.objects.filter(sop=first.sop).count() == Kpi.objects.filter(sop=second.sop).count()
    events = AuditEvent.objects.filter(action="sop.load").order_by("id")
    assert [(e.object_id, e.actor, e.unit_id) for e in events] == [
        (str(first.sop.pk), personas.admin, first.sop.unit_id),
        (str(second.sop.pk), personas.admin, first.sop.unit_id),
    ]
    assert (events[1].before, events[1].after) == (
        {"revision": 1, "sha256": first.sop.source_sha256},
        {"revision": 2, "sha256": second.sop.source_sha256, "source": "PR.33.8.yaml"},
    )


def test_one_bad_file_loads_nothing(definitions: Path) -> None:
    path = definitions / "PR.KS.yaml"
    path.write_text(path.read_text().replace("retention: 5y", "retention: 5 tahun", 1))
    with pytest.raises(DefinitionError) as caught:
        sop_load_dir(actor=None, directory=definitions)
    assert caught.value.file == "PR.KS.yaml"
    assert caught.value.field == "records[0].retention"
    assert Sop.objects.count() == 0 and audit_count() == 0


def test_an_unknown_unit_is_a_clear_error(definitions: Path) -> None:
    path = definitions / "PR.13.2.yaml"
    path.write_text(path.read_text().replace("unit: P4M", "unit: LPPM"))
    with pytest.raises(DefinitionError, match=r"^PR.13.2.yaml:8: unit: unknown unit 'LPPM'"):
        sop_load_dir(actor=None, directory=definitions)
    assert Sop.objects.count() == 0


def test_two_files_for_one_sop_are_refused(definitions: Path) -> None:
    shutil.copy(definitions / "PR.27.4.yaml", definitions / "PR.27.4-copy.yaml")
    with pytest.raises(DefinitionError) as caught:
        sop_load_dir(actor=None, directory=definitions)
    assert str(caught.value) == "PR.27.4.yaml:5: code: PR.27.4 is also defined in PR.27.4-copy.yaml"
    assert Sop.objects.count() == 0


def test_a_file_that_is_not_utf8_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"code: PR.1.1\ntitle: Caf\xe9\n")
    with pytest.raises(DefinitionError, match=r"^x.yaml:2: not UTF-8 text$"):
        sop_load_file(actor=None, path=path)


def test_an_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match="no definition files"):
        sop_load_dir(actor=None, directory=tmp_path)


def test_selectors_read_the_current_revisions(definitions: Path) -> None:
    sop_load_dir(actor=None, directory=definitions)
    assert [sop.code for sop in selectors.sop_list()] == [
        "PR.13.2", "PR.27.4", "PR.33.8", "PR.KS", "SDM.5.OT.02.02-5068",
    ]  # fmt: skip
    assert selectors.sop_current("PR.99") is None
    sop = selectors.sop_current("PR.27.4")
    assert sop is not None
    data = selectors.sop_as_json(sop)
    assert data["code"] == "PR.27.4" and data["revision"] == 1
    assert data["loaded_at"] == sop.loaded_at.isoformat()
    assert [kpi["code"] for kpi in data["kpis"]] == ["B.4.10.1", "B.4.10.2", "B.4.10.8"]
