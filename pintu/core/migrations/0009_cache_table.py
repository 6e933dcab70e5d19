"""The table of the database cache (``pintu.core.caches``), so that ``pintu migrate``
alone makes a fresh database ready, whichever cache the settings name now."""

from typing import Any

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

from pintu.core.caches import CACHE_TABLE


def create(apps: Any, schema_editor: Any) -> None:
    # Skips a table that is already there (made by `createcachetable` before).
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, CACHE_TABLE, dry_run=False)


def drop(apps: Any, schema_editor: Any) -> None:
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0008_audit_chain")]

    operations = [migrations.RunPython(create, drop)]
