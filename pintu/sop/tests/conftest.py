"""A small SOP built by hand: two flows (register; grant or refuse access), one blank time."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from pintu.org.models import Unit
from pintu.sop.definition import (
    Activity,
    Branch,
    Definition,
    Kpi,
    Measure,
    Record,
    Role,
    Service,
)
from pintu.sop.models import Sop


def make_definition(code: str = "PR.99.1") -> Definition:
    def step(
        key: str, actor: str, description: str, time: str | None = "15m", **more: Any
    ) -> Activity:
        return Activity(
            key=key,
            actor=actor,
            description=description,
            requirements="Komputer, Jaringan Internet." if time else "",
            time_standard=time,
            **more,
        )

    return Definition(
        code=code,
        version="V0",
        title="Prosedur Pengelolaan Akun Layanan Digital",
        unit="UPT-SI",
        approved_by="DIR",
        effective=date(2023, 10, 11),
        institution="POLITEKNIK NEGERI BATAM",
        purpose=("Memastikan setiap akademisi dapat menggunakan akun yang dibutuhkan",),
        scope=("Pencatatan akun", "Pemberian akses"),
        roles=(Role("pemohon", "Pemohon"), Role("pj", "Penanggung Jawab")),
        services=(
            Service(
                key="daftar",
                name="Pendaftaran akun",
                first_response="15m",
                resolution="1d",
                kpi="B.4.6.4.a",
                activities=("kirim", "terima", "catat"),
            ),
            Service(
                key="akses",
                name="Pemberian akses",
                first_response="15m",
                resolution="3d",
                kpi="B.4.6.4.b",
                activities=("minta", "tanya", "klasifikasi", "beri", "tolak"),
            ),
        ),
        activities=(
            step(
                "kirim",
                "pemohon",
                "Mengirim pesan melalui WhatsApp maupun e-mail.",
                output="Pesan masuk.",
            ),
            step("terima", "pj", "Mendapatkan pesan masuk.", time=None),
            step(
                "catat",
                "pj",
                "Memasukkan akun ke dalam daftar akun yang dikelola.",
                output="Daftar akun yang dikelola.",
                note="Pengirim diberi tahu bahwa akunnya telah dicatat.",
            ),
            step("minta", "pemohon", "Mengirim permintaan akses.", output="Pesan masuk."),
            step("tanya", "pj", "Memberikan tanggapan dan pertanyaan kepada pengirim.", time=None),
            step(
                "klasifikasi",
                "pj",
                "Mengklasifikasi permintaan akses.",
                output="Data akun yang diklasifikasi.",
                next=(Branch("beri", "akses diberikan"), Branch("tolak", "akses ditolak")),
            ),
            step(
                "beri",
                "pj",
                "Memberikan akses akun.",
                output="Akses data akun yang diminta.",
                end=True,
            ),
            step(
                "tolak",
                "pj",
                "Menolak permohonan yang tidak sesuai.",
                output="Data akun yang diklasifikasi.",
            ),
        ),
        kpis=(
            Kpi(
                code="B.4.6.4.a",
                text="Merespon permintaan layanan maksimal 15 menit setelah permintaan masuk.",
                measure=Measure("first_response_within", {"target": "15m"}),
                target=">= 100%",
            ),
            Kpi(
                code="B.4.6.4.b",
                text="Memberikan layanan kategori ringan maksimal 3 hari.",
                measure=Measure("resolved_within_target"),
                target=">= 90%",
            ),
        ),
        records=(
            Record("Tiket", "Email: helpdesk-si@example.ac.id", "Server", "5y"),
            Record("Daftar akun", "Daftar Akun Layanan Berbasis Digital", "Server", "5y"),
        ),
        warning="Apabila SOP ini tidak dilaksanakan maka perkuliahan dapat terhambat.",
        definitions=("Akun layanan digital: akun milik unit untuk menunjang perkuliahan.",),
        equipment=("Komputer", "Jaringan Internet"),
    )


def save_sop(
    definition: Definition, *, revision: int = 1, is_current: bool = True, unit: str = "UPT-SI"
) -> Sop:
    return Sop.objects.create(
        code=definition.code,
        revision=revision,
        version=definition.version,
        title=definition.title,
        unit=Unit.objects.get(code=unit),
        approved_by=definition.approved_by,
        effective=definition.effective,
        definition=definition.to_json(),
        source_name=f"{definition.code}.yaml",
        source_sha256="0" * 64,
        is_current=is_current,
    )


@pytest.fixture
def sample_definition() -> Definition:
    return make_definition()


@pytest.fixture
def sample_sop(db: None, sample_definition: Definition) -> Sop:
    return save_sop(sample_definition)
