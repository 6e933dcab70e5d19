"""A local stand-in for a Moodle site's REST web service, on 127.0.0.1 and a port the OS
picks, following the protocol Moodle documents and its code implements:

- ``POST /webservice/rest/server.php`` (GET works too) with ``wstoken``, ``wsfunction``,
  ``moodlewsrestformat=json`` and the function's parameters form-encoded, arrays and
  structures as bracketed names (``courses[0][id]=12``);
- every answer is HTTP 200: a failure is ``{"exception", "errorcode", "message"}``
  (an unknown token: ``moodle_exception``/``invalidtoken``; a function outside the
  service: ``webservice_access_exception``/``accessexception``; a parameter that does not
  validate: ``invalid_parameter_exception``/``invalidparameter``);
- ``core_course_get_courses_by_field`` (``field`` empty for all courses, the front page
  among them, or ``id``/``ids``/``shortname``/``idnumber``/``category``) answers
  ``{"courses": [...], "warnings": []}``;
- ``core_course_update_courses`` answers ``{"warnings": [...]}``, one warning per course
  it could not change (``shortnametaken``, ``courseidnumbertaken``, ``invalidrecord``...)
  and changes the others;
- ``mod_forum_get_forums_by_courses`` lists the forums of the courses (each course and
  the front page have one of type ``news``); ``mod_forum_get_forum_discussions`` a
  forum's discussions; ``mod_forum_add_discussion`` starts one and answers
  ``{"discussionid", "warnings"}``.

Tests script failures (a site that answers 503 or an exception for the next calls) and
read every call made.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

TOKEN = "moodle-test-token"
FRONT_PAGE = 1
FUNCTIONS = {
    "core_webservice_get_site_info",
    "core_course_get_courses_by_field",
    "core_course_update_courses",
    "mod_forum_get_forums_by_courses",
    "mod_forum_get_forum_discussions",
    "mod_forum_add_discussion",
}
_BRACKETS = re.compile(r"\[([^\[\]]*)\]")


def parse_form(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Bracketed names back into structures, as PHP reads ``$_REQUEST``: a structure
    whose keys are 0, 1, 2... is a list."""
    tree: dict[str, Any] = {}
    for name, value in pairs:
        head = name.split("[", 1)[0]
        keys = [head, *_BRACKETS.findall(name[len(head) :])]
        node = tree
        for key in keys[:-1]:
            node = node.setdefault(key, {})
        node[keys[-1]] = value
    return _lists(tree)


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {key: _lists(value) for key, value in node.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


class MoodleFault(Exception):
    def __init__(self, exception: str, errorcode: str, message: str) -> None:
        super().__init__(message)
        self.body = {"exception": exception, "errorcode": errorcode, "message": message}


def invalid_parameter(debug: str) -> MoodleFault:
    fault = MoodleFault(
        "invalid_parameter_exception", "invalidparameter", "Invalid parameter value detected"
    )
    fault.body["debuginfo"] = debug
    return fault


@dataclass
class Call:
    function: str
    params: dict[str, Any]
    method: str
    content_type: str


@dataclass
class MoodleState:
    url: str = ""
    token: str = TOKEN
    calls: list[Call] = field(default_factory=list)
    courses: dict[int, dict[str, Any]] = field(default_factory=dict)
    categories: dict[int, str] = field(default_factory=lambda: {1: "Umum"})
    forums: dict[int, dict[str, Any]] = field(default_factory=dict)
    discussions: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    # Scripted: HTTP statuses or Moodle exceptions for the next calls, in order.
    failures: list[int | MoodleFault] = field(default_factory=list)
    # A warning code and message that core_course_update_courses answers for a course.
    refuse_update: dict[int, tuple[str, str]] = field(default_factory=dict)
    # Functions the token's service lacks.
    withheld: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_id: int = 100
    # ``with state.unreachable():`` the site's port is closed, then it is back on the
    # same port with everything it had (set by ``moodle_server``).
    unreachable: Callable[[], AbstractContextManager[None]] = field(default=nullcontext)

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id

    def add_course(
        self,
        shortname: str,
        fullname: str,
        *,
        idnumber: str = "",
        category: int = 1,
        visible: int = 1,
        startdate: int = 1767225600,
        enddate: int = 0,
        summary: str = "",
        news_forum: bool = True,
    ) -> int:
        course_id = self.new_id()
        self.courses[course_id] = {
            "id": course_id,
            "shortname": shortname,
            "fullname": fullname,
            "displayname": fullname,
            "idnumber": idnumber,
            "categoryid": category,
            "summary": summary,
            "summaryformat": 1,
            "format": "topics",
            "startdate": startdate,
            "enddate": enddate,
            "visible": visible,
        }
        if news_forum:
            self.add_forum(course_id)
        return course_id

    def add_forum(self, course_id: int, kind: str = "news") -> int:
        forum_id = self.new_id()
        name = "Announcements" if kind == "news" else "Diskusi"
        self.forums[forum_id] = {"id": forum_id, "course": course_id, "type": kind, "name": name}
        self.discussions[forum_id] = []
        return forum_id

    def news_posts(self, course_id: int) -> list[dict[str, Any]]:
        return [
            post
            for forum_id, forum in self.forums.items()
            if forum["course"] == course_id and forum["type"] == "news"
            for post in self.discussions[forum_id]
        ]

    def calls_of(self, function: str) -> list[Call]:
        return [call for call in self.calls if call.function == function]


def _course_out(state: MoodleState, course: dict[str, Any]) -> dict[str, Any]:
    return {**course, "categoryname": state.categories.get(course["categoryid"], "")}


def get_courses_by_field(state: MoodleState, params: dict[str, Any]) -> Any:
    field_name, value = params.get("field", ""), str(params.get("value", ""))
    everything = list(state.courses.values())
    if field_name == "":
        chosen = everything
    elif field_name in ("id", "category"):
        key = "id" if field_name == "id" else "categoryid"
        chosen = [c for c in everything if str(c[key]) == value]
    elif field_name == "ids":
        wanted = set(value.split(","))
        chosen = [c for c in everything if str(c["id"]) in wanted]
    elif field_name in ("shortname", "idnumber"):
        chosen = [c for c in everything if c[field_name] == value]
    else:
        raise invalid_parameter("Invalid field name")
    return {
        "courses": [_course_out(state, c) for c in sorted(chosen, key=lambda c: c["id"])],
        "warnings": [],
    }


UPDATABLE = {
    "fullname",
    "shortname",
    "idnumber",
    "categoryid",
    "summary",
    "summaryformat",
    "startdate",
    "enddate",
    "visible",
}
INTEGERS = {"categoryid", "startdate", "enddate", "visible", "summaryformat"}


def update_courses(state: MoodleState, params: dict[str, Any]) -> Any:
    courses = params.get("courses")
    if not isinstance(courses, list) or not courses:
        raise invalid_parameter("courses => Invalid parameter value detected")
    for course in courses:
        if not isinstance(course, dict) or "id" not in course:
            raise invalid_parameter("courses => id: Missing required key in single structure: id")
        unknown = set(course) - UPDATABLE - {"id"}
        if unknown:
            raise invalid_parameter(
                f"courses => Unexpected keys ({', '.join(sorted(unknown))}) detected in "
                "parameter array."
            )
        for key in INTEGERS & set(course):
            if not re.fullmatch(r"-?\d+", str(course[key])):
                raise invalid_parameter(
                    f"courses => {key}: Invalid external api parameter: the value is "
                    f'"{course[key]}", the server was expecting "int" type'
                )
    warnings = []
    for course in courses:
        course_id = int(course["id"])
        target = state.courses.get(course_id)

        def warn(code: str, message: str, course_id: int = course_id) -> None:
            warnings.append(
                {"item": "course", "itemid": course_id, "warningcode": code, "message": message}
            )

        if target is None:
            warn("invalidrecord", "Can't find data record in database table context.")
            continue
        if course_id in state.refuse_update:
            warn(*state.refuse_update[course_id])
            continue
        others = [c for c in state.courses.values() if c["id"] != course_id]
        if "shortname" in course and any(c["shortname"] == course["shortname"] for c in others):
            warn(
                "shortnametaken",
                f"Short name is already used for another course ({course['shortname']})",
            )
            continue
        if course.get("idnumber") and any(c["idnumber"] == course["idnumber"] for c in others):
            warn(
                "courseidnumbertaken",
                f"ID number is already used for another course ({course['idnumber']})",
            )
            continue
        if "fullname" in course and not str(course["fullname"]).strip():
            warn("errorinvalidparam", "Invalid parameter value detected (fullname)")
            continue
        for key, value in course.items():
            if key != "id":
                target[key] = int(value) if key in INTEGERS else value
        target["displayname"] = target["fullname"]
    return {"warnings": warnings}


def get_forums_by_courses(state: MoodleState, params: dict[str, Any]) -> Any:
    wanted = {int(c) for c in params.get("courseids") or []}
    return [dict(f) for f in state.forums.values() if not wanted or f["course"] in wanted]


def get_forum_discussions(state: MoodleState, params: dict[str, Any]) -> Any:
    forum_id = int(params.get("forumid", 0))
    if forum_id not in state.forums:
        raise MoodleFault(
            "dml_missing_record_exception",
            "invalidrecord",
            "Can't find data record in database table forum.",
        )
    newest = sorted(state.discussions[forum_id], key=lambda d: d["created"], reverse=True)
    return {"discussions": newest, "warnings": []}


def add_discussion(state: MoodleState, params: dict[str, Any]) -> Any:
    forum_id = int(params.get("forumid", 0))
    if forum_id not in state.forums:
        raise MoodleFault(
            "dml_missing_record_exception",
            "invalidrecord",
            "Can't find data record in database table forum.",
        )
    for key in ("subject", "message"):
        if not str(params.get(key, "")).strip():
            raise invalid_parameter(f"{key} => Invalid parameter value detected")
    for option in params.get("options") or []:
        if option.get("name") not in (
            "discussionsubscribe",
            "discussionpinned",
            "inlineattachmentsid",
            "attachmentsid",
        ):
            raise MoodleFault(
                "moodle_exception",
                "errorinvalidparam",
                f"Invalid parameter value detected ({option.get('name')})",
            )
    discussion = state.new_id()
    now = int(time.time())
    state.discussions[forum_id].append(
        {
            "id": state.new_id(),
            "discussion": discussion,
            "name": params["subject"],
            "subject": params["subject"],
            "message": params["message"],
            "created": now,
            "modified": now,
            "userid": 2,
        }
    )
    return {"discussionid": discussion, "warnings": []}


HANDLERS = {
    "core_webservice_get_site_info": lambda state, params: {
        "sitename": "Moodle uji",
        "userid": 2,
        "release": "4.5",
    },
    "core_course_get_courses_by_field": get_courses_by_field,
    "core_course_update_courses": update_courses,
    "mod_forum_get_forums_by_courses": get_forums_by_courses,
    "mod_forum_get_forum_discussions": get_forum_discussions,
    "mod_forum_add_discussion": add_discussion,
}


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # quiet test output
        return

    def do_GET(self) -> None:
        self._serve(b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._serve(self.rfile.read(length) if length else b"")

    def _serve(self, body: bytes) -> None:
        parts = urlsplit(self.path)
        if parts.path != "/webservice/rest/server.php":
            self._raw(404, b"<h1>Not found</h1>", "text/html")
            return
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        pairs += parse_qsl(body.decode("utf-8"), keep_blank_values=True)
        params = parse_form(pairs)
        token = params.pop("wstoken", "")
        function = params.pop("wsfunction", "")
        restformat = params.pop("moodlewsrestformat", "xml")
        state = self.server.state
        with state.lock:
            state.calls.append(
                Call(function, params, self.command, self.headers.get("Content-Type", ""))
            )
            scripted = state.failures.pop(0) if state.failures else None
            if isinstance(scripted, int):
                self._raw(scripted, b"<h1>Service unavailable</h1>", "text/html")
                return
            try:
                if scripted is not None:
                    raise scripted
                if token != state.token:
                    raise MoodleFault(
                        "moodle_exception", "invalidtoken", "Invalid token - token not found"
                    )
                if function not in FUNCTIONS or function in state.withheld:
                    raise MoodleFault(
                        "webservice_access_exception", "accessexception", "Access control exception"
                    )
                answer = HANDLERS[function](state, params)
            except MoodleFault as fault:
                answer = fault.body
        if restformat != "json":
            # Moodle's default answer is XML, which a JSON client cannot read.
            self._raw(
                200,
                b'<?xml version="1.0" encoding="UTF-8" ?>\n<RESPONSE></RESPONSE>',
                "application/xml",
            )
            return
        self._raw(200, json.dumps(answer).encode(), "application/json")

    def _raw(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: MoodleState, port: int = 0) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.state = state

    def start(self) -> _Server:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


@contextmanager
def moodle_server() -> Iterator[MoodleState]:
    """A running site with its front page (and its news forum) and no courses yet."""
    state = MoodleState()
    state.courses[FRONT_PAGE] = {
        "id": FRONT_PAGE,
        "shortname": "pintu",
        "fullname": "E-Learning Politeknik",
        "displayname": "E-Learning Politeknik",
        "idnumber": "",
        "categoryid": 0,
        "summary": "",
        "summaryformat": 1,
        "format": "site",
        "startdate": 0,
        "enddate": 0,
        "visible": 1,
    }
    state.add_forum(FRONT_PAGE)
    servers = [_Server(state).start()]
    state.url = f"http://127.0.0.1:{servers[0].server_address[1]}"

    @contextmanager
    def unreachable() -> Iterator[None]:
        port = servers[-1].server_address[1]
        servers.pop().stop()
        try:
            yield
        finally:
            servers.append(_Server(state, port).start())

    state.unreachable = unreachable
    try:
        yield state
    finally:
        for server in servers:
            server.stop()
