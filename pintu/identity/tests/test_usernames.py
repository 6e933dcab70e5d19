"""Usernames from names by a pattern: the table of Indonesian names as people write
them, and properties that hold for any name at all."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pintu.identity.usernames import (
    MAX_LENGTH,
    USERNAME,
    PatternError,
    candidates,
    check_pattern,
    name_words,
    username_base,
    username_for,
)


@pytest.mark.parametrize(
    ("pattern", "name", "number", "kind", "expected"),
    [
        ("{first}.{last}", "Siti Aminah", "4321250001", "mahasiswa", "siti.aminah"),
        ("{first}.{last}", "Muhammad Rizky Pratama", "1", "mahasiswa", "muhammad.pratama"),
        ("{first}.{last}", "Sukarno", "1", "dosen", "sukarno"),  # one name: no dangling dot
        ("{first}.{last}", "Dr. Ir. Budi Santoso, M.Kom.", "1", "dosen", "budi.santoso"),
        ("{first}.{last}", "H. Ahmad Dahlan, S.T., M.T.", "1", "pegawai", "ahmad.dahlan"),
        ("{first}.{last}", "Ni Luh Putu Ayu", "1", "mahasiswa", "ni.ayu"),
        ("{first}.{last}", "Zoë Ñúñez-García", "1", "dosen", "zoe.garcia"),
        ("{first}.{last}", "M. Yusuf", "1", "mahasiswa", "m.yusuf"),
        ("{f}{last}", "Dewi Lestari", "1", "dosen", "dlestari"),
        ("{id}", "Dewi Lestari", "43 2125 0001", "mahasiswa", "4321250001"),
        ("{kind}-{id}", "Dewi", "99", "pegawai", "pegawai-99"),
        ("{first}.{last}", "许 志", "4321", "mahasiswa", "u4321"),  # nothing ASCII: the number
        ("{first}.{last}", "...", "", "mahasiswa", "u"),
    ],
)
def test_the_pattern_makes_these_usernames(
    pattern: str, name: str, number: str, kind: str, expected: str
) -> None:
    assert username_base(pattern, full_name=name, id_number=number, kind=kind) == expected


def test_titles_are_left_out_only_when_written_as_titles() -> None:
    assert name_words("Prof. Dr. Hj. Sri Wahyuni, S.E., M.M.") == ["sri", "wahyuni"]
    assert name_words("Ir Sutami") == ["ir", "sutami"]  # "Ir" without its dot is a name here
    assert name_words("Dr.") == ["dr"]  # a name of one word keeps it


def test_a_taken_username_gives_the_next_free_one() -> None:
    taken = {"siti.aminah", "siti.aminah2"}
    made = username_for(
        "{first}.{last}", taken, full_name="Siti Aminah", id_number="1", kind="mahasiswa"
    )
    assert made == "siti.aminah3"


def test_suffixes_still_fit_the_longest_name() -> None:
    base = "a" * MAX_LENGTH
    first = list(zip(range(12), candidates(base), strict=False))
    assert [len(c) for _, c in first] == [MAX_LENGTH] * 12
    assert first[11][1].endswith("12") and len({c for _, c in first}) == 12


@pytest.mark.parametrize(
    ("pattern", "why"), [("{first}.{nama}", "nama"), ("admin", "no placeholder"), ("{0}", "0")]
)
def test_a_pattern_that_cannot_work_is_refused(pattern: str, why: str) -> None:
    with pytest.raises(PatternError, match=why):
        check_pattern(pattern)


names = st.text(min_size=0, max_size=80)
numbers = st.text(alphabet="0123456789 ", max_size=20)
patterns = st.sampled_from(["{first}.{last}", "{f}{last}", "{id}", "{last}_{f}", "{kind}.{id}"])


@given(pattern=patterns, name=names, number=numbers)
def test_any_name_gives_a_username_every_system_accepts(
    pattern: str, name: str, number: str
) -> None:
    made = username_base(pattern, full_name=name, id_number=number, kind="mahasiswa")
    assert USERNAME.match(made), made


@given(name=names, taken=st.sets(st.text(alphabet="abcdefghij.2345", max_size=12), max_size=20))
def test_the_username_given_is_never_one_taken(name: str, taken: set[str]) -> None:
    made = username_for("{first}.{last}", taken, full_name=name, id_number="7", kind="dosen")
    assert made not in taken and USERNAME.match(made)
