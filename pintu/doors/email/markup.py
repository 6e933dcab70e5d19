"""Mail HTML made safe to show (nh3), and a readable plain-text version of it. Pure."""

from __future__ import annotations

import html as html_lib
import re
from html.parser import HTMLParser

import nh3

_META = re.compile(r"<meta\b[^>]*>?", re.IGNORECASE)


def sanitise_html(markup: str) -> str:
    """Only safe markup: no scripts, styles, event handlers or dangerous URLs. Images
    that point into the message (``cid:``) keep their reference."""
    # <meta> goes anyway; removing it first also steers clear of an html5ever panic on
    # content="text/html; charset" (servo/html5ever#763), common in old mailers.
    markup = _META.sub("", markup)
    try:
        return nh3.clean(
            markup,
            clean_content_tags={"script", "style", "title"},
            url_schemes=nh3.ALLOWED_URL_SCHEMES | {"cid"},
        ).strip()
    except BaseException as error:
        # A panic in the Rust sanitiser arrives as pyo3's PanicException, which is no
        # Exception; anything else (KeyboardInterrupt...) goes on up.
        if type(error).__module__ != "pyo3_runtime":
            raise
        return f"<pre>{html_lib.escape(html_to_text(markup))}</pre>"


# Block elements end a line; these also stand apart by a blank line.
_PARAGRAPHS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "ul", "ol"}
_HIDDEN = {"script", "style", "title", "head"}
_LINES = {"div", "li", "tr", "dt", "dd", "hr", "address", "article", "section", "header", "footer"}


class _TextFromHtml(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.newlines = 0  # how many line breaks the text written so far ends with
        self.pre = 0
        self.hidden = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        stripped = text.rstrip("\n")
        self.newlines = len(text) - len(stripped) + (self.newlines if not stripped else 0)

    def line_break(self, wanted: int) -> None:
        if self.parts:
            self.write("\n" * max(0, wanted - self.newlines))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "br":
            self.write("\n")
        elif tag in _PARAGRAPHS or tag in _LINES:
            self.line_break(2 if tag in _PARAGRAPHS else 1)
        if tag == "li":
            self.write("- ")
        elif tag in ("td", "th"):
            self.write(" ")
        elif tag == "pre":
            self.pre += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _PARAGRAPHS or tag in _LINES:
            self.line_break(2 if tag in _PARAGRAPHS else 1)
        if tag == "pre":
            self.pre = max(0, self.pre - 1)

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.pre:
            self.write(data)
            return
        data = re.sub(r"\s+", " ", data)
        if not self.parts or self.newlines:
            data = data.lstrip(" ")
        if data:
            self.write(data)

    def text(self) -> str:
        lines = [line.rstrip() for line in "".join(self.parts).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(markup: str) -> str:
    """A readable plain-text version of (sanitised) HTML."""
    if not markup:
        return ""
    reader = _TextFromHtml()
    reader.feed(markup)
    reader.close()
    return reader.text()
