"""Finding requests by what they say: their words, indexed by the database.

A request's search words (``Ticket.search_text``) are those of its reference, subject,
opening message, field values and requester, folded to lower case and split on
everything that is not a letter or a digit, each once. Both engines index that text:
PostgreSQL with a GIN index over ``to_tsvector('simple', search_text)`` (``simple``:
no stemming, which suits Indonesian and names), SQLite with an FTS5 table. A query
finds the requests that have, for each of its words, a word that starts with it
("print" finds "printer"; "SI-26-0005" finds SI-26-00058), on both engines alike,
because both see the same pre-split words.

The words are prepared here, not by the engines' own parsers, so that an e-mail
address or a hyphenated word splits the same way on both.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

# Enough for the subject, a long opening message and the fields; beyond it the words of
# a very long message are not searched (its subject and first lines are).
MAX_CHARS = 8000
# A query of more words than this is cut: nobody types more, and each costs a lookup.
MAX_QUERY_WORDS = 8

_WORD = re.compile(r"[^\W_]+")

FTS_TABLE = "desk_ticket_fts"


def words(text: str) -> list[str]:
    """The words of ``text`` in lower case, in order."""
    return _WORD.findall(text.casefold())


def document(
    *,
    reference: str,
    subject: str,
    opening: str = "",
    fields: Mapping[str, Any] | None = None,
    requester: str = "",
) -> str:
    """A request's search words, each once, first seen first, within MAX_CHARS."""
    parts: list[str] = [reference, subject, requester]
    parts.extend(str(value) for value in (fields or {}).values() if value not in ("", None))
    parts.append(opening)
    seen: dict[str, None] = {}
    size = 0
    for word in _each_word(parts):
        if word in seen:
            continue
        size += len(word) + 1
        if size > MAX_CHARS:
            break
        seen[word] = None
    return " ".join(seen)


def ticket_document(ticket: Any, opening: str) -> str:
    """The search words of ``ticket`` (a Ticket, or a migration's historical one) with
    ``opening``, its first message."""
    return document(
        reference=ticket.reference,
        subject=ticket.subject,
        opening=opening,
        fields=ticket.fields,
        requester=requester_text(ticket.requester, ticket.contact),
    )


def requester_text(person: Any, contact: Any) -> str:
    """What finds a request by who asked: the contact's name, address and number, or
    the person's name and username."""
    if contact is not None and (contact.name or contact.email or contact.phone):
        return " ".join(filter(None, [contact.name, contact.email, contact.phone]))
    if person is not None:
        return " ".join(filter(None, [person.full_name, person.username]))
    return ""


def _each_word(parts: Iterable[str]) -> Iterable[str]:
    for part in parts:
        yield from words(part)


def query_words(query: str) -> list[str]:
    return words(query)[:MAX_QUERY_WORDS]


def matching(query: str) -> Q:
    """The requests whose words start with each word of ``query``; none for a query
    without words."""
    terms = query_words(query)
    if not terms:
        return Q(pk__in=[])
    if connection.vendor == "postgresql":
        # The expression the GIN index is built on (migration 0007), so that it serves.
        tsquery = " & ".join(f"{term}:*" for term in terms)
        return Q(
            RawSQL(
                'to_tsvector(\'simple\'::regconfig, "desk_ticket"."search_text") '
                "@@ to_tsquery('simple'::regconfig, %s)",
                (tsquery,),
                output_field=BooleanField(),
            )
        )
    # FTS5: each word a quoted prefix query, so that no word is read as an operator.
    fts = " ".join(f'"{term}"*' for term in terms)
    return Q(
        pk__in=RawSQL(  # noqa: S611 (the query is a parameter)
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            (fts,),
        )
    )
