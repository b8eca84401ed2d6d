from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    # The default cache is the database cache unless Redis is configured; its table must
    # exist before the first request, on every database orderdesk is migrated on.
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_roles")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
