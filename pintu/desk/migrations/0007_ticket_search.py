# Search: each request's words (pintu.desk.search), filled in for the requests there
# are, and the index each engine searches them with. PostgreSQL: a GIN index over
# to_tsvector('simple', search_text), and pg_trgm with a trigram index on the subject
# for the queue's "reference or subject" box (UPPER(subject) LIKE UPPER('%...%')).
# SQLite: an FTS5 table kept by triggers.

from django.db import migrations, models

from pintu.desk.search import FTS_TABLE, ticket_document

BATCH = 2000

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS ticket_search_idx ON desk_ticket "
    "USING gin (to_tsvector('simple'::regconfig, search_text))",
    "CREATE INDEX IF NOT EXISTS ticket_subject_trgm_idx ON desk_ticket "
    "USING gin (UPPER(subject) gin_trgm_ops)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ticket_subject_trgm_idx",
    "DROP INDEX IF EXISTS ticket_search_idx",
]
SQLITE_UP = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_text, "
    "content='desk_ticket', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON desk_ticket BEGIN
        INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON desk_ticket BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
    END""",
    f"""CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update
    AFTER UPDATE OF search_text ON desk_ticket BEGIN
        INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text)
        VALUES ('delete', old.id, old.search_text);
        INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text);
    END""",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_insert",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_delete",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_update",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
]


def _for_vendor(statements):
    """A RunPython step that runs the statements of the database it migrates."""

    def run(apps, schema_editor):
        for statement in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def fill(apps, schema_editor):
    """The words of the requests there are: reference, subject, requester, fields and
    the opening message (their first inbound one)."""
    Ticket = apps.get_model("desk", "Ticket")
    Article = apps.get_model("desk", "Article")
    last = 0
    while True:
        batch = list(
            Ticket.objects.filter(pk__gt=last)
            .select_related("requester", "contact")
            .order_by("pk")[:BATCH]
        )
        if not batch:
            return
        openings = {}
        for ticket_id, body in (
            Article.objects.filter(ticket__in=batch, kind="inbound")
            .order_by("-created_at", "-id")
            .values_list("ticket_id", "body")
        ):
            openings[ticket_id] = body  # the earliest wins, read last
        for ticket in batch:
            ticket.search_text = ticket_document(ticket, openings.get(ticket.pk, ""))
        Ticket.objects.bulk_update(batch, ["search_text"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("desk", "0006_ticket_received_idx"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="search_text",
            field=models.TextField(
                blank=True, default="", editable=False, verbose_name="search words"
            ),
        ),
        # The index first: on SQLite its triggers then follow the words being filled in.
        migrations.RunPython(
            _for_vendor({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _for_vendor({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
