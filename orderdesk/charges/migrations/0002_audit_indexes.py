from django.conf import settings
from django.db import migrations, models

# Trigram indexes let the audit list's "contains" filters on account and service names use an
# index on PostgreSQL. Django compiles icontains to UPPER(column::text) LIKE UPPER(%s), so the
# indexes are built on that expression. Other databases get no such index.
TRIGRAM_INDEXES = {
    "submission_account_name_trgm": "account_name",
    "submission_service_name_trgm": "service_name",
}


def create_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension from PostgreSQL 13 on, so the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in TRIGRAM_INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON charges_submission "
            f"USING gin ((UPPER({column}::text)) gin_trgm_ops)"
        )


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("charges", "0001_initial"),
        ("connections", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddIndex(
            model_name="submission",
            index=models.Index(fields=["total_amount"], name="submission_total_amount"),
        ),
        migrations.RunPython(create_trigram_indexes, drop_trigram_indexes, elidable=False),
    ]
