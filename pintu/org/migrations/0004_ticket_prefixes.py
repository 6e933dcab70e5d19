from django.db import migrations

PREFIXES = {"UPT-SI": "SI", "P4M": "P4M", "PHK": "HMS", "KS": "KS", "BAA": "BAA"}


def set_prefixes(apps, schema_editor):
    Unit = apps.get_model("org", "Unit")
    for code, prefix in PREFIXES.items():
        Unit.objects.filter(code=code, ticket_prefix="").update(ticket_prefix=prefix)


class Migration(migrations.Migration):
    dependencies = [("org", "0003_unit_prefix_and_email")]
    operations = [migrations.RunPython(set_prefixes, migrations.RunPython.noop)]
