"""The measures' pure cores, on rows written out by hand: what each KPI's figure is, and
that the records listed add up to it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from pintu.kpi.measures import (
    DocumentRow,
    MonthCount,
    ServiceRow,
    compute_checklist,
    compute_evaluated,
    compute_presence,
    compute_share,
)
from pintu.sop.measurement import Period

WIB = ZoneInfo("Asia/Jakarta")
YEAR = Period.year(2026)
AFTER_THE_YEAR = datetime(2027, 1, 5, 9, tzinfo=WIB)
IN_JUNE = datetime(2026, 6, 15, 9, tzinfo=WIB)


def document(
    item: str = "",
    judgement: str = "accepted",
    valid: tuple[date, date] = (date(2026, 1, 1), date(2026, 12, 31)),
    name: str = "kebijakan.pdf",
) -> DocumentRow:
    return DocumentRow(
        reference=name,
        item=item,
        title="Kebijakan",
        url=f"/kpi/bukti/{name}/",
        judgement=judgement,
        valid_from=valid[0],
        valid_until=valid[1],
        uploaded_at=datetime(2026, 2, 1, 10, tzinfo=WIB),
    )


# ---------------------------------------------------------------- shares of requests


def test_a_share_sums_the_months_and_gives_each_month_its_own() -> None:
    rows = [MonthCount(1, counted=4, passed=3, waiting=0), MonthCount(3, 2, 2, 0)]
    result = compute_share(rows)
    assert (result.numerator, result.denominator) == (5, 6)
    assert result.share == pytest.approx(100 * 5 / 6)
    assert result.by_month == {1: 75.0, 3: 100.0}
    assert result.note == ""


def test_requests_not_counted_yet_are_said_and_left_out() -> None:
    rows = [MonthCount(11, counted=3, passed=3, waiting=0), MonthCount(12, 1, 0, 2)]
    result = compute_share(rows)
    assert (result.numerator, result.denominator) == (3, 4)
    assert result.by_month == {11: 100.0, 12: 0.0}
    assert "2" in result.note


def test_a_month_with_only_requests_still_running_has_no_value() -> None:
    result = compute_share([MonthCount(12, counted=0, passed=0, waiting=5)])
    assert result.share is None and result.by_month == {}


def test_nothing_at_all_is_no_share_rather_than_zero() -> None:
    assert compute_share([]).share is None


# ---------------------------------------------------------------- uploaded evidence


def test_an_accepted_document_valid_at_the_years_end_is_met() -> None:
    result = compute_presence([document()], period=YEAR, now=AFTER_THE_YEAR)
    assert (result.numerator, result.denominator) == (1, 1)
    assert [e.passed for e in result.evidence] == [True]


@pytest.mark.parametrize(("judgement", "word"), [("pending", "menunggu"), ("rejected", "ditolak")])
def test_a_document_not_accepted_does_not_count(judgement: str, word: str) -> None:
    result = compute_presence([document(judgement=judgement)], period=YEAR, now=AFTER_THE_YEAR)
    assert result.numerator == 0
    (evidence,) = result.evidence
    assert not evidence.passed and word in evidence.note


def test_an_expired_judgement_is_no_longer_met() -> None:
    expired = document(valid=(date(2025, 1, 1), date(2026, 9, 30)))
    assert compute_presence([expired], period=YEAR, now=AFTER_THE_YEAR).numerator == 0
    # During the year it is judged on today: in June it still held.
    assert compute_presence([expired], period=YEAR, now=IN_JUNE).numerator == 1
    # 1 October 01:00 WIB is still 30 September in UTC: today is 1 October.
    early = datetime(2026, 9, 30, 18, tzinfo=UTC)
    assert compute_presence([expired], period=YEAR, now=early).numerator == 0


def test_a_document_valid_only_from_later_does_not_count_today() -> None:
    later = document(valid=(date(2026, 7, 1), date(2027, 6, 30)))
    assert compute_presence([later], period=YEAR, now=IN_JUNE).numerator == 0
    assert compute_presence([later], period=YEAR, now=AFTER_THE_YEAR).numerator == 1


def test_one_valid_document_among_failed_ones_is_enough_and_all_are_listed() -> None:
    rows = [document(judgement="rejected", name="a.pdf"), document(name="b.pdf")]
    result = compute_presence(rows, period=YEAR, now=AFTER_THE_YEAR)
    assert result.numerator == 1
    assert [(e.reference, e.passed) for e in result.evidence] == [("a.pdf", False), ("b.pdf", True)]


def test_no_document_is_not_met() -> None:
    result = compute_presence([], period=YEAR, now=AFTER_THE_YEAR)
    assert (result.numerator, result.denominator, result.evidence) == (0, 1, ())


def test_a_checklist_counts_each_named_item_once_with_a_valid_document() -> None:
    items = ["SIAKAD", "E-learning", "Perpustakaan"]
    rows = [
        document("SIAKAD", name="s1.pdf"),
        document("SIAKAD", name="s2.pdf"),  # a second document adds nothing
        document("E-learning", judgement="pending", name="e.pdf"),
    ]
    result = compute_checklist(rows, period=YEAR, now=AFTER_THE_YEAR, params={"items": items})
    assert (result.numerator, result.denominator) == (1, 3)
    assert [(e.reference, e.passed) for e in result.evidence] == [
        ("SIAKAD", True),
        ("E-learning", False),
        ("Perpustakaan", False),
    ]
    # The counted evidence adds up to the figure.
    assert sum(e.passed for e in result.evidence) == result.numerator
    assert len(result.evidence) == result.denominator


def test_a_document_for_an_item_the_list_does_not_name_is_shown_not_counted() -> None:
    rows = [document("Mesin kopi", name="kopi.pdf")]
    result = compute_checklist(rows, period=YEAR, now=AFTER_THE_YEAR, params={"items": ["A"]})
    assert (result.numerator, result.denominator) == (0, 1)
    assert [e.reference for e in result.evidence] == ["A", "kopi.pdf"]


# ---------------------------------------------------------------- evaluations


def service(key: str, evaluated: bool, findings: int = 0, done: int = 0) -> ServiceRow:
    return ServiceRow(key, key.title(), evaluated, findings, done, "/kpi/x/")


def test_a_service_counts_when_evaluated_and_every_finding_followed_up() -> None:
    rows = [
        service("ringan", evaluated=True, findings=2, done=2),
        service("berat", evaluated=True, findings=3, done=2),
        service("akun", evaluated=False),
        service("instalasi", evaluated=True),  # evaluated, nothing found
    ]
    result = compute_evaluated(rows)
    assert (result.numerator, result.denominator) == (2, 4)
    notes = {e.reference: e.note for e in result.evidence}
    assert notes["ringan"] == "" and notes["instalasi"] == ""
    assert "1" in notes["berat"] and "3" in notes["berat"]
    assert notes["akun"] != ""


def test_the_start_up_check_names_kpis_without_a_measure_and_measures_without_a_kpi() -> None:
    from pintu.kpi.checks import measure_problems

    named = {
        "resolved_within": {"PR.33.8 B.4.6.4.a"},
        "cooperation_aspect_met": {"PR.KS B.1.15.8.a"},
        "activities_per_year": {"PR.KS B.1.15.7"},
    }
    problems = measure_problems(
        named, {"resolved_within", "orphan_measure"}, awaited=["activities_per_year"]
    )
    assert [(p.id, p.msg) for p in problems] == [
        (
            "pintu.E301",
            "KPIs PR.KS B.1.15.8.a name the measure cooperation_aspect_met, which no "
            "installed app provides",
        ),
        ("pintu.E302", "the measure orphan_measure serves no KPI of any SOP"),
    ]
    # A measure still awaited that an app now provides is said, so the list stays true.
    stale = measure_problems(named, set(named), awaited=["activities_per_year"])
    assert [p.id for p in stale] == ["pintu.E303"]
