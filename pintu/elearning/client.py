"""The calls Pintu makes to a Moodle site, over the REST protocol of
``pintu.elearning.protocol``, with the standard library only.

Every failure becomes a ``MoodleError`` whose text says in plain words (Indonesian by
default) what went wrong and on which site, and whether trying again later can help: a
site that cannot be reached or answers 5xx is worth another try; an invalid token, a
function the token may not call, or a course Moodle refused to change is not, until
someone acts on it.
"""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence
from http.client import HTTPException
from typing import Any

from django.utils.translation import gettext as _

from pintu.elearning import protocol
from pintu.elearning.protocol import CourseData, Fault, MoodleWarning, Param

USER_AGENT = "Pintu-Moodle/1.0"


class MoodleError(Exception):
    """A call failed; the message is for people. ``temporary``: worth trying later."""

    def __init__(self, message: str, *, temporary: bool, code: str = "") -> None:
        super().__init__(message)
        self.temporary = temporary
        self.code = code


def fault_words(fault: Fault, *, site: str, function: str) -> MoodleError:
    """A failed call in words, naming the site."""
    if fault.kind == "http":
        return MoodleError(
            _("Moodle site %(site)s answered HTTP %(status)s to %(function)s.")
            % {"site": site, "status": fault.status, "function": function},
            temporary=fault.status >= 500 or fault.status == 429,
            code=f"http-{fault.status}",
        )
    if fault.kind == "malformed":
        return MoodleError(
            _(
                "Moodle site %(site)s did not answer %(function)s in JSON: check its address "
                "and that the REST protocol is enabled."
            )
            % {"site": site, "function": function},
            temporary=False,
            code="malformed",
        )
    if fault.errorcode == "invalidtoken":
        return MoodleError(
            _(
                "Moodle site %(site)s refused the web-service token: it is invalid or has "
                "expired (invalidtoken). Make a new token in Moodle and store it with "
                "“pintu elearning site add %(site)s”."
            )
            % {"site": site},
            temporary=False,
            code=fault.errorcode,
        )
    if fault.errorcode in ("accessexception", "servicenotavailable", "nopermissions"):
        return MoodleError(
            _(
                "The token of Moodle site %(site)s may not call %(function)s "
                "(%(code)s: %(message)s). Add the function to the web service, or the "
                "capability to its user, in Moodle."
            )
            % {
                "site": site,
                "function": function,
                "code": fault.errorcode,
                "message": fault.message,
            },
            temporary=False,
            code=fault.errorcode,
        )
    return MoodleError(
        _("Moodle site %(site)s refused %(function)s: %(message)s (%(code)s).")
        % {
            "site": site,
            "function": function,
            "message": fault.message,
            "code": fault.errorcode or fault.exception,
        },
        temporary=False,
        code=fault.errorcode or fault.exception,
    )


def warning_words(warning: MoodleWarning, *, site: str) -> MoodleError:
    return MoodleError(
        _("Moodle site %(site)s did not change %(item)s %(id)s: %(message)s (%(code)s).")
        % {
            "site": site,
            "item": warning.item or _("record"),
            "id": warning.itemid if warning.itemid is not None else "",
            "message": warning.message,
            "code": warning.warningcode,
        },
        temporary=False,
        code=warning.warningcode,
    )


class MoodleClient:
    def __init__(self, *, site: str, url: str, token: str, timeout: float = 20.0) -> None:
        self.site = site
        self.url = protocol.endpoint_url(url)
        self.token = token
        self.timeout = timeout

    def call(self, function: str, params: Mapping[str, Param] | None = None) -> Any:
        """Call ``function`` and return its decoded answer; MoodleError when it fails."""
        if not self.token:
            raise MoodleError(
                _("Moodle site %(site)s has no web-service token.") % {"site": self.site},
                temporary=False,
                code="notoken",
            )
        body = urllib.parse.urlencode(protocol.call_fields(self.token, function, params or {}))
        request = urllib.request.Request(  # noqa: S310 (the site's own http(s) address)
            self.url,
            data=body.encode("utf-8"),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "User-Agent": USER_AGENT,
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status, raw = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, raw = error.code, b""
        except (OSError, HTTPException) as error:
            reason = getattr(error, "reason", None) or error
            raise MoodleError(
                _("Moodle site %(site)s cannot be reached: %(reason)s.")
                % {"site": self.site, "reason": reason},
                temporary=True,
                code="unreachable",
            ) from error
        try:
            return protocol.read_answer(status, raw)
        except Fault as fault:
            raise fault_words(fault, site=self.site, function=function) from fault

    def _checked(self, answer: Any) -> Any:
        for warning in protocol.warnings_in(answer):
            raise warning_words(warning, site=self.site)
        return answer

    # ------------------------------------------------------------ courses

    def courses(self) -> tuple[CourseData, ...]:
        """Every course of the site, its front page included."""
        return self._courses({})

    def course(self, course_id: int) -> CourseData:
        found = self._courses({"field": "id", "value": course_id})
        if not found:
            raise MoodleError(
                _("Moodle site %(site)s has no course %(id)s.")
                % {"site": self.site, "id": course_id},
                temporary=False,
                code="nocourse",
            )
        return found[0]

    def _courses(self, params: Mapping[str, Param]) -> tuple[CourseData, ...]:
        function = "core_course_get_courses_by_field"
        answer = self._checked(self.call(function, params))
        try:
            return protocol.courses_in(answer)
        except Fault as fault:
            raise fault_words(fault, site=self.site, function=function) from fault

    def update_course(self, course_id: int, changes: Mapping[str, Any]) -> None:
        """Apply new identity values; a warning about the course is a failure."""
        self._checked(
            self.call("core_course_update_courses", protocol.update_params(course_id, changes))
        )

    # ------------------------------------------------------------ announcements

    def news_forum(self, course_id: int) -> int:
        """The id of the course's announcements forum."""
        function = "mod_forum_get_forums_by_courses"
        forums = self.call(function, {"courseids": [course_id]})
        try:
            forum = protocol.news_forum_id(forums, course_id)
        except Fault as fault:
            raise fault_words(fault, site=self.site, function=function) from fault
        if forum is None:
            raise MoodleError(
                _("Course %(id)s on Moodle site %(site)s has no announcements forum.")
                % {"site": self.site, "id": course_id},
                temporary=False,
                code="nonewsforum",
            )
        return forum

    def posted_since(self, forum_id: int, *, subject: str, since: int) -> int | None:
        """The discussion with this subject started in the forum since ``since``, if any."""
        answer = self.call(
            "mod_forum_get_forum_discussions", {"forumid": forum_id, "page": 0, "perpage": 25}
        )
        return protocol.posted_already(answer, subject=subject, since=since)

    def add_discussion(self, forum_id: int, *, subject: str, message: str) -> int:
        """Start a discussion (an announcement, in a news forum); its id."""
        function = "mod_forum_add_discussion"
        options: Sequence[Mapping[str, Param]] = [{"name": "discussionsubscribe", "value": True}]
        answer = self._checked(
            self.call(
                function,
                {"forumid": forum_id, "subject": subject, "message": message, "options": options},
            )
        )
        try:
            return protocol.discussion_id(answer)
        except Fault as fault:
            raise fault_words(fault, site=self.site, function=function) from fault
