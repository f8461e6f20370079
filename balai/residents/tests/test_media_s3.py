"""A registry import whose upload is kept on S3-compatible storage (a real S3
server on loopback): the import reads it through a local copy."""

from balai.residents.choices import ImportStatus
from balai.residents.models import Resident, ResidentImport
from balai.residents.tests.conftest import person, upload, write_csv


def test_an_uploaded_file_in_the_bucket_is_imported(
    cast, client, login_as, tmp_path, s3_media, settings
):
    login_as(cast.operator_a)
    response = upload(client, write_csv(tmp_path / "warga.csv", [person()]))
    assert response.status_code == 302
    job = ResidentImport.objects.get()
    assert job.status == ImportStatus.DONE, job.message
    assert job.created == 1 and Resident.objects.get().village == cast.village_a
    # Nothing was written to the local media folder, and the bucket's copy is gone.
    assert not (settings.MEDIA_ROOT / "residents" / "imports").exists()
    assert not [name for name in s3_media.names() if name.startswith("residents/")]
