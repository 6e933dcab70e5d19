"""The audit log: who may read it, its words, filters, pages and exports, and a fixed
number of queries whatever its length."""

from __future__ import annotations

import ast
import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from pintu.conftest import Personas
from pintu.core import downloads
from pintu.core.models import AuditEvent
from pintu.core.tokens import api_token_create, api_token_revoke
from pintu.desk import services as desk_services
from pintu.desk.models import Status
from pintu.org import services
from pintu.org.models import Unit
from pintu.site.audit_log import ACTION_WORDS, change_lines
from pintu.site.tests.tickets import open_ticket

pytestmark = pytest.mark.django_db

PINTU = Path(__file__).resolve().parents[2]
READERS = [("requester", 403), ("staff", 403), ("head", 403), ("auditor", 200), ("admin", 200)]
EXPORTS = ["audit-log-csv", "audit-log-xlsx"]


def page(client: Client, **filters: str) -> str:
    response = client.get(reverse("audit-log"), filters)
    assert response.status_code == 200
    return response.content.decode()


def rows(client: Client, **filters: str) -> str:
    """The page's rows only (the filter form names every action too)."""
    body = page(client, **filters)
    return body.split("<tbody>")[1].split("</tbody>")[0] if "<tbody>" in body else ""


def closure_in(unit_code: str, personas: Personas, reason: str = "Pemeliharaan ruang server"):
    return services.closure_add(
        actor=personas.admin,
        unit=Unit.objects.get(code=unit_code),
        start_date=date(2026, 12, 30),
        end_date=date(2026, 12, 30),
        reason=reason,
    )


def move_back(action: str, days: int) -> None:
    """Pretend the rows of ``action`` were written ``days`` ago."""
    for event in AuditEvent.objects.filter(action=action):
        AuditEvent.objects.filter(pk=event.pk).update(at=event.at - timedelta(days=days))


# ---------------------------------------------------------------- who may read it


@pytest.mark.parametrize(("persona", "status"), READERS)
@pytest.mark.parametrize("name", ["audit-log", *EXPORTS])
def test_only_auditors_and_admins_read_or_export_the_audit_log(
    client: Client, personas: Personas, persona: str, status: int, name: str
) -> None:
    client.force_login(getattr(personas, persona))
    assert client.get(reverse(name)).status_code == status


@pytest.mark.parametrize("name", ["audit-log", *EXPORTS])
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, name: str) -> None:
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# ---------------------------------------------------------------- in words


def test_every_action_the_services_write_has_words() -> None:
    written = actions_written_in(PINTU)
    # The scan finds calls through the desk's wrapper and codes chosen by a condition.
    assert {"ticket.create", "mailbox.add", "mailbox.change", "closure.delete"} <= written
    assert written - ACTION_WORDS.keys() == set(), "audit actions without words"
    assert ACTION_WORDS.keys() - written == set(), "words for actions nobody writes"


def actions_written_in(root: Path) -> set[str]:
    """Every action code passed to ``audit_record``, directly or through a function that
    hands one of its parameters on as the action (such as the desk's ``_audit``)."""
    trees = [
        ast.parse(path.read_text(encoding="utf-8"), str(path))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
    ]
    # name of a writing function → (position, name) of its action parameter
    writers: dict[str, tuple[int | None, str]] = {"audit_record": (None, "action")}
    handing_on: set[ast.AST] = set()
    for tree in trees:
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            parameters = [argument.arg for argument in function.args.args]
            parameters += [argument.arg for argument in function.args.kwonlyargs]
            for call in ast.walk(function):
                action = _action_of(call, {"audit_record": (None, "action")})
                if isinstance(action, ast.Name) and action.id in parameters:
                    position = parameters.index(action.id)
                    writers[function.name] = (
                        position if position < len(function.args.args) else None,
                        action.id,
                    )
                    handing_on.add(call)
    found: set[str] = set()
    for tree in trees:
        for call in ast.walk(tree):
            action = _action_of(call, writers)
            if action is None or call in handing_on:
                continue
            codes = {
                node.value
                for node in ast.walk(action)
                if isinstance(node, ast.Constant) and isinstance(node.value, str)
            }
            assert codes, f"an audit action the test cannot read: {ast.unparse(action)}"
            found |= codes
    return found


def _action_of(node: ast.AST, writers: dict[str, tuple[int | None, str]]) -> ast.expr | None:
    if not isinstance(node, ast.Call):
        return None
    name = getattr(node.func, "id", getattr(node.func, "attr", None))
    if name not in writers:
        return None
    position, keyword = writers[name]
    for given in node.keywords:
        if given.arg == keyword:
            return given.value
    if position is not None and position < len(node.args):
        return node.args[position]
    return None


def test_changes_read_as_field_old_new_in_words(personas: Personas) -> None:
    closure = closure_in("UPT-SI", personas)
    services.closure_update(
        actor=personas.admin,
        closure=closure,
        start_date=date(2026, 12, 30),
        end_date=date(2026, 12, 31),
        reason="Pemeliharaan ruang server",
    )
    token, _ = api_token_create(actor=personas.admin, user=personas.staff, name="skrip")
    api_token_revoke(
        actor=personas.admin, token=token, now=datetime(2026, 12, 1, 3, 58, 40, tzinfo=UTC)
    )
    with translation.override("id"):
        assert change_lines(AuditEvent.objects.get(action="closure.update")) == (
            "sampai (termasuk): 30 Des 2026 → 31 Des 2026",
        )
        assert change_lines(AuditEvent.objects.get(action="api_token.revoke")) == (
            "dicabut: — → 1 Des 2026 10.58 WIB",
        )
        grant = AuditEvent.objects.get(action="membership.grant", after__user="staf-si")
        assert change_lines(grant) == ("orang: staf-si", "unit: UPT-SI", "peran: Staf")
    with translation.override("en"):
        assert change_lines(AuditEvent.objects.get(action="api_token.revoke")) == (
            "revoked: — → 1 Dec 2026 10:58 WIB",
        )


def test_a_tickets_changes_use_its_labels_and_details_are_named_by_key(
    sops: None, personas: Personas
) -> None:
    ticket = open_ticket(personas)
    desk_services.ticket_set_status(actor=personas.staff, ticket=ticket, status=Status.RESOLVED)
    event = AuditEvent(
        action="ticket.fields",
        object_type="desk.ticket",
        before={"fields": {"lokasi": "Lab 3"}},
        after={"fields": {"lokasi": "Lab 4"}},
    )
    with translation.override("id"):
        status_lines = change_lines(AuditEvent.objects.get(action="ticket.status"))
        assert f"status: {Status.NEW.label} → {Status.RESOLVED.label}" in status_lines
        assert change_lines(event) == ("rincian › lokasi: Lab 3 → Lab 4",)


def test_changes_come_in_the_models_field_order_whatever_order_was_stored() -> None:
    # PostgreSQL's jsonb keeps keys in an order of its own; the lines do not follow it.
    event = AuditEvent(
        action="closure.add",
        object_type="org.closure",
        after={"reason": "Rapat", "to": "2026-12-31", "from": "2026-12-30", "zzz": 1},
    )
    with translation.override("id"):
        assert change_lines(event) == (
            "dari: 30 Des 2026",
            "sampai (termasuk): 31 Des 2026",
            "alasan: Rapat",
            "zzz: 1",  # a key no model or word names: last, as written
        )


def test_the_page_shows_actions_and_changes_in_words_not_codes(
    client: Client, personas: Personas
) -> None:
    client.force_login(personas.auditor)
    body = rows(client, action="membership.grant")
    assert "Peran diberikan" in body and "peran: Staf" in body
    assert "membership.grant</" not in body and "{&#x27;" not in body
    client.cookies["django_language"] = "en"
    assert "Role given" in rows(client, action="membership.grant")


# ---------------------------------------------------------------- filters and pages


def test_each_filter_narrows_the_rows(client: Client, personas: Personas) -> None:
    closure_in("UPT-SI", personas, reason="Pemeliharaan ruang server")
    closure_in("P4M", personas, reason="Rapat tinjauan manajemen")
    move_back("user.create", days=30)
    client.force_login(personas.auditor)
    assert "Rapat tinjauan" not in rows(client, unit="UPT-SI")
    assert "Rapat tinjauan" in rows(client, unit="P4M")
    assert "Orang ditambahkan" not in rows(client, person="admin")  # the system made them
    assert "Penutupan ditambahkan" in rows(client, person="Admin")
    assert "Pemeliharaan" not in rows(client, reference="tinjauan")
    by_action = rows(client, action="closure.add")
    assert "Pemeliharaan" in by_action and "Peran diberikan" not in by_action
    last_week = (timezone.localdate() - timedelta(days=7)).isoformat()
    recent = rows(client, since=last_week)
    assert "Orang ditambahkan" not in recent and "Penutupan ditambahkan" in recent
    older = rows(client, until=(timezone.localdate() - timedelta(days=8)).isoformat())
    assert "Orang ditambahkan" in older and "Penutupan ditambahkan" not in older
    assert "Orang ditambahkan" in rows(
        client, until=(timezone.localdate() - timedelta(days=30)).isoformat()
    )


def test_a_filter_that_matches_nothing_says_which_filters(
    client: Client, personas: Personas
) -> None:
    closure_in("UPT-SI", personas)
    client.force_login(personas.auditor)
    body = page(client, action="closure.add", unit="P4M")
    assert "Tidak ada catatan yang cocok dengan saringan ini:" in body
    assert "Aksi: “Penutupan ditambahkan”" in body and "Unit: “P4M”" in body
    assert "Belum ada catatan." not in body
    assert f'<a href="{reverse("audit-log")}">Hapus saringan</a>' in body


def test_an_empty_log_says_nothing_is_recorded_yet(client: Client, personas: Personas) -> None:
    AuditEvent.objects.all().delete()
    client.force_login(personas.auditor)
    body = page(client)
    assert "Belum ada catatan." in body and "saringan ini" not in body


def test_a_filter_that_does_not_parse_is_reported_and_the_others_still_apply(
    client: Client, personas: Personas
) -> None:
    closure_in("P4M", personas, reason="Rapat tinjauan manajemen")
    client.force_login(personas.auditor)
    body = page(client, since="kemarin", unit="P4M")
    assert "Masukkan tanggal yang valid." in body
    assert "Rapat tinjauan" in body
    assert "Rapat tinjauan" not in rows(client, since="kemarin", unit="UPT-SI")


def test_the_pages_keep_every_filter(client: Client, personas: Personas) -> None:
    for number in range(60):
        services.user_create(actor=personas.admin, username=f"orang-{number}", password=None)
    client.force_login(personas.auditor)
    filters = {
        "since": timezone.localdate().isoformat(),
        "person": "admin",
        "action": "user.create",
    }
    first = page(client, **filters)
    kept = f"since={filters['since']}&amp;person=admin&amp;action=user.create&amp;"
    assert f'href="?{kept}page=2"' in first
    assert "Halaman 1 dari 3" in first and "60 catatan" in first
    second = page(client, **filters, page="2")
    assert f'href="?{kept}page=3"' in second and f'href="?{kept}page=1"' in second
    # The exports take the same filters.
    assert f'href="{reverse("audit-log-csv")}?{kept}"' in first


def test_the_page_runs_a_fixed_number_of_queries(
    client: Client, personas: Personas, django_assert_max_num_queries: Any
) -> None:
    client.force_login(personas.auditor)
    closure_in("UPT-SI", personas, reason="Penutupan pertama")
    since = (timezone.localdate() - timedelta(days=1)).isoformat()
    filters = {"unit": "UPT-SI", "person": "a", "since": since, "reference": "a"}
    with django_assert_max_num_queries(8) as few:
        assert "Penutupan pertama" in rows(client, **filters)
    for number in range(40):
        user = services.user_create(actor=personas.admin, username=f"orang-{number}", password=None)
        closure_in("UPT-SI", personas, reason=f"Penutupan {number} oleh {user}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page(client, **filters)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page(client)


# ---------------------------------------------------------------- exports


def csv_rows(response: Any) -> list[list[str]]:
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_export_streams_every_matching_row_in_words(
    client: Client, personas: Personas
) -> None:
    for number in range(30):  # more than a page
        closure_in("UPT-SI", personas, reason=f"Penutupan ke-{number}")
    closure_in("P4M", personas, reason="Rapat tinjauan manajemen")
    client.force_login(personas.auditor)
    response = client.get(reverse("audit-log-csv"), {"unit": "UPT-SI"})
    assert response.streaming
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    header, *rows = csv_rows(response)
    assert header[:4] == ["Waktu (Asia/Jakarta)", "Siapa", "Nama pengguna", "Aksi"]
    assert len(rows) == AuditEvent.objects.filter(unit__code="UPT-SI").count() >= 30
    added = [row for row in rows if row[4] == "closure.add"]
    assert len(added) == 30
    assert added[0][1:4] == ["Admin", "admin", "Penutupan ditambahkan"]
    assert added[0][8] == "UPT-SI"
    assert "alasan: Penutupan ke-29" in added[0][9].split("\n")
    assert datetime.fromisoformat(added[0][0]).date() == timezone.localdate()
    assert not any("Rapat tinjauan" in cell for row in rows for cell in row)


def test_the_csv_export_is_in_the_language_chosen(client: Client, personas: Personas) -> None:
    client.force_login(personas.auditor)
    client.cookies["django_language"] = "en"
    header, *rows = csv_rows(client.get(reverse("audit-log-csv"), {"action": "membership.grant"}))
    assert header[3] == "What"
    assert {row[3] for row in rows} == {"Role given"}


def test_exported_text_never_becomes_a_formula(client: Client, personas: Personas) -> None:
    services.user_create(actor=personas.admin, username="jahil", password=None, full_name="=1+2")
    client.force_login(personas.auditor)
    filters = {"reference": "=1+2"}
    _, row = csv_rows(client.get(reverse("audit-log-csv"), filters))
    assert row[5] == "'=1+2"
    sheet = xlsx_sheets(client.get(reverse("audit-log-xlsx"), filters))[0]
    cell = sheet["F2"]
    assert cell.value == "=1+2" and cell.data_type == "s"


def xlsx_sheets(response: Any) -> list[Any]:
    assert response["Content-Type"] == downloads.XLSX_TYPE
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return list(workbook.worksheets)


def test_the_xlsx_export_holds_every_matching_row(client: Client, personas: Personas) -> None:
    for number in range(30):
        closure_in("UPT-SI", personas, reason=f"Penutupan ke-{number}")
    client.force_login(personas.auditor)
    response = client.get(reverse("audit-log-xlsx"), {"action": "closure.add"})
    assert "attachment" in response["Content-Disposition"]
    (sheet,) = xlsx_sheets(response)
    assert sheet.title == "Log audit"
    assert sheet.column_dimensions["J"].width == 60  # the changes, one per line
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Waktu (Asia/Jakarta)", "Siapa", "Nama pengguna", "Aksi")
    assert len(rows) == 31
    when, who, _username, what, code = rows[1][:5]
    assert (
        isinstance(when, datetime) and when.date() == timezone.localdate()
    )  # local, as a date cell
    assert (who, what, code) == ("Admin", "Penutupan ditambahkan", "closure.add")


def test_rows_beyond_a_sheet_go_on_to_the_next_sheet(
    client: Client, personas: Personas, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(downloads, "SHEET_ROWS", 4)  # a header and three rows
    for number in range(7):
        closure_in("UPT-SI", personas, reason=f"Penutupan ke-{number}")
    client.force_login(personas.auditor)
    sheets = xlsx_sheets(client.get(reverse("audit-log-xlsx"), {"action": "closure.add"}))
    assert [sheet.title for sheet in sheets] == ["Log audit", "Log audit 2", "Log audit 3"]
    rows = [list(sheet.iter_rows(values_only=True)) for sheet in sheets]
    assert [len(sheet) for sheet in rows] == [4, 4, 2]
    assert all(sheet[0][1] == "Siapa" for sheet in rows)


def test_an_export_with_nothing_to_show_has_its_header(client: Client, personas: Personas) -> None:
    client.force_login(personas.auditor)
    filters = {"reference": "tidak ada yang seperti ini"}
    assert len(csv_rows(client.get(reverse("audit-log-csv"), filters))) == 1
    (sheet,) = xlsx_sheets(client.get(reverse("audit-log-xlsx"), filters))
    assert len(list(sheet.iter_rows())) == 1


@pytest.mark.parametrize("name", EXPORTS)
def test_an_export_runs_a_fixed_number_of_queries(
    client: Client, personas: Personas, name: str, django_assert_max_num_queries: Any
) -> None:
    client.force_login(personas.auditor)

    def export() -> None:
        response: Any = client.get(reverse(name))
        b"".join(response.streaming_content)

    with django_assert_max_num_queries(8) as few:
        export()
    for number in range(50):
        closure_in("UPT-SI", personas, reason=f"Penutupan ke-{number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        export()
