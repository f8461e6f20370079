from django.db import migrations


def load_catalogue(apps, schema_editor):
    from balai.letters.catalogue import load

    load(apps.get_model("letters", "LetterType"))


class Migration(migrations.Migration):
    dependencies = [("letters", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
