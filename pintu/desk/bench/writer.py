"""Bench rows into their tables in bulk: ``COPY`` on PostgreSQL, ``executemany`` on
SQLite, the values adapted as Django would store them. (``bulk_create`` spends most of
its time compiling model instances: four times slower here.)"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.db import connection, models, transaction

from pintu.desk.bench.generator import Draft, Row
from pintu.desk.models import Article, Pause, ReferenceCounter, Step, Ticket


class Table:
    """Writes plain rows (dicts by attribute name) into a model's table in bulk, the
    values adapted as Django would store them."""

    def __init__(self, model: type[models.Model], *, with_pk: bool = False) -> None:
        meta = model._meta
        fields = [f for f in meta.concrete_fields if with_pk or not f.primary_key]
        names, columns = zip(*(f.get_attname_column() for f in fields), strict=True)
        self.names: list[str] = list(names)
        self.adapters = [self._adapter(f) for f in fields]
        quote = connection.ops.quote_name
        self.table = quote(meta.db_table)
        self.columns = ", ".join(quote(column) for column in columns)

    @staticmethod
    def _adapter(model_field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
        if isinstance(model_field, models.JSONField):
            if connection.vendor == "postgresql":
                from psycopg.types.json import Jsonb

                return Jsonb
            return json.dumps
        if isinstance(model_field, models.DateTimeField) and connection.vendor != "postgresql":
            return connection.ops.adapt_datetimefield_value
        return None

    def _values(self, rows: Iterable[Row]) -> Iterator[tuple[Any, ...]]:
        pairs = list(zip(self.names, self.adapters, strict=True))
        for row in rows:
            yield tuple(
                row[name] if adapt is None or row[name] is None else adapt(row[name])
                for name, adapt in pairs
            )

    def write(self, rows: list[Row]) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.copy(f"COPY {self.table} ({self.columns}) FROM STDIN") as copy:
                    for values in self._values(rows):
                        copy.write_row(values)
            else:
                marks = ", ".join(["%s"] * len(self.names))
                cursor.executemany(
                    f"INSERT INTO {self.table} ({self.columns}) VALUES ({marks})",  # noqa: S608
                    list(self._values(rows)),
                )


def _ticket_ids(count: int) -> list[int]:
    """Ids for the next ``count`` tickets, inside the writing transaction."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('desk_ticket', 'id')) "
                "FROM generate_series(1, %s)",
                [count],
            )
            return sorted(row[0] for row in cursor.fetchall())
        # SQLite: the transaction holds the write lock (BEGIN IMMEDIATE), so nobody
        # else takes these ids meanwhile.
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM desk_ticket")
        last = cursor.fetchone()[0]
        return list(range(last + 1, last + 1 + count))


class Writer:
    def __init__(self) -> None:
        self.tickets = Table(Ticket, with_pk=True)
        self.articles = Table(Article)
        self.steps = Table(Step)
        self.pauses = Table(Pause)

    def write(self, drafts: list[Draft], counters: dict[tuple[int, int], int]) -> tuple[int, int]:
        """One transaction: the tickets, their children, and the reference counters
        (advanced with every chunk, so that an interrupted run leaves them consistent
        and the next ``ticket_create`` continues the numbering)."""
        articles: list[Row] = []
        steps: list[Row] = []
        pauses: list[Row] = []
        with transaction.atomic():
            for draft, ticket_id in zip(drafts, _ticket_ids(len(drafts)), strict=True):
                draft.ticket["id"] = ticket_id
                for children, into in (
                    (draft.articles, articles),
                    (draft.steps, steps),
                    (draft.pauses, pauses),
                ):
                    for child in children:
                        child["ticket_id"] = ticket_id
                    into.extend(children)
            self.tickets.write([draft.ticket for draft in drafts])
            self.articles.write(articles)
            self.steps.write(steps)
            self.pauses.write(pauses)
            for unit_id, year in {draft.counter for draft in drafts}:
                ReferenceCounter.objects.update_or_create(
                    unit_id=unit_id, year=year, defaults={"last": counters[(unit_id, year)]}
                )
        return len(articles), len(steps)
