"""Moodle's REST web-service protocol as pure functions: how a call's parameters are
encoded, how an answer is read, and the few shapes of Moodle data Pintu works with.

A call is ``POST {site}/webservice/rest/server.php`` with ``wstoken``, ``wsfunction`` and
``moodlewsrestformat=json`` beside the function's own parameters, all **form-encoded**:
arrays and structures are flattened into bracketed names, ``courses[0][id]=12``,
``courses[0][fullname]=…``. Moodle answers HTTP 200 whether the call worked or not: a
failure is a body ``{"exception", "errorcode", "message"}``; a function that acts on
several records (``core_course_update_courses``) reports each record it could not change
in ``warnings`` (``item``, ``itemid``, ``warningcode``, ``message``) and those count as
failures too.

Pure: no network, no ORM, no clock.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

ENDPOINT = "webservice/rest/server.php"

# A parameter's value: a scalar, or a list or a mapping of them, nested at will.
Param = str | int | float | bool | None | Sequence[Any] | Mapping[str, Any]

# The course identity data a change request may ask for (PR.13.2 "data identitas mata
# kuliah"), as ``core_course_update_courses`` names them.
IDENTITY_FIELDS = (
    "fullname",
    "shortname",
    "idnumber",
    "categoryid",
    "summary",
    "startdate",
    "enddate",
    "visible",
)
# Moodle's forum type for a course's announcements ("Pengumuman"), one per course; the
# site's front page has one too.
NEWS_FORUM = "news"


def endpoint_url(site_url: str) -> str:
    return f"{site_url.rstrip('/')}/{ENDPOINT}"


def _flatten(prefix: str, value: Param) -> list[tuple[str, str]]:
    if isinstance(value, Mapping):
        pairs: list[tuple[str, str]] = []
        for key, item in value.items():
            pairs += _flatten(f"{prefix}[{key}]", item)
        return pairs
    if isinstance(value, list | tuple):
        pairs = []
        for index, item in enumerate(value):
            pairs += _flatten(f"{prefix}[{index}]", item)
        return pairs
    if isinstance(value, bool):  # before int: a bool is an int in Python
        return [(prefix, "1" if value else "0")]
    if value is None:
        return [(prefix, "")]
    return [(prefix, str(value))]


def encode(params: Mapping[str, Param]) -> list[tuple[str, str]]:
    """The form fields for a function's parameters, arrays and structures as bracketed
    names in their order: ``{"courses": [{"id": 12}]}`` → ``[("courses[0][id]", "12")]``.
    A boolean is 1 or 0, as Moodle's PARAM_BOOL reads it."""
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        pairs += _flatten(name, value)
    return pairs


def call_fields(token: str, function: str, params: Mapping[str, Param]) -> list[tuple[str, str]]:
    """Everything a call posts: the token, the function, JSON answers, its parameters."""
    return [
        ("wstoken", token),
        ("wsfunction", function),
        ("moodlewsrestformat", "json"),
        *encode(params),
    ]


class Fault(Exception):
    """A call that failed: Moodle's exception (``errorcode``, ``message``), an HTTP status
    other than 200, or an answer that is no JSON."""

    def __init__(
        self,
        kind: str,  # "exception", "http" or "malformed"
        *,
        errorcode: str = "",
        message: str = "",
        exception: str = "",  # Moodle's exception class, e.g. moodle_exception
        status: int = 200,
    ) -> None:
        super().__init__(kind, errorcode, message)
        self.kind = kind
        self.errorcode = errorcode
        self.message = message
        self.exception = exception
        self.status = status

    def __str__(self) -> str:
        if self.kind == "http":
            return f"HTTP {self.status}"
        return f"{self.message} ({self.errorcode or self.exception or self.kind})"


def read_answer(status: int, body: bytes) -> Any:
    """The decoded answer of a call, or the ``Fault`` it reports."""
    if status != 200:
        raise Fault("http", status=status)
    try:
        answer = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise Fault("malformed", message=body[:200].decode("utf-8", "replace")) from None
    if isinstance(answer, dict) and "exception" in answer:
        raise Fault(
            "exception",
            errorcode=str(answer.get("errorcode") or ""),
            message=str(answer.get("message") or ""),
            exception=str(answer["exception"]),
        )
    return answer


@dataclass(frozen=True)
class MoodleWarning:
    """One record a function could not act on."""

    item: str
    itemid: int | None
    warningcode: str
    message: str


def warnings_in(answer: Any) -> tuple[MoodleWarning, ...]:
    """The ``warnings`` of an answer (none when it has no such list)."""
    if not isinstance(answer, dict):
        return ()
    found = []
    for warning in answer.get("warnings") or ():
        if not isinstance(warning, dict):
            continue
        itemid = str(warning.get("itemid", ""))
        found.append(
            MoodleWarning(
                item=str(warning.get("item") or ""),
                itemid=int(itemid) if itemid.isdigit() else None,
                warningcode=str(warning.get("warningcode") or ""),
                message=str(warning.get("message") or ""),
            )
        )
    return tuple(found)


# ---------------------------------------------------------------- courses


@dataclass(frozen=True)
class CourseData:
    """A course as ``core_course_get_courses_by_field`` describes it, the fields Pintu
    keeps. Dates are Unix times (0: none)."""

    id: int
    shortname: str
    fullname: str
    idnumber: str
    categoryid: int
    categoryname: str
    summary: str
    startdate: int
    enddate: int
    visible: bool
    format: str  # "site" for the front page

    @property
    def is_front_page(self) -> bool:
        return self.format == "site"

    def identity(self) -> dict[str, Any]:
        """The identity fields, under the names ``core_course_update_courses`` uses."""
        return {
            "fullname": self.fullname,
            "shortname": self.shortname,
            "idnumber": self.idnumber,
            "categoryid": self.categoryid,
            "summary": self.summary,
            "startdate": self.startdate,
            "enddate": self.enddate,
            "visible": 1 if self.visible else 0,
        }


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def course_data(raw: Mapping[str, Any]) -> CourseData:
    return CourseData(
        id=_int(raw.get("id")),
        shortname=str(raw.get("shortname") or ""),
        fullname=str(raw.get("fullname") or ""),
        idnumber=str(raw.get("idnumber") or ""),
        categoryid=_int(raw.get("categoryid")),
        categoryname=str(raw.get("categoryname") or ""),
        summary=str(raw.get("summary") or ""),
        startdate=_int(raw.get("startdate")),
        enddate=_int(raw.get("enddate")),
        visible=bool(_int(raw.get("visible", 1))),
        format=str(raw.get("format") or ""),
    )


def courses_in(answer: Any) -> tuple[CourseData, ...]:
    """The courses of a ``core_course_get_courses_by_field`` answer."""
    if not isinstance(answer, dict) or not isinstance(answer.get("courses"), list):
        raise Fault("malformed", message="no course list in the answer")
    return tuple(course_data(raw) for raw in answer["courses"] if isinstance(raw, dict))


def update_params(course_id: int, changes: Mapping[str, Any]) -> dict[str, Param]:
    """The parameters of ``core_course_update_courses`` for one course's new values."""
    unknown = set(changes) - set(IDENTITY_FIELDS)
    if unknown:
        raise ValueError(f"not a course identity field: {', '.join(sorted(unknown))}")
    return {"courses": [{"id": course_id, **changes}]}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


def identity_changes(
    before: Mapping[str, Any], after: Mapping[str, Any], fields: Sequence[str] = IDENTITY_FIELDS
) -> tuple[FieldChange, ...]:
    """The identity fields whose value differs between two snapshots, in Moodle's order."""
    return tuple(
        FieldChange(field, before.get(field), after.get(field))
        for field in fields
        if before.get(field) != after.get(field)
    )


def unapplied(asked: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[str, ...]:
    """The fields asked for that the course does not hold afterwards (Moodle can answer
    without a warning and still keep a value, e.g. a category the token may not use)."""
    return tuple(field for field, value in asked.items() if after.get(field) != value)


def moodle_time(moment: datetime | None) -> int:
    """A moment as the Unix time Moodle stores (0 for none)."""
    return int(moment.timestamp()) if moment is not None else 0


def from_moodle_time(value: int) -> datetime | None:
    return datetime.fromtimestamp(value, tz=UTC) if value else None


# ---------------------------------------------------------------- forums


def news_forum_id(forums: Any, course_id: int) -> int | None:
    """The announcements forum of ``course_id`` in a ``mod_forum_get_forums_by_courses``
    answer (the forum whose type is ``news``), or None when the course has none."""
    if not isinstance(forums, list):
        raise Fault("malformed", message="no forum list in the answer")
    for forum in forums:
        if (
            isinstance(forum, dict)
            and forum.get("type") == NEWS_FORUM
            and _int(forum.get("course")) == course_id
        ):
            return _int(forum.get("id"))
    return None


def discussion_id(answer: Any) -> int:
    """The id of the discussion ``mod_forum_add_discussion`` made."""
    if isinstance(answer, dict) and _int(answer.get("discussionid")) > 0:
        return _int(answer["discussionid"])
    raise Fault("malformed", message="no discussion id in the answer")


def posted_already(answer: Any, *, subject: str, since: int) -> int | None:
    """A discussion of ``mod_forum_get_forum_discussions`` with this subject created at or
    after ``since`` (Unix time): the post an earlier attempt of the same job made. Its
    discussion id, or None."""
    discussions = answer.get("discussions") if isinstance(answer, dict) else None
    for discussion in discussions or ():
        if (
            isinstance(discussion, dict)
            and str(discussion.get("subject") or discussion.get("name") or "") == subject
            and _int(discussion.get("created")) >= since
        ):
            return _int(discussion.get("discussion")) or _int(discussion.get("id"))
    return None
