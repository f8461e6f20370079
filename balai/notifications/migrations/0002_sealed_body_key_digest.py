from django.db import migrations, models

from balai.notifications.sealing import key_digest, seal


def seal_existing(apps, schema_editor):
    # Queued bodies sealed, the others erased; every key kept as its digest.
    Notification = apps.get_model("notifications", "Notification")
    for row in Notification.objects.all().iterator():
        row.sealed_body = seal(row.sealed_body) if row.status == "queued" else ""
        row.key = key_digest(row.key)
        row.save(update_fields=["sealed_body", "key"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [
        migrations.RenameField("notification", "body", "sealed_body"),
        migrations.AlterField(
            model_name="notification",
            name="sealed_body",
            field=models.TextField(blank=True, verbose_name="isi (tersegel)"),
        ),
        migrations.RunPython(seal_existing, migrations.RunPython.noop),
    ]
