"""Short references (filled in for existing reports), the reporter's rating and
follow-ups, and resized photo copies."""

from django.db import migrations, models

import balai.complaints.models


def fill_short_refs(apps, schema_editor):
    from balai.lib import tracking

    tracking.fill_short_refs(apps.get_model("complaints", "Complaint"))


class Migration(migrations.Migration):
    dependencies = [("complaints", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="complaint",
            name="short_ref",
            field=models.CharField(
                blank=True, editable=False, max_length=8, null=True, verbose_name="kode singkat"
            ),
        ),
        migrations.RunPython(fill_short_refs, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="complaint",
            name="short_ref",
            field=models.CharField(
                blank=True,
                default=balai.complaints.models.new_short_ref,
                editable=False,
                max_length=8,
                null=True,
                verbose_name="kode singkat",
            ),
        ),
        migrations.AddConstraint(
            model_name="complaint",
            constraint=models.UniqueConstraint(fields=["short_ref"], name="complaint_short_ref"),
        ),
        migrations.AddField(
            model_name="complaint",
            name="rating",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="penilaian"),
        ),
        migrations.AddField(
            model_name="complaint",
            name="rating_comment",
            field=models.CharField(blank=True, max_length=1000, verbose_name="komentar penilaian"),
        ),
        migrations.AddField(
            model_name="complaint",
            name="rated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="complaintphoto",
            name="thumb",
            field=models.FileField(blank=True, upload_to=balai.complaints.models.photo_path),
        ),
        migrations.AddField(
            model_name="complaintphoto",
            name="medium",
            field=models.FileField(blank=True, upload_to=balai.complaints.models.photo_path),
        ),
        migrations.AlterField(
            model_name="complaintevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("status", "Perubahan status"),
                    ("dispatch", "Disposisi"),
                    ("response", "Tanggapan"),
                    ("note", "Catatan internal"),
                    ("assign", "Penugasan"),
                    ("escalation", "Eskalasi"),
                    ("reporter", "Tambahan dari pelapor"),
                    ("rating", "Penilaian pelapor"),
                ],
                max_length=20,
                verbose_name="jenis",
            ),
        ),
        migrations.AlterField(
            model_name="complaintphoto",
            name="kind",
            field=models.CharField(
                choices=[
                    ("report", "Foto laporan"),
                    ("resolution", "Foto hasil penanganan"),
                    ("follow_up", "Foto tambahan dari pelapor"),
                ],
                default="report",
                max_length=20,
            ),
        ),
    ]
