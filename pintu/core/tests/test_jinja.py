"""The Jinja2 engine of the queue's rows escapes as the pages do, keeps Django's safe
strings, ends as Django's fragments end, and refuses a name its context lacks."""

from __future__ import annotations

import jinja2
import pytest
from django.template import engines
from django.utils.html import escape
from django.utils.safestring import mark_safe


def render(source: str, **context: object) -> str:
    return engines["jinja2"].from_string(source).render(context)


def test_text_is_escaped_and_safe_strings_are_kept() -> None:
    hostile = "<script>alert('x')</script> & \"kutip\""
    out = render("<td>{{ text }}</td>{{ stars }}\n", text=hostile, stars=mark_safe("<b>★</b>"))
    escaped = "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &#34;kutip&#34;"
    assert out == f"<td>{escaped}</td><b>★</b>\n"
    # The same characters Django's own escaping writes, spelt by number.
    assert (
        out.replace("&#39;", "&#x27;")
        .replace("&#34;", "&quot;")
        .startswith(f"<td>{escape(hostile)}</td>")
    )


def test_a_name_the_context_lacks_is_an_error() -> None:
    with pytest.raises(jinja2.UndefinedError):
        render("{{ entry.href }}", entry={})
