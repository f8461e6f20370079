from django.db import migrations


def make_confidential(apps, schema_editor):
    # Reports of sensitive categories filed before they were always confidential.
    Complaint = apps.get_model("complaints", "Complaint")
    Complaint.objects.filter(category__sensitive=True).update(
        privacy="confidential", is_public=False
    )


class Migration(migrations.Migration):
    dependencies = [("complaints", "0007_submission_counts_moved_to_accounts")]

    operations = [migrations.RunPython(make_confidential, migrations.RunPython.noop)]
