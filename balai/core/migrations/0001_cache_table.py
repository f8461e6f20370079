"""The database cache's table, so a database made by `migrate` alone is complete.

`createcachetable` makes the table of every database cache in settings.CACHES
(none when BALAI_REDIS_URL puts the cache in Redis) and skips tables that
exist, so databases set up earlier with `balai setup-demo` migrate cleanly.
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = []

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
