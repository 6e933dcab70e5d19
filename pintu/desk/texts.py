"""Long messages: a typed message has a length limit, a long mail is shortened (its whole
text stays in the original kept by the door), and a page folds what is long.

Pure: no ORM.
"""

from __future__ import annotations

# Past this many characters a message shows its beginning and folds the rest.
FOLD_AT = 1500
# Where to look back for a line break to fold at, so that a line is not cut.
_LOOK_BACK = 300


def too_long(text: str, limit: int) -> bool:
    return len(text) > limit


def shorten(text: str, limit: int, note: str) -> str:
    """``text`` cut to about ``limit`` characters at a line break, with ``note`` after."""
    if len(text) <= limit:
        return text
    head, _rest = fold(text, limit - len(note) - 2)
    return f"{head.rstrip()}\n\n{note}"


def fold(text: str, at: int = FOLD_AT) -> tuple[str, str]:
    """(the part shown, the part folded); the fold falls at a line break (else a space)
    shortly before ``at``, and nothing is folded when little would be."""
    if len(text) <= at + _LOOK_BACK:
        return text, ""
    for separator in ("\n\n", "\n", " "):
        cut = text.rfind(separator, at - _LOOK_BACK, at)
        if cut > 0:
            return text[:cut], text[cut:].lstrip("\n")
    return text[:at], text[at:]
