"""Reach and engagement from a channel's CSV export (pure)."""

from __future__ import annotations

from datetime import date

from pintu.media import metrics_csv


def test_an_indonesian_export_with_semicolons_and_thousands() -> None:
    rows, problems = metrics_csv.read(
        "\ufeffKonten;Tanggal;Jangkauan;Keterlibatan\n"
        "12;2026-12-07;1.204;87\n"
        "https://instagram.com/p/abc;08/12/2026;15.300;1.020\n"
        "\n"
    )
    assert problems == []
    assert [(r.line, r.content, r.day, r.reach, r.engagement) for r in rows] == [
        (2, "12", date(2026, 12, 7), 1204, 87),
        (3, "https://instagram.com/p/abc", date(2026, 12, 8), 15300, 1020),
    ]


def test_an_english_export_with_commas_in_another_column_order() -> None:
    rows, problems = metrics_csv.read(
        "date,reach,engagement,url\n2026-12-07,300,12,https://x.id/a\n"
    )
    assert problems == [] and rows[0].content == "https://x.id/a" and rows[0].reach == 300


def test_bad_lines_are_said_by_line_and_the_rest_kept() -> None:
    rows, problems = metrics_csv.read(
        "konten,tanggal,jangkauan,keterlibatan\n"
        "1,2026-12-07,10,1\n"
        "2,kemarin,10,1\n"
        "3,2026-12-07,banyak,1\n"
        "4,31/02/2026,10,1\n"
    )
    assert [r.content for r in rows] == ["1"]
    assert [(p.line, p.what) for p in problems] == [(3, "date"), (4, "count"), (5, "date")]


def test_a_header_without_a_column_or_an_empty_file() -> None:
    assert metrics_csv.read("konten,tanggal,jangkauan\n1,2026-12-07,10\n")[1][0].what == "header"
    assert metrics_csv.read("")[1][0].what == "empty"
