"""Short references people read over the phone, filled in for existing requests."""

from django.db import migrations, models

import balai.letters.models


def fill_short_refs(apps, schema_editor):
    from balai.lib import tracking

    tracking.fill_short_refs(apps.get_model("letters", "LetterRequest"))


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="letterrequest",
            name="short_ref",
            field=models.CharField(
                blank=True, editable=False, max_length=8, null=True, verbose_name="kode singkat"
            ),
        ),
        migrations.RunPython(fill_short_refs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="letterrequest",
            name="short_ref",
            field=models.CharField(
                blank=True,
                default=balai.letters.models.new_short_ref,
                editable=False,
                max_length=8,
                null=True,
                unique=True,
                verbose_name="kode singkat",
            ),
        ),
    ]
