"""Chain the audit log: the rows already written get their place and hashes in the
order they were written (by id), and the chain head is set to the last of them."""

from typing import Any

import django.utils.timezone
from django.db import migrations, models

from pintu.core import chain

CONTENT = tuple(name for name in chain.CONTENT_FIELDS if name != "seq")


def chain_existing(apps: Any, schema_editor: Any) -> None:
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditChain = apps.get_model("core", "AuditChain")
    seq, prev = 0, chain.GENESIS
    for event in AuditEvent.objects.order_by("id").iterator(chunk_size=2000):
        seq += 1
        row = {name: getattr(event, name) for name in CONTENT}
        row["seq"] = seq
        digest = chain.row_hash(prev, row)
        AuditEvent.objects.filter(pk=event.pk).update(seq=seq, prev_hash=prev, hash=digest)
        prev = digest
    AuditChain.objects.update_or_create(
        pk=1, defaults={"head_seq": seq, "head_hash": prev, "base_hash": chain.GENESIS}
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0007_verbose_names")]

    operations = [
        migrations.CreateModel(
            name="AuditChain",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("head_seq", models.PositiveBigIntegerField(default=0, verbose_name="last number")),
                ("head_hash", models.CharField(max_length=64, verbose_name="last hash")),
                ("base_seq", models.PositiveBigIntegerField(default=0, verbose_name="first number kept, less one")),
                ("base_hash", models.CharField(max_length=64, verbose_name="hash before the first row kept")),
            ],
            options={"verbose_name": "audit chain head", "verbose_name_plural": "audit chain head"},
        ),
        migrations.CreateModel(
            name="AuditDigest",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(unique=True, verbose_name="day")),
                ("seq", models.PositiveBigIntegerField(verbose_name="number in the chain")),
                ("hash", models.CharField(max_length=64, verbose_name="hash")),
                ("recorded_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="recorded")),
            ],
            options={"verbose_name": "audit digest", "verbose_name_plural": "audit digests", "ordering": ["day"]},
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(null=True, verbose_name="number in the chain"),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="prev_hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash of the row before"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(default="", max_length=64, verbose_name="hash"),
            preserve_default=False,
        ),
        migrations.RunPython(chain_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(unique=True, verbose_name="number in the chain"),
        ),
    ]
