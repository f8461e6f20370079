"""Phone numbers kept before balai.lib.phones, rewritten in its one stored form
(6281234567890); what it cannot read stays as it was typed."""

from django.db import migrations


def normalise_phones(apps, schema_editor):
    from balai.lib import phones

    phones.normalise_stored(apps.get_model("portal", "VillageProfile"), "phone", "whatsapp")


class Migration(migrations.Migration):
    dependencies = [("portal", "0001_initial")]

    operations = [migrations.RunPython(normalise_phones, migrations.RunPython.noop, elidable=True)]
