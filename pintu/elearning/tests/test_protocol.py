"""Moodle's REST protocol as pure functions: bracketed form encoding, answers and their
faults (HTTP 200 with an exception body), per-record warnings, and the course and forum
shapes Pintu reads."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pintu.elearning import protocol
from pintu.elearning.protocol import Fault
from pintu.elearning.tests.moodle_server import parse_form


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"field": "id", "value": 12}, [("field", "id"), ("value", "12")]),
        ({"field": ""}, [("field", "")]),
        ({"courseids": [3, 7]}, [("courseids[0]", "3"), ("courseids[1]", "7")]),
        (
            {"courses": [{"id": 12, "fullname": "Basis Data"}]},
            [("courses[0][id]", "12"), ("courses[0][fullname]", "Basis Data")],
        ),
        (
            {"courses": [{"id": 1}, {"id": 2, "visible": 0}]},
            [("courses[0][id]", "1"), ("courses[1][id]", "2"), ("courses[1][visible]", "0")],
        ),
        (
            {"options": [{"name": "discussionsubscribe", "value": True}]},
            [("options[0][name]", "discussionsubscribe"), ("options[0][value]", "1")],
        ),
        ({"flag": False, "nothing": None}, [("flag", "0"), ("nothing", "")]),
        ({"a": {"b": {"c": 1}}}, [("a[b][c]", "1")]),
        ({"empty": []}, []),
    ],
)
def test_parameters_are_form_fields_with_bracketed_arrays(
    params: dict[str, Any], fields: list[tuple[str, str]]
) -> None:
    assert protocol.encode(params) == fields


def test_a_call_posts_token_function_and_json_format_first() -> None:
    fields = protocol.call_fields("t0k", "core_course_update_courses", {"courses": [{"id": 5}]})
    assert fields == [
        ("wstoken", "t0k"),
        ("wsfunction", "core_course_update_courses"),
        ("moodlewsrestformat", "json"),
        ("courses[0][id]", "5"),
    ]


scalars = st.one_of(st.integers(-10, 10**6), st.text(max_size=8))
structures = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, min_size=1, max_size=3)
        | st.dictionaries(
            st.from_regex(r"[a-z]{1,6}", fullmatch=True), inner, min_size=1, max_size=3
        )
    ),
    max_leaves=8,
)


# No deadline: a machine busy with other suites must not fail a property that holds.
@settings(deadline=None)
@given(st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True), structures, max_size=3))
def test_the_local_server_reads_back_what_the_client_encodes(params: dict[str, Any]) -> None:
    def as_text(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: as_text(item) for key, item in value.items()}
        if isinstance(value, list):
            return [as_text(item) for item in value]
        return str(value)

    assert parse_form(protocol.encode(params)) == as_text(params)


@pytest.mark.parametrize(
    ("status", "body", "kind", "code"),
    [
        (
            200,
            b'{"exception":"moodle_exception","errorcode":"invalidtoken",'
            b'"message":"Invalid token - token not found"}',
            "exception",
            "invalidtoken",
        ),
        (
            200,
            b'{"exception":"webservice_access_exception","errorcode":"accessexception",'
            b'"message":"Access control exception"}',
            "exception",
            "accessexception",
        ),
        (200, b'<?xml version="1.0"?><RESPONSE/>', "malformed", ""),
        (200, b"\xff\xfe", "malformed", ""),
        (503, b"", "http", ""),
        (404, b"<h1>Not found</h1>", "http", ""),
    ],
)
def test_faults_arrive_as_http_200_with_an_exception_body_or_otherwise(
    status: int, body: bytes, kind: str, code: str
) -> None:
    with pytest.raises(Fault) as caught:
        protocol.read_answer(status, body)
    assert (caught.value.kind, caught.value.errorcode) == (kind, code)


def test_an_answer_without_an_exception_is_the_answer() -> None:
    assert protocol.read_answer(200, b'{"warnings": []}') == {"warnings": []}
    assert protocol.read_answer(200, b"[]") == []
    assert protocol.read_answer(200, b"null") is None


def test_warnings_are_read_one_per_record() -> None:
    answer = {
        "warnings": [
            {
                "item": "course",
                "itemid": 12,
                "warningcode": "shortnametaken",
                "message": "Short name is already used for another course (BD)",
            },
            {"item": "course", "warningcode": "x", "message": "no id"},
            "not a warning",
        ]
    }
    warnings = protocol.warnings_in(answer)
    assert [(w.itemid, w.warningcode) for w in warnings] == [(12, "shortnametaken"), (None, "x")]
    assert protocol.warnings_in({"warnings": []}) == ()
    assert protocol.warnings_in([{"id": 3}]) == ()


def test_a_course_keeps_its_identity_fields_and_the_front_page_is_known() -> None:
    (front, course) = protocol.courses_in(
        {
            "courses": [
                {"id": 1, "shortname": "elearning", "fullname": "E-Learning", "format": "site"},
                {
                    "id": 12,
                    "shortname": "IF201",
                    "fullname": "Basis Data",
                    "idnumber": "IF201-2026",
                    "categoryid": 4,
                    "categoryname": "Semester 3",
                    "summary": "<p>Ringkasan</p>",
                    "startdate": 1767225600,
                    "enddate": 0,
                    "visible": 0,
                    "format": "topics",
                },
            ],
            "warnings": [],
        }
    )
    assert front.is_front_page and not course.is_front_page
    assert course.identity() == {
        "fullname": "Basis Data",
        "shortname": "IF201",
        "idnumber": "IF201-2026",
        "categoryid": 4,
        "summary": "<p>Ringkasan</p>",
        "startdate": 1767225600,
        "enddate": 0,
        "visible": 0,
    }
    with pytest.raises(Fault):
        protocol.courses_in({"warnings": []})


def test_an_update_names_only_identity_fields() -> None:
    assert protocol.update_params(12, {"fullname": "Basis Data Lanjut", "visible": 1}) == {
        "courses": [{"id": 12, "fullname": "Basis Data Lanjut", "visible": 1}]
    }
    with pytest.raises(ValueError, match="format"):
        protocol.update_params(12, {"format": "weeks"})


@pytest.mark.parametrize(
    ("before", "after", "changed"),
    [
        (
            {"fullname": "A", "visible": 1},
            {"fullname": "B", "visible": 1},
            [("fullname", "A", "B")],
        ),
        ({"fullname": "A"}, {"fullname": "A"}, []),
        (
            {"shortname": "X", "categoryid": 1},
            {"shortname": "Y", "categoryid": 2},
            [("shortname", "X", "Y"), ("categoryid", 1, 2)],
        ),
    ],
)
def test_changes_between_snapshots_come_in_moodles_field_order(
    before: dict[str, Any], after: dict[str, Any], changed: list[tuple[str, Any, Any]]
) -> None:
    found = protocol.identity_changes(before, after)
    assert [(c.field, c.before, c.after) for c in found] == changed


def test_a_value_asked_for_that_moodle_kept_is_found() -> None:
    asked = {"fullname": "B", "categoryid": 9}
    assert protocol.unapplied(asked, {"fullname": "B", "categoryid": 4}) == ("categoryid",)
    assert protocol.unapplied(asked, {"fullname": "B", "categoryid": 9}) == ()


def test_moodle_times_are_unix_seconds_and_zero_is_none() -> None:
    moment = datetime(2026, 8, 17, 1, 0, tzinfo=UTC)
    assert protocol.moodle_time(moment) == 1786928400
    assert protocol.from_moodle_time(1786928400) == moment
    assert protocol.moodle_time(None) == 0 and protocol.from_moodle_time(0) is None


FORUMS = [
    {"id": 3, "course": 12, "type": "general", "name": "Diskusi"},
    {"id": 4, "course": 12, "type": "news", "name": "Announcements"},
    {"id": 5, "course": 13, "type": "news", "name": "Announcements"},
]


@pytest.mark.parametrize(("course", "forum"), [(12, 4), (13, 5), (99, None)])
def test_the_news_forum_is_the_one_of_type_news_in_the_course(course: int, forum: int) -> None:
    assert protocol.news_forum_id(FORUMS, course) == forum


def test_a_discussion_answer_gives_its_id_and_an_earlier_post_is_recognised() -> None:
    assert protocol.discussion_id({"discussionid": 41, "warnings": []}) == 41
    with pytest.raises(Fault):
        protocol.discussion_id({"warnings": []})
    listing = {
        "discussions": [
            {"discussion": 41, "subject": "Jadwal UTS", "created": 1000},
            {"discussion": 40, "subject": "Jadwal UTS", "created": 500},
        ]
    }
    assert protocol.posted_already(listing, subject="Jadwal UTS", since=900) == 41
    assert protocol.posted_already(listing, subject="Jadwal UTS", since=1001) is None
    assert protocol.posted_already(listing, subject="Lain", since=0) is None
