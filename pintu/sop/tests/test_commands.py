"""`pintu sop check|load|show|list`, through call_command and once as a real process."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from pintu.sop.models import Sop
from pintu.sop.services import DEFINITIONS_DIR

PR_33_8_TARGETS = {
    "B.1.8.16.a": "present",
    "B.1.8.16.b": "present",
    "B.1.8.16.c": "present",
    "B.1.8.16.d": "present",
    "B.1.8.16.e": ">= 100%",
    "B.1.8.18": ">= 100%",  # each of its twelve named systems
    "B.4.6.1": "present",
    "B.4.6.2": "present",
    "B.4.6.4.a": ">= 100%",
    "B.4.6.4.b": ">= 100%",
    "B.4.6.4.c": ">= 100%",
    "B.4.6.4.d": ">= 100%",
    "B.4.6.4.e": ">= 100%",
    "B.4.6.4.f": ">= 100%",
    "B.4.6.4.g": ">= 100%",
}


def run(*args: str) -> str:
    out = StringIO()
    call_command("sop", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_check_reports_the_code_and_counts() -> None:
    assert run("check", str(DEFINITIONS_DIR / "PR.33.8.yaml")) == (
        "ok: PR.33.8 (3 activities, 15 KPIs)\n"
    )
    assert run("check", str(DEFINITIONS_DIR / "SDM.5.OT.02.02-5068.yaml")) == (
        "ok: SDM.5.OT.02.02-5068 (11 activities, 2 KPIs)\n"
    )
    assert Sop.objects.count() == 0


@pytest.mark.django_db
def test_check_of_a_bad_file_exits_2_with_the_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        (DEFINITIONS_DIR / "PR.27.4.yaml").read_text().replace("retention: 5y", "retention: 5", 1)
    )
    with pytest.raises(CommandError) as caught:
        run("check", str(path))
    assert caught.value.returncode == 2
    assert str(caught.value).startswith("bad.yaml:")
    assert "records[0].retention: '5' is not a retention period" in str(caught.value)


@pytest.mark.django_db
def test_check_of_a_missing_file_exits_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        run("check", str(tmp_path / "nope.yaml"))
    assert caught.value.returncode == 2
    assert "No such file" in str(caught.value)


@pytest.mark.django_db
def test_load_defaults_to_the_shipped_definitions_and_is_idempotent() -> None:
    assert run("load").splitlines() == [
        "loaded: PR.13.2 (revision 1)",
        "loaded: PR.27.4 (revision 1)",
        "loaded: PR.33.8 (revision 1)",
        "loaded: PR.KS (revision 1)",
        "loaded: SDM.5.OT.02.02-5068 (revision 1)",
    ]
    assert run("load", str(DEFINITIONS_DIR)).splitlines()[0] == "unchanged: PR.13.2 (revision 1)"
    assert Sop.objects.count() == 5


@pytest.mark.django_db
def test_load_of_a_folder_with_a_bad_file_loads_nothing(tmp_path: Path) -> None:
    shutil.copytree(DEFINITIONS_DIR, tmp_path, dirs_exist_ok=True)
    path = tmp_path / "PR.13.2.yaml"
    path.write_text(path.read_text() + "extra: 1\n")
    with pytest.raises(CommandError) as caught:
        run("load", str(tmp_path))
    assert caught.value.returncode == 2
    assert str(caught.value).startswith("PR.13.2.yaml:")
    assert "extra: unknown field 'extra'" in str(caught.value)
    assert Sop.objects.count() == 0


@pytest.mark.django_db
def test_load_of_a_missing_folder_exits_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as caught:
        run("load", str(tmp_path / "nowhere"))
    assert caught.value.returncode == 2


@pytest.mark.django_db
def test_show_json_gives_codes_targets_and_time_standards() -> None:
    run("load")
    data = json.loads(run("show", "SDM.5.OT.02.02-5068", "--json"))
    assert data["revision"] == 1 and data["loaded_at"]
    times = [a["time_standard"] for a in data["activities"]]
    assert times.count("15m") == 9 and times.count(None) == 2
    data = json.loads(run("show", "PR.33.8", "--json"))
    assert {k["code"]: k["target"] for k in data["kpis"]} == PR_33_8_TARGETS


@pytest.mark.django_db
def test_show_without_json_summarises() -> None:
    run("load")
    text = run("show", "PR.13.2")
    assert text.startswith("PR.13.2-V0 revision 1: Prosedur Pengelolaan Layanan Media")
    assert "KPI B.1.14.11.a: first_response_within >= 100%" in text


@pytest.mark.django_db
def test_show_of_an_unknown_code_exits_2() -> None:
    with pytest.raises(CommandError) as caught:
        run("show", "PR.0.0", "--json")
    assert caught.value.returncode == 2
    assert "unknown SOP 'PR.0.0'" in str(caught.value)


@pytest.mark.django_db
def test_list_gives_one_sop_per_line_starting_with_its_code() -> None:
    run("load")
    lines = run("list").splitlines()
    assert [line.split("\t")[0] for line in lines] == [
        "PR.13.2", "PR.27.4", "PR.33.8", "PR.KS", "SDM.5.OT.02.02-5068",
    ]  # fmt: skip
    rows = json.loads(run("list", "--json"))
    assert rows[2]["code"] == "PR.33.8" and rows[2]["unit"] == "UPT-SI"


def pintu_executable() -> str:
    beside = Path(sys.executable).with_name("pintu")
    found = str(beside) if beside.exists() else shutil.which("pintu")
    if found is None:
        pytest.skip("the pintu console script is not installed")
    return found


def test_show_json_from_the_console_script(tmp_path: Path) -> None:
    env = {**os.environ, "PINTU_VAR_DIR": str(tmp_path)}
    # A database of its own: never the developer's or CI's configured one.
    env.pop("DATABASE_URL", None)
    pintu = pintu_executable()
    for args in (["migrate", "-v0"], ["sop", "load"]):
        subprocess.run([pintu, *args], env=env, check=True, capture_output=True, timeout=120)
    shown = subprocess.run(
        [pintu, "sop", "show", "PR.33.8", "--json"],
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    )
    data = json.loads(shown.stdout)
    assert data["code"] == "PR.33.8"
    assert {k["code"]: k["target"] for k in data["kpis"]} == PR_33_8_TARGETS
    unknown = subprocess.run(
        [pintu, "sop", "show", "PR.0.0", "--json"], env=env, capture_output=True, timeout=60
    )
    assert unknown.returncode == 2
