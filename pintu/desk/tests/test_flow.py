"""The step flow as a pure function, over the shipped SOPs and small made-up ones."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pintu.desk.flow import (
    ACTIVE,
    DONE,
    PENDING,
    SKIPPED,
    FlowError,
    Move,
    after_completion,
    opening_states,
)
from pintu.sop.definition import Activity, Branch, Definition, Role
from pintu.sop.schema import parse_definition

DEFINITIONS = Path(__file__).resolve().parents[2] / "sop" / "definitions"
SDM = parse_definition(
    (DEFINITIONS / "SDM.5.OT.02.02-5068.yaml").read_text(encoding="utf-8"), "SDM.yaml"
)
ACCESS = next(s for s in SDM.services if s.key == "pemberian-akses").activities
REGISTER = next(s for s in SDM.services if s.key == "pendaftaran-akun").activities


def made_up(*activities: Activity, requester_roles: tuple[str, ...] = ("pemohon",)) -> Definition:
    return Definition(
        code="X.1",
        version="",
        title="Uji",
        unit="UPT-SI",
        approved_by="",
        effective=None,
        purpose=(),
        scope=(),
        roles=(Role("pemohon", "Pemohon"), Role("staf", "Staf")),
        services=(),
        activities=activities,
        kpis=(),
        records=(),
        requester_roles=requester_roles,
    )


def step(key: str, actor: str = "staf", **extra: object) -> Activity:
    return Activity(key=key, actor=actor, description=key, **extra)  # type: ignore[arg-type]


def test_the_requesters_leading_steps_are_done_and_the_office_starts() -> None:
    assert opening_states(SDM, ACCESS) == [DONE, ACTIVE] + [PENDING] * 5
    assert opening_states(SDM, REGISTER) == [DONE, ACTIVE, PENDING, PENDING]


def test_a_requester_step_after_the_office_started_waits_like_any_other() -> None:
    flow = made_up(step("kirim", "pemohon"), step("cek"), step("jawab", "pemohon"))
    assert opening_states(flow, ["kirim", "cek", "jawab"]) == [DONE, ACTIVE, PENDING]


def test_without_requester_roles_the_first_step_starts() -> None:
    flow = made_up(step("a", "pemohon"), step("b"), requester_roles=())
    assert opening_states(flow, ["a", "b"]) == [ACTIVE, PENDING]


def states_of(keys: list[str] | tuple[str, ...], *given: str) -> dict[str, str]:
    return {key: state for key, state in zip(keys, given, strict=True)}


def test_a_plain_step_starts_the_next_one() -> None:
    states = states_of(REGISTER, DONE, ACTIVE, PENDING, PENDING)
    assert after_completion(SDM, REGISTER, states, "a2-terima-pesan") == Move(
        start=("a3-tanggapan",)
    )


def test_the_last_step_starts_nothing() -> None:
    states = states_of(REGISTER, DONE, DONE, DONE, ACTIVE)
    assert after_completion(SDM, REGISTER, states, "a4-catat-akun") == Move()


@pytest.mark.parametrize(
    ("branch", "start", "skip"),
    [
        ("b6-akses-diberikan", ("b6-akses-diberikan",), ("b7-akses-ditolak",)),
        ("b7-akses-ditolak", ("b7-akses-ditolak",), ("b6-akses-diberikan",)),
    ],
)
def test_a_branch_starts_the_way_chosen_and_skips_the_other(
    branch: str, start: tuple[str, ...], skip: tuple[str, ...]
) -> None:
    states = states_of(ACCESS, DONE, DONE, DONE, DONE, ACTIVE, PENDING, PENDING)
    assert after_completion(SDM, ACCESS, states, "b5-klasifikasi", branch) == Move(start, skip)


def test_a_step_that_ends_its_flow_starts_nothing_though_more_follow() -> None:
    states = states_of(ACCESS, DONE, DONE, DONE, DONE, DONE, ACTIVE, SKIPPED)
    assert after_completion(SDM, ACCESS, states, "b6-akses-diberikan") == Move()


@pytest.mark.parametrize("branch", ["", "b4-jawaban", "lain"])
def test_a_branching_step_needs_one_of_its_branches(branch: str) -> None:
    states = states_of(ACCESS, DONE, DONE, DONE, DONE, ACTIVE, PENDING, PENDING)
    with pytest.raises(FlowError, match="choose what happens next"):
        after_completion(SDM, ACCESS, states, "b5-klasifikasi", branch)


def test_a_plain_step_takes_no_branch() -> None:
    states = states_of(REGISTER, DONE, ACTIVE, PENDING, PENDING)
    with pytest.raises(FlowError, match="no branches"):
        after_completion(SDM, REGISTER, states, "a2-terima-pesan", "a4-catat-akun")


@pytest.mark.parametrize("state", [PENDING, DONE, SKIPPED])
def test_only_the_step_in_progress_completes(state: str) -> None:
    states = states_of(REGISTER, DONE, state, PENDING, PENDING)
    with pytest.raises(FlowError, match="in progress"):
        after_completion(SDM, REGISTER, states, "a2-terima-pesan")


def test_a_branch_outside_the_services_steps_is_taken_but_starts_nothing() -> None:
    flow = made_up(
        step("a", next=(Branch("b", "ya"), Branch("z", "tidak"))),
        step("b"),
        step("z"),
    )
    assert after_completion(flow, ["a", "b"], {"a": ACTIVE, "b": PENDING}, "a", "z") == Move(
        start=(), skip=("b",)
    )


def test_only_a_waiting_step_starts_or_is_skipped() -> None:
    states = states_of(ACCESS, DONE, DONE, DONE, DONE, ACTIVE, DONE, SKIPPED)
    assert after_completion(SDM, ACCESS, states, "b5-klasifikasi", "b6-akses-diberikan") == Move()


def walk(choices: list[int]) -> list[dict[str, str]]:
    """Complete SDM's access flow step by step, choosing branches from ``choices``."""
    states: dict[str, str] = dict(zip(ACCESS, opening_states(SDM, ACCESS), strict=True))
    seen = [dict(states)]
    picks = iter(choices)
    while (active := [k for k, s in states.items() if s == ACTIVE]) != []:
        (key,) = active
        branches = SDM.activity(key).next
        branch = branches[next(picks, 0) % len(branches)].to if branches else ""
        move = after_completion(SDM, ACCESS, states, key, branch)
        states[key] = DONE
        states.update({k: SKIPPED for k in move.skip})
        states.update({k: ACTIVE for k in move.start})
        seen.append(dict(states))
    return seen


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=5), max_size=5))
def test_walking_the_flow_keeps_one_step_in_progress_and_never_goes_back(
    choices: list[int],
) -> None:
    history = walk(choices)
    for before, after in pairwise(history):
        assert sum(state == ACTIVE for state in after.values()) <= 1
        for key, state in before.items():
            if state in (DONE, SKIPPED):
                assert after[key] == state  # a finished step stays finished
    final = history[-1]
    assert ACTIVE not in final.values()
    # Exactly one of grant and refuse was done; the other was not taken.
    assert sorted([final["b6-akses-diberikan"], final["b7-akses-ditolak"]]) == [DONE, SKIPPED]
