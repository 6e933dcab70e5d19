"""Outbound messages become outbox items: jobs for outside systems travel beside the
messages, and what caused a row is a generic reference instead of a ticket column."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F


def generic_causes(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Message = apps.get_model("outbox", "OutboundMessage")
    ticket, _ = ContentType.objects.get_or_create(app_label="desk", model="ticket")
    article, _ = ContentType.objects.get_or_create(app_label="desk", model="article")
    Message.objects.filter(ticket__isnull=False).update(cause_type=ticket, cause_id=F("ticket_id"))
    Message.objects.filter(article__isnull=False).update(
        source_type=article, source_id=F("article_id")
    )


def ticket_columns(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Message = apps.get_model("outbox", "OutboundMessage")
    for model, column in (("ticket", "ticket_id"), ("article", "article_id")):
        kind = ContentType.objects.filter(app_label="desk", model=model).first()
        if kind is None:
            continue
        field = "cause" if model == "ticket" else "source"
        Message.objects.filter(**{f"{field}_type": kind}).update(**{column: F(f"{field}_id")})


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("outbox", "0002_claims"),
    ]

    operations = [
        migrations.AddField(
            model_name="outboundmessage",
            name="cause_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="cause_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="source_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="outboundmessage",
            name="source_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.RunPython(generic_causes, ticket_columns),
        migrations.RemoveField(model_name="outboundmessage", name="article"),
        migrations.RemoveField(model_name="outboundmessage", name="ticket"),
        migrations.RenameField(model_name="outboundmessage", old_name="door", new_name="transport"),
        migrations.RenameModel(old_name="OutboundMessage", new_name="OutboxItem"),
        migrations.AlterModelOptions(
            name="outboxitem",
            options={
                "ordering": ["created_at", "id"],
                "verbose_name": "outgoing item",
                "verbose_name_plural": "outbox",
            },
        ),
        migrations.AddField(
            model_name="outboxitem",
            name="idempotency_key",
            field=models.CharField(blank=True, max_length=200, verbose_name="idempotency key"),
        ),
        migrations.AddField(
            model_name="outboxitem",
            name="payload",
            field=models.JSONField(blank=True, default=dict, verbose_name="payload"),
        ),
        migrations.AddField(
            model_name="outboxitem",
            name="result",
            field=models.JSONField(
                blank=True,
                help_text="What the outside system answered.",
                null=True,
                verbose_name="result",
            ),
        ),
        migrations.AlterField(
            model_name="outboxitem",
            name="attempts",
            field=models.PositiveIntegerField(default=0, verbose_name="attempts"),
        ),
        migrations.AlterField(
            model_name="outboxitem",
            name="body_text",
            field=models.TextField(blank=True, verbose_name="text"),
        ),
        migrations.AlterField(
            model_name="outboxitem",
            name="created_at",
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name="created"),
        ),
        migrations.AlterField(
            model_name="outboxitem",
            name="external_id",
            field=models.CharField(
                blank=True, db_index=True, max_length=200, verbose_name="id at the transport"
            ),
        ),
        migrations.AlterField(
            model_name="outboxitem",
            name="last_error",
            field=models.TextField(blank=True, verbose_name="last error"),
        ),
        migrations.AlterField(
            model_name="outboxitem",
            name="next_attempt_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="next attempt"
            ),
        ),
        migrations.AlterField(
            model_name="outboxitem",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("reply", "reply to the requester"),
                    ("ack", "automatic acknowledgement"),
                    ("notification", "notification"),
                    ("job", "job for an outside system"),
                ],
                max_length=16,
                verbose_name="purpose",
            ),
        ),
        migrations.AlterField(
            model_name="outboxitem",
            name="recipient",
            field=models.CharField(blank=True, max_length=254, verbose_name="to"),
        ),
        migrations.AlterField(
            model_name="outboxitem",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="sent"),
        ),
        migrations.AlterField(
            model_name="outboxitem",
            name="status",
            field=models.CharField(
                choices=[
                    ("pending", "waiting to be sent"),
                    ("sending", "being sent"),
                    ("sent", "sent"),
                    ("delivered", "delivered"),
                    ("read", "read"),
                    ("failed", "failed, will retry"),
                    ("dead", "gave up"),
                ],
                default="pending",
                max_length=16,
                verbose_name="status",
            ),
        ),
        migrations.AlterField(
            model_name="outboxitem",
            name="subject",
            field=models.CharField(blank=True, max_length=300, verbose_name="subject"),
        ),
        migrations.AlterField(
            model_name="outboxitem",
            name="transport",
            field=models.CharField(
                help_text="What carries it: a door (email, whatsapp) or an outside system.",
                max_length=16,
                verbose_name="transport",
            ),
        ),
        migrations.AddIndex(
            model_name="outboxitem",
            index=models.Index(fields=["cause_type", "cause_id"], name="outbox_cause_idx"),
        ),
        migrations.AddConstraint(
            model_name="outboxitem",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key", ""), _negated=True),
                fields=("idempotency_key",),
                name="outbox_idempotency_key_unique",
            ),
        ),
    ]
