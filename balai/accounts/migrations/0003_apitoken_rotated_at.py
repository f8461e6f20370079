from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    """A token rotated before this field: its successor was made in the same
    transaction, so the successor's creation time is when it was rotated."""
    ApiToken = apps.get_model("accounts", "ApiToken")
    successor = ApiToken.objects.filter(pk=OuterRef("replaced_by")).values("created_at")[:1]
    ApiToken.objects.filter(replaced_by__isnull=False, rotated_at__isnull=True).update(
        rotated_at=Subquery(successor)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_api_clients_rotation_and_call_log"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="rotated_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="diganti"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
