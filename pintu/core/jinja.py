"""The Jinja2 environment of the fragments that Jinja2 renders for speed (the rows of
the queue and of the requester's list, ``pintu.desk.views.common.jinja_fragment``). Its
templates live in an app's ``jinja2/`` folder and only place words worked out in Python:
nothing is translated or formatted in them.

Output is escaped as in every page (markupsafe's ``&#39;`` where Django writes
``&#x27;``, the same character), Django's safe strings stay as they are, and a name the
context lacks is an error instead of an empty cell.
"""

from __future__ import annotations

from typing import Any

import jinja2


def environment(**options: Any) -> jinja2.Environment:
    options.pop("autoescape", None)  # Django's backend asks for it too; it is not optional
    options["undefined"] = jinja2.StrictUndefined
    options["keep_trailing_newline"] = True  # as Django ends a fragment
    return jinja2.Environment(autoescape=True, **options)
