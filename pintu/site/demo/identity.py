"""The demo's master data (PR.33.8, pintu.identity): everyone whose year of account
requests names a NIM or NIP, imported from the academic and HR systems' lists as UPT-SI
would import them, before the year begins: a first list; the accounts of those whose
requests are about an account they have; then the current list, where some have a new
name (their change requests) and some have graduated or left."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime

from pintu.identity.masterdata import id_number_of
from pintu.identity.models import MasterRecord
from pintu.identity.services import account_provision, master_import
from pintu.org.models import User
from pintu.site.demo.plans import Fill, Plan

KINDS = ("akun-kampus", "reset-sandi", "perubahan-akun", "akses-sistem", "penonaktifan-akun")
KIND_OF = {"Mahasiswa": "mahasiswa", "Dosen": "dosen", "Pegawai": "pegawai"}
UNIT_OF = {"mahasiswa": "TRPL", "dosen": "JTI", "pegawai": "UPT-SI"}
HEADER = ["nim", "nama", "email", "no_hp", "jenis", "prodi", "status"]


def _csv(rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue().encode()


def _earlier(name: str) -> str:
    """The name before the change the request asks for."""
    words = name.split()
    return words[0] if len(words) > 1 else f"{name} Putra"


def master_seed(*, plans: Sequence[Plan], people: Mapping[str, User], at: datetime) -> None:
    rows: dict[str, list[str]] = {}
    with_account: set[str] = set()
    for plan in plans:
        if plan.offer.sop != "PR.33.8" or plan.offer.key not in KINDS:
            continue
        # What the request says, as staff come to know it (a mail may leave it out).
        fields = {
            **{k: v for e in plan.events if isinstance(e, Fill) for k, v in e.fields.items()},
            **plan.opening.fields,
        }
        number = id_number_of(str(fields.get("nomor_induk", "")))
        if not number or number in rows:
            continue
        who = plan.requester
        user = people.get(who.username) if who.username else None
        kind = KIND_OF.get(
            str(fields.get("status", "")),
            "mahasiswa" if number.startswith("43") else "dosen",
        )
        standing = "lulus" if plan.offer.key == "penonaktifan-akun" else "aktif"
        rows[number] = [
            number,
            user.full_name if user else who.name,
            user.email if user else who.email,
            user.phone if user else who.phone,
            kind,
            UNIT_OF[kind],
            standing,
        ]
        if plan.offer.key != "akun-kampus":
            with_account.add(number)
        if plan.offer.key == "perubahan-akun":
            rows[number].append("renamed")
    first = [
        [r[0], _earlier(r[1]) if r[-1] == "renamed" else r[1], *r[2:6], "aktif"]
        for r in rows.values()
    ]
    master_import(actor=None, filename="data-induk-semester-lalu.csv", data=_csv(first), now=at)
    for number in sorted(with_account):
        account_provision(actor=None, record=MasterRecord.objects.get(id_number=number), now=at)
    master_import(
        actor=None,
        filename="data-induk-terbaru.csv",
        data=_csv([r[:7] for r in rows.values()]),
        now=at,
    )
